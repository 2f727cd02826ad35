/**
 * Exports of all answers at scale: 100,000 answers streamed to CSV and to XLSX and read back whole.
 * The answers are made in the database itself (INSERT ... SELECT over a counter), which takes
 * seconds where the realistic generator takes a minute.
 *
 * CSV is read back on both engines: the rows come page by page from each engine's own reads.
 * XLSX is read back on SQLite only: it is written from the very same row pages (answerRowPages)
 * by the same exceljs writer on either engine, and writing and reading 100,000 rows of workbook
 * costs about 23 s of CPU each time (1 December, load average 17), so a second run on PostgreSQL
 * proved nothing the CSV run there does not.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import Papa from 'papaparse';
import ExcelJS from 'exceljs';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import type { Db } from '../src/lib/server/db/connect';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { SLUG } from './helpers/consultation';
import { flagAnswer } from './helpers/flags';
import { getConsultation, type ConsultationView } from '../src/lib/server/consultations/queries';
import { parseFilters } from '../src/lib/analysis/filters';
import { scopeOf } from '../src/lib/server/analysis/scope';
import { ANSWER_COLUMNS, answersCsvStream } from '../src/lib/server/exports/answers';
import { answersXlsxStream } from '../src/lib/server/exports/answers-xlsx';
import { WITHHELD_TEXT } from '../src/lib/server/safeguarding/withheld';

const SUBMISSIONS = 20_000;

/** SUBMISSIONS submissions with one perspective each, answering every question: 100,000 answers. */
async function fillQuickly(fresh: FreshDb, c: ConsultationView): Promise<number> {
	await fresh.db.transaction().execute(async (tx) => {
		// On PostgreSQL the analysis aggregates' row triggers make these inserts take about two minutes
		// (4 s on SQLite); the export reads the answer rows, never the aggregates, so the fill skips them.
		if (fresh.config.kind === 'postgres') await sql`SET LOCAL session_replication_role = replica`.execute(tx);
		await insertRows(tx, c);
	});
	const n = await fresh.db
		.selectFrom('answer')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.executeTakeFirstOrThrow();
	return Number(n.n);
}

async function insertRows(db: Db, c: ConsultationView): Promise<void> {
	const at = '2017-06-01T10:00:00.000Z';
	await sql`
		WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${SUBMISSIONS})
		INSERT INTO submission (id, consultation_id, reference, channel, collection_session_id, location_id,
			district_code, entered_by, is_demo, eq_age_band, eq_gender, eq_gender_self, eq_disability, eq_ethnicity,
			eq_sexual_orientation, created_at, updated_at)
		SELECT 'big-' || CAST(i AS TEXT), ${c.id}, 'BIG' || CAST(i AS TEXT), 'online', NULL, NULL, 'bromsgrove', NULL, 1,
			'not_asked', 'not_asked', NULL, 'not_asked', 'not_asked', 'not_asked', ${at}, ${at}
		FROM n`.execute(db);
	await sql`
		INSERT INTO perspective (submission_id, group_code, position)
		SELECT id, 'child', 0 FROM submission WHERE id LIKE 'big-%'`.execute(db);
	await sql`
		INSERT INTO answer (submission_id, perspective_id, question_id, text, redacted_text, created_at, updated_at)
		SELECT p.submission_id, p.id, q.id, 'answer ' || CAST(p.id AS TEXT) || ' to ' || q.key,
			'answer ' || CAST(p.id AS TEXT) || ' to ' || q.key, ${at}, ${at}
		FROM perspective p CROSS JOIN question q
		WHERE q.consultation_id = ${c.id} AND p.submission_id LIKE 'big-%'`.execute(db);
}

