/**
 * The dashboard's "oldest unread answer from a child or young person" (safeguarding/reading.ts readingCoverage,
 * issue #19): the same date as counting the answers (ANALYSIS_AGGREGATES=off) as answers are read, on both engines;
 * and on PostgreSQL the statement that finds it stops at each question's first unread answer of the day instead of
 * reading all of that day's answers (at 1,000,001 answers: 15,426 answers joined to a parallel sequential scan of
 * every perspective, on every dashboard).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CompiledQuery, sql } from 'kysely';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { generateAnswers } from '../scripts/generate-answers';
import { timePgQueries } from '../scripts/lib/pg-query-timing';
import { markRead, readingCoverage } from '../src/lib/server/safeguarding/reading';
import { READ_ALL_GROUPS } from '../src/lib/domain/reading';
import type { Db } from '../src/lib/server/db/connect';

type PlanNode = {
	'Relation Name'?: string;
	'Actual Rows'?: number;
	'Actual Loops'?: number;
	'Rows Removed by Filter'?: number;
	Plans?: PlanNode[];
};

/** Rows of `table` a plan's scans looked at (kept and filtered out, over all loops and parallel workers). */
function rowsLookedAt(node: PlanNode, table: string): number {
	const own =
		node['Relation Name'] === table
			? ((node['Actual Rows'] ?? 0) + (node['Rows Removed by Filter'] ?? 0)) * (node['Actual Loops'] ?? 1)
			: 0;
	return own + (node.Plans ?? []).reduce((n, p) => n + rowsLookedAt(p, table), 0);
}

/** Coverage from the kept counts, and as counted from the answers. */
async function bothWays(db: Db, consultationId: number) {
	const kept = [await readingCoverage(db, consultationId), await readingCoverage(db)];
	process.env.ANALYSIS_AGGREGATES = 'off';
	try {
		return { kept, counted: [await readingCoverage(db, consultationId), await readingCoverage(db)] };
	} finally {
		delete process.env.ANALYSIS_AGGREGATES;
	}
}

describeEachEngine('the oldest unread answer from a child or young person', (engine) => {
	let fresh: FreshDb;
	let consultationId: number;
	let userId: number;
	const timings = engine === 'postgres' ? timePgQueries() : [];

	beforeAll(async () => {
		process.env.ANALYSIS_CACHE = 'off';
		fresh = await preparedDatabase(engine);
		await generateAnswers(fresh.db, { answers: 3000, seed: 11 });
		const c = await fresh.db.selectFrom('consultation').select('id').orderBy('id').executeTakeFirstOrThrow();
		consultationId = c.id;
		const now = new Date().toISOString();
		const u = await fresh.db
			.insertInto('app_user')
			.values({ email: 'reader@x.gov.uk', password_hash: 'x', role: 'officer', created_at: now, updated_at: now })
			.returning('id')
			.executeTakeFirstOrThrow();
		userId = u.id;
	}, 180_000);
	afterAll(async () => {
		delete process.env.ANALYSIS_CACHE;
		await fresh?.drop();
	});

	it('is the date the answers give, as the oldest ones are read', async () => {
		const db = fresh.db;
		// The children's and young people's answers in the order they came, read from the oldest on in steps.
		const ordered = await db
			.selectFrom('answer as a')
			.innerJoin('perspective as p', 'p.id', 'a.perspective_id')
			.where('a.text', 'is not', null)
			.where('p.group_code', 'in', [...READ_ALL_GROUPS])
			.select(['a.id', 'a.created_at'])
			.orderBy('a.created_at')
			.orderBy('a.id')
			.execute();
		expect(ordered.length).toBeGreaterThan(100);
		const seen = new Set<string | null>();
		for (const upTo of [0, 1, 7, 40, 100]) {
			if (upTo)
				await markRead(
					db,
					ordered.slice(0, upTo).map((r) => r.id),
					userId,
					'reading'
				);
			const { kept, counted } = await bothWays(db, consultationId);
			expect(kept, `after reading ${upTo}`).toEqual(counted);
			seen.add(kept[0].oldestUnreadAt);
		}
		// Reading moved the date on at least once: not the same figure every time.
		expect(seen.size).toBeGreaterThan(1);
		expect([...seen]).not.toContain(null);
	}, 60_000);

	it.runIf(engine === 'postgres')(
		'reads each question only up to its first unread answer of the day (PostgreSQL)',
		async () => {
			const db = fresh.db;
			timings.length = 0;
			const c = await readingCoverage(db, consultationId);
			expect(c.oldestUnreadAt).not.toBeNull();
			const statement = timings.find((t) => /"oldest"/.test(t.text));
			expect(statement, 'the statement that finds the oldest unread answer').toBeDefined();
			const day = c.oldestUnreadAt!.slice(0, 10);
			const dayAnswers = Number(
				(
					await sql<{ n: number }>`select count(*) as n from answer where created_at >= ${day}
						and created_at < ${day} || 'T99'`.execute(db)
				).rows[0].n
			);
			// Enough answers that day for the difference to show.
			expect(dayAnswers).toBeGreaterThan(20);
			const plan = await db.executeQuery<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
				CompiledQuery.raw(`explain (analyze, format json) ${statement!.text}`, statement!.values)
			);
			const root = plan.rows[0]['QUERY PLAN'][0].Plan;
			const answers = rowsLookedAt(root, 'answer');
			const perspectives = rowsLookedAt(root, 'perspective');
			// A few rows a question (about one answer in three is a child's or a young person's here), never the day.
			expect({ answers, perspectives }, `${dayAnswers} answers that day`).toEqual({
				answers: expect.toSatisfy((n: number) => n > 0 && n <= dayAnswers / 2),
				perspectives: expect.toSatisfy((n: number) => n <= dayAnswers / 2)
			});
		},
		60_000
	);
});
