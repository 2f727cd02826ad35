/**
 * Counts of an unfiltered cross-tab of two page dimensions (district, respondent type, channel) that the pages of the
 * third dimension give away (issue #11; server/analysis/dashboard.ts nestedCells reads the true counts and applies
 * this). Pure: counts in, the cross-tab's cell keys to hide out (keys as tables.ts cellKey).
 *
 * Two shapes, one fact: the three page dimensions make a three-way table, the unfiltered cross-tabs are its two-way
 * margins, the one-filter pages its lines and the pages of two filters its slices. Where a part of a line of the
 * cross-tab lies wholly inside one value v of the third dimension (every other value's slices show zeros there), that
 * part is also a count of v's page, and v's page's own count of the line less it is a count of two filters, read off:
 *   - the cell (r, c) nested in v (issue #11, seeds 23 and 43): v's count of r less the cell is v's count of r outside
 *     c (seed 23: the "other" page's Wychavon 7 less "District by channel"'s Wychavon × online 6 = 1);
 *   - the rest of the row r, outside the cell (r, c), nested in v (issue #11, seed 176): the row's total less the cell
 *     is that rest, so v's count of r less it is v's count of the cell (r, c) itself, a count of the slice of v and c
 *     (seed 176: every face-to-face Wyre Forest submission is an "other" respondent's, so the "other" page's Wyre
 *     Forest 10 less (Wyre Forest 18 − Wyre Forest × online 12) = 4 = `group=other&channel=online`'s Wyre Forest).
 *     The same for the rest of a column.
 * Where that difference is small (1 to min − 1), the cross-tab hides the cell (r, c) ("[c]", a partner found as for
 * any hidden count): with it hidden neither the nested count nor the rest is published, and the pages that are its
 * lines follow (wider.ts crossTabLines).
 *
 * The rest's fact is an identity of four counts, n(v ∧ r ∧ c) = n(v ∧ r) + n(r ∧ c) − n(r) + n(r ∧ ¬v ∧ ¬c) with the
 * last zero, and two cross-tabs publish one of its two-way counts each (the pivot r's dimension by v's, and by c's):
 * hiding one of them is enough. So each cross-tab hides only for pivots whose other cross-tab comes later: the rest of
 * a row (pivot: the row dimension) where the third dimension comes before the column dimension in PAGE_ORDER, the rest
 * of a column where it comes before the row dimension. District × channel then hides for the district and channel
 * pivots, respondent type × channel for the respondent type pivot, and "Respondent types by district" never.
 */
import { cellKey } from './tables';
import { isSmall } from './suppress';

/** The page dimensions in the order that decides which cross-tab hides for a rest (see above). */
export const PAGE_ORDER = ['group', 'district', 'channel'] as const;
export type PageDimension = (typeof PAGE_ORDER)[number];

/** One value of the third dimension: its page's cross-tab counts (by cellKey) and its own counts of each side. */
export interface NestedSlice {
	inner: Map<string, number>;
	sideA: Map<string, number>;
	sideB: Map<string, number>;
}

/** Which rules nestedHides applies: the nested cell (seeds 23, 43) and the nested rest of a line (seed 176). */
export interface NestedRules {
	cells: boolean;
	rests: boolean;
}

export function nestedHides(
	dims: { a: PageDimension; b: PageDimension; third: PageDimension },
	rows: { key: string }[],
	columns: { key: string }[],
	count: (row: string, col: string) => number,
	slices: NestedSlice[],
	min: number,
	rules: NestedRules = { cells: true, rests: true }
): Set<string> {
	const hide = new Set<string>();
	if (min <= 0) return hide;
	const order = (d: PageDimension) => PAGE_ORDER.indexOf(d);
	const rowRests = rules.rests && order(dims.third) < order(dims.b);
	const colRests = rules.rests && order(dims.third) < order(dims.a);
	const rowTotal = new Map(rows.map((r) => [r.key, columns.reduce((t, c) => t + count(r.key, c.key), 0)]));
	const colTotal = new Map(columns.map((c) => [c.key, rows.reduce((t, r) => t + count(r.key, c.key), 0)]));
	const at = (x: NestedSlice, r: string, c: string) => x.inner.get(cellKey(r, c)) ?? 0;
	// A slice's counts of a row (column) outside one cell.
	const rowRest = (x: NestedSlice, r: string, c: string) =>
		columns.reduce((t, y) => (y.key === c ? t : t + at(x, r, y.key)), 0);
	const colRest = (x: NestedSlice, r: string, c: string) =>
		rows.reduce((t, y) => (y.key === r ? t : t + at(x, y.key, c)), 0);
	/** The one value whose slice holds all of `whole` (per slice: `part`), if exactly one holds any of it. */
	const holder = (whole: number, part: (x: NestedSlice) => number) => {
		const within = slices.filter((x) => part(x) > 0);
		return within.length === 1 && part(within[0]) === whole ? within[0] : undefined;
	};
	for (const r of rows)
		for (const c of columns) {
			const n = count(r.key, c.key);
			if (n <= 0) continue;
			const k = cellKey(r.key, c.key);
			if (rules.cells) {
				const v = holder(n, (x) => at(x, r.key, c.key));
				if (v && (isSmall((v.sideA.get(r.key) ?? 0) - n, min) || isSmall((v.sideB.get(c.key) ?? 0) - n, min))) {
					hide.add(k);
					continue;
				}
			}
			if (rowRests) {
				const rest = rowTotal.get(r.key)! - n;
				const v = rest > 0 ? holder(rest, (x) => rowRest(x, r.key, c.key)) : undefined;
				if (v && isSmall((v.sideA.get(r.key) ?? 0) - rest, min)) {
					hide.add(k);
					continue;
				}
			}
			if (colRests) {
				const rest = colTotal.get(c.key)! - n;
				const v = rest > 0 ? holder(rest, (x) => colRest(x, r.key, c.key)) : undefined;
				if (v && isSmall((v.sideB.get(c.key) ?? 0) - rest, min)) hide.add(k);
			}
		}
	return hide;
}
