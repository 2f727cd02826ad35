/**
 * The report as a Word document (docx): the same outline as the Markdown download, with
 * Word's own heading styles (so its navigation pane and a table of contents work), real
 * tables with a repeating header row, and each chart as an image (SVG with a PNG
 * fallback drawn by resvg, for Word versions that cannot show SVG), its alternative
 * text saying that the figures are in the table that follows.
 */
import {
	AlignmentType,
	BorderStyle,
	Document,
	ExternalHyperlink,
	HeadingLevel,
	ImageRun,
	LevelFormat,
	Packer,
	Paragraph,
	ShadingType,
	Table,
	TableCell,
	TableRow,
	TextRun,
	WidthType,
	type ParagraphChild
} from 'docx';
import { Resvg } from '@resvg/resvg-js';
import type { TableData } from '../../analysis/tables';
import { chartSvg } from '../../analysis/chart';
import type { Block, Run } from '../../report/markdown';
import { cellText, type Part } from './outline';

const HEADINGS = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3, HeadingLevel.HEADING_4];
const heading = (level: number) => HEADINGS[Math.min(HEADINGS.length, Math.max(1, level)) - 1];

function runs(rs: Run[]): ParagraphChild[] {
	return rs.map((r) => {
		const t = new TextRun({
			text: r.text,
			bold: r.bold,
			italics: r.italic,
			font: r.code ? 'Consolas' : undefined,
			...(r.href ? { style: 'Hyperlink' } : {})
		});
		return r.href ? new ExternalHyperlink({ link: r.href, children: [t] }) : t;
	});
}

function block(b: Block): Paragraph {
	if (b.kind === 'heading') return new Paragraph({ heading: heading(b.level), children: runs(b.runs) });
	if (b.kind === 'item')
		return new Paragraph({
			children: runs(b.runs),
			...(b.ordered
				? { numbering: { reference: 'ordered', level: Math.min(b.depth, 2) } }
				: { bullet: { level: Math.min(b.depth, 2) } })
		});
	return new Paragraph({ children: runs(b.runs), ...(b.quote ? { style: 'Quote' } : {}) });
}

const border = { style: BorderStyle.SINGLE, size: 4, color: '505A5F' };
const borders = { top: border, bottom: border, left: border, right: border };

function table(t: TableData): (Paragraph | Table)[] {
	const cell = (text: string, opts: { header?: boolean; num?: boolean; bold?: boolean } = {}) =>
		new TableCell({
			borders,
			...(opts.header ? { shading: { type: ShadingType.CLEAR, fill: 'F3F2F1', color: 'auto' } } : {}),
			children: [
				new Paragraph({
					alignment: opts.num ? AlignmentType.RIGHT : AlignmentType.LEFT,
					children: [new TextRun({ text, bold: opts.header || opts.bold })]
				})
			]
		});
	const rows = [
		new TableRow({
			tableHeader: true,
			cantSplit: true,
			children: [
				cell(t.rowHeading, { header: true }),
				...t.columns.map((c) => cell(c.label, { header: true, num: true }))
			]
		}),
		...t.rows.map(
			(r) =>
				new TableRow({
					cantSplit: true,
					children: [
						cell(r.label, { bold: r.kind === 'total' }),
						...r.cells.map((c) => cell(cellText(t, c), { num: !t.ticks, bold: r.kind === 'total' }))
					]
				})
		)
	];
	return [
		new Paragraph({ keepNext: true, children: [new TextRun({ text: t.caption, bold: true })] }),
		new Table({ rows, width: { size: 100, type: WidthType.PERCENTAGE } }),
		...t.notes.map((n) => new Paragraph({ children: [new TextRun({ text: n, italics: true, size: 18 })] })),
		new Paragraph({})
	];
}

/** A chart drawn to PNG at twice its size (sharp when printed); fonts are the machine's own. */
export function chartPng(svg: string): Buffer {
	return new Resvg(svg, {
		fitTo: { mode: 'zoom', value: 2 },
		font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' }
	})
		.render()
		.asPng();
}

/** A chart as an image: the SVG, with its PNG for Word versions that cannot show SVG. */
function chartImage(svg: string, title: string, measure: string): Paragraph {
	const png = chartPng(svg);
	const [, , w, h] = (/viewBox="([^"]+)"/.exec(svg)?.[1] ?? '0 0 640 400').split(' ').map(Number);
	// 6 inches wide (576 px at 96 dpi) fits an A4 page's text column.
	const width = 576;
	return new Paragraph({
		keepNext: true,
		children: [
			new ImageRun({
				type: 'svg',
				data: Buffer.from(svg),
				fallback: { type: 'png', data: png },
				transformation: { width, height: Math.round((h / w) * width) },
				altText: {
					name: title,
					title,
					description: `Bar chart of ${title} (${measure}). The same figures are in the table that follows.`
				}
			})
		]
	});
}

export async function reportDocx(parts: Part[], title: string): Promise<Buffer> {
	const children: (Paragraph | Table)[] = [];
	for (const p of parts) {
		if (p.kind === 'heading') children.push(new Paragraph({ heading: heading(p.level), text: p.text }));
		else if (p.kind === 'narrative') children.push(...p.blocks.map(block));
		else if (p.kind === 'text')
			children.push(new Paragraph({ children: [new TextRun({ text: p.text, italics: p.note })] }));
		else if (p.kind === 'list') children.push(...p.items.map((i) => new Paragraph({ text: i, bullet: { level: 0 } })));
		else if (p.kind === 'quote')
			children.push(
				new Paragraph({ style: 'Quote', children: [new TextRun(`“${p.text}”`)] }),
				new Paragraph({ style: 'Quote', children: [new TextRun({ text: `— ${p.who}`, italics: true })] })
			);
		else {
			if (p.chart)
				children.push(
					chartImage(
						chartSvg(p.chart.series, p.chart.measure, p.table.caption),
						p.table.caption,
						p.chart.measure === 'percent' ? 'percentages' : 'counts'
					)
				);
			children.push(...table(p.table));
		}
	}
	const doc = new Document({
		title,
		creator: 'Have your say',
		styles: {
			default: { document: { run: { font: 'Arial', size: 22 } } },
			paragraphStyles: [
				{
					id: 'Quote',
					name: 'Quote',
					basedOn: 'Normal',
					run: { italics: true },
					paragraph: { indent: { left: 567 } }
				}
			]
		},
		numbering: {
			config: [
				{
					reference: 'ordered',
					levels: [0, 1, 2].map((level) => ({
						level,
						format: LevelFormat.DECIMAL,
						text: `%${level + 1}.`,
						alignment: AlignmentType.START,
						style: { paragraph: { indent: { left: 720 * (level + 1), hanging: 360 } } }
					}))
				}
			]
		},
		sections: [{ children }]
	});
	return Packer.toBuffer(doc);
}
