/**
 * The dashboard's answers by language, A/B in one process (issue #19): the counts kept by triggers
 * (analysis_agg_language, migration 2026-12-04-0200) against the scan of the consultation's answers it
 * replaced (ANALYSIS_AGGREGATES=off runs the old query unchanged), alternately, on an already generated
 * database. Prints p50 / p95 of the wall time and of the CPU time: this process, plus on PostgreSQL this
 * database's server backends (Linux /proc/<pid>/schedstat, same machine).
 *   DATABASE_URL=file:/tmp/big.sqlite npx tsx scripts/analysis-language-bench.ts [runs]
 */
import os from 'node:os';
import { PostgresAdapter } from 'kysely';
import { openPrepared } from '../src/lib/server/bootstrap';
import { getConsultation } from '../src/lib/server/consultations/queries';
import { answersByLanguage } from '../src/lib/server/i18n/answers';
import { cpuNs } from './lib/cpu-time';
import { SHIPPED_SLUG } from '../src/lib/domain/shipped-consultation';

const runs = Math.min(Number(process.argv[2] ?? 5), 50);
const open = await openPrepared();
const db = open.db;
const pg = db.getExecutor().adapter instanceof PostgresAdapter;
const c = (await getConsultation(db, SHIPPED_SLUG))!;

const q = (xs: number[], p: number) =>
	[...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(p * xs.length) - 1)];

const modes = { kept: [] as number[][], scan: [] as number[][] };
let same = true;
const last: Record<string, string> = {};
for (let i = 0; i < runs; i++)
	for (const mode of i % 2 ? (['scan', 'kept'] as const) : (['kept', 'scan'] as const)) {
		if (mode === 'scan') process.env.ANALYSIS_AGGREGATES = 'off';
		else delete process.env.ANALYSIS_AGGREGATES;
		const cpu0 = await cpuNs(db);
		const t0 = performance.now();
		const out = await answersByLanguage(db, c.id);
		const wall = performance.now() - t0;
		const cpu = ((await cpuNs(db)) - cpu0) / 1e6;
		modes[mode].push([wall, cpu]);
		last[mode] = JSON.stringify(out);
		if (last.kept && last.scan && last.kept !== last.scan) same = false;
	}
delete process.env.ANALYSIS_AGGREGATES;
const n = await db
	.selectFrom('answer')
	.select((e) => e.fn.countAll<number>().as('n'))
	.executeTakeFirstOrThrow();
console.log(
	`${pg ? 'PostgreSQL' : 'SQLite'}, ${Number(n.n).toLocaleString('en-GB')} answers, ${runs} runs each, alternating; load average ${os
		.loadavg()
		.map((l) => l.toFixed(1))
		.join(' ')}; results identical: ${same}`
);
for (const [mode, xs] of Object.entries(modes)) {
	const wall = xs.map((x) => x[0]);
	const cpu = xs.map((x) => x[1]);
	console.log(
		`${mode === 'kept' ? 'kept counts ' : 'answer scan '} wall p50 / p95 ${q(wall, 0.5).toFixed(1)} / ${q(wall, 0.95).toFixed(1)} ms, CPU ${q(cpu, 0.5).toFixed(1)} / ${q(cpu, 0.95).toFixed(1)} ms`
	);
}
await open.close();
