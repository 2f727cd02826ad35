import { afterEach, expect, it } from 'vitest';
import { cellKey, equalityTable } from '../src/lib/analysis/tables';
import { attack } from './helpers/disclosure-attack';

/**
 * Seed 169 of the random audit (issue #11): a district's "Sexual orientation" table where everyone asked left it
 * blank (6) and 14 answered face to face. The channels table shows online 6 (so "Total asked" is known exactly) and
 * asks "Not asked" hidden; the other answers are zeros a wider view shows. The table is protected as two columns
 * (asked | not asked), whose structural zeros no page shows: chosen as "Left blank"'s partner, such a zero protected
 * nothing, and 6 − 0 − … = 6 gave the hidden count away. The zeros are now known exactly and never partners.
 */
const cats = [
	{ key: 'straight', label: 'Straight', sentinel: false },
	{ key: 'gay-lesbian', label: 'Gay', sentinel: false },
	{ key: 'bisexual', label: 'Bi', sentinel: false },
	{ key: 'other', label: 'Other', sentinel: false },
	{ key: 'not_asked', label: 'Not asked', sentinel: true },
	{ key: 'prefer_not_to_say', label: 'Prefer not', sentinel: true },
	{ key: 'left_blank', label: 'Left blank', sentinel: true }
];
const zero = (k: string) => [cellKey(k, 'n'), [0, 0]] as [string, [number, number]];
const orientation = () =>
	equalityTable(
		'eq-orientation',
		'Sexual orientation',
		cats,
		new Map([
			['left_blank', 6],
			['not_asked', 14]
		]),
		5,
		undefined,
		{
			hide: new Set([cellKey('not_asked', 'n')]),
			bounds: new Map([
				[cellKey('_asked', 'n'), [6, 6]],
				...['straight', 'gay-lesbian', 'bisexual', 'other', 'prefer_not_to_say'].map(zero)
			])
		}
	);

afterEach(() => {
	delete process.env.ANALYSIS_STRUCTURAL_ZEROS;
});

it('hides no lone answer behind a zero the page never shows (seed 169)', () => {
	expect(attack(orientation(), { min: 5 })).toEqual([]);
});

it('before the rule, the lone hidden answer was its total less the shown zeros', () => {
	process.env.ANALYSIS_STRUCTURAL_ZEROS = 'off';
	expect(attack(orientation(), { min: 5 }).map((r) => r.row)).toContain('Left blank');
});
