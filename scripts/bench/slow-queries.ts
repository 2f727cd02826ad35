/**
 * The slowest SQL statements of one analysis view on PostgreSQL, to find a bad plan: every query the
 * view runs (its wider and sibling views included) is timed at the driver, and the slowest are printed
 * with their parameters, ready for EXPLAIN (ANALYZE, BUFFERS). Result cache off.
 *   DATABASE_URL=postgres://…/db npx tsx scripts/bench/slow-queries.ts report 'district=bromsgrove' [top]
 * Views: report, dashboard, themes.
 */
import pg from 'pg';
import { openPrepared } from '../../src/lib/server/bootstrap';
import { getConsultation } from '../../src/lib/server/consultations/queries';
import { parseFilters } from '../../src/lib/analysis/filters';
import { scopeOf } from '../../src/lib/server/analysis/scope';
import { questionThemeTables } from '../../src/lib/server/analysis/dashboard';
import { dashboardTables } from '../../src/lib/server/analysis/registry';
import { reportData } from '../../src/lib/server/report/data';
import { SHIPPED_SLUG } from '../../src/lib/domain/shipped-consultation';

process.env.ANALYSIS_CACHE = 'off';
const [view = 'report', query = '', topArg = '10'] = process.argv.slice(2);

const timings: { ms: number; text: string; values: unknown[] }[] = [];
type Query = (this: pg.Client, ...args: unknown[]) => unknown;
const original = pg.Client.prototype.query as unknown as Query;
(pg.Client.prototype as unknown as { query: Query }).query = function (this: pg.Client, ...args: unknown[]) {
	const [config, values] = args as [string | { text: string; values?: unknown[] }, unknown[] | undefined];
	const text = typeof config === 'string' ? config : config.text;
	const vals = (typeof config === 'string' ? values : (config.values ?? values)) ?? [];
	const t = performance.now();
	const out = original.apply(this, args);
	if (out && typeof (out as Promise<unknown>).then === 'function')
		(out as Promise<unknown>).then(
			() => timings.push({ ms: performance.now() - t, text, values: vals }),
			() => undefined
		);
	return out;
};

const open = await openPrepared();
const c = (await getConsultation(open.db, SHIPPED_SLUG))!;
const f = parseFilters(new URLSearchParams(query));
const s = scopeOf(c, f);
const rule = { top: 5, minPct: 10 };
const t0 = performance.now();
if (view === 'report') await reportData(open.db, c, f, s, rule, '/');
else if (view === 'dashboard') await dashboardTables(open.db, c, f, '/');
else
	await Promise.all(c.questions.map((q) => questionThemeTables(open.db, c, s, q.key, rule, { base: '/', filters: f })));
const total = performance.now() - t0;
timings.sort((a, b) => b.ms - a.ms);
const sum = timings.reduce((t, q) => t + q.ms, 0);
console.log(`${view} ?${query}: ${total.toFixed(0)} ms wall, ${timings.length} queries, ${sum.toFixed(0)} ms summed`);
for (const q of timings.slice(0, Number(topArg)))
	console.log(`\n${q.ms.toFixed(1)} ms  ${JSON.stringify(q.values)}\n${q.text}`);
await open.close();
