import { MAX_SHEETS, MAX_ZIP_ENTRIES, MAX_ZIP_UNCOMPRESSED_BYTES } from './limits';

/** Why a zip is refused, in words for the officer. */
export class ZipRefused extends Error {}

export interface ZipEntryInfo {
	name: string;
	compressedSize: number;
	uncompressedSize: number;
}

const EOCD_SIG = 0x06054b50;
const CEN_SIG = 0x02014b50;

/**
 * Reads a zip's central directory (the table at its end) without inflating
 * anything: the names and declared sizes of its entries. Zip64 archives (over
 * 65,535 entries or 4 GB) are not spreadsheets anyone uploads, and are refused.
 */
export function readZipDirectory(buf: Uint8Array): ZipEntryInfo[] {
	const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
	// The end record is 22 bytes plus a comment of at most 65,535 bytes.
	let eocd = -1;
	for (let i = buf.byteLength - 22; i >= Math.max(0, buf.byteLength - 22 - 0xffff); i--) {
		if (view.getUint32(i, true) === EOCD_SIG) {
			eocd = i;
			break;
		}
	}
	if (eocd < 0) throw new ZipRefused('its zip directory is missing (the file is damaged or cut short)');
	const total = view.getUint16(eocd + 10, true);
	const size = view.getUint32(eocd + 12, true);
	const offset = view.getUint32(eocd + 16, true);
	if (total === 0xffff || size === 0xffffffff || offset === 0xffffffff)
		throw new ZipRefused('it is a Zip64 archive, which no spreadsheet program writes for a file this size');
	if (offset + size > eocd) throw new ZipRefused('its zip directory points outside the file (the file is damaged)');
	const entries: ZipEntryInfo[] = [];
	let p = offset;
	for (let n = 0; n < total; n++) {
		if (p + 46 > eocd || view.getUint32(p, true) !== CEN_SIG) throw new ZipRefused('its zip directory is damaged');
		const compressedSize = view.getUint32(p + 20, true);
		const uncompressedSize = view.getUint32(p + 24, true);
		const nameLen = view.getUint16(p + 28, true);
		const extraLen = view.getUint16(p + 30, true);
		const commentLen = view.getUint16(p + 32, true);
		const name = new TextDecoder().decode(buf.subarray(p + 46, p + 46 + nameLen));
		entries.push({ name, compressedSize, uncompressedSize });
		p += 46 + nameLen + extraLen + commentLen;
	}
	return entries;
}

/**
 * Refuses an XLSX whose parts are too many or would inflate too far, before
 * any part is inflated. The sizes are what the file declares; a file that lies
 * about them is stopped by the parsing worker's memory and time limits instead.
 */
export function checkXlsxZip(buf: Uint8Array): ZipEntryInfo[] {
	const entries = readZipDirectory(buf);
	if (entries.length > MAX_ZIP_ENTRIES)
		throw new ZipRefused(
			`it has ${entries.length.toLocaleString('en-GB')} parts inside; a spreadsheet of responses has a few dozen at most`
		);
	const sheets = entries.filter((e) => /^xl\/worksheets\/sheet\d+\.xml$/.test(e.name)).length;
	if (sheets > MAX_SHEETS)
		throw new ZipRefused(
			`it has ${sheets.toLocaleString('en-GB')} worksheets; the import reads workbooks with up to ${MAX_SHEETS} (put the responses on the first sheet)`
		);
	const inflated = entries.reduce((s, e) => s + e.uncompressedSize, 0);
	if (inflated > MAX_ZIP_UNCOMPRESSED_BYTES) {
		throw new ZipRefused(
			`it unpacks to ${Math.round(inflated / 1024 / 1024).toLocaleString('en-GB')} MB; the import reads spreadsheets that unpack to at most ${MAX_ZIP_UNCOMPRESSED_BYTES / 1024 / 1024} MB`
		);
	}
	return entries;
}