describeEachEngine('exports of 100,000 answers, streamed', (engine) => {
	let fresh: FreshDb;
	let c: ConsultationView;
	let total = 0;
	let formulaId = 0;
	let flaggedId = 0;
	const scope = () => scopeOf(c, parseFilters(new URLSearchParams('')));

	beforeAll(async () => {
		fresh = await preparedDatabase(engine);
		c = (await getConsultation(fresh.db, SLUG))!;
		total = await fillQuickly(fresh, c);
		const ids = await fresh.db.selectFrom('answer').select('id').orderBy('id').execute();
		// One answer deep in the export that starts like a formula, one under safeguarding review.
		formulaId = ids[77_777].id;
		flaggedId = ids[88_888].id;
		await fresh.db
			.updateTable('answer')
			.set({ redacted_text: '=HYPERLINK("http://evil.example")' })
			.where('id', '=', formulaId)
			.execute();
		await fresh.db
			.updateTable('answer')
			.set({ text: 'a secret disclosure', redacted_text: 'a secret disclosure' })
			.where('id', '=', flaggedId)
			.execute();
		await flagAnswer(fresh.db, flaggedId, 'urgent');
	}, 300_000);
	afterAll(() => fresh?.drop());

	it('streams every answer to CSV, read back whole, with the guard and the withholding in force', async () => {
		expect(total).toBe(SUBMISSIONS * c.questions.length);
		expect(total).toBeGreaterThanOrEqual(100_000);
		const chunks: Buffer[] = [];
		const reader = answersCsvStream(fresh.db, c, scope()).getReader();
		for (;;) {
			const { done, value } = await reader.read();
			if (done) break;
			chunks.push(Buffer.from(value));
		}
		// Many chunks, not one: the rows were sent page by page as they were read.
		expect(chunks.length).toBeGreaterThan(10);
		const parsed = Papa.parse<string[]>(Buffer.concat(chunks).toString('utf8').slice(1), { skipEmptyLines: true });
		expect(parsed.errors).toEqual([]);
		const [header, ...rows] = parsed.data;
		expect(header).toEqual([...ANSWER_COLUMNS]);
		expect(rows).toHaveLength(total);
		const text = ANSWER_COLUMNS.indexOf('Answer text (redacted)');
		const refs = new Set(rows.map((r) => r[0]));
		expect(refs.size).toBe(SUBMISSIONS);
		expect(rows.filter((r) => r[text] === '\'=HYPERLINK("http://evil.example")')).toHaveLength(1);
		expect(rows.filter((r) => r[text] === WITHHELD_TEXT)).toHaveLength(1);
		expect(rows.some((r) => r[text].includes('secret disclosure'))).toBe(false);
		// Every answer once: its own words appear in exactly one row.
		expect(new Set(rows.map((r) => r[text])).size).toBe(total);
	}, 300_000);

	it.runIf(engine === 'sqlite')(
		'streams every answer to XLSX, read back whole with a streaming reader',
		async () => {
			const stream = answersXlsxStream(fresh.db, c, scope());
			const reader = new ExcelJS.stream.xlsx.WorkbookReader(
				Readable.fromWeb(stream as import('node:stream/web').ReadableStream<Uint8Array>),
				{ sharedStrings: 'cache', worksheets: 'emit', hyperlinks: 'ignore', styles: 'ignore', entries: 'emit' }
			);
			let rows = 0;
			let header: unknown[] = [];
			let formula = 0;
			let withheld = 0;
			let secret = 0;
			let formulas = 0;
			const texts = new Set<string>();
			for await (const sheet of reader)
				for await (const row of sheet) {
					const values = (row.values as unknown[]).slice(1);
					if (row.number === 1) {
						header = values;
						continue;
					}
					rows++;
					const t = String(values[9]);
					texts.add(t);
					if (t === '\'=HYPERLINK("http://evil.example")') formula++;
					if (t === WITHHELD_TEXT) withheld++;
					if (t.includes('secret disclosure')) secret++;
					row.eachCell((cell) => {
						if (cell.type === ExcelJS.ValueType.Formula) formulas++;
					});
				}
			expect(header).toEqual([...ANSWER_COLUMNS]);
			expect(rows).toBe(total);
			expect(texts.size).toBe(total);
			expect([formula, withheld, secret]).toEqual([1, 1, 0]);
			expect(formulas).toBe(0);
		},
		300_000
	);
});
