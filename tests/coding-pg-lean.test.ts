/**
 * PostgreSQL's coding chunk in three statements (src/lib/server/coding/store-pg.ts, `CODING_PG_LEAN`): the day
 * tables' and the theme cube's net change go with the codings in the one write, where `CODING_PG_LEAN=off` (the
 * before) sent the codings' probe, the day tables' grouped share twice and the cube's upserts as statements of their
 * own. Coding the same answers with the switch on and off gives the same codings, and every aggregate equals a
 * rebuild either way; a chunk sends three statements with it on, the write planned with random_page_cost 1.1. SQLite (whose coder does not read the switch) codes
 * the same answers alike under both values too.
 */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { sql, type Transaction } from 'kysely';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { loadSmallFixture, type Fixture } from './fixtures/analysis/small';
import { expectRebuildUnchanged } from './helpers/aggregates';
import { codings } from './helpers/coding-reset';
import { generateAnswers } from '../scripts/generate-answers';
import { codeUncoded } from '../src/lib/server/coding/recode';
import { stopEngineThread } from '../src/lib/server/coding/engine';
import { setAnswerThemes } from '../src/lib/server/review';
import { storeVerdictsPg } from '../src/lib/server/coding/store-pg';
import type { Database } from '../src/lib/server/db/schema';
import type { Db } from '../src/lib/server/db/connect';

const dataVersion = async (db: Db) =>
	Number((await db.selectFrom('data_version').select('version').where('id', '=', 1).executeTakeFirstOrThrow()).version);

