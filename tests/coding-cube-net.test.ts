/**
 * The coder's theme-cube delta writes only the net change (src/lib/server/coding/aggregate-delta.ts,
 * themeCubeRead / themeCubeWrite): a chunk whose codings come out as they were writes no cube row, and one new
 * coding writes only its own cells; either way the cube equals a rebuild. Both engines.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PostgresAdapter, sql, type Transaction } from 'kysely';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { loadSmallFixture } from './fixtures/analysis/small';
import { generateAnswers } from '../scripts/generate-answers';
import { rebuildAggregates } from '../src/lib/server/analysis/aggregates';
import { withAggregateDelta } from '../src/lib/server/coding/aggregate-delta';
import { recodeQuestion } from '../src/lib/server/coding/recode';
import { stopEngineThread } from '../src/lib/server/coding/engine';
import { nowIso } from '../src/lib/server/util/time';
import { THEME_CUBE_TABLES } from '../src/lib/server/db/migrations/lib/theme-cube-sql';
import type { Database } from '../src/lib/server/db/schema';
import type { Db } from '../src/lib/server/db/connect';

type Tx = Transaction<Database>;

/** The cube's rows with a count (a delta may leave a 0 where a rebuild has no row), sorted. */
async function cube(db: Db): Promise<Record<string, string[]>> {
	const out: Record<string, string[]> = {};
	for (const t of THEME_CUBE_TABLES)
		out[t] = (await sql<Record<string, unknown>>`select * from ${sql.table(t)} where n <> 0`.execute(db)).rows
			.map((r) => JSON.stringify(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' ? v : Number(v)])))
			.sort();
	return out;
}

async function expectCubeEqualsRebuild(db: Db) {
	const kept = await cube(db);
	await rebuildAggregates(db);
	expect(await cube(db)).toEqual(kept);
}

describeEachEngine('the coder writes the theme cube net', (engine) => {
	let fresh: FreshDb;
	/** Cube rows inserted or updated so far in `tx` (PostgreSQL: the transaction's own statistics; SQLite: temp triggers). */
	let cubeWrites: (tx: Tx) => Promise<number>;

	beforeAll(async () => {
		process.env.ANALYSIS_CACHE = 'off';
		fresh = await preparedDatabase(engine);
		await loadSmallFixture(fresh.db);
		await generateAnswers(fresh.db, { answers: 300, seed: 11, rowTriggers: true });
		const pg = fresh.db.getExecutor().adapter instanceof PostgresAdapter;
		if (pg)
			cubeWrites = async (tx) =>
				Number(
					(
						await sql<{ n: number }>`select coalesce(sum(pg_stat_get_xact_tuples_inserted(c.oid)
							+ pg_stat_get_xact_tuples_updated(c.oid)), 0) as n
							from pg_class c where c.relname in (${sql.join([...THEME_CUBE_TABLES])})`.execute(tx)
					).rows[0].n
				);
		else {
			await sql`create temp table cube_writes (n integer not null)`.execute(fresh.db);
			for (const t of THEME_CUBE_TABLES)
				for (const op of ['insert', 'update'])
					await sql
						.raw(
							`create temp trigger cube_writes_${op}_${t} after ${op} on main.${t}
							 begin insert into cube_writes values (1); end`
						)
						.execute(fresh.db);
			cubeWrites = async (tx) =>
				Number((await sql<{ n: number }>`select count(*) as n from cube_writes`.execute(tx)).rows[0].n);
		}
	}, 180_000);
	afterAll(async () => {
		await stopEngineThread();
		await fresh?.drop();
	});

	/** Answers with at least one applying coding, and those codings. */
	async function codedAnswers(limit: number) {
		const ids = (
			await fresh.db
				.selectFrom('answer')
				.select('id')
				.where(({ exists, selectFrom }) =>
					exists(
						selectFrom('answer_theme')
							.select('answer_id')
							.whereRef('answer_theme.answer_id', '=', 'answer.id')
							.where('applies', '=', 1)
					)
				)
				.orderBy('id')
				.limit(limit)
				.execute()
		).map((r) => r.id);
		const rows = await fresh.db.selectFrom('answer_theme').selectAll().where('answer_id', 'in', ids).execute();
		return { ids, rows };
	}

	it('a chunk whose codings come out as they were writes no cube row', async () => {
		const db = fresh.db;
		const { ids, rows } = await codedAnswers(40);
		expect(rows.length).toBeGreaterThan(40);
		const before = await cube(db);
		let writes = -1;
		await db.transaction().execute(async (tx) => {
			const w0 = await cubeWrites(tx);
			// As a recode whose verdicts are the stored ones: every row of these answers deleted and written again.
			await withAggregateDelta(tx, ids, async () => {
				await tx.deleteFrom('answer_theme').where('answer_id', 'in', ids).execute();
				await tx.insertInto('answer_theme').values(rows).execute();
			});
			writes = (await cubeWrites(tx)) - w0;
		});
		expect(writes).toBe(0);
		expect(await cube(db)).toEqual(before);
		await expectCubeEqualsRebuild(db);
	});

	it('a new coding writes only its own cells', async () => {
		const db = fresh.db;
		// An answer and an active theme of its question that none of its submission's or perspective's answers has.
		const { id, theme_id } = await db
			.selectFrom('answer as a')
			.innerJoin('theme as t', 't.question_id', 'a.question_id')
			.select(['a.id', 't.id as theme_id'])
			.where('t.status', '=', 'active')
			.where(({ not, exists, selectFrom }) =>
				not(
					exists(
						selectFrom('answer as a2')
							.innerJoin('answer_theme as x', 'x.answer_id', 'a2.id')
							.select('x.answer_id')
							.whereRef('x.theme_id', '=', 't.id')
							.where(({ or, eb }) =>
								or([
									eb('a2.submission_id', '=', eb.ref('a.submission_id')),
									eb('a2.perspective_id', '=', eb.ref('a.perspective_id'))
								])
							)
					)
				)
			)
			.orderBy('a.id')
			.executeTakeFirstOrThrow();
		const { ids } = await codedAnswers(40);
		const chunk = [...new Set([...ids, id])];
		let writes = -1;
		await db.transaction().execute(async (tx) => {
			const w0 = await cubeWrites(tx);
			await withAggregateDelta(tx, chunk, async () => {
				await tx
					.insertInto('answer_theme')
					.values({
						answer_id: id,
						theme_id,
						source: 'auto',
						applies: 1,
						confidence: 0.6,
						user_id: null,
						updated_at: '2026-12-03T16:00:00.000Z'
					})
					.execute();
			});
			writes = (await cubeWrites(tx)) - w0;
		});
		// One cell in each of the four tables: the submission's, its equality answers', the perspective's, the question's.
		expect(writes).toBe(4);
		await expectCubeEqualsRebuild(db);
	});

	// The engine's rows are written only where its verdict changed (recode.ts writeVerdictsNet on SQLite, store-pg.ts
	// on PostgreSQL): a second recode on the same coding rewrites none, so each keeps when the engine first proposed it.
	it('a recode that proposes what is stored leaves every coding row as it was', async () => {
		const db = fresh.db;
		const question = await db
			.selectFrom('answer_theme')
			.innerJoin('answer', 'answer.id', 'answer_theme.answer_id')
			.select('answer.question_id')
			.where('answer_theme.source', '=', 'auto')
			.orderBy('answer.question_id')
			.executeTakeFirstOrThrow();
		const rows = () =>
			db
				.selectFrom('answer_theme')
				.innerJoin('answer', 'answer.id', 'answer_theme.answer_id')
				.select(['answer_id', 'theme_id', 'source', 'applies', 'confidence', 'answer_theme.updated_at'])
				.where('answer.question_id', '=', question.question_id)
				.orderBy('answer_id')
				.orderBy('theme_id')
				.execute();
		expect(await recodeQuestion(db, question.question_id)).toBeGreaterThan(0);
		const first = await rows();
		expect(first.filter((r) => r.source === 'auto').length).toBeGreaterThan(10);
		// Later than the first recode's stamps, so a row written again would show it.
		const stamp = nowIso();
		while (nowIso() === stamp) await new Promise((r) => setImmediate(r));
		expect(await recodeQuestion(db, question.question_id)).toBeGreaterThan(0);
		expect(await rows()).toEqual(first);
		await expectCubeEqualsRebuild(db);
	}, 120_000);
});
