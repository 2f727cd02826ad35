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

/** Where each part of a bar chart goes: the one geometry SvgBars draws and chartSvg writes. */
export interface ChartLayout {
	width: number;
	height: number;
	/** The text size in the drawing's own units (the SVG scales it with its width). */
	fontSize: number;
	labelX: number;
	legend: { x: number; y: number; colour: string; label: string }[];
	rows: {
		label: string;
		labelY: number;
		/** The row's label as drawn: one line beside the bars, or up to two lines above them (compact). */
		lines: { text: string; x: number; y: number; anchor: 'start' | 'end' }[];
		bars: {
			x: number;
			y: number;
			w: number;
			h: number;
			colour: string;
			text: string;
			textX: number;
			textY: number;
			series: string;
			suppressed: boolean;
			value: number | null;
		}[];
	}[];
	axis: { x: number; y1: number; y2: number };
}

const W = 640;
const LABEL = 200;
const BAR = 18;
const GAP = 10;
const PLOT = W - LABEL - 110;
const HIDDEN_W = 14;

/** Labels longer than this are cut with an ellipsis in the chart (the table has them whole). */
export const shortLabel = (s: string) => (s.length > 28 ? `${s.slice(0, 27)}…` : s);

/**
 * The compact chart, for the public results page people open on their phones: 320 units wide, its
 * text 19 units (the body text's 19 px), each row's label on its own line(s) above its bars, so that on a
 * 360-px screen (about 328 px of content) the text is drawn at about 19.5 px rather than the wide
 * chart's 7. It is shown at most 24rem wide, so on a computer its text is about 23 px.
 */
const COMPACT = { W: 320, FONT: 19, LINE: 23, BAR: 24, GAP: 12, VALUE: 92, CHARS: 30 };

/** Words wrapped into at most two lines of `chars` characters; the second cut with an ellipsis if need be. */
export function wrapLabel(s: string, chars: number): string[] {
	const lines: string[] = [];
	let line = '';
	for (const word of s.split(/\s+/).filter(Boolean)) {
		if (line && line.length + 1 + word.length > chars) {
			lines.push(line);
			line = word;
		} else line = line ? `${line} ${word}` : word;
	}
	if (line) lines.push(line);
	const cut = (t: string) => (t.length > chars ? `${t.slice(0, chars - 1)}…` : t);
	if (lines.length <= 2) return lines.map(cut);
	return [cut(lines[0]), cut(`${lines[1]} ${lines.slice(2).join(' ')}`)];
}

function compactLayout(series: Series[], measure: ChartMeasure): ChartLayout {
	const { W, FONT, LINE, BAR, GAP, VALUE, CHARS } = COMPACT;
	const labels = series[0]?.bars.map((b) => b.label) ?? [];
	const values = series.flatMap((s) => s.bars.map((b) => b.value ?? 0));
	const max = measure === 'percent' ? Math.max(1, Math.min(100, Math.max(...values) * 1.1)) : Math.max(1, ...values);
	const plot = W - VALUE;
	const colour = (k: number) => SAFE_PALETTE[k % SAFE_PALETTE.length];
	// One legend entry a line: the labels are as long as the screen allows.
	const legend =
		series.length > 1 ? series.map((s, k) => ({ x: 2, y: k * LINE + 4, colour: colour(k), label: s.label })) : [];
	let y = legend.length > 0 ? legend.length * LINE + 8 : 0;
	const rows = labels.map((label, i) => {
		const lines = wrapLabel(label, CHARS).map((text, j) => ({
			text,
			x: 0,
			y: y + (j + 1) * LINE - 5,
			anchor: 'start' as const
		}));
		const top = y + lines.length * LINE + 2;
		const bars = series.map((s, k) => {
			const b = s.bars[i];
			const by = top + k * BAR;
			const w = b.suppressed ? HIDDEN_W : Math.max(0, (plot * (b.value ?? 0)) / max);
			return {
				x: 1,
				y: by + 2,
				w,
				h: BAR - 4,
				colour: colour(k),
				text: b.text,
				textX: 1 + w + 6,
				textY: by + BAR - 5,
				series: s.label,
				suppressed: b.suppressed,
				value: b.value
			};
		});
		y = top + series.length * BAR + GAP;
		return { label, labelY: lines[0]?.y ?? top, lines, bars };
	});
	return { width: W, height: y, fontSize: FONT, labelX: 0, legend, rows, axis: { x: 1, y1: 0, y2: 0 } };
}

