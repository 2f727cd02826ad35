/**
 * The query shapes of one analysis view on PostgreSQL (issue #19: which shapes dominate a view's time): every
 * query the view runs (its wider and sibling views included) is timed at the driver as in
 * scripts/bench/slow-queries.ts, then grouped by its SQL text (parameters apart) and the shapes printed by
 * summed time, with how many times each ran and the base tables it names. Result cache off. Concurrent
 * queries overlap, so the sums are a ranking, not a breakdown of the wall time.
 * On SQLite only the view's wall and CPU time are printed (the A/B of ANALYSIS_SUBMISSION_CUBE=off).
 *   DATABASE_URL=postgres://…/db npx tsx scripts/analysis-shapes.ts dashboard 'question=q1&theme=1' [top]
 * Views: report, dashboard, themes. SLOW_QUERIES_NO_MIGRATE=1 opens the database as it is (a read-only
 * database, with PGOPTIONS='-c default_transaction_read_only=on'): nothing is migrated or loaded.
 */
import os from 'node:os';
import { PostgresAdapter, sql } from 'kysely';
import { configFromEnv, openPrepared } from '../src/lib/server/bootstrap';
import { openDatabase } from '../src/lib/server/db/connect';
import { getConsultation } from '../src/lib/server/consultations/queries';
import { parseFilters } from '../src/lib/analysis/filters';
import { scopeOf } from '../src/lib/server/analysis/scope';
import { questionThemeTables } from '../src/lib/server/analysis/dashboard';
import { dashboardTables } from '../src/lib/server/analysis/registry';
import { reportData } from '../src/lib/server/report/data';
import { timePgQueries } from './lib/pg-query-timing';
import { cpuNs } from './lib/cpu-time';
import { SHIPPED_SLUG } from '../src/lib/domain/shipped-consultation';

process.env.ANALYSIS_CACHE = 'off';
const [view = 'report', query = '', topArg = '10'] = process.argv.slice(2);

const timings = timePgQueries();

const open = process.env.SLOW_QUERIES_NO_MIGRATE ? await openDatabase(configFromEnv()) : await openPrepared();
// SQLite: no shapes (the driver is not patched), only the view's wall and CPU time (this process).
const isPg = open.db.getExecutor().adapter instanceof PostgresAdapter;
const c = (await getConsultation(open.db, SHIPPED_SLUG))!;
const f = parseFilters(new URLSearchParams(query));
const s = scopeOf(c, f);
const rule = { top: 5, minPct: 10 };
// Warm the pool so that every backend the view uses is there before and after (its CPU is counted).
if (isPg) await Promise.all(Array.from({ length: 10 }, () => sql`select pg_sleep(0.05)`.execute(open.db)));
const cpu0 = await cpuNs(open.db);
const own0 = process.cpuUsage();
const t0 = performance.now();
if (view === 'report') await reportData(open.db, c, f, s, rule, '/');
else if (view === 'dashboard') await dashboardTables(open.db, c, f, '/');
else
	await Promise.all(c.questions.map((q) => questionThemeTables(open.db, c, s, q.key, rule, { base: '/', filters: f })));
const total = performance.now() - t0;
const own = process.cpuUsage(own0);
const cpu = ((await cpuNs(open.db)) - cpu0) / 1e6;
const ownMs = (own.user + own.system) / 1000;
const shapes = new Map<string, { ms: number; count: number }>();
for (const q of timings) {
	const e = shapes.get(q.text) ?? { ms: 0, count: 0 };
	e.ms += q.ms;
	e.count++;
	shapes.set(q.text, e);
}
const sum = timings.reduce((t, q) => t + q.ms, 0);
console.log(
	`${view} ?${query}: ${total.toFixed(0)} ms wall, ${cpu.toFixed(0)} ms CPU (${ownMs.toFixed(0)} of it this process, the rest the backends), ${timings.length} queries in ${shapes.size} shapes, ${sum.toFixed(0)} ms summed; load ${os.loadavg()[0].toFixed(1)}`
);
const BASE = ['answer', 'submission', 'perspective', 'answer_theme'];
for (const [text, e] of [...shapes].sort((a, b) => b[1].ms - a[1].ms).slice(0, Number(topArg))) {
	const base = BASE.filter((t) => new RegExp(`(from|join) "?${t}"?\\b`, 'i').test(text));
	console.log(`\n${e.ms.toFixed(0)} ms in ${e.count} runs; base tables: ${base.join(' ') || 'none'}\n${text}`);
}
await open.close();
