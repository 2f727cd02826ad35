/**
 * The slowest SQL statements of one analysis view on PostgreSQL, to find a bad plan: every query the
 * view runs (its wider and sibling views included) is timed at the driver, and the slowest are printed
 * with their parameters, ready for EXPLAIN (ANALYZE, BUFFERS). Result cache off.
 *   DATABASE_URL=postgres://…/db npx tsx scripts/bench/slow-queries.ts report 'district=bromsgrove' [top]
 * Views: report, dashboard, themes. SLOW_QUERIES_NO_MIGRATE=1 opens the database as it is (a read-only
 * database, with PGOPTIONS='-c default_transaction_read_only=on'): nothing is migrated or loaded.
 */
import os from 'node:os';
import { sql } from 'kysely';
import { configFromEnv, openPrepared } from '../../src/lib/server/bootstrap';
import { openDatabase } from '../../src/lib/server/db/connect';
import { getConsultation } from '../../src/lib/server/consultations/queries';
import { parseFilters } from '../../src/lib/analysis/filters';
import { scopeOf } from '../../src/lib/server/analysis/scope';
import { questionThemeTables } from '../../src/lib/server/analysis/dashboard';
import { dashboardTables } from '../../src/lib/server/analysis/registry';
import { reportData } from '../../src/lib/server/report/data';
import { timePgQueries } from '../lib/pg-query-timing';
import { cpuNs } from '../lib/cpu-time';
import { SHIPPED_SLUG } from '../../src/lib/domain/shipped-consultation';

process.env.ANALYSIS_CACHE = 'off';
const [view = 'report', query = '', topArg = '10'] = process.argv.slice(2);

const timings = timePgQueries();

const open = process.env.SLOW_QUERIES_NO_MIGRATE ? await openDatabase(configFromEnv()) : await openPrepared();
const c = (await getConsultation(open.db, SHIPPED_SLUG))!;
const f = parseFilters(new URLSearchParams(query));
const s = scopeOf(c, f);
const rule = { top: 5, minPct: 10 };
// Warm the pool so that every backend the view uses is there before and after (its CPU is counted).
await Promise.all(Array.from({ length: 10 }, () => sql`select pg_sleep(0.05)`.execute(open.db)));
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
timings.sort((a, b) => b.ms - a.ms);
const sum = timings.reduce((t, q) => t + q.ms, 0);
console.log(
	`${view} ?${query}: ${total.toFixed(0)} ms wall, ${cpu.toFixed(0)} ms CPU (${ownMs.toFixed(0)} of it this process, the rest the backends), ${timings.length} queries, ${sum.toFixed(0)} ms summed; load ${os.loadavg()[0].toFixed(1)}`
);
for (const q of timings.slice(0, Number(topArg)))
	console.log(`\n${q.ms.toFixed(1)} ms  ${JSON.stringify(q.values)}\n${q.text}`);
await open.close();
