/**
 * PostgreSQL: the coder's lock of a chunk's submissions' and perspectives' answers (src/lib/server/coding/
 * aggregate-delta.ts, lockThemeCubeAnswers) finds them through indexes, not by filtering every answer of the table
 * (issue #19: the OR of two IN lists was a whole-table pass per chunk, half of coding 200,000 answers), and locks the
 * same rows as that first form (`CODING_CUBE_LOCK=or`). The lock is PostgreSQL's only; SQLite has one writer.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { loadSmallFixture } from './fixtures/analysis/small';
import { generateAnswers } from '../scripts/generate-answers';
import { themeCubeLockQuery } from '../src/lib/server/coding/aggregate-delta';

interface PlanNode {
	'Node Type': string;
	'Relation Name'?: string;
	'Index Cond'?: string;
	'Recheck Cond'?: string;
	Filter?: string;
	Plans?: PlanNode[];
}

/** Every node of `plan` that reads `answer` (a scan), with how it finds its rows. */
function answerScans(plan: PlanNode): PlanNode[] {
	const own = plan['Relation Name'] === 'answer' ? [plan] : [];
	return [...own, ...(plan.Plans ?? []).flatMap(answerScans)];
}

describeEachEngine('the coder locks a chunk’s families by index', (engine) => {
	let fresh: FreshDb;
	let chunk: number[];

	beforeAll(async () => {
		fresh = await preparedDatabase(engine);
		if (engine !== 'postgres') return;
		await loadSmallFixture(fresh.db);
		await generateAnswers(fresh.db, { answers: 300, seed: 13, rowTriggers: true });
		// A chunk as the coder takes it: one question's answers in id order.
		const q = await fresh.db
			.selectFrom('answer')
			.select('question_id')
			.where('text', 'is not', null)
			.groupBy('question_id')
			.orderBy(sql`count(*)`, 'desc')
			.executeTakeFirstOrThrow();
		chunk = (
			await fresh.db
				.selectFrom('answer')
				.select('id')
				.where('question_id', '=', q.question_id)
				.orderBy('id')
				.limit(40)
				.execute()
		).map((r) => r.id);
	});

	afterAll(async () => {
		delete process.env.CODING_CUBE_LOCK;
		await fresh?.drop();
	});

	it.skipIf(engine !== 'postgres')('PostgreSQL: every read of answer goes through an index condition', async () => {
		// The fixture is small enough for a sequential scan to look cheapest; the question is whether the statement
		// can be answered without visiting every answer, so sequential scans are priced out for the plan.
		const plan = await fresh.db.transaction().execute(async (tx) => {
			await sql`set local enable_seqscan = off`.execute(tx);
			const q = themeCubeLockQuery(chunk).compile(tx);
			const explained = await tx.executeQuery<{ 'QUERY PLAN': { Plan: PlanNode }[] }>({
				...q,
				sql: `explain (format json) ${q.sql}`
			});
			return explained.rows[0]['QUERY PLAN'][0].Plan;
		});
		const scans = answerScans(plan);
		expect(scans.length).toBeGreaterThan(0);
		for (const s of scans)
			expect(
				{ node: s['Node Type'], cond: Boolean(s['Index Cond'] ?? s['Recheck Cond']), filter: s.Filter ?? null },
				JSON.stringify(s).slice(0, 300)
			).toMatchObject({ cond: true });
	});

	it.skipIf(engine !== 'postgres')('PostgreSQL: locks the same answers as the first form', async () => {
		const locked = async (mode: string | undefined) => {
			if (mode) process.env.CODING_CUBE_LOCK = mode;
			else delete process.env.CODING_CUBE_LOCK;
			return fresh.db
				.transaction()
				.execute(async (tx) => (await themeCubeLockQuery(chunk).execute(tx)).rows.map((r) => r.id));
		};
		const now = await locked(undefined);
		const before = await locked('or');
		expect(now).toEqual(before);
		// More than the chunk: its submissions' other answers are locked too.
		expect(now.length).toBeGreaterThan(chunk.length);
		expect(now).toEqual([...now].sort((a, b) => a - b));
		const expected = (
			await sql<{ id: number }>`select id from answer where submission_id in
				(select submission_id from answer where id = any(${chunk}::integer[]))
				or perspective_id in (select perspective_id from answer where id = any(${chunk}::integer[])) order by id`.execute(
				fresh.db
			)
		).rows.map((r) => r.id);
		expect(now).toEqual(expected);
	});
});
