/**
 * The data-protection audit of issue #11 on the import's reader: files a spreadsheet program really writes, and
 * files named wrongly, get read or get a message that says what to do (an ImportFileError, shown to the officer),
 * never an unexplained failure (a 500). Through the parsing worker as the app calls it.
 */
import { describe, expect, it } from 'vitest';
import { ImportFileError, parseUpload } from '../src/lib/server/import/parse';
import { parseUploadIsolated } from '../src/lib/server/import/parse-isolated';

const CSV = 'group,question,text\r\nchild,q1,"Café, and ""quotes"" — ok"\r\nadult,q2,Ünïcödé ✓\r\n';
const EXPECTED = {
	format: 'csv',
	headers: ['group', 'question', 'text'],
	rows: [
		{ rowNumber: 2, cells: ['child', 'q1', 'Café, and "quotes" — ok'] },
		{ rowNumber: 3, cells: ['adult', 'q2', 'Ünïcödé ✓'] }
	]
};

function utf16be(text: string): Buffer {
	const le = Buffer.from(text, 'utf16le');
	for (let i = 0; i + 1 < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1], le[i]];
	return le;
}

const bytes = (b: Buffer) => new Uint8Array(b);

describe('import audit: encodings and misnamed files', () => {
	it('reads a CSV saved as UTF-16 little-endian with its BOM (Excel "Unicode Text", Windows tools)', async () => {
		const file = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(CSV, 'utf16le')]);
		expect(await parseUpload(bytes(file), 'responses.csv')).toEqual(EXPECTED);
		expect((await parseUploadIsolated(bytes(file), 'responses.csv')).sheet).toEqual(EXPECTED);
	});

	it('reads a CSV saved as UTF-16 big-endian with its BOM', async () => {
		const file = Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(CSV)]);
		expect(await parseUpload(bytes(file), 'responses.csv')).toEqual(EXPECTED);
	});

	it('still reads UTF-8 with and without its BOM, and still refuses binary named .csv', async () => {
		expect(await parseUpload(bytes(Buffer.from(CSV)), 'r.csv')).toEqual(EXPECTED);
		expect(
			await parseUpload(bytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(CSV)])), 'r.csv')
		).toEqual(EXPECTED);
		await expect(parseUpload(bytes(Buffer.from([1, 0, 0, 0, 0, 0, 0, 9, 0, 0])), 'r.csv')).rejects.toThrow(
			/binary data/
		);
	});

	it('tells the officer a CSV named .xlsx is text, to be named .csv (through the worker too)', async () => {
		for (const file of [Buffer.from(CSV), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(CSV, 'utf16le')])]) {
			const direct = parseUpload(bytes(file), 'responses.xlsx');
			await expect(direct).rejects.toBeInstanceOf(ImportFileError);
			await expect(direct).rejects.toThrow(/"responses\.xlsx" is named \.xlsx but holds text.*\.csv/);
			const isolated = parseUploadIsolated(bytes(file), 'responses.xlsx');
			await expect(isolated).rejects.toBeInstanceOf(ImportFileError);
			await expect(isolated).rejects.toThrow(/named \.xlsx but holds text/);
		}
	});

	it('a damaged file named .xlsx that is not text still gets the damaged-spreadsheet message', async () => {
		const junk = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0, 0xff, 0xfe, 0, 0, 1, 2, 3]);
		await expect(parseUpload(bytes(junk), 'r.xlsx')).rejects.toThrow(/cannot be imported|could not be opened/);
		await expect(parseUpload(bytes(Buffer.from([0, 1, 2, 3, 0, 0, 0, 0, 9])), 'r.xlsx')).rejects.toBeInstanceOf(
			ImportFileError
		);
	});
});
