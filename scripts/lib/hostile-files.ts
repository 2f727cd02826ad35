/**
 * Hostile spreadsheets for the import's tests and benchmark, made at run time
 * (small on disk and in memory; nothing big is committed). Each is a file an
 * officer could upload, by mistake or on purpose, that once took the server down.
 */
import zlib from 'node:zlib';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import ExcelJS from 'exceljs';

export interface HostileFile {
	name: string;
	/** What it is, for test names and the benchmark's table. */
	label: string;
	bytes: Uint8Array;
	/** Words the officer's error message contains. */
	expect: RegExp;
}

interface ZipPart {
	name: string;
	/** Raw-deflated bytes. */
	deflated: Buffer;
	crc: number;
	/** The size written in the headers (a lying file writes less than the truth). */
	declaredSize: number;
}

function part(name: string, data: Buffer | string): ZipPart {
	const buf = Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8');
	return { name, deflated: zlib.deflateRawSync(buf), crc: zlib.crc32(buf), declaredSize: buf.length };
}

/** A zip archive (deflate, no data descriptors) from parts, with the sizes each part declares. */
function zip(parts: ZipPart[]): Uint8Array {
	const locals: Buffer[] = [];
	const centrals: Buffer[] = [];
	let offset = 0;
	for (const p of parts) {
		const name = Buffer.from(p.name, 'utf8');
		const local = Buffer.alloc(30);
		local.writeUInt32LE(0x04034b50, 0);
		local.writeUInt16LE(20, 4);
		local.writeUInt16LE(0, 6);
		local.writeUInt16LE(8, 8);
		local.writeUInt32LE(p.crc >>> 0, 14);
		local.writeUInt32LE(p.deflated.length, 18);
		local.writeUInt32LE(p.declaredSize >>> 0, 22);
		local.writeUInt16LE(name.length, 26);
		locals.push(local, name, p.deflated);
		const central = Buffer.alloc(46);
		central.writeUInt32LE(0x02014b50, 0);
		central.writeUInt16LE(20, 4);
		central.writeUInt16LE(20, 6);
		central.writeUInt16LE(8, 10);
		central.writeUInt32LE(p.crc >>> 0, 16);
		central.writeUInt32LE(p.deflated.length, 20);
		central.writeUInt32LE(p.declaredSize >>> 0, 24);
		central.writeUInt16LE(name.length, 28);
		central.writeUInt32LE(offset, 42);
		centrals.push(central, name);
		offset += 30 + name.length + p.deflated.length;
	}
	const cd = Buffer.concat(centrals);
	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06054b50, 0);
	end.writeUInt16LE(parts.length, 8);
	end.writeUInt16LE(parts.length, 10);
	end.writeUInt32LE(cd.length, 12);
	end.writeUInt32LE(offset, 16);
	return new Uint8Array(Buffer.concat([...locals, cd, end]));
}

const CONTENT_TYPES = (sheets: number) =>
	`<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>${Array.from({ length: sheets }, (_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join('')}</Types>`;
const ROOT_RELS = `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`;
const WORKBOOK = (sheets: number) =>
	`<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>${Array.from({ length: sheets }, (_, i) => `<sheet name="S${i + 1}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('')}</sheets></workbook>`;
