/** A table on screen as rows for CSV or XLSX: counts as numbers, a % column beside each where the table has them. */
import Papa from 'papaparse';
import ExcelJS from 'exceljs';
import type { TableData } from '../../analysis/tables';
import { neutraliseCell } from './neutralise';
import { UNKNOWN, type Filters } from '../../analysis/filters';

export type SheetCell = string | number | null;

export function tableRows(t: TableData): SheetCell[][] {
	const header: SheetCell[] = [t.rowHeading];
	for (const c of t.columns) {
		header.push(c.label);
		if (t.hasPct) header.push(`${c.label} %`);
	}
	const rows: SheetCell[][] = [header];
	for (const r of t.rows) {
		const line: SheetCell[] = [r.label];
		for (const cell of r.cells) {
			if (t.ticks) line.push(cell.tick ? '✓' : '');
			else line.push(cell.suppressed ? cell.text : cell.n);
			if (t.hasPct) line.push(cell.pct === null ? null : Math.round(cell.pct * 10) / 10);
		}
		rows.push(line);
	}
	return rows.map((r) => r.map((v) => neutraliseCell(v)));
}

export function tableCsv(t: TableData): string {
	const rows = tableRows(t);
	const notes = t.notes.map((n) => [neutraliseCell(n)]);
	return Papa.unparse([[neutraliseCell(t.caption)], ...rows, ...(notes.length ? [[''], ...notes] : [])]);
}

/** What the "Notes" sheet says about a workbook of tables. */
export interface WorkbookNote {
	/** Counts below this are hidden (0: none hidden). */
	threshold: number;
	/** When the workbook was made (ISO). */
	madeAt: string;
	/** The filters in words, e.g. "Group: Child". */
	filters: string[];
}

/** One sheet per table, each as on screen; with a note, a first sheet saying the threshold, date and filters. */
export async function tableXlsx(tables: TableData[], note?: WorkbookNote): Promise<Buffer> {
	const wb = new ExcelJS.Workbook();
	wb.creator = 'Have your say';
	const used = new Set<string>(['Notes']);
	if (note) {
		const ws = wb.addWorksheet('Notes');
		ws.addRow(['About these tables']).font = { bold: true };
		ws.addRow([
			'Small numbers',
			note.threshold > 0
				? `Counts below ${note.threshold} are hidden ("<${note.threshold}"), with any figure that would reveal them, as on screen.`
				: 'No counts are hidden (threshold 0).'
		]);
		ws.addRow(['Made on', note.madeAt.slice(0, 10)]);
		ws.addRow(['Filters', note.filters.length ? note.filters.join('; ') : 'None: every answer']);
		ws.addRow(['Tables', tables.length]);
		for (const r of [2, 3, 4, 5]) ws.getRow(r).getCell(1).font = { bold: true };
		ws.getColumn(1).width = 18;
		ws.getColumn(2).width = 90;
		ws.eachRow((row) => row.eachCell((cell) => (cell.value = neutraliseCell(cell.value as SheetCell))));
	}
	for (const t of tables) {
		let name = t.id.replace(/[\\/?*[\]:]/g, '-').slice(0, 31) || 'Table';
		for (let i = 2; used.has(name); i++) name = `${name.slice(0, 28)}-${i}`;
		used.add(name);
		const ws = wb.addWorksheet(name);
		ws.addRow([neutraliseCell(t.caption)]).font = { bold: true };
		const rows = tableRows(t);
		ws.addRow(rows[0]).font = { bold: true };
		for (const r of rows.slice(1)) ws.addRow(r);
		ws.addRow([]);
		for (const n of t.notes) ws.addRow([neutraliseCell(n)]);
		ws.getColumn(1).width = 40;
	}
	return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The filters in words for the Notes sheet ("Group: Child"), codes turned into the screens' labels. */
export function filterWords(
	c: { groups: { code: string; label: string }[]; districts: { code: string; label: string }[] },
	f: Filters,
	tickRule: string
): string[] {
	const label = (list: { code: string; label: string }[], code: string) =>
		code === UNKNOWN ? 'Not known' : (list.find((x) => x.code === code)?.label ?? code);
	const out: string[] = [];
	if (f.question) out.push(`Question: ${f.question.toUpperCase()}`);
	if (f.group) out.push(`Group: ${label(c.groups, f.group)}`);
	if (f.district) out.push(`District: ${label(c.districts, f.district)}`);
	if (f.channel) out.push(`Channel: ${f.channel}`);
	if (f.from) out.push(`From: ${f.from}`);
	if (f.to) out.push(`To: ${f.to}`);
	if (f.theme) out.push(`Theme id: ${f.theme}`);
	out.push(`Tick tables: ${tickRule}`);
	return out;
}
