/**
 * The report as one Markdown file: the narrative as written, every table as a Markdown
 * table with its caption, each chart as an SVG image embedded in the file (a data: URI,
 * so the file stands alone), quotes as block quotes.
 */
import type { TableData } from '../../analysis/tables';
import { chartSvg } from '../../analysis/chart';
import type { Block, Run } from '../../report/markdown';
import { cellText, type Part } from './outline';

/** Characters Markdown would read as markup, escaped in figures and labels. */
const esc = (s: string) => s.replace(/([\\`*_[\]<>|#])/g, '\\$1');

function runs(rs: Run[]): string {
	return rs
		.map((r) => {
			let t = r.code ? `\`${r.text.replace(/`/g, '')}\`` : esc(r.text);
			if (r.bold) t = `**${t}**`;
			if (r.italic) t = `*${t}*`;
			if (r.href) t = `[${t}](${r.href})`;
			return t;
		})
		.join('');
}

function block(b: Block): string {
	if (b.kind === 'heading') return `${'#'.repeat(b.level)} ${runs(b.runs)}`;
	if (b.kind === 'item') return `${'  '.repeat(b.depth)}${b.ordered ? '1.' : '-'} ${runs(b.runs)}`;
	return `${b.quote ? '> ' : ''}${runs(b.runs)}`;
}

function table(t: TableData): string {
	const head = [t.rowHeading, ...t.columns.map((c) => c.label)].map(esc);
	const lines = [
		`**${esc(t.caption)}**`,
		'',
		`| ${head.join(' | ')} |`,
		`| ${head.map((_, i) => (i === 0 || t.ticks ? '---' : '---:')).join(' | ')} |`,
		...t.rows.map((r) => `| ${[esc(r.label), ...r.cells.map((c) => esc(cellText(t, c)))].join(' | ')} |`)
	];
	for (const n of t.notes) lines.push('', `*${esc(n)}*`);
	return lines.join('\n');
}

export function reportMarkdown(parts: Part[]): string {
	const out: string[] = [];
	for (const p of parts) {
		if (p.kind === 'heading') out.push(`${'#'.repeat(p.level)} ${esc(p.text)}`);
		else if (p.kind === 'narrative') {
			// Consecutive list items stay one list: no blank line between them.
			const lines: string[] = [];
			p.blocks.forEach((b, i) => {
				if (i > 0 && !(b.kind === 'item' && p.blocks[i - 1].kind === 'item')) lines.push('');
				lines.push(block(b));
			});
			out.push(lines.join('\n'));
		} else if (p.kind === 'text') out.push(p.note ? `*${esc(p.text)}*` : esc(p.text));
		else if (p.kind === 'list') out.push(p.items.map((i) => `- ${esc(i)}`).join('\n'));
		else if (p.kind === 'quote') out.push(`> ${esc(p.text)}\n>\n> — ${esc(p.who)}`);
		else {
			if (p.chart) {
				const svg = chartSvg(p.chart.series, p.chart.measure, p.table.caption);
				out.push(
					`![Chart: ${esc(p.table.caption)} (${p.chart.measure === 'percent' ? 'percentages' : 'counts'}; the figures are in the table below)](data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')})`
				);
			}
			out.push(table(p.table));
		}
	}
	return `${out.join('\n\n')}\n`;
}
