/**
 * The bars a chart draws from a table, so a chart can never say more or other than its
 * table: each bar is one cell of one column; a suppressed cell is a bar marked as
 * suppressed (drawn and labelled apart from a zero); percentages when the cells carry
 * them (the default when groups differ in size), counts otherwise.
 */
import type { TableData } from './tables';
import { formatPct } from './stats';

export interface Bar {
	label: string;
	/** The length drawn: a percentage or a count; null when suppressed. */
	value: number | null;
	/** What the bar is labelled with, exactly the table's text for the cell. */
	text: string;
	suppressed: boolean;
}

export type ChartMeasure = 'percent' | 'count';

/** Colour-blind-safe (Okabe–Ito) colours, each with at least 3:1 contrast on white. */
export const SAFE_PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#000000', '#E69F00', '#56B4E9'];

export function barsOf(table: TableData, column: number, measure: ChartMeasure): Bar[] {
	return table.rows
		.filter((r) => !r.kind && !r.key.startsWith('_'))
		.map((r) => {
			const cell = r.cells[column];
			const suppressed = !cell || cell.n === null;
			const value = suppressed ? null : measure === 'percent' ? cell.pct : cell.n;
			return {
				label: r.label,
				value: value ?? (suppressed ? null : 0),
				text: suppressed
					? `${cell?.text ?? ''} (hidden)`
					: measure === 'percent' && cell.pct !== null
						? formatPct(cell.pct)
						: cell.n!.toLocaleString('en-GB'),
				suppressed
			};
		});
}

/** Percentages when every shown bar has one, else counts. */
export function defaultMeasure(table: TableData, column: number): ChartMeasure {
	const rows = table.rows.filter((r) => !r.kind && !r.key.startsWith('_'));
	return rows.length > 0 &&
		rows.every((r) => r.cells[column]?.n === null || r.cells[column]?.pct !== null) &&
		rows.some((r) => r.cells[column]?.pct !== null)
		? 'percent'
		: 'count';
}

export interface Series {
	label: string;
	bars: Bar[];
}

/** The columns a chart draws: every column but the totals ("Total", "All groups"). */
export function chartColumns(table: TableData): number[] {
	return table.columns
		.map((c, i) => ({ c, i }))
		.filter(({ c }) => !c.key.startsWith('_'))
		.map(({ i }) => i);
}

/**
 * The series of a table's chart: one per column drawn. Percentages by default when every
 * column carries them (each group's share of its own answers, so groups of different
 * sizes compare fairly), else counts.
 */
export function seriesOf(table: TableData, measure?: ChartMeasure): { measure: ChartMeasure; series: Series[] } {
	const cols = chartColumns(table);
	const m =
		measure ?? (cols.length > 0 && cols.every((i) => defaultMeasure(table, i) === 'percent') ? 'percent' : 'count');
	return { measure: m, series: cols.map((i) => ({ label: table.columns[i].label, bars: barsOf(table, i, m) })) };
}
