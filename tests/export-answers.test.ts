import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import ExcelJS from 'exceljs';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { loadSmallFixture, type Fixture } from './fixtures/analysis/small';
import { parseFilters } from '../src/lib/analysis/filters';
import { scopeOf } from '../src/lib/server/analysis/scope';
import { ANSWER_COLUMNS, answersCsvStream } from '../src/lib/server/exports/answers';
import { answersXlsxStream } from '../src/lib/server/exports/answers-xlsx';
import { neutraliseCell } from '../src/lib/server/exports/neutralise';
import { filterWords, tableCsv, tableXlsx } from '../src/lib/server/exports/tables';
import { everyTable, tableById } from '../src/lib/server/analysis/registry';

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
	const chunks: Buffer[] = [];
	const reader = stream.getReader();
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		chunks.push(Buffer.from(value));
	}
	return Buffer.concat(chunks);
}

describe('formula neutralising', () => {
	it('prefixes a single quote to text starting with = + - @ tab or carriage return, and nothing else', () => {
		expect(['=1+1', '+44', '-x', '@SUM(A1)', '\tx', '\rx'].map(neutraliseCell)).toEqual([
			"'=1+1",
			"'+44",
			"'-x",
			"'@SUM(A1)",
			"'\tx",
			"'\rx"
		]);
		expect(['a=1', ' =1', '', 'plain', "'quoted"].map(neutraliseCell)).toEqual(['a=1', ' =1', '', 'plain', "'quoted"]);
		expect(['＝1+1', '＋44', '－x', '＠SUM(A1)', '﹦1', '﹢1', '﹣1', '﹫x', '−1'].map(neutraliseCell)).toEqual([
			"'＝1+1",
			"'＋44",
			"'－x",
			"'＠SUM(A1)",
			"'﹦1",
			"'﹢1",
			"'﹣1",
			"'﹫x",
			"'−1"
		]);
		expect(['a＝1', '１＋１'].map(neutraliseCell)).toEqual(['a＝1', '１＋１']);
		expect(neutraliseCell(-5)).toBe(-5);
		expect(neutraliseCell(null)).toBeNull();
	});
});

/** The answers export's first columns, as they were first published: read by position in councils' spreadsheets. */
const ORIGINAL_COLUMNS = [
	'Submission reference',
	'Channel',
	'District',
	'Location',
	'Session date',
	'Created at',
	'Respondent group',
	'Question key',
	'Question text',
	'Answer text (redacted)',
	'Themes',
	'Reviewed'
];
/** Columns added since (issue #14), in no promised order. */
const ADDED_COLUMNS = [
	'Theme confidence',
	'Theme source',
	'Age band',
	'Gender',
	'Disability',
	'Ethnicity',
	'Sexual orientation'
];

describe('answers export columns', () => {
	it('keeps the column contract: the original twelve in their places, the added columns after them', () => {
		// Councils' spreadsheets read the first twelve by position: their order is the contract.
		expect(ANSWER_COLUMNS.slice(0, ORIGINAL_COLUMNS.length)).toEqual(ORIGINAL_COLUMNS);
		// The rest only need to be there, after them (each test below finds a column by its name).
		expect([...ANSWER_COLUMNS.slice(ORIGINAL_COLUMNS.length)].sort()).toEqual([...ADDED_COLUMNS].sort());
	});
});

