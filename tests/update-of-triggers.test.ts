/**
 * Migration 2026-12-12-0100 (issue #19): `answer`'s update triggers (and on SQLite `answer_theme`'s row triggers)
 * narrowed to `update of <the columns each reads>`. A `coded_at`-only update, the coder's, calls only the coding
 * aggregate's trigger and the data version's; every edit that one of the narrowed triggers tracks still keeps the
 * aggregates exactly as a rebuild gives them, each edit made as an update that sets that one column alone (the case
 * a column missing from a trigger's list would get wrong).
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { expectRebuildUnchanged } from './helpers/aggregates';
import { generateAnswers } from '../scripts/generate-answers';
import { rowColumns } from '../src/lib/server/db/migrations/lib/update-of';
import { down, up } from '../src/lib/server/db/migrations/2026-12-12-0100-update-of-triggers';
import type { Db } from '../src/lib/server/db/connect';

/** Each update trigger of `table` (not the internal ones) and the columns it is limited to ([] = any update). */
async function updateTriggers(db: Db, pg: boolean, table: string): Promise<Map<string, string[]>> {
	const out = new Map<string, string[]>();
	if (pg) {
		const rows = (
			await sql<{ name: string; cols: string | null }>`select t.tgname as name,
				(select string_agg(a.attname, ',' order by a.attname) from unnest(t.tgattr) k(n)
				 join pg_attribute a on a.attrelid = t.tgrelid and a.attnum = k.n) as cols
				from pg_trigger t join pg_class c on c.oid = t.tgrelid
				where not t.tgisinternal and c.relname = ${table} and (t.tgtype & 16) <> 0`.execute(db)
		).rows;
		for (const r of rows) out.set(r.name, r.cols ? r.cols.split(',') : []);
	} else {
		const rows = (
			await sql<{ name: string; sql: string }>`select name, sql from sqlite_master
				where type = 'trigger' and tbl_name = ${table}`.execute(db)
		).rows;
		for (const r of rows) {
			const head = r.sql.slice(0, r.sql.search(/\bbegin\b/i)).split(/\bwhen\b/i)[0];
			const m = /\bupdate(?:\s+of\s+(.+?))?\s+on\s/i.exec(head);
			if (m) out.set(r.name, m[1] ? m[1].split(',').map((c) => c.trim()) : []);
		}
	}
	return out;
}

/** The triggers an update setting only `col` of `table` calls. */
async function calledBy(db: Db, pg: boolean, table: string, col: string): Promise<string[]> {
	return [...(await updateTriggers(db, pg, table))]
		.filter(([, cols]) => cols.length === 0 || cols.includes(col))
		.map(([name]) => name)
		.sort();
}

