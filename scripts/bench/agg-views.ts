/**
 * The views the aggregates serve, timed in-process on an already generated database, with the
 * aggregates and with ANALYSIS_AGGREGATES=off (the answer-scanning queries), result cache off:
 * all five theme tables, answers per question, the dashboard's tables, the report's figures and the
 * public results page's tables. Prints p50 / p95 wall and CPU per view and mode: this process, plus
 * on PostgreSQL the CPU of this database's server backends (Linux /proc, same machine), so the two
 * engines' CPU figures both include the work of the queries.
 *   DATABASE_URL=file:/tmp/big.sqlite [AGG_VIEWS_MODES=aggregates] [AGG_VIEWS_FILTERS=,district=redditch]
 *     [AGG_VIEWS_ONLY=dashboard,report] npx tsx scripts/bench/agg-views.ts [runs]
 * First the cache check: 2,000 reads of the data version (cache.ts), wall p50 / p95.
 */
import fs from 'node:fs';
import os from 'node:os';
import { PostgresAdapter, sql } from 'kysely';
import { openPrepared } from '../../src/lib/server/bootstrap';
import { getConsultation } from '../../src/lib/server/consultations/queries';
import { parseFilters } from '../../src/lib/analysis/filters';
import { scopeOf } from '../../src/lib/server/analysis/scope';
import { questionThemeTables, questionsTable } from '../../src/lib/server/analysis/dashboard';
import { dashboardTables } from '../../src/lib/server/analysis/registry';
import { reportData } from '../../src/lib/server/report/data';
import { publicResults } from '../../src/lib/server/results';
import { dataVersion } from '../../src/lib/server/analysis/cache';

process.env.ANALYSIS_CACHE = 'off';
const runs = Number(process.argv[2] ?? 5);
const open = await openPrepared();
const c = (await getConsultation(open.db, 'worcestershire-cypp-2017'))!;
const rule = { top: 5, minPct: 10 };
const n = await open.db
	.selectFrom('answer')
	.select((eb) => eb.fn.countAll<number>().as('n'))
	.executeTakeFirstOrThrow();
const pg = open.db.getExecutor().adapter instanceof PostgresAdapter;
/** PostgreSQL: CPU ns so far of each backend connected to this database (schedstat), by pid. */
async function backendCpu(): Promise<Map<number, number>> {
	const out = new Map<number, number>();
	if (!pg) return out;
	const rows = await sql<{
		pid: number;
	}>`select pid from pg_stat_activity where datname = current_database()`.execute(open.db);
	for (const { pid } of rows.rows)
		try {
			out.set(Number(pid), Number(fs.readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]));
		} catch {
			// gone, or not on this machine
		}
	return out;
}
const views: [string, (q: string) => Promise<unknown>][] = [
	[
		'themes, all questions',
		(q) => {
			const f = parseFilters(new URLSearchParams(q));
			const s = scopeOf(c, f);
			return Promise.all(
				c.questions.map((x) => questionThemeTables(open.db, c, s, x.key, rule, { base: '/', filters: f }))
			);
		}
	],
	[
		'answers per question',
		(q) => {
			const f = parseFilters(new URLSearchParams(q));
			return questionsTable(open.db, c, scopeOf(c, f), { base: '/', filters: f });
		}
	],
	['dashboard (every table)', (q) => dashboardTables(open.db, c, parseFilters(new URLSearchParams(q)), '/')],
	[
		'report',
		(q) => {
			const f = parseFilters(new URLSearchParams(q));
			return reportData(open.db, c, f, scopeOf(c, f), rule, '/');
		}
	],
	['public results page tables', () => publicResults(open.db, c, { evenUnpublished: true })]
];
const q = (xs: number[], p: number) =>
	[...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(p * xs.length) - 1)];
console.log(
	`${Number(n.n).toLocaleString('en-GB')} answers, ${runs} runs after 1 warm-up; load ${os
		.loadavg()
		.map((l) => l.toFixed(1))
		.join(' ')}`
);
{
	// The cache check: the data version read before a cached page is served (cache.ts), 2,000 times.
	const times: number[] = [];
	for (let i = 0; i < 2_000; i++) {
		const t = performance.now();
		await dataVersion(open.db);
		times.push(performance.now() - t);
	}
	console.log(
		`cache check (data version read, 2,000): wall p50 ${q(times, 0.5).toFixed(2)} ms, p95 ${q(times, 0.95).toFixed(2)} ms`
	);
}
console.log('view | filters | mode | wall p50 | wall p95 | cpu p50 | cpu p95 (ms)');
const only = process.env.AGG_VIEWS_ONLY?.split(',');
for (const [name, fn] of views.filter(([v]) => !only || only.some((o) => v.startsWith(o))))
	for (const filters of name.startsWith('public')
		? ['']
		: (process.env.AGG_VIEWS_FILTERS ?? ',group=child&district=bromsgrove').split(','))
		for (const mode of (process.env.AGG_VIEWS_MODES ?? 'aggregates,answers').split(',')) {
			if (mode === 'answers') process.env.ANALYSIS_AGGREGATES = 'off';
			else delete process.env.ANALYSIS_AGGREGATES;
			const wall: number[] = [];
			const cpu: number[] = [];
			for (let i = 0; i <= runs; i++) {
				const b0 = await backendCpu();
				const c0 = process.cpuUsage();
				const t = performance.now();
				await fn(filters);
				const w = performance.now() - t;
				const d = process.cpuUsage(c0);
				const b1 = await backendCpu();
				if (i === 0) continue;
				wall.push(w);
				let server = 0;
				for (const [pid, ns] of b1) server += ns - (b0.get(pid) ?? 0);
				cpu.push((d.user + d.system) / 1000 + server / 1e6);
			}
			console.log(
				`${name} | ${filters || '-'} | ${mode} | ${q(wall, 0.5).toFixed(0)} | ${q(wall, 0.95).toFixed(0)} | ${q(cpu, 0.5).toFixed(0)} | ${q(cpu, 0.95).toFixed(0)}`
			);
		}
console.log(
	`load at end ${os
		.loadavg()
		.map((l) => l.toFixed(1))
		.join(' ')}`
);
await open.close();