export function chartLayout(series: Series[], measure: ChartMeasure, opts: { compact?: boolean } = {}): ChartLayout {
	if (opts.compact) return compactLayout(series, measure);
	const labels = series[0]?.bars.map((b) => b.label) ?? [];
	const values = series.flatMap((s) => s.bars.map((b) => b.value ?? 0));
	const max = measure === 'percent' ? Math.max(1, Math.min(100, Math.max(...values) * 1.1)) : Math.max(1, ...values);
	const legendH = series.length > 1 ? Math.ceil(series.length / 3) * 20 + 6 : 0;
	const rowH = series.length * BAR + GAP;
	const height = legendH + labels.length * rowH + 8;
	const colour = (k: number) => SAFE_PALETTE[k % SAFE_PALETTE.length];
	return {
		width: W,
		height,
		fontSize: 13,
		labelX: LABEL - 8,
		legend:
			series.length > 1
				? series.map((s, k) => ({
						x: (k % 3) * 210 + 4,
						y: Math.floor(k / 3) * 20 + 4,
						colour: colour(k),
						label: s.label
					}))
				: [],
		rows: labels.map((label, i) => {
			const y0 = legendH + i * rowH;
			const labelY = y0 + (series.length * BAR) / 2 + 5;
			return {
				label,
				labelY,
				lines: [{ text: shortLabel(label), x: LABEL - 8, y: labelY, anchor: 'end' as const }],
				bars: series.map((s, k) => {
					const b = s.bars[i];
					const y = y0 + k * BAR;
					const w = b.suppressed ? HIDDEN_W : Math.max(0, (PLOT * (b.value ?? 0)) / max);
					return {
						x: LABEL,
						y: y + 2,
						w,
						h: BAR - 4,
						colour: colour(k),
						text: b.text,
						textX: LABEL + w + 6,
						textY: y + BAR - 5,
						series: s.label,
						suppressed: b.suppressed,
						value: b.value
					};
				})
			};
		}),
		axis: { x: LABEL, y1: legendH, y2: height - 4 }
	};
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * The chart as a standalone SVG document (for files: the Word export draws it to PNG),
 * the same drawing as SvgBars: hidden cells hatched and labelled, never a zero.
 */
export function chartSvg(series: Series[], measure: ChartMeasure, title: string): string {
	const l = chartLayout(series, measure);
	const out: string[] = [
		`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${l.width} ${l.height}" width="${l.width}" height="${l.height}" font-family="Arial, sans-serif" font-size="${l.fontSize}">`,
		`<title>${esc(title)}: ${measure === 'percent' ? 'percentages' : 'counts'}</title>`,
		`<rect x="0" y="0" width="${l.width}" height="${l.height}" fill="#ffffff"/>`,
		`<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" stroke="#505a5f" stroke-width="2"/></pattern></defs>`
	];
	for (const g of l.legend)
		out.push(
			`<rect x="${g.x}" y="${g.y}" width="12" height="12" fill="${g.colour}"/><text x="${g.x + 18}" y="${g.y + 11}" fill="#0b0c0c">${esc(shortLabel(g.label))}</text>`
		);
	for (const r of l.rows) {
		for (const t of r.lines)
			out.push(`<text x="${t.x}" y="${t.y}" text-anchor="${t.anchor}" fill="#0b0c0c">${esc(t.text)}</text>`);
		for (const b of r.bars)
			out.push(
				b.suppressed
					? `<rect x="${b.x}" y="${b.y}" width="${b.w}" height="${b.h}" fill="url(#hatch)" stroke="#505a5f" stroke-dasharray="3 2"/>`
					: `<rect x="${b.x}" y="${b.y}" width="${b.w.toFixed(1)}" height="${b.h}" fill="${b.colour}"/>`,
				`<text x="${b.textX.toFixed(1)}" y="${b.textY}" fill="#0b0c0c">${esc(b.text)}</text>`
			);
	}
	if (l.axis.y2 > l.axis.y1)
		out.push(`<line x1="${l.axis.x}" y1="${l.axis.y1}" x2="${l.axis.x}" y2="${l.axis.y2}" stroke="#0b0c0c"/>`);
	out.push('</svg>');
	return out.join('');
}