describeEachEngine('PostgreSQL coding in three statements a chunk', (engine) => {
	let fresh: FreshDb;
	let fx: Fixture;

	beforeAll(async () => {
		process.env.ANALYSIS_CACHE = 'off';
		fresh = await preparedDatabase(engine);
		fx = await loadSmallFixture(fresh.db);
		await generateAnswers(fresh.db, { answers: 600, seed: 9, rowTriggers: true });
		// Officers' rows among the chunks' answers (they keep their source and applies; only confidence moves).
		await setAnswerThemes(fresh.db, fx.c.id, fx.answers.S3, [fx.themes.friends, fx.themes.pets], { id: fx.officerId });
	}, 180_000);
	afterEach(() => {
		delete process.env.CODING_PG_LEAN;
	});
	afterAll(async () => {
		await stopEngineThread();
		await fresh?.drop();
	});

	/**
	 * The same start for each arm: every answer new to the coder, the engine's rows replaced by rows it will delete
	 * (a theme it does not propose), rewrite (another confidence) or turn on again (applies 0), officers' confidences
	 * alike; the aggregates kept by the triggers through it all (checked against a rebuild).
	 */
	async function start(db: Db) {
		await sql`delete from answer_theme where source = 'auto'`.execute(db);
		await sql`update answer_theme set confidence = 0.5 where source = 'human'`.execute(db);
		await db.updateTable('answer').set({ coded_at: null }).where('text', 'is not', null).execute();
		for (const [rank, applies] of [
			[1, 1],
			[2, 0],
			[3, 1]
		])
			await sql`insert into answer_theme (answer_id, theme_id, source, applies, confidence, user_id, updated_at)
				select a.id, t.id, 'auto', ${applies}, 0.123, null, '2026-12-05T00:00:00.000Z'
				from answer a join (select id, question_id, row_number() over (partition by question_id order by id) as k
					from theme where status = 'active') t on t.question_id = a.question_id and t.k = ${rank}
				where a.text is not null and a.id % 3 = ${rank - 1}
					and not exists (select 1 from answer_theme x where x.answer_id = a.id and x.theme_id = t.id)`.execute(db);
		return expectRebuildUnchanged(db, 'the start');
	}

	it('codes the same answers alike with the switch on and off, every aggregate equal to a rebuild', async () => {
		const db = fresh.db;
		const out: Record<string, { codings: unknown; aggregates: unknown }> = {};
		for (const arm of ['off', 'on']) {
			process.env.CODING_PG_LEAN = arm;
			const before = await start(db);
			const v0 = await dataVersion(db);
			expect(await codeUncoded(db)).toBeGreaterThan(500);
			const aggregates = await expectRebuildUnchanged(db, `coded, CODING_PG_LEAN=${arm}`);
			// The run changed what the views show (the comparison is not of untouched tables).
			expect(aggregates.analysis_agg_theme_day).not.toEqual(before.analysis_agg_theme_day);
			expect(aggregates.analysis_agg_theme_submission).not.toEqual(before.analysis_agg_theme_submission);
			expect(await dataVersion(db)).toBeGreaterThan(v0);
			out[arm] = { codings: await codings(db), aggregates };
		}
		expect(out.on.codings).toEqual(out.off.codings);
		expect(out.on.aggregates).toEqual(out.off.aggregates);
	}, 300_000);

	it.skipIf(engine === 'sqlite')(
		'a chunk sends three statements, planned for key look-ups (CODING_PG_LEAN=off: more)',
		async () => {
			const db = fresh.db;
			await start(db);
			/** Answers with words of one question with three active themes, a chunk of them. */
			const chunk = async (offset: number) => {
				const q = (
					await sql<{ question_id: number }>`select question_id from theme where status = 'active'
					group by question_id having count(*) >= 3 order by question_id limit 1`.execute(db)
				).rows[0].question_id;
				const themes = (
					await db
						.selectFrom('theme')
						.select('id')
						.where('question_id', '=', q)
						.where('status', '=', 'active')
						.orderBy('id')
						.execute()
				).map((t) => t.id);
				const ids = (
					await db
						.selectFrom('answer')
						.select('id')
						.where('question_id', '=', q)
						.where('text', 'is not', null)
						.orderBy('id')
						.offset(offset)
						.limit(40)
						.execute()
				).map((a) => a.id);
				// Verdicts that add, keep and drop codings: the first theme for all, the second for every other answer.
				const verdicts = ids.flatMap((answer_id, i) => [
					{ answer_id, theme_id: themes[0], confidence: 0.61 },
					...(i % 2 ? [{ answer_id, theme_id: themes[1], confidence: 0.52 }] : [])
				]);
				return { ids, verdicts };
			};
			/** The statements `storeVerdictsPg` sends for one chunk. */
			const statements = async (offset: number) => {
				const { ids, verdicts } = await chunk(offset);
				expect(ids.length).toBe(40);
				const seen: string[] = [];
				let count = 0;
				let cost = '';
				await db.transaction().execute(async (tx: Transaction<Database>) => {
					const executor = tx.getExecutor();
					const run = executor.executeQuery.bind(executor);
					executor.executeQuery = ((q: { sql: string }, ...rest: unknown[]) => {
						seen.push(q.sql);
						return (run as (...a: unknown[]) => ReturnType<typeof run>)(q as never, ...rest);
					}) as typeof executor.executeQuery;
					await storeVerdictsPg(tx, ids, verdicts, '2026-12-05T11:00:00.000Z');
					count = seen.length;
					// Lean, the statements after the lock are planned with random_page_cost 1.1 (the transaction's own).
					cost = (await sql<{ v: string }>`select current_setting('random_page_cost') as v`.execute(tx)).rows[0].v;
				});
				await expectRebuildUnchanged(db, `a chunk, CODING_PG_LEAN=${process.env.CODING_PG_LEAN ?? 'unset'}`);
				return { count, cost };
			};
			process.env.CODING_PG_LEAN = 'off';
			const before = await statements(0);
			delete process.env.CODING_PG_LEAN;
			const lean = await statements(40);
			expect({ before, lean }).toEqual({
				before: { count: expect.any(Number), cost: '4' },
				lean: { count: 3, cost: '1.1' }
			});
			expect(before.count).toBeGreaterThanOrEqual(8);
			// After the transaction, the setting is the session's again.
			expect((await sql<{ v: string }>`select current_setting('random_page_cost') as v`.execute(db)).rows[0].v).toBe(
				'4'
			);
		},
		120_000
	);
});
