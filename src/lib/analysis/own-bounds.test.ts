import { afterEach, describe, expect, it } from 'vitest';
import { ownBounds } from './own-bounds';
import { siblingConstraints } from './siblings';
import { cellKey, type Cell, type TableData } from './tables';

const MIN = 5;
const n = (x: number): Cell => ({ n: x, pct: null, text: String(x) });
const small = (): Cell => ({ n: null, pct: null, text: '<5', suppressed: true });
const c = (): Cell => ({ n: null, pct: null, text: '[c]', suppressed: true });

/** A parents-only theme table: one theme, "No theme yet", "Answers"; columns the parents and "All groups". */
const themes = (theme: Cell, uncoded: Cell, answers: Cell): TableData => ({
	id: 'themes-q1',
	caption: 'Themes by respondent group',
	rowHeading: 'Theme',
	columns: [
		{ key: 'parent_carer', label: 'Parent or carer' },
		{ key: '_all', label: 'All groups' }
	],
	rows: [
		{ key: '1', label: 'Family', cells: [theme, theme] },
		{ key: '_uncoded', label: 'No theme yet', kind: 'sentinel', cells: [uncoded, uncoded] },
		{ key: '_answers', label: 'Answers', kind: 'total', cells: [answers, answers] }
	],
	notes: [],
	anySuppressed: true,
	hasPct: true
});
const ANSWERS = cellKey('_answers', 'parent_carer');

afterEach(() => {
	delete process.env.ANALYSIS_SIBLING_OWN_BOUNDS;
});

describe('ownBounds: what a theme table says of its own hidden entries', () => {
	it('"Answers" is at least the largest theme plus "No theme yet"; a theme at most "Answers" less it', () => {
		expect(ownBounds(themes(c(), n(10), c()), MIN).get(ANSWERS)).toEqual([10, Infinity]);
		// Hidden entries read "[c]", a "<5" too (another line may blur it): a "<5" theme adds nothing.
		expect(ownBounds(themes(small(), n(9), c()), MIN).get(ANSWERS)).toEqual([9, Infinity]);
		expect(ownBounds(themes(c(), n(0), n(3)), MIN).get(cellKey('1', 'parent_carer'))).toEqual([0, 3]);
		// Other tables: nothing.
		expect(ownBounds({ ...themes(c(), n(10), c()), id: 'channels' }, MIN).size).toBe(0);
	});

	it('seed 400\'s channel line: the parents\' answers 21 over online "<5", library "<5", school and event "[c]" beside their "No theme yet" 10 and 9', () => {
		const slices = () => [
			themes(c(), n(0), small()),
			themes(c(), n(0), small()),
			themes(c(), n(10), c()),
			themes(c(), n(9), c()),
			themes(c(), n(0), c())
		];
		const total = themes(n(2), n(19), n(21));
		// Before (labels alone): the line sees no pin, the "<5"s stay, and school and event are left unbounded.
		process.env.ANALYSIS_SIBLING_OWN_BOUNDS = 'off';
		const before = siblingConstraints(slices(), total, MIN);
		expect(before.blur.has(ANSWERS)).toBe(false);
		expect(before.perSlice[2].bounds.get(ANSWERS)).toEqual([0, 19]);
		// With each slice's own table: 1 + 1 + 10 + 9 + 0 = 21 would pin all five, so the "<5"s read "[c]" and each
		// slice is protected within the line's bounds.
		delete process.env.ANALYSIS_SIBLING_OWN_BOUNDS;
		const after = siblingConstraints(slices(), total, MIN);
		expect(after.blur.has(ANSWERS)).toBe(true);
		expect(after.perSlice.map((p) => p.hide.has(ANSWERS))).toEqual([true, true, true, true, true]);
		expect(after.perSlice[2].bounds.get(ANSWERS)).toEqual([10, 12]);
		expect(after.perSlice[3].bounds.get(ANSWERS)).toEqual([9, 11]);
	});
});
