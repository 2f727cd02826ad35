import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { MAX_IMPORT_ROWS, MAX_UPLOAD_BYTES } from './limits';

/** A problem with the file as a whole: shown to the officer as it is. */
export class ImportFileError extends Error {}

export interface ParsedSheet {
	format: 'csv' | 'xlsx';
	headers: string[];
	/** Data rows (after the header row); rowNumber is the row in the file, 1 = the header. */
	rows: { rowNumber: number; cells: string[] }[];
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

function isZip(buf: Uint8Array): boolean {
	return ZIP_MAGIC.every((b, i) => buf[i] === b);
}

/**
 * Reads an uploaded CSV or XLSX with well-kept libraries (papaparse, exceljs).
 * Refuses, with a message saying why: an empty or oversized file, a binary file
 * named .csv, an old .xls, a spreadsheet that cannot be opened, no header row.
 */
export async function parseUpload(buf: Uint8Array, filename: string): Promise<ParsedSheet> {
	if (buf.byteLength === 0) throw new ImportFileError('The file is empty.');
	if (buf.byteLength > MAX_UPLOAD_BYTES) {
		throw new ImportFileError(`The file is ${(buf.byteLength / 1024 / 1024).toFixed(1)} MB: the limit is ${MAX_UPLOAD_BYTES / 1024 / 1024} MB. Split it into smaller files.`);
	}
	const name = filename.toLowerCase();
	if (name.endsWith('.xls')) throw new ImportFileError('Old Excel files (.xls) cannot be read: save it as .xlsx or as CSV UTF-8 and upload that.');
	if (name.endsWith('.xlsx') || isZip(buf)) {
		if (!name.endsWith('.xlsx')) throw new ImportFileError(`"${filename}" is a compressed (zip) file, not a CSV. If it is an Excel spreadsheet, name it .xlsx.`);
		return parseXlsx(buf);
	}
	if (!name.endsWith('.csv') && !name.endsWith('.txt')) {
		throw new ImportFileError(`"${filename}" is not a CSV or XLSX file. Upload a .csv or .xlsx spreadsheet.`);
	}
	return parseCsv(buf, filename);
}

function parseCsv(buf: Uint8Array, filename: string): ParsedSheet {
	if (buf.subarray(0, 8192).includes(0)) {
		throw new ImportFileError(`"${filename}" is named .csv but holds binary data, not text. Open it in a spreadsheet program and save it as CSV UTF-8, or upload the .xlsx.`);
	}
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
	} catch {
		throw new ImportFileError(`"${filename}" is not UTF-8 text (it may be binary, or saved in an old encoding). Save it as "CSV UTF-8" and upload it again.`);
	}
	if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
	const result = Papa.parse<string[]>(text, { skipEmptyLines: 'greedy' });
	const fatal = result.errors.find((e) => e.type === 'Quotes');
	if (fatal) {
		throw new ImportFileError(`The CSV could not be read at row ${(fatal.row ?? 0) + 1}: ${fatal.message}. Check the quotation marks in that row.`);
	}
	const [header, ...data] = result.data;
	return sheet('csv', header ?? [], data.map((cells, i) => ({ rowNumber: i + 2, cells })));
}

async function parseXlsx(buf: Uint8Array): Promise<ParsedSheet> {
	const workbook = new ExcelJS.Workbook();
	try {
		await workbook.xlsx.load(Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength) as never);
	} catch {
		throw new ImportFileError('This .xlsx file could not be opened: it may be damaged or password-protected. Save a fresh copy, or export it as CSV UTF-8.');
	}
	const ws = workbook.worksheets.find((w) => w.actualRowCount > 0);
	if (!ws) throw new ImportFileError('The spreadsheet has no rows.');
	const rows: { rowNumber: number; cells: string[] }[] = [];
	let header: string[] | null = null;
	const width = ws.columnCount;
	ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
		const cells: string[] = [];
		for (let c = 1; c <= width; c++) cells.push(cellText(row.getCell(c)));
		if (cells.every((v) => v.trim() === '')) return;
		if (!header) header = cells;
		else rows.push({ rowNumber, cells });
	});
	return sheet('xlsx', header ?? [], rows);
}

function cellText(cell: ExcelJS.Cell): string {
	const v = cell.value;
	if (v === null || v === undefined) return '';
	if (v instanceof Date) return v.toISOString().slice(0, 10);
	if (typeof v === 'object' && 'richText' in v) return v.richText.map((t) => t.text).join('');
	if (typeof v === 'object' && 'result' in v) return v.result == null ? '' : String(v.result);
	if (typeof v === 'object' && 'text' in v) return String(v.text);
	return cell.text ?? String(v);
}

function sheet(format: 'csv' | 'xlsx', header: string[], rows: { rowNumber: number; cells: string[] }[]): ParsedSheet {
	const headers = header.map((h) => String(h ?? '').trim());
	if (headers.length === 0 || headers.every((h) => h === '')) throw new ImportFileError('The first row must name the columns (for example: group, district, question, text).');
	if (rows.length === 0) throw new ImportFileError('The file has a header row but no responses under it.');
	if (rows.length > MAX_IMPORT_ROWS) throw new ImportFileError(`The file has ${rows.length.toLocaleString('en-GB')} rows: the limit is ${MAX_IMPORT_ROWS.toLocaleString('en-GB')}. Split it into smaller files.`);
	return { format, headers, rows };
}