describeEachEngine('answer and table exports', (engine) => {
	let fresh: FreshDb;
	let fx: Fixture;
	const scope = (qs = '') => scopeOf(fx.c, parseFilters(new URLSearchParams(qs)));
	beforeAll(async () => {
		fresh = await preparedDatabase(engine);
		fx = await loadSmallFixture(fresh.db);
		const set = (id: number, redacted: string) =>
			fresh.db.updateTable('answer').set({ redacted_text: redacted }).where('id', '=', id).execute();
		await set(fx.answers.S1yp, '=HYPERLINK("http://evil.example","x")');
		// an officer's coding of one theme (the other stays the machine's)
		await fresh.db
			.updateTable('answer_theme')
			.set({ source: 'human', confidence: 0.95 })
			.where('answer_id', '=', fx.answers.S1yp)
			.where('theme_id', '=', fx.themes.friends)
			.execute();
		await set(fx.answers.S1pc, '+education');
		await set(fx.answers.S2, '@my dog [name]');
		await set(fx.answers.S3, '\tfriends');
		await set(fx.answers.S4, '-education and family');
		await fresh.db
			.updateTable('answer')
			.set({ text: 'my dog Rex', redacted_text: 'my dog [name]' })
			.where('id', '=', fx.answers.S5)
			.execute();
	});
	afterAll(() => fresh?.drop());

	it('exports every answer to CSV with a header row, themes joined, redacted text, formulas neutralised', async () => {
		const csv = (await readAll(answersCsvStream(fresh.db, fx.c, scope()))).toString('utf8');
		expect(csv.charCodeAt(0)).toBe(0xfeff);
		const parsed = Papa.parse<string[]>(csv.slice(1), { skipEmptyLines: true });
		expect(parsed.errors).toEqual([]);
		const [header, ...rows] = parsed.data;
		expect(header).toEqual([...ANSWER_COLUMNS]);
		expect(rows).toHaveLength(7);
		expect(rows.every((r) => r.length === ANSWER_COLUMNS.length)).toBe(true);
		const col = (name: (typeof ANSWER_COLUMNS)[number]) => ANSWER_COLUMNS.indexOf(name);
		const texts = rows.map((r) => r[col('Answer text (redacted)')]);
		expect(texts).toEqual(
			expect.arrayContaining([
				'\'=HYPERLINK("http://evil.example","x")',
				"'+education",
				"'@my dog [name]",
				"'\tfriends",
				"'-education and family",
				'my dog [name]'
			])
		);
		expect(csv).not.toContain('Rex');
		const s1yp = rows.find((r) => r[col('Answer text (redacted)')].startsWith("'=HYPERLINK"))!;
		expect(s1yp[col('Themes')]).toBe('Family; Friends');
		expect(s1yp[col('Respondent group')]).toBe('Young person (13 to 24)');
		expect(s1yp[col('District')]).toBe('Bromsgrove');
		expect(s1yp[col('Channel')]).toBe('online');
		expect(s1yp[col('Question key')]).toBe('q1');
		expect(s1yp[col('Reviewed')]).toBe('no');
		// each theme's confidence and source, in the Themes column's order
		expect(s1yp[col('Theme confidence')]).toBe('0.90; 0.95');
		expect(s1yp[col('Theme source')]).toBe('machine; person');
		// equality answers as the dashboard labels them; row-level staff exports are not suppressed
		const s2 = rows.find((r) => r[col('Answer text (redacted)')] === "'@my dog [name]")!;
		expect(
			['Age band', 'Gender', 'Disability', 'Ethnicity', 'Sexual orientation'].map((c) => s2[col(c as never)])
		).toEqual(['12 or under', 'Prefer not to say', 'Yes', 'Left blank', 'Not asked (face to face)']);
		// filters apply to exports too
		const only = Papa.parse<string[]>(
			(await readAll(answersCsvStream(fresh.db, fx.c, scope('group=child')))).toString('utf8').slice(1),
			{ skipEmptyLines: true }
		);
		expect(only.data).toHaveLength(3);
	});

	it('exports the same rows to XLSX', async () => {
		const buf = await readAll(answersXlsxStream(fresh.db, fx.c, scope()));
		const wb = new ExcelJS.Workbook();
		await wb.xlsx.load(buf as unknown as ArrayBuffer);
		const ws = wb.getWorksheet('Answers')!;
		const values = (n: number) => (ws.getRow(n).values as unknown[]).slice(1);
		expect(values(1)).toEqual([...ANSWER_COLUMNS]);
		expect(ws.actualRowCount).toBe(8);
		const texts = Array.from({ length: 7 }, (_, i) => values(i + 2)[ANSWER_COLUMNS.indexOf('Answer text (redacted)')]);
		expect(Array.from({ length: 7 }, (_, i) => values(i + 2)[ANSWER_COLUMNS.indexOf('Gender')])).toContain(
			'Prefer not to say'
		);
		expect(texts).toContain('\'=HYPERLINK("http://evil.example","x")');
		expect(texts).toContain("'-education and family");
		// no cell holds a formula
		ws.eachRow((row) => row.eachCell((cell) => expect(cell.type).not.toBe(ExcelJS.ValueType.Formula)));
	});

	it('exports a table as shown, to CSV and XLSX', async () => {
		const t = (await tableById(
			fresh.db,
			fx.c,
			parseFilters(new URLSearchParams('min=0')),
			'districts',
			new URLSearchParams(),
			'/b'
		))!;
		const parsed = Papa.parse<string[]>(tableCsv(t), { skipEmptyLines: true }).data;
		expect(parsed[0]).toEqual(['Districts']);
		expect(parsed[1]).toEqual(['District', 'Submissions', 'Submissions %']);
		expect(parsed.find((r) => r[0] === 'Bromsgrove')).toEqual(['Bromsgrove', '3', '60']);
		const suppressed = (await tableById(
			fresh.db,
			fx.c,
			parseFilters(new URLSearchParams('')),
			'districts',
			new URLSearchParams(),
			'/b'
		))!;
		expect(Papa.parse<string[]>(tableCsv(suppressed)).data.find((r) => r[0] === 'Bromsgrove')).toEqual([
			'Bromsgrove',
			'<5',
			''
		]);
		const wb = new ExcelJS.Workbook();
		await wb.xlsx.load((await tableXlsx([t])) as unknown as ArrayBuffer);
		const ws = wb.worksheets[0];
		expect(ws.name).toBe('districts');
		const bromsgrove = ws.getRows(1, ws.actualRowCount)!.find((r) => r.getCell(1).value === 'Bromsgrove')!;
		expect([bromsgrove.getCell(2).value, bromsgrove.getCell(3).value]).toEqual([3, 60]);
		const ticks = (await tableById(
			fresh.db,
			fx.c,
			parseFilters(new URLSearchParams('min=0')),
			'ticks-q1',
			new URLSearchParams('top=1&pct=0'),
			'/b'
		))!;
		const tickRows = Papa.parse<string[]>(tableCsv(ticks), { skipEmptyLines: true }).data;
		expect(tickRows.find((r) => r[0] === 'Education')).toEqual(['Education', '', '', '✓', '', '']);
		expect(
			await tableById(fresh.db, fx.c, parseFilters(new URLSearchParams('')), 'nope', new URLSearchParams(), '/b')
		).toBeNull();
	});
});

