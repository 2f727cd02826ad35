/**
 * The dashboard's reading coverage, from the kept counts (migration 2026-12-02-0200) and counted over
 * the answers (ANALYSIS_AGGREGATES=off, as before), interleaved A, B, A, B on one database: wall and CPU
 * p50 / p95 ms. CPU is this process's plus, on PostgreSQL, this database's server backends (Linux /proc).
 *   DATABASE_URL=postgres://…/db npx tsx scripts/bench/reading-coverage.ts [runs]
 */
import os from 'node:os';
import { PostgresAdapter } from 'kysely';
import { openPrepared } from '../../src/lib/server/bootstrap';
import { getConsultation } from '../../src/lib/server/consultations/queries';
import { readingCoverage } from '../../src/lib/server/safeguarding/reading';
import { cpuNs } from '../lib/cpu-time';
import { SHIPPED_SLUG } from '../../src/lib/domain/shipped-consultation';

const runs = Number(process.argv[2] ?? 10);
const open = await openPrepared();
const c = (await getConsultation(open.db, SHIPPED_SLUG))!;
const pg = open.db.getExecutor().adapter instanceof PostgresAdapter;

const modes = { kept: 'on', counted: 'off' } as const;
const results: Record<string, { wall: number[]; cpu: number[] }> = {
	kept: { wall: [], cpu: [] },
	counted: { wall: [], cpu: [] }
};
const figures: Record<string, string> = {};
console.log(
	`${pg ? 'PostgreSQL' : 'SQLite'}; load ${os
		.loadavg()
		.map((l) => l.toFixed(1))
		.join(' ')}`
);
for (let i = 0; i < runs + 1; i++)
	for (const [name, agg] of Object.entries(modes)) {
		process.env.ANALYSIS_AGGREGATES = agg;
		const c0 = await cpuNs(open.db);
		const t = performance.now();
		const cov = await readingCoverage(open.db, c.id);
		const wall = performance.now() - t;
		const cpu = ((await cpuNs(open.db)) - c0) / 1e6;
		figures[name] = JSON.stringify(cov);
		if (i > 0) {
			results[name].wall.push(wall);
			results[name].cpu.push(cpu);
		}
	}
const q = (xs: number[], p: number) =>
	[...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(p * xs.length) - 1)];
for (const [name, r] of Object.entries(results))
	console.log(
		`${name}: wall p50 ${q(r.wall, 0.5).toFixed(1)} p95 ${q(r.wall, 0.95).toFixed(1)} ms; cpu p50 ${q(r.cpu, 0.5).toFixed(1)} p95 ${q(r.cpu, 0.95).toFixed(1)} ms; ${figures[name]}`
	);
console.log(
	`same figures: ${figures.kept === figures.counted}; load ${os
		.loadavg()
		.map((l) => l.toFixed(1))
		.join(' ')}`
);
await open.close();
