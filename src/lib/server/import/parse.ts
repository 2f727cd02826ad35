import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { cleanText } from '../../schemas/text';
import {
	MAX_CELL_CHARS,
	MAX_COLUMNS,
	MAX_FIELDS_PER_RECORD,
	MAX_HEADER_CHARS,
	MAX_IMPORT_ROWS,
	MAX_SHEET_CHARS,
	MAX_SHEET_ROWS_SEEN,
	MAX_UPLOAD_BYTES
} from './limits';
import { checkXlsxZip, ZipRefused } from './zip';

import { ImportFileError } from './errors';
export { ImportFileError };

export interface ParsedSheet {
	format: 'csv' | 'xlsx';
	headers: string[];
	/** Data rows (after the header row); rowNumber is the row in the file, 1 = the header. Only the header's columns are kept. */
	rows: { rowNumber: number; cells: string[] }[];
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const n = (x: number) => x.toLocaleString('en-GB');

function isZip(buf: Uint8Array): boolean {
	return ZIP_MAGIC.every((b, i) => buf[i] === b);
}

/**
 * Reads an uploaded CSV or XLSX with well-kept libraries (papaparse, exceljs's
 * streaming reader), checking the limits in limits.ts as it goes so that a
 * hostile file is refused early instead of being held. Refuses, with a message
 * saying why: an empty or oversized file, a binary file named .csv, an old
 * .xls, a spreadsheet that cannot be opened, no header row, too many columns,
 * rows or parts. Every cell is cleaned of control characters (NUL included)
 * like any other answer text. Runs inside the parsing worker (parse-worker.ts)
 * in the app; tests call it directly.
 */
export async function parseUpload(buf: Uint8Array, filename: string): Promise<ParsedSheet> {
	if (buf.byteLength === 0) throw new ImportFileError('The file is empty.');
	if (buf.byteLength > MAX_UPLOAD_BYTES) {
		throw new ImportFileError(
			`The file is ${(buf.byteLength / 1024 / 1024).toFixed(1)} MB: the limit is ${MAX_UPLOAD_BYTES / 1024 / 1024} MB. Split it into smaller files.`
		);
	}
	const name = filename.toLowerCase();
	if (name.endsWith('.xls'))
		throw new ImportFileError(
			'Old Excel files (.xls) cannot be read: save it as .xlsx or as CSV UTF-8 and upload that.'
		);
	if (name.endsWith('.xlsx') && !isZip(buf) && decodeText(buf) !== null)
		throw new ImportFileError(
			`"${filename}" is named .xlsx but holds text, not a spreadsheet: it looks like a CSV. Rename it to .csv (or open it in a spreadsheet program and save it as .xlsx) and upload it again.`
		);
	if (name.endsWith('.xlsx') || isZip(buf)) {
		if (!name.endsWith('.xlsx'))
			throw new ImportFileError(
				`"${filename}" is a compressed (zip) file, not a CSV. If it is an Excel spreadsheet, name it .xlsx.`
			);
		return parseXlsx(buf);
	}
	if (!name.endsWith('.csv') && !name.endsWith('.txt')) {
		throw new ImportFileError(`"${filename}" is not a CSV or XLSX file. Upload a .csv or .xlsx spreadsheet.`);
	}
	return parseCsv(buf, filename);
}

/** Collects rows under the limits; shared by both formats so the rules are the same. */
class SheetBuilder {
	headers: string[] | null = null;
	rows: { rowNumber: number; cells: string[] }[] = [];
	private chars = 0;

	/** The header row: trailing empty headings are dropped; more than MAX_COLUMNS named columns is refused. */
	header(cells: string[], where: (col: number) => string) {
		const trimmed = cells.map((h) => cleanText(String(h ?? '')).trim());
		let width = trimmed.length;
		while (width > 0 && trimmed[width - 1] === '') width--;
		if (width > MAX_COLUMNS) {
			throw new ImportFileError(
				`The first row has a column heading in ${where(width)}: the import reads at most ${MAX_COLUMNS} columns. Delete the columns you do not need and upload the file again.`
			);
		}
		this.headers = trimmed.slice(0, width);
	}

