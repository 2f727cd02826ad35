/**
 * The family attacker's public structural zeros (issue #11, dis56): only the online survey asks the equality
 * questions, so an answered equality cell of a view (or a cross-tab cell) with no online channel is 0 in every
 * dataset, known to everyone. The random audit's seed 25 (district × channel family, with the equality cross-tabs)
 * reported 135 such zeros ("Age band by respondent group", "13 to 15" in the face-to-face channels' views, pinned by
 * the family); the attacker (disclosure-families.ts gridFailures, structuralZero) no longer counts them (and, with
 * DISCLOSURE_STRUCTURAL_KNOWN=1, starts from them as known). These tests
 * hold it to that and no further: a zero read off anywhere else is still reported. Pure (no database).
 */
import { describe, expect, it } from 'vitest';
import { gridFailures, structuralZero } from './helpers/disclosure-families';
import type { View } from './helpers/demo-like';
import type { TableData } from '../src/lib/analysis/tables';

const MIN = 5;
const CAPTION = 'Age band by respondent group (a=age&b=group&percent=none)';
const ROWS = ['13-15', '18-24', 'not_asked'];

/** "Age band by respondent group", one group column: each age band's count, the cells in `hidden` read "[c]". */
function table(counts: number[], hidden: string[] = []): TableData {
	const cell = (key: string, n: number) =>
		hidden.includes(key)
			? { n: null, pct: null, text: '[c]', suppressed: true }
			: { n, pct: null, text: String(n), suppressed: false };
	const total = counts.reduce((t, n) => t + n, 0);
	return {
		id: 'crosstab',
		caption: CAPTION,
		rowHeading: 'Age band',
		columns: [
			{ key: 'child', label: 'child' },
			{ key: '_total', label: 'Total' }
		],
		rows: [
			...ROWS.map((key, i) => ({
				key,
				label: key,
				cells: [cell(`${key}|child`, counts[i]), cell(`${key}|_total`, counts[i])]
			})),
			{
				key: '_total',
				label: 'Total',
				kind: 'total',
				cells: [cell('_total|child', total), cell('_total|_total', total)]
			}
		],
		notes: [],
		anySuppressed: hidden.length > 0,
		hasPct: false
	} as unknown as TableData;
}

/** One district ("x") by three channels: online (18 to 24: 6), the library (7, all "Not asked") and school (none). */
const COUNTS: Record<string, number[]> = {
	'': [0, 6, 7],
	'district=x': [0, 6, 7],
	'channel=online': [0, 6, 0],
	'channel=library': [0, 0, 7],
	'district=x&channel=online': [0, 6, 0],
	'district=x&channel=library': [0, 0, 7],
	// Nobody at school: its "Not asked" is 0 in this dataset only.
	'channel=school': [0, 0, 0],
	'district=x&channel=school': [0, 0, 0]
};

/** The family's views; `hide` the cells each view hides (all zeros here, each pinned by the family). */
function family(hide: Record<string, string[]>) {
	return async (qs: string): Promise<View> => ({
		shown: new Map([[CAPTION, table(COUNTS[qs], hide[qs])]]),
		truth: new Map([[CAPTION, table(COUNTS[qs])]])
	});
}

describe("the family attacker and the equality questions' structural zeros (issue #11, dis56)", () => {
	it('structuralZero: answered equality cells with no online channel, and nothing else', () => {
		const t = table(COUNTS['']);
		expect(structuralZero(t, ['library'], '13-15|child')).toBe(true);
		expect(structuralZero(t, ['library', 'school', 'event', 'paper'], '13-15|_total')).toBe(true);
		// "Not asked", the totals, an online view, a view of every channel: not structural.
		expect(structuralZero(t, ['library'], 'not_asked|child')).toBe(false);
		expect(structuralZero(t, ['library'], '_total|child')).toBe(false);
		expect(structuralZero(t, ['online'], '13-15|child')).toBe(false);
		expect(structuralZero(t, undefined, '13-15|child')).toBe(false);
		// A cross-tab with the channel: its own channel coordinate counts.
		const byChannel = { ...t, caption: 'Gender by channel (a=gender&b=channel&percent=none)' };
		expect(structuralZero(byChannel, undefined, 'female|library')).toBe(true);
		expect(structuralZero(byChannel, undefined, 'female|online')).toBe(false);
		expect(structuralZero(byChannel, undefined, 'female|_total')).toBe(false);
		expect(structuralZero(byChannel, undefined, 'not_asked|library')).toBe(false);
		// An equality table: its categories and "Total asked", not "Not asked".
		const gender = { ...t, id: 'eq-gender', caption: 'Gender' };
		expect(structuralZero(gender, ['event'], 'female|n')).toBe(true);
		expect(structuralZero(gender, ['event'], '_asked|n')).toBe(true);
		expect(structuralZero(gender, ['event'], 'not_asked|n')).toBe(false);
		// No equality dimension: nothing.
		expect(
			structuralZero(
				{ ...t, caption: 'District by channel (a=district&b=channel&percent=none)' },
				['library'],
				'x|library'
			)
		).toBe(false);
	});

	it.each(['skip', 'known'] as const)(
		'a hidden zero the family pins is reported unless it is structural (%s)',
		async (structural) => {
			const view = family({
				// The library slice hides its "13 to 15" (structural: 0 in every dataset), the online slice its "13 to 15" and
				// "Not asked" (zeros of this dataset, not of the design): the family pins all four at 0.
				'district=x&channel=library': ['13-15|child', '13-15|_total'],
				'district=x&channel=online': ['13-15|child', '13-15|_total', 'not_asked|child', 'not_asked|_total'],
				// School hides both: its "13 to 15" is structural, its "Not asked" 0 is not (a face-to-face count).
				'district=x&channel=school': ['13-15|child', '13-15|_total', 'not_asked|child', 'not_asked|_total']
			});
			const { failures, published } = await gridFailures(
				view,
				MIN,
				'district',
				['x'],
				'channel',
				['online', 'library', 'school'],
				{ structural }
			);
			const all = [...failures, ...published];
			// Still reported: the online slice's zeros (a real read), both of them.
			expect(all.filter((f) => f.startsWith('district=x&channel=online,')).sort()).toEqual([
				`district=x&channel=online, ${CAPTION}: 13-15 / Total = 0 (propagation over the family)`,
				`district=x&channel=online, ${CAPTION}: 13-15 / child = 0 (propagation over the family)`,
				`district=x&channel=online, ${CAPTION}: not_asked / Total = 0 (propagation over the family)`,
				`district=x&channel=online, ${CAPTION}: not_asked / child = 0 (propagation over the family)`
			]);
			expect(all.filter((f) => f.startsWith('district=x&channel=school,')).sort()).toEqual([
				`district=x&channel=school, ${CAPTION}: not_asked / Total = 0 (propagation over the family)`,
				`district=x&channel=school, ${CAPTION}: not_asked / child = 0 (propagation over the family)`
			]);
			// Not reported: the structural zeros ("13 to 15" in the library's and school's slices).
			expect(
				all.filter((f) => f.includes('channel=library') || (f.includes(': 13-15 / ') && f.includes('school')))
			).toEqual([]);
		}
	);
});
