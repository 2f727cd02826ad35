/**
 * One count, one label (issue #11). A hidden count reads "<5" (1 to min−1) or "[c]" (any count, zero included).
 * Where one view reads a count "[c]" so that a line of "<5"s cannot pin it (siblings.ts), another view or table
 * that shows the same count as "<5" gives the "at least 1" back, and the line pins it after all (the random audit's
 * seeds 12 and 27). The rules that find such counts live with the builders (dashboard.ts, wider.ts); this is the
 * relabelling itself, which only ever turns a "<5" into "[c]": what is hidden stays hidden, nothing is shown that
 * was not, and an onlooker is told less, so it cannot undo any other protection.
 */
import { suppressedLabel } from './suppress';
import { cellKey, type TableData } from './tables';

/** `t` with the hidden "<5" cells at `keys` (cellKey) read "[c]"; `t` itself when there are none. */
export function blurLabels(t: TableData, keys: Set<string>, min: number): TableData {
	const small = suppressedLabel(min, 'primary');
	const at = (row: string, j: number) => keys.has(cellKey(row, t.columns[j].key));
	if (!t.rows.some((r) => r.cells.some((c, j) => c.suppressed && c.text === small && at(r.key, j)))) return t;
	const blurred = suppressedLabel(min, 'secondary');
	return {
		...t,
		rows: t.rows.map((r) => ({
			...r,
			cells: r.cells.map((c, j) => (c.suppressed && c.text === small && at(r.key, j) ? { ...c, text: blurred } : c))
		}))
	};
}
