/**
 * A small margin's floor from the other cross-tabs of the view (issue #11, dis61's mechanism B, dis62).
 *
 * A margin hidden "<5" is at least the number of non-zero cells on its line, and a line of another cross-tab with the
 * same dimension may say more than this cross-tab's own line: seed 26's "District by week" has two "<5" on Wyre
 * Forest's row (Wyre Forest ≥ 2), and "District by gender", protected knowing only its own row (Wyre Forest ≥ 1),
 * left male = 1 + 1 + 2 ≤ 4 pinned at 4. So a cross-tab is protected knowing, for each small margin, the highest floor
 * any cross-tab of the view could give: per other dimension, each non-zero cell on the margin's line as 1 if small,
 * else its count (as not-asked-week-side.ts onlineWeekFloors does for a week's online count). Taken from the true
 * counts, so no cross-tab reads another's protection (no cycle).
 *
 * Pure: the lines in, bounds out (keys as tables.ts cellKey). The caller (dashboard.ts crossTabTable) reads the switch
 * ANALYSIS_MARGIN_FLOORS at use (`=off`: each cross-tab knows its own lines only, the old behaviour).
 */
import { cellKey } from './tables';

/**
 * The floor of each category of one dimension from its cross-tabs with the others: `lines`, per other dimension, its
 * (category, other category, count) triples. Keys starting with "_" are left out.
 */
export function lineFloors(lines: { key: string; other: string; n: number }[][], min: number): Map<string, number> {
	const out = new Map<string, number>();
	for (const list of lines) {
		const sums = new Map<string, number>();
		const cells = new Map<string, number>();
		// The same cell may come in several raw rows (days of one week): add them up first.
		for (const { key, other, n } of list) {
			if (key.startsWith('_') || other.startsWith('_')) continue;
			const k = `${key}\u001f${other}`;
			cells.set(k, (cells.get(k) ?? 0) + n);
		}
		for (const [k, n] of cells) {
			if (n <= 0) continue;
			const key = k.slice(0, k.indexOf('\u001f'));
			sums.set(key, (sums.get(key) ?? 0) + (n < min ? 1 : n));
		}
		for (const [k, s] of sums) out.set(k, Math.max(out.get(k) ?? 0, s));
	}
	return out;
}

/**
 * Bounds [floor, min − 1] on this cross-tab's small margins (true count 1 to min − 1) where another line's floor says
 * more than 1 and no more than the count (a floor above the count is not a line of this margin: left out), and below
 * min − 1 (a floor at min − 1 would pin the margin exactly, which the protection would take as known).
 */
export function marginFloorBounds(
	rows: { key: string }[],
	columns: { key: string }[],
	count: (r: string, c: string) => number,
	rowFloors: Map<string, number> | undefined,
	colFloors: Map<string, number> | undefined,
	min: number
): Map<string, [number, number]> {
	const bounds = new Map<string, [number, number]>();
	const add = (key: string, total: number, floor: number | undefined) => {
		if (floor === undefined || total <= 0 || total >= min || floor <= 1 || floor > total || floor >= min - 1) return;
		bounds.set(key, [floor, min - 1]);
	};
	if (rowFloors)
		for (const r of rows)
			add(
				cellKey(r.key, '_total'),
				columns.reduce((t, c) => t + count(r.key, c.key), 0),
				rowFloors.get(r.key)
			);
	if (colFloors)
		for (const c of columns)
			add(
				cellKey('_total', c.key),
				rows.reduce((t, r) => t + count(r.key, c.key), 0),
				colFloors.get(c.key)
			);
	return bounds;
}

/**
 * The same bounds on a one-way page table's small rows (issue #11, dis64: the every-pair unfiltered view's random seed
 * 15). "Respondent types" hid child and other interested person "<5" beside a shown total, 6 together; "Respondent
 * group by channel" has three "<5" on the child's line (child ≥ 3), "Respondent types by district" three on the
 * other's (other ≥ 3): 3 and 3, and each "<5" on those lines is 1. The cross-tabs read the margin as the page table
 * decides it (dashboard.ts marginsOf), so the page table itself has to be protected knowing the floors: `items` its
 * rows with their true counts, `floors` lineFloors of its dimension's cross-tabs counted as it counts (the
 * respondent types per respondent type, the districts and channels per submission). Keys cellKey(key, 'n'), as a
 * one-way table's constraints (tables.ts tally).
 */
export function pageFloorBounds(
	items: { key: string; n: number }[],
	floors: Map<string, number> | undefined,
	min: number
): Map<string, [number, number]> {
	// A one-way table is a cross-tab of one column whose row totals are its rows: marginFloorBounds' rule as it is.
	const n = new Map(items.map((i) => [i.key, i.n]));
	const bounds = marginFloorBounds(items, [{ key: 'n' }], (r) => n.get(r) ?? 0, floors, undefined, min);
	return new Map(
		items.flatMap((i) => {
			const b = bounds.get(cellKey(i.key, '_total'));
			return b ? [[cellKey(i.key, 'n'), b] as const] : [];
		})
	);
}
