/**
 * The dashboard's equality margins and "completed" count on PostgreSQL from one grouping-sets pass over the
 * equality rows (analysis/margins-pg.ts, issue #19) instead of the five-way combinations grouped again six times.
 * Every scope, sliced by its family or not, gives the margins of the portable statement
 * (ANALYSIS_PG_MARGIN_SETS=off) and of the plain queries (ANALYSIS_AGGREGATES=off), on both engines (SQLite's
 * statement is the portable one either way); and on PostgreSQL the statement groups the rows once.
 */
import { expect, it } from 'vitest';
import { CompiledQuery } from 'kysely';
import { describeEachEngine } from './helpers/databases';
import { demoLikeSuite } from './helpers/demo-like';
import { equalitySummary } from '../src/lib/server/analysis/queries';
import { scopeOf } from '../src/lib/server/analysis/scope';
import { parseFilters } from '../src/lib/analysis/filters';
import { timePgQueries } from '../scripts/lib/pg-query-timing';

type PlanNode = { 'Node Type': string; Plans?: PlanNode[] };

/** The plan's grouping steps (each Aggregate node reads its input and groups it). */
function aggregates(node: PlanNode): number {
	return (node['Node Type'] === 'Aggregate' ? 1 : 0) + (node.Plans ?? []).reduce((n, p) => n + aggregates(p), 0);
}

describeEachEngine('equality margins from grouping sets (PostgreSQL)', (engine) => {
	const data = demoLikeSuite(engine, {
		env: { ANALYSIS_CACHE: 'off' },
		restore: ['ANALYSIS_PG_MARGIN_SETS', 'ANALYSIS_AGGREGATES', 'ANALYSIS_EQUALITY_MARGINS', 'ANALYSIS_KEPT_MARGINS']
	});
	const timings = engine === 'postgres' ? timePgQueries() : [];

	/** The summary of `qs` with the margins' switches on and then `env`; each margin's values sorted. */
	const summary = async (qs: string, env: Record<string, string>) => {
		Object.assign(process.env, {
			ANALYSIS_AGGREGATES: 'on',
			ANALYSIS_EQUALITY_MARGINS: 'on',
			ANALYSIS_PG_MARGIN_SETS: 'on',
			// The statement forms compared here are the path without the kept margins (migration 2026-12-11-0600,
			// tests/analysis-channel-equality.test.ts compares those).
			ANALYSIS_KEPT_MARGINS: 'off',
			...env
		});
		const r = await equalitySummary(data.fresh.db, scopeOf(data.fx.c, parseFilters(new URLSearchParams(qs))));
		return {
			completed: r.completed,
			margins: Object.fromEntries(Object.entries(r.margins).map(([f, m]) => [f, [...m].sort()]))
		};
	};

	/** Unfiltered, one filter and two, each sliced with its family (min > 0) and not. */
	const filters = () => {
		const [g, h] = data.fx.c.groups.map((x) => x.code);
		const d = data.fx.c.districts[0].code;
		return [
			'',
			`group=${g}`,
			`group=${g}&min=5`,
			`group=${h}&min=5`,
			'group=unknown&min=5',
			`district=${d}&min=5`,
			'district=unknown&min=5',
			`group=${g}&district=${d}&min=5`,
			'channel=online&min=5',
			`channel=library&group=${g}&min=5`,
			'channel=face-to-face&min=5'
		];
	};

	it('gives the margins and completed count of the portable statement and of the plain queries', async () => {
		let values = 0;
		for (const qs of filters()) {
			const fast = await summary(qs, {});
			expect(fast, qs).toEqual(await summary(qs, { ANALYSIS_PG_MARGIN_SETS: 'off' }));
			expect(fast, qs).toEqual(await summary(qs, { ANALYSIS_AGGREGATES: 'off' }));
			values += Object.values(fast.margins).reduce((t, m) => t + m.length, 0);
			if (qs === '') expect(fast.completed).toBeGreaterThan(0);
		}
		// Not a comparison of empty margins.
		expect(values).toBeGreaterThan(100);
	}, 600_000);

	it.runIf(engine === 'postgres')(
		'groups the equality rows once, sliced or not (PostgreSQL)',
		async () => {
			const g = data.fx.c.groups[0].code;
			const d = data.fx.c.districts[0].code;
			for (const qs of ['', `group=${g}&min=5`, `district=${d}&min=5`]) {
				timings.length = 0;
				await summary(qs, {});
				const margins = timings.filter((t) => /eq_sexual_orientation/.test(t.text) && /eq_age_band/.test(t.text));
				expect(margins.length, qs).toBe(1);
				const plan = await data.fresh.db.executeQuery<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
					CompiledQuery.raw(`explain (format json) ${margins[0].text}`, margins[0].values)
				);
				// The combinations and then each margin grouped again: 7 Aggregate nodes; grouping sets: 1.
				expect(aggregates(plan.rows[0]['QUERY PLAN'][0].Plan), qs).toBe(1);
			}
		},
		120_000
	);
});
