/**
 * Rescoring every answer after a scoring-version bump (backfillRiskScores), in one process, A/B interleaved
 * (A B, B A, …) on one generated database: wall time, the main thread's CPU time (what the event loop, so every
 * request, gives up), the whole process's CPU (worker threads included) and, on PostgreSQL, the backends' CPU.
 * Before each run every answer's score is marked stale (risk_version one below the current).
 *   A: the module RESCORE_BENCH_BASELINE names (e.g. an older ranker.ts copied beside the new one), or the current
 *   B: src/lib/server/safeguarding/ranker.ts (current)
 *   npx tsx scripts/bench/rescore.bench.ts [answers=20000] [rounds=3]   (DATABASE_URL=postgres://… for PostgreSQL)
 */
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { openPrepared } from '../../src/lib/server/bootstrap';
import { parseDatabaseUrl } from '../../src/lib/server/db/config';
import { backfillRiskScores } from '../../src/lib/server/safeguarding/ranker';
import { SCORING_VERSION } from '../../src/lib/safeguarding/version';
import { generateAnswers } from '../generate-answers';
import { createThrowawayDatabase } from '../lib/throwaway-db';
import { backendCpuNs, mainThreadCpuNs } from '../lib/cpu-time';

const total = Math.min(Number(process.argv[2] ?? 20_000), 200_000);
const rounds = Math.min(Number(process.argv[3] ?? 3), 20);
const pgUrl = process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : undefined;
const throwaway = await createThrowawayDatabase(pgUrl ? 'postgres' : 'sqlite', pgUrl, 'consult_rescore');
const open = await openPrepared(parseDatabaseUrl(throwaway.url));
const load = () =>
	os
		.loadavg()
		.map((l) => l.toFixed(1))
		.join(' ');
try {
	const g = await generateAnswers(open.db, { answers: total });
	type Backfill = typeof backfillRiskScores;
	const baseline = process.env.RESCORE_BENCH_BASELINE;
	const modes: Record<'A' | 'B', Backfill> = {
		A: baseline
			? ((await import(pathToFileURL(path.resolve(baseline)).href)) as { backfillRiskScores: Backfill })
					.backfillRiskScores
			: backfillRiskScores,
		B: backfillRiskScores
	};
	const markStale = () =>
		open.db
			.updateTable('answer')
			.set({ risk_version: SCORING_VERSION - 1 })
			.where('text', 'is not', null)
			.execute();
	console.log(
		`${pgUrl ? 'PostgreSQL' : 'SQLite'}, ${g.answers.toLocaleString('en-GB')} answers; A = ${baseline ?? 'current'}; load ${load()}`
	);
	const kept: Record<'A' | 'B', { wall: number[]; main: number[] }> = {
		A: { wall: [], main: [] },
		B: { wall: [], main: [] }
	};
	// Round 0 warms both (and raises the flags the screen gives, so later rounds do the same work) and is not kept.
	for (let round = 0; round <= rounds; round++)
		for (const mode of round % 2 ? (['B', 'A'] as const) : (['A', 'B'] as const)) {
			await markStale();
			const main0 = mainThreadCpuNs();
			const cpu0 = process.cpuUsage();
			const db0 = await backendCpuNs(open.db);
			const t0 = performance.now();
			const n = await modes[mode](open.db);
			const wall = performance.now() - t0;
			const main = (mainThreadCpuNs() - main0) / 1e6;
			const cpu = process.cpuUsage(cpu0);
			const backends = ((await backendCpuNs(open.db)) - db0) / 1e6;
			const line = `${mode} round ${round}: ${n} rescored; wall ${(wall / 1000).toFixed(2)} s, main thread CPU ${(main / 1000).toFixed(2)} s, process CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s${pgUrl ? `, backends ${(backends / 1000).toFixed(2)} s` : ''}; load ${load()}`;
			console.log(line);
			if (round > 0) {
				kept[mode].wall.push(wall / 1000);
				kept[mode].main.push(main / 1000);
			}
		}
	const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)].toFixed(2);
	for (const mode of ['A', 'B'] as const)
		console.log(
			`${mode}: median of ${rounds}: wall ${median(kept[mode].wall)} s, main thread CPU ${median(kept[mode].main)} s`
		);
} finally {
	await open.close();
	await throwaway.drop();
}