const WORKBOOK_RELS = (sheets: number) =>
	`<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${Array.from({ length: sheets }, (_, i) => `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('')}</Relationships>`;
const SHEET_HEAD =
	'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';
const SHEET_TAIL = '</sheetData></worksheet>';
const inlineRow = (r: number, cells: string[]) =>
	`<row r="${r}">${cells.map((v, i) => `<c r="${String.fromCharCode(65 + i)}${r}" t="inlineStr"><is><t>${v}</t></is></c>`).join('')}</row>`;

function workbook(sheetXml: ZipPart[]): Uint8Array {
	const n = sheetXml.length;
	return zip([
		part('[Content_Types].xml', CONTENT_TYPES(n)),
		part('_rels/.rels', ROOT_RELS),
		part('xl/workbook.xml', WORKBOOK(n)),
		part('xl/_rels/workbook.xml.rels', WORKBOOK_RELS(n)),
		...sheetXml
	]);
}

const inflated = new Map<number, Promise<{ deflated: Buffer; crc: number }>>();

/** A sheet part of about `size` bytes of XML: a header row, then one cell of `size` bytes of "A", deflated as a stream (never held whole). */
async function hugeSheet(name: string, size: number, declaredSize: number): Promise<ZipPart> {
	if (!inflated.has(size)) inflated.set(size, deflateHugeSheet(size));
	return { name, ...(await inflated.get(size)!), declaredSize };
}

async function deflateHugeSheet(size: number): Promise<{ deflated: Buffer; crc: number }> {
	const head = Buffer.from(
		`${SHEET_HEAD}${inlineRow(1, ['text', 'question'])}<row r="2"><c r="A2" t="inlineStr"><is><t>`
	);
	const tail = Buffer.from(`</t></is></c></row>${SHEET_TAIL}`);
	const piece = Buffer.alloc(1024 * 1024, 0x41);
	const pieces = Math.max(1, Math.floor(size / piece.length));
	let crc = 0;
	async function* source() {
		for (const b of [head, ...Array.from({ length: pieces }, () => piece), tail]) {
			crc = zlib.crc32(b, crc);
			yield b;
		}
	}
	const out: Buffer[] = [];
	await pipeline(
		Readable.from(source()),
		zlib.createDeflateRaw({ level: 6 }),
		async function (deflated: AsyncIterable<Buffer>) {
			for await (const b of deflated) out.push(b);
		}
	);
	return { deflated: Buffer.concat(out), crc };
}

/** One heading in the last column (XFD1) over 2,000 rows: once 34 s of stall and 4 GB. */
export async function lastColumnXlsx(rows = 2000): Promise<HostileFile> {
	const wb = new ExcelJS.Workbook();
	const ws = wb.addWorksheet('Responses');
	ws.getCell('A1').value = 'text';
	ws.getCell('B1').value = 'question';
	ws.getCell('XFD1').value = 'x';
	for (let r = 2; r <= rows + 1; r++) {
		ws.getCell(`A${r}`).value = `Answer ${r}`;
		ws.getCell(`B${r}`).value = 'q1';
	}
	return {
		name: 'last-column.xlsx',
		label: `XLSX with a heading in XFD1 and ${rows.toLocaleString('en-GB')} rows`,
		bytes: new Uint8Array(await wb.xlsx.writeBuffer()),
		expect: /column XFD/
	};
}

/** A CSV whose header is two million commas: once hung the preview for minutes. */
export function commaHeaderCsv(commas = 2_000_000): HostileFile {
	return {
		name: 'commas.csv',
		label: `CSV header of ${commas.toLocaleString('en-GB')} commas`,
		bytes: new TextEncoder().encode(`${','.repeat(commas)}\ntext,q1\n`),
		expect: /first row is longer/
	};
}

/** A CSV with a sane header and a data row of ten million commas. */
export function commaRowCsv(commas = 9_000_000): HostileFile {
	return {
		name: 'comma-row.csv',
		label: `CSV data row of ${commas.toLocaleString('en-GB')} commas`,
		bytes: new TextEncoder().encode(`text,question\nhello,q1\n${','.repeat(commas)}\n`),
		expect: /more than 1,000 cells/
	};
}

/** An XLSX whose sheet inflates from well under 1 MB to `mb` MB, saying so in its directory. */
export async function zipBombXlsx(mb = 400): Promise<HostileFile> {
	const size = mb * 1024 * 1024;
	return {
		name: 'bomb.xlsx',
		label: `XLSX inflating to ${mb} MB (declared)`,
		bytes: workbook([await hugeSheet('xl/worksheets/sheet1.xml', size, size)]),
		expect: /unpacks to/
	};
}

/** The same, but its directory claims the sheet is 1 KB: only the worker's own limits can stop it. */
export async function lyingZipBombXlsx(mb = 400): Promise<HostileFile> {
	return {
		name: 'lying-bomb.xlsx',
		label: `XLSX inflating to ${mb} MB (declared 1 KB)`,
		bytes: workbook([await hugeSheet('xl/worksheets/sheet1.xml', mb * 1024 * 1024, 1024)]),
		expect: /memory|took more than|could not be opened|characters/
	};
}

/** A workbook of `sheets` worksheets. */
export function manySheetsXlsx(sheets = 2000): HostileFile {
	const parts = Array.from({ length: sheets }, (_, i) =>
		part(
			`xl/worksheets/sheet${i + 1}.xml`,
			`${SHEET_HEAD}${i === sheets - 1 ? inlineRow(1, ['text', 'question']) + inlineRow(2, ['hello', 'q1']) : ''}${SHEET_TAIL}`
		)
	);
	return {
		name: 'many-sheets.xlsx',
		label: `XLSX with ${sheets.toLocaleString('en-GB')} sheets`,
		bytes: workbook(parts),
		expect: /parts inside|worksheets/
	};
}

/** A small valid workbook made the same way, to show the hand-made zips are readable when within the limits. */
export function smallHandmadeXlsx(): Uint8Array {
	return workbook([
		part(
			'xl/worksheets/sheet1.xml',
			`${SHEET_HEAD}${inlineRow(1, ['text', 'question'])}${inlineRow(2, ['Somewhere to go', 'q1'])}${SHEET_TAIL}`
		)
	]);
}

export async function hostileFiles(): Promise<HostileFile[]> {
	return [
		await lastColumnXlsx(),
		commaHeaderCsv(),
		commaRowCsv(),
		await zipBombXlsx(),
		await lyingZipBombXlsx(),
		manySheetsXlsx()
	];
}
