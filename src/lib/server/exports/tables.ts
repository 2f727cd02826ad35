/** A table on screen as rows for CSV or XLSX: counts as numbers, a % column beside each where the table has them. */
import Papa from 'papaparse';
import ExcelJS from 'exceljs';
import type { TableData } from '../../analysis/tables';
import { neutraliseCell } from './neutralise';

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

export async function tableXlsx(tables: TableData[]): Promise<Buffer> {
	const wb = new ExcelJS.Workbook();
	wb.creator = 'Have your say';
	const used = new Set<string>();
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