	row(rowNumber: number, cells: string[]) {
		const kept = this.headers!.map((_, i) => cleanText(String(cells[i] ?? '')));
		if (kept.every((v) => v.trim() === '')) return;
		for (const v of kept) {
			if (v.length > MAX_CELL_CHARS)
				throw new ImportFileError(
					`Row ${n(rowNumber)} has a cell of ${n(v.length)} characters: a cell can hold at most ${n(MAX_CELL_CHARS)}.`
				);
			this.chars += v.length;
		}
		if (this.chars > MAX_SHEET_CHARS)
			throw new ImportFileError(
				`The file holds more than ${n(MAX_SHEET_CHARS)} characters of text in its columns. Split it into smaller files.`
			);
		this.rows.push({ rowNumber, cells: kept });
		if (this.rows.length > MAX_IMPORT_ROWS)
			throw new ImportFileError(
				`The file has more than ${n(MAX_IMPORT_ROWS)} rows: the limit is ${n(MAX_IMPORT_ROWS)}. Split it into smaller files.`
			);
	}

	done(format: 'csv' | 'xlsx'): ParsedSheet {
		const headers = this.headers ?? [];
		if (headers.length === 0 || headers.every((h) => h === ''))
			throw new ImportFileError('The first row must name the columns (for example: group, district, question, text).');
		if (this.rows.length === 0) throw new ImportFileError('The file has a header row but no responses under it.');
		return { format, headers, rows: this.rows };
	}
}

/** More than a couple of NUL bytes near the start means a binary file; a stray one is cleaned like any control character. */
function looksBinary(buf: Uint8Array): boolean {
	const head = buf.subarray(0, 8192);
	let nul = 0;
	for (const b of head) if (b === 0) nul++;
	return nul > Math.max(2, head.length / 100);
}

const DELIMITERS = [',', '\t', ';', '|'] as const;

/**
 * One pass over the text, counting fields per record outside quotes, before
 * papaparse builds any row: a header of two million commas or a 10 MB row is
 * refused here in milliseconds rather than allocated. Returns the delimiter,
 * chosen as the most common candidate in the header row.
 */
function precheckCsv(text: string): string {
	let end = -1;
	let quoted = false;
	const limit = Math.min(text.length, MAX_HEADER_CHARS + 1);
	for (let i = 0; i < limit; i++) {
		const ch = text.charCodeAt(i);
		if (ch === 34) quoted = !quoted;
		else if (!quoted && (ch === 10 || ch === 13)) {
			end = i;
			break;
		}
	}
	if (end < 0 && text.length > MAX_HEADER_CHARS) {
		throw new ImportFileError(
			`The first row is longer than ${n(MAX_HEADER_CHARS)} characters: it should only name the columns. Check the file is a CSV of responses with one header row.`
		);
	}
	const header = end < 0 ? text : text.slice(0, end);
	let delimiter: string = ',';
	let best = 0;
	for (const d of DELIMITERS) {
		const count = header.split(d).length - 1;
		if (count > best) [best, delimiter] = [count, d];
	}
	const dc = delimiter.charCodeAt(0);
	let fields = 1;
	let record = 1;
	quoted = false;
	for (let i = 0; i < text.length; i++) {
		const ch = text.charCodeAt(i);
		if (ch === 34) quoted = !quoted;
		else if (quoted) continue;
		else if (ch === dc) {
			if (++fields > MAX_FIELDS_PER_RECORD) {
				throw new ImportFileError(
					`Row ${n(record)} has more than ${n(MAX_FIELDS_PER_RECORD)} cells: the import reads at most ${MAX_COLUMNS} columns. Delete the columns you do not need and save the file again.`
				);
			}
		} else if (ch === 10 || (ch === 13 && text.charCodeAt(i + 1) !== 10)) {
			fields = 1;
			record++;
		}
	}
	return delimiter;
}

/** UTF-16 (little- or big-endian), known by its byte order mark: what Excel's "Unicode Text" and Windows tools write. */
function utf16Encoding(buf: Uint8Array): 'utf-16le' | 'utf-16be' | null {
	if (buf[0] === 0xff && buf[1] === 0xfe) return 'utf-16le';
	if (buf[0] === 0xfe && buf[1] === 0xff) return 'utf-16be';
	return null;
}

/**
 * The file as text: UTF-16 when it starts with a UTF-16 byte order mark, otherwise UTF-8 (with or without its
 * BOM, which is dropped). Null when it is neither: binary, or UTF-8 that does not decode. Never throws.
 */
function decodeText(buf: Uint8Array): string | null {
	const utf16 = utf16Encoding(buf);
	if (!utf16 && looksBinary(buf)) return null;
	try {
		const text = new TextDecoder(utf16 ?? 'utf-8', { fatal: true }).decode(buf);
		return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
	} catch {
		return null;
	}
}

function parseCsv(buf: Uint8Array, filename: string): ParsedSheet {
	// UTF-16 text has a NUL in every other byte, so it is told by its BOM before the binary check.
	if (!utf16Encoding(buf) && looksBinary(buf)) {
		throw new ImportFileError(
			`"${filename}" is named .csv but holds binary data, not text. Open it in a spreadsheet program and save it as CSV UTF-8, or upload the .xlsx.`
		);
	}
	const text = decodeText(buf);
	if (text === null) {
		throw new ImportFileError(
			`"${filename}" is not UTF-8 or UTF-16 text (it may be binary, or saved in an old encoding). Save it as "CSV UTF-8" and upload it again.`
		);
	}
	const delimiter = precheckCsv(text);
	const out = new SheetBuilder();
	let record = 0;
	let failure: Error | null = null;
	// Row by row: each row is checked against the limits as it is read, and the parse stops at the first refusal.
	Papa.parse<string[]>(text, {
		delimiter,
		skipEmptyLines: 'greedy',
		step: (result, parser) => {
			record++;
			try {
				const fatal = result.errors.find((e) => e.type === 'Quotes');
				if (fatal)
					throw new ImportFileError(
						`The CSV could not be read at row ${n(record)}: ${fatal.message}. Check the quotation marks in that row.`
					);
				if (out.headers === null) out.header(result.data, (col) => `column ${n(col)}`);
				else out.row(record, result.data);
			} catch (e) {
				failure = e as Error;
				parser.abort();
			}
		}
	});
	if (failure) throw failure;
	return out.done('csv');
}

/** Column letters as the spreadsheet shows them: 1 = A, 16,384 = XFD. */
function columnName(col: number): string {
	let s = '';
	for (let c = col; c > 0; c = Math.floor((c - 1) / 26)) s = String.fromCharCode(65 + ((c - 1) % 26)) + s;
	return `column ${s} (column ${n(col)})`;
}

async function parseXlsx(buf: Uint8Array): Promise<ParsedSheet> {
	try {
		checkXlsxZip(buf);
	} catch (e) {
		if (e instanceof ZipRefused)
			throw new ImportFileError(
				`This .xlsx file cannot be imported: ${e.message}. Save the responses on one sheet as a fresh .xlsx, or export them as CSV UTF-8.`
			);
		throw e;
	}
	const out = new SheetBuilder();
	let rowsSeen = 0;
	try {
		const reader = new ExcelJS.stream.xlsx.WorkbookReader(
			Readable.from([Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength)]),
			{
				worksheets: 'emit',
				sharedStrings: 'cache',
				hyperlinks: 'ignore',
				styles: 'cache',
				entries: 'ignore'
			}
		);
		// The first worksheet with a non-empty row holds the responses; the rest of the file is not read.
		for await (const ws of reader) {
			for await (const row of ws as AsyncIterable<ExcelJS.Row>) {
				if (++rowsSeen > MAX_SHEET_ROWS_SEEN)
					throw new ImportFileError(
						`The sheet has more than ${n(MAX_SHEET_ROWS_SEEN)} rows, counting empty ones. Copy the responses into a new sheet and upload that.`
					);
				if (out.headers === null) {
					// eachCell visits only the cells present, so one cell in column XFD costs one cell, not 16,384.
					let last = 0;
					row.eachCell({ includeEmpty: false }, (cell, col) => {
						if (cellText(cell).trim() !== '') last = Math.max(last, col);
					});
					if (last === 0) continue;
					if (last > MAX_COLUMNS) out.header(new Array<string>(last).fill('x'), columnName);
					const cells: string[] = [];
					for (let c = 1; c <= last; c++) cells.push(cellText(row.findCell(c)));
					out.header(cells, columnName);
				} else {
					const cells: string[] = [];
					for (let c = 1; c <= out.headers.length; c++) cells.push(cellText(row.findCell(c)));
					out.row(row.number, cells);
				}
			}
			if (out.headers !== null) break;
		}
	} catch (e) {
		if (e instanceof ImportFileError) throw e;
		throw new ImportFileError(
			'This .xlsx file could not be opened: it may be damaged or password-protected. Save a fresh copy, or export it as CSV UTF-8.'
		);
	}
	if (out.headers === null) throw new ImportFileError('The spreadsheet has no rows.');
	return out.done('xlsx');
}

function cellText(cell: ExcelJS.Cell | undefined): string {
	const v = cell?.value;
	if (v === null || v === undefined) return '';
	if (v instanceof Date) return v.toISOString().slice(0, 10);
	if (typeof v === 'object' && 'richText' in v) return v.richText.map((t) => t.text).join('');
	if (typeof v === 'object' && 'result' in v) return v.result == null ? '' : String(v.result);
	if (typeof v === 'object' && 'text' in v) return String(v.text);
	if (typeof v === 'object' && 'error' in v) return String(v.error);
	if (typeof v === 'object') return '';
	return String(v);
}