describeEachEngine('tables.xlsx', (engine) => {
	let fresh: FreshDb;
	let fx: Fixture;
	beforeAll(async () => {
		fresh = await preparedDatabase(engine);
		fx = await loadSmallFixture(fresh.db);
	});
	afterAll(() => fresh?.drop());

	it('holds every table on the screens, theme and tick tables included, suppressed as shown, with a Notes sheet', async () => {
		const filters = parseFilters(new URLSearchParams(''));
		const params = new URLSearchParams('');
		const tables = await everyTable(fresh.db, fx.c, filters, '/b', params);
		const wb = new ExcelJS.Workbook();
		await wb.xlsx.load(
			(await tableXlsx(tables, {
				threshold: filters.min,
				madeAt: '2026-12-01T04:00:00.000Z',
				filters: filterWords(fx.c, filters, 'top 5')
			})) as unknown as ArrayBuffer
		);
		const names = wb.worksheets.map((w) => w.name);
		expect(names[0]).toBe('Notes');
		for (const id of [
			'weeks',
			'questions',
			'districts',
			'channels',
			'eq-gender',
			'themes-q1',
			'ticks-q1',
			'themes-q2',
			'ticks-q2',
			'agreement'
		])
			expect(names).toContain(id);
		expect(names).toHaveLength(tables.length + 1);
		const notes = wb.getWorksheet('Notes')!;
		const note = (label: string) =>
			notes
				.getRows(1, notes.actualRowCount)!
				.find((r) => r.getCell(1).value === label)
				?.getCell(2).value;
		expect(note('Small numbers')).toMatch(/below 5 are hidden/);
		expect(note('Made on')).toBe('2026-12-01');
		// the theme table for q1: every count is under 5 in the small fixture, so hidden exactly as on screen
		const themes = wb.getWorksheet('themes-q1')!;
		const family = themes.getRows(1, themes.actualRowCount)!.find((r) => r.getCell(1).value === 'Family')!;
		const screen = tables.find((t) => t.id === 'themes-q1')!.rows.find((r) => r.label === 'Family')!;
		expect(screen.cells.some((c) => c.suppressed)).toBe(true);
		expect((family.values as unknown[]).slice(2)).toContain('<5');
		expect((family.values as unknown[]).slice(2)).not.toContain(2);
	});
});
