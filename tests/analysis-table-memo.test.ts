/**
 * Each scope's tables built once per request (dashboard.ts builtOnce and sameInputs, issue #19): a
 * filtered page's wider and sibling views ask for the same wider views' tables again and again, and a
 * sibling round rebuilds a slice's unchanged tables. What a page shows must not change: every table of
 * the dashboard, each question's themes and two cross-tabs, all built on one request's scope as a page
 * builds them (so the wider views' true counts at threshold 0 and their shown tables share a memo), are
 * compared with the tables built every time (ANALYSIS_TABLE_MEMO=off), on both engines, for one- and
 * two-filter views and another threshold.
 */
import { expect, it } from 'vitest';
import { describeEachEngine } from './helpers/databases';
import { demoLikeSuite } from './helpers/demo-like';
import { parseFilters } from '../src/lib/analysis/filters';
import type { TableData } from '../src/lib/analysis/tables';
import { dashboardTables } from '../src/lib/server/analysis/registry';
import { crossTabTable, questionThemeTables } from '../src/lib/server/analysis/dashboard';
import { scopeOf } from '../src/lib/server/analysis/scope';

describeEachEngine('dashboard tables built once per scope and constraints', (engine) => {
	const data = demoLikeSuite(engine, { env: { ANALYSIS_CACHE: 'off' }, restore: ['ANALYSIS_TABLE_MEMO'] });

	/** Every table of the view on one scope (as one request), one JSON string per table. */
	async function tables(qs: string): Promise<string[]> {
		const filters = parseFilters(new URLSearchParams(qs));
		const s = scopeOf(data.fx.c, filters);
		const out: TableData[] = await dashboardTables(data.fresh.db, data.fx.c, filters, '/b', s);
		for (const q of data.fx.c.questions) {
			const t = await questionThemeTables(
				data.fresh.db,
				data.fx.c,
				s,
				q.key,
				{ top: 5, minPct: 10 },
				{ base: '/b', filters }
			);
			if (t) out.push(t.counts, t.ticks);
		}
		out.push(await crossTabTable(data.fresh.db, data.fx.c, s, 'group', 'district', 'row'));
		out.push(await crossTabTable(data.fresh.db, data.fx.c, s, 'district', 'disability', 'row'));
		return out.map((t) => JSON.stringify(t));
	}

	it('shows the same tables as when every table is built every time', async () => {
		const group = data.fx.c.groups[0].code;
		const [d1, d2] = data.fx.c.districts.map((d) => d.code);
		for (const qs of [
			`district=${d1}`,
			`group=${group}`,
			`group=${group}&district=${d2}`,
			`group=${group}&channel=online`,
			`district=${d1}&min=8`
		]) {
			process.env.ANALYSIS_TABLE_MEMO = 'on';
			const once = await tables(qs);
			process.env.ANALYSIS_TABLE_MEMO = 'off';
			const every = await tables(qs);
			expect(once, qs).toEqual(every);
		}
	}, 600_000);
});
