/** Test support for the pure disclosure rules' unit tests (cross-bounds, online-floor): not imported by the app. */
import type { TableData } from './tables';

/** A shown cross-tab: rows of `[n, text]` (text '' = shown), the last column and the last row being the totals. */
export function shownCrossTab(columns: string[], rows: Record<string, [number, string][]>): TableData {
	return {
		id: 'crosstab',
		caption: 'District by channel',
		rowHeading: 'District',
		columns: [...columns, '_total'].map((key) => ({ key, label: key })),
		rows: Object.entries(rows).map(([key, cells]) => ({
			key,
			label: key,
			cells: cells.map(([n, text]) => ({ n: text ? null : n, pct: null, text: text || String(n), suppressed: !!text }))
		})) as TableData['rows'],
		notes: [],
		anySuppressed: true,
		hasPct: false
	};
}
