// npx tsx scripts/bench/pg49-fold-ab.ts: the instances bench's throughput phase (scripts/bench/instances.bench.ts,
// part 1) as an interleaved A/B of WRITER_FOLD_PG (issue 18, helper pg49). Needs TEST_DATABASE_URL.
// Each arm gets a fresh copy of one prepared database (CREATE DATABASE … TEMPLATE), two production servers started
// with WRITER_FOLD_PG=on or off, then: one instance (A, 10 connections) for BENCH_SECONDS, two instances (A and B, 10
// connections each) for BENCH_SECONDS, PostgreSQL's sessions sampled meanwhile (Lock:transactionid per sample), the
// servers' CPU per submission, and at the end whether the kept aggregates equal a rebuild. Arms alternate in order
// round by round (on/off, off/on, …), BENCH_ROUNDS rounds, for each coder mode of BENCH_CODING (comma list):
// `out` (CODING_DELAY_MS = CODING_MAX_DEFER_MS = CODING_POLL_MS = 3600000 on both: the writer's own part) and
// `on` (as the instances bench: A's coding idle, B polls every 200 ms and codes the new answers).
import fs from 'node:fs';
import path from 'node:path';
import { ensureBuild } from '../lib/build';
import { startProductionBuild, type RunningServer } from '../lib/server';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../lib/throwaway-db';
import { cpuMs, loadAverage, measuredLoad, submissionLoad, submissionsUrl, warmUp } from './lib/submissions';
import { describeWaits, sampleWaits, type WaitTally } from './lib/pg-waits';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CODING = (process.env.BENCH_CODING ?? 'out,on').split(',');
const PREFIX = process.env.BENCH_PG_PREFIX ?? 'pg49_bench';
const log = (line: string) => console.log(line);

async function prepare(url: string) {
	const { openDatabase } = await import('../../src/lib/server/db/connect');
	const { prepareDatabase } = await import('../../src/lib/server/bootstrap');
	const open = await openDatabase({ kind: 'postgres', url });
	try {
		await prepareDatabase(open);
	} finally {
		await open.close();
	}
}

