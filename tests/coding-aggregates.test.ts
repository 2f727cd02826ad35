/**
 * Bulk coding keeps the analysis aggregates with grouped statements per chunk instead of row triggers
 * (src/lib/server/coding/aggregate-delta.ts, migration 2026-12-03-0200): after a coding run and a recode,
 * every aggregate table equals a rebuild from scratch, the data version has moved (cached pages are
 * recomputed), and writes outside coding still fire their triggers. Both engines.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { loadSmallFixture, type Fixture } from './fixtures/analysis/small';
import { addUser } from './helpers/users';
import { generateAnswers } from '../scripts/generate-answers';
import { AGGREGATE_TABLES, rebuildAggregates } from '../src/lib/server/analysis/aggregates';
import { codeUncoded, recodeQuestion } from '../src/lib/server/coding/recode';
import { stopEngineThread } from '../src/lib/server/coding/engine';
import { setAnswerThemes } from '../src/lib/server/review';
import { storeVerdictsPg } from '../src/lib/server/coding/store-pg';
import type { Db } from '../src/lib/server/db/connect';

type Row = Record<string, unknown>;

/** Every aggregate table, without rows that count nothing (a trigger or delta leaves a 0 where a rebuild has none). */
async function snapshot(db: Db): Promise<Record<string, Row[]>> {
	const out: Record<string, Row[]> = {};
	for (const t of AGGREGATE_TABLES) {
		out[t] = (await db.selectFrom(t).selectAll().execute())
			.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' ? v : Number(v)])))
			.filter((r) => Object.entries(r).some(([k, v]) => ['n', 'coded', 'demo', 'n_read'].includes(k) && v !== 0))
			.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
	}
	return out;
}

async function expectRebuildUnchanged(db: Db, after: string) {
	const kept = await snapshot(db);
	await rebuildAggregates(db);
	expect(await snapshot(db), after).toEqual(kept);
	return kept;
}

const dataVersion = async (db: Db) =>
	Number((await db.selectFrom('data_version').select('version').where('id', '=', 1).executeTakeFirstOrThrow()).version);

