/**
 * What the equality cross-tabs of the view say of a "page × channel" cross-tab's online cells (issue #11, random
 * seed 10 with the equality cross-tabs, dis53).
 *
 * Only the online survey asks the equality questions, so in "Gender by district" a district's answered rows
 * (everything but "Not asked") add up to that district's online count in "District by channel". Seed 10's unfiltered
 * view showed Bromsgrove's female and left blank "<5" (1 each) with zeros around them, so Bromsgrove's online count is
 * at least 2; "District by channel"'s Bromsgrove row read online, library and event "<5" beside the total "<5" (the
 * districts table's label): 2 + 1 + 1 ≥ 4 pinned the row, and 23 cells followed (the three tables together; each
 * alone held).
 *
 * The rule: each online cell of the cross-tab has a floor, the most any equality field's answered cells on that line
 * say of it (a cell of min or more counted as itself, a small one as 1: at least what an onlooker reads from the
 * labels, the true counts standing in for whatever the equality cross-tab hides, so never less than it tells). A line
 * of the cross-tab (a row or column with its total) whose parts' least values, with those floors, reach its total's
 * most (or whose parts' most reach its total's least) is pinned; one "<5" of it that no floor holds is read "[c]"
 * (labels.ts: nothing hidden is shown, an onlooker is told less). Labels only: no partner moves. Pure: the shown table,
 * the floors in, the keys to blur out.
 */
import { cellKey, type TableData } from './tables';

const INF = Number.POSITIVE_INFINITY;

/** The least value an onlooker reads for an answered equality cell of true count `n`. */
export const answeredFloor = (n: number, min: number): number => (n <= 0 ? 0 : n >= min ? n : 1);

/**
 * The "<5" entries of `t` (cellKey) to read "[c]" so that no line is pinned by its labels and the online `floors`
 * (cellKey → least value). Lines: each row with its total column, each column with the total row.
 */
export function onlineFloorLabels(t: TableData, floors: Map<string, number>, min: number): Set<string> {
	const out = new Set<string>();
	const colKeys = t.columns.map((c) => c.key);
	const totalCol = colKeys.indexOf('_total');
	const totalRow = t.rows.find((r) => r.key === '_total');
	const small = (key: string, cell: TableData['rows'][number]['cells'][number]) =>
		cell.suppressed && cell.text.startsWith('<') && !out.has(key);
	const range = (key: string, cell: TableData['rows'][number]['cells'][number]): [number, number] => {
		const floor = floors.get(key) ?? 0;
		if (!cell.suppressed) return [cell.n ?? 0, cell.n ?? 0];
		if (small(key, cell)) return [Math.max(1, floor), Math.max(1, min - 1)];
		return [floor, INF];
	};
	type Cell = TableData['rows'][number]['cells'][number];
	const line = (parts: [string, Cell][], total: [string, Cell] | undefined) => {
		if (!total || !parts.some(([k]) => floors.has(k))) return;
		for (;;) {
			let lo = 0;
			let hi = 0;
			for (const [k, c] of parts) {
				const [a, b] = range(k, c);
				lo += a;
				hi += b;
			}
			const [tlo, thi] = range(...total);
			if (lo < thi && hi > tlo) return;
			// Pinned: a "<5" part whose least value is its label's, not a floor's.
			const free = parts.find(([k, c]) => small(k, c) && !(floors.get(k) ?? 0));
			if (!free) return;
			out.add(free[0]);
		}
	};
	const dataRows = t.rows.filter((r) => r.key !== '_total');
	if (totalCol >= 0)
		for (const r of dataRows)
			line(
				r.cells.flatMap((c, j): [string, Cell][] => (j === totalCol ? [] : [[cellKey(r.key, colKeys[j]), c]])),
				[cellKey(r.key, '_total'), r.cells[totalCol]]
			);
	if (totalRow)
		colKeys.forEach((k, j) => {
			if (k === '_total') return;
			line(
				dataRows.map((r): [string, Cell] => [cellKey(r.key, k), r.cells[j]]),
				[cellKey('_total', k), totalRow.cells[j]]
			);
		});
	return out;
}
