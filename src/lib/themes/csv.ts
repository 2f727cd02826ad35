/**
 * CSV formats of the theme engine (RFC 4180 via papaparse: quoted fields, embedded commas and line
 * breaks, BOM, CRLF). Every problem is reported with the file name and the line it starts on.
 */
import Papa from 'papaparse';
import type { Answer, CodedAnswer } from './coder';
import type { ThemeSet } from './evaluate';

export class CsvError extends Error {
	constructor(
		readonly file: string,
		readonly line: number | null,
		readonly problem: string
	) {
		super(`${file}${line !== null ? `:${line}` : ''}: ${problem}`);
		this.name = 'CsvError';
	}
}

export interface CsvRecord {
	/** 1-based line the record starts on */
	line: number;
	values: Record<string, string>;
}

/** Parse CSV text with a header row; checks the required columns exist and field counts match. */
export function parseCsv(text: string, file: string, required: string[]): CsvRecord[] {
	const src = text.replace(/^\uFEFF/, '');
	const raw: { data: string[]; start: number; errors: Papa.ParseError[] }[] = [];
	let start = 0;
	Papa.parse<string[]>(src, {
		header: false,
		delimiter: ',',
		newline: undefined,
		step: (r) => {
			raw.push({ data: r.data, start, errors: r.errors });
			start = r.meta.cursor;
		}
	});
	// line numbers: count newlines (CRLF, LF or CR) before each record's start
	const lineAt = makeLineCounter(src);
	if (!raw.length || (raw.length === 1 && raw[0].data.every((c) => c.trim() === '')))
		throw new CsvError(file, 1, `empty file: expected a header row with columns ${required.join(',')}`);
	const header = raw[0].data.map((h) => h.trim().toLowerCase());
	for (const col of required)
		if (!header.includes(col))
			throw new CsvError(
				file,
				1,
				`missing column "${col}" (header is: ${raw[0].data.join(',')}; expected ${required.join(',')})`
			);
	const seen = new Set<string>();
	for (const h of header) {
		if (h && seen.has(h)) throw new CsvError(file, 1, `duplicate column "${h}"`);
		seen.add(h);
	}
	const out: CsvRecord[] = [];
	for (let r = 1; r < raw.length; r++) {
		const { data, errors } = raw[r];
		const line = lineAt(raw[r].start);
		if (errors.length) throw new CsvError(file, line, errors[0].message);
		if (data.length === 1 && data[0].trim() === '') continue; // blank line
		if (data.length !== header.length)
			throw new CsvError(file, line, `expected ${header.length} fields, found ${data.length}`);
		const values: Record<string, string> = {};
		header.forEach((h, i) => (values[h] = data[i]));
		out.push({ line, values });
	}
	return out;
}

function makeLineCounter(src: string): (offset: number) => number {
	const breaks: number[] = [];
	for (let i = 0; i < src.length; i++) {
		const c = src.charCodeAt(i);
		if (c === 10 || (c === 13 && src.charCodeAt(i + 1) !== 10)) breaks.push(i);
	}
	return (offset) => {
		let lo = 0,
			hi = breaks.length;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (breaks[mid] < offset) lo = mid + 1;
			else hi = mid;
		}
		return lo + 1;
	};
}

function checkId(rec: CsvRecord, file: string, seen: Map<string, number>): string {
	const id = rec.values.id.trim();
	if (!id) throw new CsvError(file, rec.line, 'empty id');
	const prev = seen.get(id);
	if (prev !== undefined) throw new CsvError(file, rec.line, `duplicate id "${id}" (first on line ${prev})`);
	seen.set(id, rec.line);
	return id;
}

/** Split a `themes` field ("a;b") and check the ids against the codebook. */
export function parseThemeList(field: string, known: ReadonlySet<string> | null, file: string, line: number): string[] {
	const ids = [
		...new Set(
			field
				.split(';')
				.map((s) => s.trim())
				.filter((s) => s && s.toLowerCase() !== 'other')
		)
	];
	if (known)
		for (const id of ids)
			if (!known.has(id)) throw new CsvError(file, line, `unknown theme id "${id}" (not in the codebook)`);
	return ids;
}

/** ANSWERS.csv: id,text */
export function parseAnswersCsv(text: string, file: string): Answer[] {
	const seen = new Map<string, number>();
	return parseCsv(text, file, ['id', 'text']).map((r) => ({ id: checkId(r, file, seen), text: r.values.text }));
}

/** CODED.csv: id,text,themes */
export function parseCodedCsv(text: string, file: string, known: ReadonlySet<string>): CodedAnswer[] {
	const seen = new Map<string, number>();
	return parseCsv(text, file, ['id', 'text', 'themes']).map((r) => ({
		id: checkId(r, file, seen),
		text: r.values.text,
		themes: parseThemeList(r.values.themes, known, file, r.line)
	}));
}

/** GOLD.csv / PREDICTED.csv: id,themes */
export function parseThemesCsv(text: string, file: string, known: ReadonlySet<string> | null): ThemeSet[] {
	const seen = new Map<string, number>();
	return parseCsv(text, file, ['id', 'themes']).map((r) => ({
		id: checkId(r, file, seen),
		themes: parseThemeList(r.values.themes, known, file, r.line)
	}));
}

/** PREDICTED.csv text (id,themes; CRLF line ends, quoted where needed). */
export function formatThemesCsv(rows: ThemeSet[]): string {
	return (
		Papa.unparse({ fields: ['id', 'themes'], data: rows.map((r) => [r.id, r.themes.join(';')]) }, { newline: '\r\n' }) +
		'\r\n'
	);
}
