/**
 * What another cross-tab of the same view says of a cross-tab's margins (issue #11, random seeds 114, 151 and 133,
 * dis42; seed 406's pattern before them).
 *
 * The unfiltered view's cross-tabs take their margins' labels from the page tables (dashboard.ts marginsOf): a
 * channel's total in "Week by channel" reads as "Responses by channel" reads it, "<5" (1 to min − 1) or "[c]" (any
 * count). But another cross-tab of the same view with the same margin says more: "District by channel"'s school
 * column of two "<5" and zeros says the school total is at least 2; a row of it that shows its total and all but two
 * "<5" says each is at least its total less the rest at their most, and so on along its lines. "Week by channel" was
 * protected knowing only the label, so a hidden cell it counted as free was pinned once those bounds were added:
 *
 * - seed 114: week 1's face to face 22 = library 10 + school "<5" + event "[c]"; the event column 23 − 9 = week 1's
 *   event + week 3's "<5", so school ≤ 2, and "District by channel"'s two school "<5" say school ≥ 2;
 * - seed 151: online 23 of 41 leave library "<5" + school "[c]" = 18; "District by channel"'s two library "<5" say
 *   library ≥ 2, so school ≤ 16, and "Week by channel"'s school column 9 + "<5" + 6 ≥ 16;
 * - seed 133: "Week by channel"'s lines say online ≤ 3; "District by channel"'s Bromsgrove row (online + school = 6,
 *   both "<5") says its online ≥ 2, Redditch's "<5" ≥ 1: online ≥ 3.
 *
 * So a cross-tab is protected knowing, as bounds (ProtectInput.bounds), what the other cross-tabs sharing its margins
 * say of them: each such table read as shown (numbers, "<5" as 1 to min − 1, "[c]" as any count, zero included), its
 * rows and columns adding up to their totals, its intervals narrowed by propagation along those lines to a fixpoint
 * (what an onlooker's first step does: tests/helpers/disclosure-attack.ts). Only where the true counts agree (the
 * same count published twice). Bounds only: the cross-tab still chooses its partners; with the margin known to be
 * at least 2, week 1's school of seed 114 is pinned in its own grid, so it gets a partner.
 *
 * Pure: the shown tables and the true margins in, the bounds out (keys as tables.ts cellKey). The caller
 * (dashboard.ts crossTabTable) chooses the tables (no cycle: a cross-tab of two page dimensions never reads one with
 * a dimension that is not a page); ANALYSIS_CROSS_BOUNDS=off, read at each use by the caller, leaves it out.
 */
import type { ViewConstraints } from './suppress';
import { cellKey, type TableData } from './tables';

const INF = Number.POSITIVE_INFINITY;

/**
 * The interval of every entry of a shown cross-tab (cells, row and column totals, grand total; keys cellKey), from
 * its labels and its lines by propagation. Lines are used only where the table shows their total (a row's total
 * column, the total row). Undefined for an entry the table does not have.
 */