/** Whether the kept aggregates equal a rebuild (rows counting nothing left out), and how many submissions. */
async function rebuildCheck(url: string): Promise<string> {
	const { openDatabase } = await import('../../src/lib/server/db/connect');
	const { AGGREGATE_TABLES, rebuildAggregates } = await import('../../src/lib/server/analysis/aggregates');
	const open = await openDatabase({ kind: 'postgres', url });
	try {
		const db = open.db;
		const snap = async () => {
			const out: string[] = [];
			for (const t of AGGREGATE_TABLES) {
				const rows = (await db.selectFrom(t).selectAll().execute()) as Record<string, unknown>[];
				out.push(
					...rows
						.map((r) =>
							Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' ? v : Number(v)]))
						)
						.filter((r) => r.n !== 0 || (r.coded ?? 0) !== 0 || (r.demo ?? 0) !== 0 || (r.n_read ?? 0) !== 0)
						.map((r) => `${t} ${JSON.stringify(r)}`)
				);
			}
			return out.sort();
		};
		const kept = await snap();
		await rebuildAggregates(db);
		const rebuilt = await snap();
		const n = Number((await db.selectFrom('submission').select(db.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
		const same = JSON.stringify(kept) === JSON.stringify(rebuilt);
		return `${n} submissions; aggregates ${same ? 'equal a rebuild' : 'DIFFER from a rebuild'}`;
	} finally {
		await open.close();
	}
}

const lockShare = (t: WaitTally) =>
	([...t.byWait].find(([k]) => k === 'active / Lock:transactionid')?.[1] ?? 0) / Math.max(1, t.samples);

interface ArmResult {
	one: number;
	two: number;
	oneCpu: number;
	twoCpu: number;
	oneLock: number;
	twoLock: number;
}

async function arm(template: string, fold: 'on' | 'off', coding: string, label: string): Promise<ArmResult> {
	const pgUrl = process.env.TEST_DATABASE_URL!;
	let made: ThrowawayDatabase | null = null;
	let a: RunningServer | null = null;
	let b: RunningServer | null = null;
	const copy = path.join('node_modules', '.cache', `pg49-fold-build-${process.pid}`);
	try {
		made = await createThrowawayDatabase('postgres', pgUrl, PREFIX, { url: template });
		const env = {
			DATABASE_URL: made.url,
			BODY_SIZE_LIMIT: '25M',
			SURVEY_RATE_LIMIT: '100000000',
			SURVEY_MAX_CONCURRENT: '100000',
			SURVEY_MAX_PER_SECOND: '100000000',
			SURVEY_MIN_SECONDS: '0',
			WRITER_FOLD_PG: fold
		};
		const out = { CODING_DELAY_MS: '3600000', CODING_MAX_DEFER_MS: '3600000', CODING_POLL_MS: '3600000' };
		if (!fs.existsSync(copy)) fs.cpSync('build', copy, { recursive: true });
		const index = path.join(copy, 'index.js');
		a = await startProductionBuild(index, {
			...env,
			...(coding === 'out' ? out : { CODING_POLL_MS: '600000', CODING_DELAY_MS: '600000' })
		});
		b = await startProductionBuild(index, { ...env, ...(coding === 'out' ? out : { CODING_POLL_MS: '200' }) });
		const A = a;
		const B = b;
		await Promise.all([warmUp(submissionsUrl(A.url)), warmUp(submissionsUrl(B.url))]);
		let sampler = await sampleWaits(made.url);
		const one = await measuredLoad(submissionsUrl(A.url), A.process.pid!, { seconds: SECONDS });
		const oneWaits = await sampler.stop();
		sampler = await sampleWaits(made.url);
		const cpu0 = cpuMs(A.process.pid!) + cpuMs(B.process.pid!);
		const [twoA, twoB] = await Promise.all([
			submissionLoad(submissionsUrl(A.url), { seconds: SECONDS }),
			submissionLoad(submissionsUrl(B.url), { seconds: SECONDS })
		]);
		const twoCpu = (cpuMs(A.process.pid!) + cpuMs(B.process.pid!) - cpu0) / Math.max(1, twoA.total + twoB.total);
		const twoWaits = await sampler.stop();
		const r: ArmResult = {
			one: one.rps,
			two: twoA.rps + twoB.rps,
			oneCpu: one.cpuMsPerRequest,
			twoCpu,
			oneLock: lockShare(oneWaits),
			twoLock: lockShare(twoWaits)
		};
		log(
			`${label} fold=${fold} coding=${coding}: one ${one.rps.toFixed(0)} req/s (p99 ${one.p99} ms, ${one.cpuMsPerRequest.toFixed(2)} ms CPU/sub, Lock:transactionid ${r.oneLock.toFixed(2)}, ${one.non2xx + one.errors} bad); two ${r.two.toFixed(0)} req/s together (A p99 ${twoA.p99} ms, B p99 ${twoB.p99} ms, ${twoCpu.toFixed(2)} ms CPU/sub both servers, Lock:transactionid ${r.twoLock.toFixed(2)}, ${twoA.non2xx + twoA.errors + twoB.non2xx + twoB.errors} bad); load ${loadAverage()}`
		);
		for (const l of describeWaits(twoWaits, 3)) log(`    two: ${l}`);
		await Promise.all([A.stop(), B.stop()]);
		a = b = null;
		log(`    ${await rebuildCheck(made.url)}`);
		return r;
	} finally {
		for (const s of [a, b])
			if (s && s.process.exitCode !== null) log(`  a server stopped early:\n${s.output().slice(-2000)}`);
		await Promise.all([a?.stop(), b?.stop()]);
		await made?.drop().catch(() => {});
	}
}

async function main() {
	if (!process.env.TEST_DATABASE_URL) throw new Error('TEST_DATABASE_URL is not set');
	ensureBuild(process.cwd(), log);
	const template = await createThrowawayDatabase('postgres', process.env.TEST_DATABASE_URL, `${PREFIX}_tpl`);
	const copy = path.join('node_modules', '.cache', `pg49-fold-build-${process.pid}`);
	try {
		await prepare(template.url);
		log(`${SECONDS} s per phase, ${ROUNDS} rounds, coder modes ${CODING.join(', ')}; load at start ${loadAverage()}`);
		const results: Record<string, ArmResult[]> = {};
		for (const coding of CODING)
			for (let round = 0; round < ROUNDS; round++) {
				const order: ('on' | 'off')[] = round % 2 === 0 ? ['on', 'off'] : ['off', 'on'];
				for (const fold of order)
					(results[`${coding}/${fold}`] ??= []).push(await arm(template.url, fold, coding, `round ${round + 1}`));
			}
		const med = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
		for (const [k, rs] of Object.entries(results))
			log(
				`median ${k}: one ${med(rs.map((r) => r.one)).toFixed(0)} req/s, ${med(rs.map((r) => r.oneCpu)).toFixed(2)} ms CPU/sub, lock ${med(rs.map((r) => r.oneLock)).toFixed(2)}; two ${med(rs.map((r) => r.two)).toFixed(0)} req/s, ${med(rs.map((r) => r.twoCpu)).toFixed(2)} ms CPU/sub, lock ${med(rs.map((r) => r.twoLock)).toFixed(2)}`
			);
		log(`load at end ${loadAverage()}`);
	} finally {
		await template.drop().catch(() => {});
		fs.rmSync(copy, { recursive: true, force: true });
	}
}

await main();
