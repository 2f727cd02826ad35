/**
 * A group family's slices of the group-set tables on PostgreSQL (aggregates.ts joinSetMembers, issue #19): the
 * members are matched against the consultation's distinct sets, and the rows joined to those (set, member) pairs by
 * the set, rather than every row tested against every member. Every reader gives the same figures as the
 * row-by-member test (ANALYSIS_PG_SET_PAIRS=off) and as the plain queries (ANALYSIS_AGGREGATES=off), on both
 * engines (SQLite's statement is the same either way); and on PostgreSQL the member test runs on the distinct sets
 * only.
 */
import { expect, it } from 'vitest';
import { CompiledQuery } from 'kysely';
import { describeEachEngine } from './helpers/databases';
import { groupSetSlicesSuite } from './helpers/group-set-slices';
import { timePgQueries } from '../scripts/lib/pg-query-timing';
import type { Dimension } from '../src/lib/analysis/dimensions';

const PAIRS: [Dimension, Dimension][] = [
	['district', 'channel'],
	['district', 'disability'],
	['channel', 'gender'],
	['age', 'gender']
];

type PlanNode = {
	'Join Filter'?: string;
	'Actual Rows'?: number;
	'Actual Loops'?: number;
	'Rows Removed by Join Filter'?: number;
	Plans?: PlanNode[];
};

/** How many times a plan evaluated the member test (a join filter with replace(), kept and thrown away). */
function memberTests(node: PlanNode): number {
	const own = /replace\(/.test(node['Join Filter'] ?? '')
		? ((node['Actual Rows'] ?? 0) + (node['Rows Removed by Join Filter'] ?? 0)) * (node['Actual Loops'] ?? 1)
		: 0;
	return own + (node.Plans ?? []).reduce((n, p) => n + memberTests(p), 0);
}

describeEachEngine('group-set slices through (set, member) pairs', (engine) => {
	const { data, readers, expectEveryGroupAs } = groupSetSlicesSuite(engine, 'ANALYSIS_PG_SET_PAIRS', PAIRS);
	const timings = engine === 'postgres' ? timePgQueries() : [];

	it(
		'gives every group the figures of the member test and of the plain queries',
		() => expectEveryGroupAs([{ ANALYSIS_PG_SET_PAIRS: 'off' }, { ANALYSIS_AGGREGATES: 'off' }]),
		300_000
	);

	it.runIf(engine === 'postgres')(
		'tests the members on the distinct sets only (PostgreSQL)',
		async () => {
			const db = data.fresh.db;
			const groups = data.fx.c.groups.length + 1;
			const sets = await db
				.selectFrom('analysis_agg_group_set_equality')
				.select((eb) => [eb.fn.count<number>('group_set').distinct().as('sets'), eb.fn.countAll<number>().as('rows')])
				.where('consultation_id', '=', data.fx.c.id)
				.executeTakeFirstOrThrow();
			// More rows than sets: testing every row costs more than testing every set.
			expect(Number(sets.rows)).toBeGreaterThan(2 * Number(sets.sets));
			timings.length = 0;
			await readers(`group=${data.fx.c.groups[0].code}&min=5`, {});
			const sliced = timings.filter(
				(t) => /analysis_agg_group_set_equality/.test(t.text) && /slice_group/.test(t.text)
			);
			expect(sliced.length).toBeGreaterThan(0);
			for (const t of sliced) {
				const plan = await db.executeQuery<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
					CompiledQuery.raw(`explain (analyze, format json) ${t.text}`, t.values)
				);
				expect(memberTests(plan.rows[0]['QUERY PLAN'][0].Plan), t.text).toBeLessThanOrEqual(Number(sets.sets) * groups);
			}
		},
		120_000
	);
});