export function shownTableBounds(t: TableData, min: number, maxRounds = 100): Map<string, [number, number]> {
	const colKeys = t.columns.map((c) => c.key);
	const dataCols = colKeys.map((k, j) => [k, j] as const).filter(([k]) => k !== '_total');
	const totalCol = colKeys.indexOf('_total');
	const dataRows = t.rows.filter((r) => r.key !== '_total');
	const totalRow = t.rows.find((r) => r.key === '_total');
	const lo: number[] = [];
	const hi: number[] = [];
	const index = new Map<string, number>();
	const entry = (row: TableData['rows'][number], j: number): number | undefined => {
		const cell = row.cells[j];
		if (!cell) return undefined;
		const key = cellKey(row.key, colKeys[j]);
		let i = index.get(key);
		if (i !== undefined) return i;
		i = lo.length;
		index.set(key, i);
		if (!cell.suppressed) {
			lo.push(cell.n ?? 0);
			hi.push(cell.n ?? 0);
		} else if (cell.text.startsWith('<')) {
			lo.push(1);
			hi.push(Math.max(1, min - 1));
		} else {
			lo.push(0);
			hi.push(INF);
		}
		return i;
	};
	// Each line: its parts and its total (entry indices).
	const lines: { parts: number[]; total: number }[] = [];
	const line = (parts: (number | undefined)[], total: number | undefined) => {
		if (total === undefined || parts.some((p) => p === undefined)) return;
		lines.push({ parts: parts as number[], total });
	};
	const rowsWithTotal = totalRow ? [...dataRows, totalRow] : dataRows;
	if (totalCol >= 0)
		for (const r of rowsWithTotal)
			line(
				dataCols.map(([, j]) => entry(r, j)),
				entry(r, totalCol)
			);
	if (totalRow) {
		const cols = totalCol >= 0 ? [...dataCols.map(([, j]) => j), totalCol] : dataCols.map(([, j]) => j);
		for (const j of cols)
			line(
				dataRows.map((r) => entry(r, j)),
				entry(totalRow, j)
			);
	}
	for (let round = 0; round < maxRounds; round++) {
		let changed = false;
		const narrow = (i: number, a: number, b: number) => {
			if (a > lo[i]) {
				lo[i] = a;
				changed = true;
			}
			if (b < hi[i]) {
				hi[i] = b;
				changed = true;
			}
		};
		for (const { parts, total } of lines) {
			let sumLo = 0;
			let sumHi = 0;
			let infinite = 0;
			for (const p of parts) {
				sumLo += lo[p];
				if (hi[p] === INF) infinite++;
				else sumHi += hi[p];
			}
			// The total lies within its parts' sums; each part within the total less the others.
			narrow(total, sumLo, infinite ? INF : sumHi);
			for (const p of parts) {
				const othersLo = sumLo - lo[p];
				const othersInfinite = infinite - (hi[p] === INF ? 1 : 0);
				const othersHi = othersInfinite ? INF : sumHi - (hi[p] === INF ? 0 : hi[p]);
				narrow(p, lo[total] - othersHi, hi[total] === INF ? INF : hi[total] - othersLo);
			}
		}
		if (!changed) break;
	}
	const out = new Map<string, [number, number]>();
	for (const [key, i] of index) out.set(key, [Math.max(0, lo[i]), hi[i]]);
	return out;
}

/** Another cross-tab of the view sharing a dimension with this one: shown, with its margins' true counts. */
export interface CrossSource {
	/** The other cross-tab as shown, the shared dimension on its rows. */
	table: TableData;
	/** The true count of the shared dimension's value `key` in it (its row total), and its grand total. */
	n: (key: string) => number;
	total: number;
}

/**
 * The bounds the sources put on this cross-tab's margins of the shared dimension (on its rows or its columns) and
 * its grand total, where the true counts agree; only bounds that say something ([0, ∞) left out).
 */
export function crossMarginBounds(
	shared: { key: string }[],
	sharedOnRows: boolean,
	margin: (key: string) => number,
	grand: number,
	sources: CrossSource[],
	min: number
): ViewConstraints | undefined {
	const bounds = new Map<string, [number, number]>();
	const put = (key: string, b: [number, number] | undefined) => {
		if (!b || (b[0] <= 0 && b[1] === INF)) return;
		const had = bounds.get(key);
		bounds.set(key, had ? [Math.max(had[0], b[0]), Math.min(had[1], b[1])] : b);
	};
	for (const src of sources) {
		const b = shownTableBounds(src.table, min);
		for (const v of shared) {
			if (src.n(v.key) !== margin(v.key)) continue;
			put(sharedOnRows ? cellKey(v.key, '_total') : cellKey('_total', v.key), b.get(cellKey(v.key, '_total')));
		}
		if (src.total === grand) put(cellKey('_total', '_total'), b.get(cellKey('_total', '_total')));
	}
	return bounds.size ? { hide: new Set(), bounds } : undefined;
}
