/**
 * Where one page's database CPU goes on PostgreSQL: every statement a dashboard (or the quotes page: `quotes`)
 * runs is captured at the driver, then replayed alone on one connection `rounds` times, and each statement's
 * backend CPU (/proc/<pid>/schedstat; parallel workers not counted: run with max_parallel_workers_per_gather = 0
 * set for the replay, so a plan that would go parallel is charged in one process) is printed, the costliest first.
 *   DATABASE_URL=postgres://…/db npx tsx scripts/bench/lib/pg-page-statements.ts dashboard 'group=child' [rounds] [top]
 */
import fs from 'node:fs';
import os from 'node:os';
import pg from 'pg';
import { openPrepared } from '../../../src/lib/server/bootstrap';
import { getConsultation } from '../../../src/lib/server/consultations/queries';
import { parseFilters, UNKNOWN } from '../../../src/lib/analysis/filters';
import { dashboardTables } from '../../../src/lib/server/analysis/registry';
import { activeThemes } from '../../../src/lib/server/analysis/queries';
import { suggestQuotes } from '../../../src/lib/server/review/quotes';
import { timePgQueries } from '../../lib/pg-query-timing';
import { scopeOf } from '../../../src/lib/server/analysis/scope';
import { headline } from '../../../src/lib/server/analysis/dashboard';
import { methodFacts } from '../../../src/lib/server/sample-check/method';
import { readingCoverage } from '../../../src/lib/server/safeguarding/reading';
import { answersByLanguage } from '../../../src/lib/server/i18n/answers';

process.env.ANALYSIS_CACHE = 'off';
const [view = 'dashboard', qs = '', roundsArg = '3', topArg = '12'] = process.argv.slice(2);
const timings = timePgQueries();
const open = await openPrepared();
const c = (await getConsultation(open.db, 'worcestershire-cypp-2017'))!;
const f = parseFilters(new URLSearchParams(qs));
timings.length = 0;
if (view === 'quotes') {
	const question = c.questions.find((q) => q.key === f.question) ?? c.questions[0];
	const group = f.group === UNKNOWN || c.groups.some((g) => g.code === f.group) ? (f.group ?? null) : null;
	const themes = await activeThemes(open.db, [question.id]);
	await Promise.all(themes.map((t) => suggestQuotes(open.db, t.id, 6, { group })));
} else {
	// As the dashboard's load asks (routes/admin/c/[slug]/+page.server.ts), the layout's reads left out.
	const scope = scopeOf(c, f);
	await Promise.all([
		headline(open.db, scope),
		dashboardTables(open.db, c, f, '/', scope),
		methodFacts(open.db, c),
		readingCoverage(open.db, c.id),
		answersByLanguage(open.db, c.id)
	]);
}
await new Promise((r) => setTimeout(r, 50));
const statements = timings
	.filter((t) => !/^(begin|commit|rollback|set local)/i.test(t.text.trim()))
	.map((t) => ({ text: t.text, values: t.values }));
await open.close();
const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
await client.connect();
await client.query('set max_parallel_workers_per_gather = 0');
const pid = (await client.query('select pg_backend_pid() as p')).rows[0].p;
const cpu = () => Number(fs.readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
const costs = statements.map(() => [] as number[]);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (let r = 0; r < Number(roundsArg); r++)
	for (const [i, s] of statements.entries()) {
		const c0 = cpu();
		await client.query(s.text, s.values);
		costs[i].push(cpu() - c0);
	}
const rows = statements.map((s, i) => ({ ms: median(costs[i]), s })).sort((a, b) => b.ms - a.ms);
const total = rows.reduce((t, r) => t + r.ms, 0);
console.log(
	`${view} ${qs || '-'}: ${statements.length} statements, ${total.toFixed(1)} ms backend CPU (medians of ${roundsArg}); load ${os.loadavg()[0].toFixed(1)}`
);
// EXPLAIN_TOP=1: the costliest statement's plan (ANALYZE, BUFFERS), as the replay ran it.
if (process.env.EXPLAIN_TOP) {
	const plan = await client.query(`explain (analyze, buffers) ${rows[0].s.text}`, rows[0].s.values);
	console.log(`${rows[0].s.text}\n${JSON.stringify(rows[0].s.values)}`);
	console.log(plan.rows.map((r) => r['QUERY PLAN']).join('\n'));
}
for (const r of rows.slice(0, Number(topArg)))
	console.log(`${r.ms.toFixed(1).padStart(7)} ${r.s.text.replace(/\s+/g, ' ').slice(0, 260)}`);
await client.end();