describeEachEngine('update triggers narrowed to the columns they read', (engine) => {
	const pg = engine === 'postgres';
	let fresh: FreshDb;

	beforeAll(async () => {
		process.env.ANALYSIS_CACHE = 'off';
		fresh = await preparedDatabase(engine);
		await generateAnswers(fresh.db, { answers: 300, seed: 5, rowTriggers: true });
	}, 120_000);
	afterAll(() => fresh?.drop());

	it('call only the coding aggregate and the data version on a coded_at update', async () => {
		const db = fresh.db;
		expect(await calledBy(db, pg, 'answer', 'coded_at')).toEqual(
			pg
				? ['agg_coding_answer_update', 'answer_data_version']
				: ['agg_coding_answer_update', 'answer_data_version_update']
		);
		if (!pg) {
			// SQLite: one sub-program per trigger the prepared statement would call.
			const programs = async (s: string) =>
				(await sql<{ opcode: string }>`${sql.raw(`explain ${s}`)}`.execute(db)).rows.filter(
					(r) => r.opcode === 'Program'
				).length;
			expect(await programs(`update answer set coded_at = '2026-12-12' where id = 1`)).toBe(2);
			// The coder's upsert of a verdict already stored sets only the confidence: the quote order's trigger and the
			// data version's (the other aggregates' do not read it).
			expect(await calledBy(db, pg, 'answer_theme', 'confidence')).toEqual([
				'agg_qo_coding_update',
				'answer_theme_data_version_update'
			]);
		}
	});

	it('list every column of the row each trigger reads', async () => {
		const db = fresh.db;
		for (const table of pg ? ['answer'] : ['answer', 'answer_theme']) {
			const texts = pg
				? (
						await sql<{
							name: string;
							text: string;
						}>`select t.tgname as name, pg_get_triggerdef(t.oid) || p.prosrc as text
							from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_proc p on p.oid = t.tgfoid
							where not t.tgisinternal and c.relname = ${table}`.execute(db)
					).rows
				: (
						await sql<{ name: string; text: string }>`select name, sql as text from sqlite_master
							where type = 'trigger' and tbl_name = ${table}`.execute(db)
					).rows;
			const text = new Map(texts.map((r) => [r.name, r.text]));
			for (const [name, cols] of await updateTriggers(db, pg, table))
				if (cols.length) expect(cols.sort(), name).toEqual(rowColumns(text.get(name)!));
		}
	});

	it('keep the aggregates as a rebuild gives them after each one-column edit of answers and codings', async () => {
		const db = fresh.db;
		await expectRebuildUnchanged(db, 'after generation');
		const now = new Date().toISOString();
		const ids = async (where: string, n = 6) =>
			(
				await sql<{ id: number }>`select id from answer where ${sql.raw(where)} order by id desc limit ${n}`.execute(db)
			).rows.map((r) => Number(r.id));
		const inIds = (list: number[]) => sql.raw(list.length ? list.join(', ') : '0');
		const edit = async (what: string, statement: ReturnType<typeof sql>) => {
			await statement.execute(db);
			await expectRebuildUnchanged(db, what);
		};

		// Words removed and given back (reading, language and coding counts follow `text is null`).
		let some = await ids('text is not null');
		await edit('text removed', sql`update answer set text = null where id in (${inIds(some)})`);
		await edit('text given', sql`update answer set text = 'words again' where id in (${inIds(some)})`);
		// Reviewed and not (review, language, coding), coded and not, the wording version, the language, the day.
		some = await ids('reviewed_at is null');
		await edit('reviewed', sql`update answer set reviewed_at = ${now} where id in (${inIds(some)})`);
		await edit('unreviewed', sql`update answer set reviewed_at = null where id in (${inIds(some)})`);
		some = await ids('coded_at is not null');
		await edit('uncoded', sql`update answer set coded_at = null where id in (${inIds(some)})`);
		await edit('coded', sql`update answer set coded_at = ${now} where id in (${inIds(some)})`);
		await edit('wording', sql`update answer set wording_version = 2 where id in (${inIds(some)})`);
		await edit('language', sql`update answer set language = 'cy' where id in (${inIds(some)})`);
		await edit('day', sql`update answer set created_at = '2026-01-02T10:00:00.000Z' where id in (${inIds(some)})`);

		// Moved to another question its perspective has not answered (question sets, every per-question table).
		const move = (
			await sql<{ id: number; q: number }>`select a.id, q.id as q from answer a
				join submission s on s.id = a.submission_id join question q on q.consultation_id = s.consultation_id
				where not exists (select 1 from answer b where b.perspective_id = a.perspective_id and b.question_id = q.id)
				and exists (select 1 from answer_theme x where x.answer_id = a.id and x.applies = 1)
				order by a.id desc, q.id limit 1`.execute(db)
		).rows[0];
		expect(move).toBeDefined();
		await edit('question', sql`update answer set question_id = ${move.q} where id = ${move.id}`);

		// Moved to another perspective of its own submission, and to another submission's perspective with the
		// submission. (The submission alone, leaving the answer's perspective in another submission, the schema allows
		// but the triggers before this migration already kept differently from a rebuild: not a case here.)
		const persp = (
			await sql<{ id: number; to: number }>`select a.id, p.id as "to" from answer a
				join perspective p on p.submission_id = a.submission_id and p.id <> a.perspective_id
				where not exists (select 1 from answer b where b.perspective_id = p.id and b.question_id = a.question_id)
				and exists (select 1 from answer_theme x where x.answer_id = a.id and x.applies = 1)
				order by a.id desc limit 1`.execute(db)
		).rows[0];
		expect(persp).toBeDefined();
		await edit('perspective', sql`update answer set perspective_id = ${persp.to} where id = ${persp.id}`);
		const away = (
			await sql<{ id: number; to: number; sid: string }>`select a.id, p.id as "to", p.submission_id as sid
				from answer a join submission s on s.id = a.submission_id
				join submission s2 on s2.consultation_id = s.consultation_id and s2.id <> s.id
				and (s2.district_code is distinct from s.district_code or s2.channel <> s.channel)
				join perspective p on p.submission_id = s2.id
				where not exists (select 1 from answer b where b.perspective_id = p.id and b.question_id = a.question_id)
				and exists (select 1 from answer_theme x where x.answer_id = a.id and x.applies = 1)
				order by a.id desc, p.id limit 1`.execute(db)
		).rows[0];
		expect(away).toBeDefined();
		await edit(
			'perspective and submission',
			sql`update answer set perspective_id = ${away.to}, submission_id = ${away.sid} where id = ${away.id}`
		);
		// Columns no narrowed trigger reads: only the data version is bumped.
		await edit('risk', sql`update answer set risk_score = 0.5 where id in (${inIds(some)})`);

		// Codings: applies, confidence, source, theme and answer, each alone.
		const coding = async (where: string) =>
			(
				await sql<{ answer_id: number; theme_id: number }>`select answer_id, theme_id from answer_theme
					where ${sql.raw(where)} order by answer_id desc, theme_id limit 1`.execute(db)
			).rows[0];
		const key = (c: { answer_id: number; theme_id: number }) =>
			sql`answer_id = ${c.answer_id} and theme_id = ${c.theme_id}`;
		const c = await coding('applies = 1');
		await edit('applies off', sql`update answer_theme set applies = 0 where ${key(c)}`);
		await edit('applies on', sql`update answer_theme set applies = 1 where ${key(c)}`);
		await edit('confidence', sql`update answer_theme set confidence = 0.25 where ${key(c)}`);
		await edit('source', sql`update answer_theme set source = 'human' where ${key(c)}`);
		await edit('source back', sql`update answer_theme set source = 'auto' where ${key(c)}`);
		const retheme = (
			await sql<{ answer_id: number; theme_id: number; to: number }>`select x.answer_id, x.theme_id, t.id as "to"
				from answer_theme x join theme t on t.question_id = (select question_id from answer where id = x.answer_id)
				where x.applies = 1 and t.id <> x.theme_id
				and not exists (select 1 from answer_theme y where y.answer_id = x.answer_id and y.theme_id = t.id)
				order by x.answer_id desc limit 1`.execute(db)
		).rows[0];
		expect(retheme).toBeDefined();
		await edit('theme', sql`update answer_theme set theme_id = ${retheme.to} where ${key(retheme)}`);
		const to = (
			await sql<{ id: number; answer_id: number; theme_id: number }>`select b.id, x.answer_id, x.theme_id
				from answer_theme x join answer a on a.id = x.answer_id
				join answer b on b.question_id = a.question_id and b.submission_id <> a.submission_id
				where x.applies = 1 and not exists (select 1 from answer_theme y where y.answer_id = b.id and y.theme_id = x.theme_id)
				order by x.answer_id desc, b.id limit 1`.execute(db)
		).rows[0];
		expect(to).toBeDefined();
		await edit('answer', sql`update answer_theme set answer_id = ${to.id} where ${key(to)}`);

		// Deleted.
		await edit('deleted', sql`delete from answer where id in (${inIds((await ids('true', 3)) as number[])})`);
	}, 120_000);

	it('take the column lists out again (down) and put them back (up)', async () => {
		const db = fresh.db;
		await down(db);
		expect((await calledBy(db, pg, 'answer', 'coded_at')).length).toBe(11);
		await up(db);
		await up(db); // already narrowed: left as it is
		expect((await calledBy(db, pg, 'answer', 'coded_at')).length).toBe(2);
		await expectRebuildUnchanged(db, 'after down and up');
	});
});