describeEachEngine('bulk coding keeps the aggregates without row triggers', (engine) => {
	let fresh: FreshDb;
	let fx: Fixture;
	let officer: { id: number };

	beforeAll(async () => {
		process.env.ANALYSIS_CACHE = 'off';
		fresh = await preparedDatabase(engine);
		fx = await loadSmallFixture(fresh.db);
		officer = { id: (await addUser(fresh.db, { email: `code1m-${engine}@x.gov.uk`, role: 'officer' }, null)).id };
		await generateAnswers(fresh.db, { answers: 600, seed: 5, rowTriggers: true });
	}, 180_000);
	afterAll(async () => {
		await stopEngineThread();
		await fresh?.drop();
	});

	it('a coding run and a recode leave every aggregate equal to a rebuild', async () => {
		const db = fresh.db;
		// An officer's coding too, so answers with officers' rows are in the chunks (their rows stay; only confidence moves).
		await setAnswerThemes(db, fx.c.id, fx.answers.S3, [fx.themes.friends, fx.themes.pets], officer);
		// Every answer is new to the coder, and half of them lose the engine's earlier rows, so the run changes counts.
		await db.updateTable('answer').set({ coded_at: null }).where('text', 'is not', null).execute();
		await sql`delete from answer_theme where source = 'auto' and answer_id % 2 = 0`.execute(db);
		const before = await expectRebuildUnchanged(db, 'before coding');
		const v0 = await dataVersion(db);

		const coded = await codeUncoded(db);
		expect(coded).toBeGreaterThan(500);
		const after = await expectRebuildUnchanged(db, 'after coding');
		// The run did change what the views show (the check above is not of an unchanged table).
		expect(after.analysis_agg_theme).not.toEqual(before.analysis_agg_theme);
		expect(after.analysis_agg_coding).not.toEqual(before.analysis_agg_coding);
		expect(await dataVersion(db)).toBeGreaterThan(v0);

		const q1 = fx.c.questions.find((q) => q.key === 'q1')!;
		expect(await recodeQuestion(db, q1.id)).toBeGreaterThan(0);
		await expectRebuildUnchanged(db, 'after a recode');
	}, 300_000);

	// PostgreSQL's two-statement chunk (store-pg.ts) on its own: an officer's row keeps its source and applies and
	// takes the confidence, an engine row not proposed again goes, a new one comes, an answer deleted since the
	// chunk was read is left out, and a chunk written again unchanged rewrites no row.
	it.skipIf(engine === 'sqlite')(
		'PostgreSQL: a chunk’s lean write (lock, read, one write) keeps the contract',
		async () => {
			const db = fresh.db;
			const answer = await db
				.selectFrom('answer')
				.select(['id', 'question_id'])
				.where('text', 'is not', null)
				.where(({ exists, selectFrom }) =>
					exists(
						selectFrom('theme')
							.select('theme.id')
							.whereRef('theme.question_id', '=', 'answer.question_id')
							.where('theme.status', '=', 'active')
							.offset(2)
					)
				)
				.orderBy('id', 'desc')
				.executeTakeFirstOrThrow();
			const [t1, t2, t3] = (
				await db
					.selectFrom('theme')
					.select('id')
					.where('question_id', '=', answer.question_id)
					.where('status', '=', 'active')
					.orderBy('id')
					.limit(3)
					.execute()
			).map((t) => t.id);
			await db.deleteFrom('answer_theme').where('answer_id', '=', answer.id).execute();
			const at = '2026-01-01T00:00:00.000Z';
			await db
				.insertInto('answer_theme')
				.values([
					{
						answer_id: answer.id,
						theme_id: t1,
						source: 'human',
						applies: 0,
						confidence: 0.9,
						user_id: officer.id,
						updated_at: at
					},
					{
						answer_id: answer.id,
						theme_id: t2,
						source: 'auto',
						applies: 1,
						confidence: 0.8,
						user_id: null,
						updated_at: at
					}
				])
				.execute();
			await expectRebuildUnchanged(db, 'before the chunk');
			const v0 = await dataVersion(db);
			const gone = 1_000_000_000;
			const verdicts = [
				{ answer_id: answer.id, theme_id: t1, confidence: 0.5 },
				{ answer_id: answer.id, theme_id: t3, confidence: 0.7 },
				{ answer_id: gone, theme_id: t3, confidence: 0.6 }
			];
			const write = () =>
				db.transaction().execute((tx) => storeVerdictsPg(tx, [answer.id, gone], verdicts, '2026-12-02T08:00:00.000Z'));
			await write();
			const rows = async () =>
				(
					await sql<{ theme_id: number; source: string; applies: number; confidence: number; ctid: string }>`
					select theme_id, source, applies, confidence, ctid::text as ctid from answer_theme
					where answer_id = ${answer.id} order by theme_id`.execute(db)
				).rows;
			const after = await rows();
			expect(after.map(({ ctid: _, ...r }) => r)).toEqual([
				{ theme_id: t1, source: 'human', applies: 0, confidence: 0.5 },
				{ theme_id: t3, source: 'auto', applies: 1, confidence: 0.7 }
			]);
			expect(await dataVersion(db)).toBeGreaterThan(v0);
			await expectRebuildUnchanged(db, 'after the chunk');
			await write();
			expect(await rows()).toEqual(after);
			await expectRebuildUnchanged(db, 'after the same chunk again');
		}
	);

	it('leaves the triggers on for every other write', async () => {
		const db = fresh.db;
		if (engine === 'sqlite')
			expect(
				Number((await sql<{ n: number }>`select count(*) as n from derived_trigger_bypass`.execute(db)).rows[0].n)
			).toBe(0);
		const answer = await db
			.selectFrom('answer')
			.select('id')
			.where('text', 'is not', null)
			.where(({ not, exists, selectFrom }) =>
				not(exists(selectFrom('answer_theme').select('answer_id').whereRef('answer_theme.answer_id', '=', 'answer.id')))
			)
			.orderBy('id')
			.executeTakeFirstOrThrow();
		const theme = await db
			.selectFrom('answer')
			.innerJoin('theme', 'theme.question_id', 'answer.question_id')
			.select('theme.id')
			.where('answer.id', '=', answer.id)
			.where('theme.status', '=', 'active')
			.executeTakeFirstOrThrow();
		const sum = async () =>
			Number(
				(
					await db
						.selectFrom('analysis_agg_theme')
						.select((eb) => eb.fn.sum<number>('n').as('n'))
						.where('theme_id', '=', theme.id)
						.executeTakeFirstOrThrow()
				).n
			);
		const n0 = await sum();
		const v0 = await dataVersion(db);
		await db
			.insertInto('answer_theme')
			.values({
				answer_id: answer.id,
				theme_id: theme.id,
				source: 'human',
				applies: 1,
				confidence: null,
				user_id: officer.id,
				updated_at: new Date().toISOString()
			})
			.execute();
		expect(await sum()).toBe(n0 + 1);
		expect(await dataVersion(db)).toBeGreaterThan(v0);
		await expectRebuildUnchanged(db, 'after an officer row outside coding');
	});
});
