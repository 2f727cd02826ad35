/**
 * A/B of the submission path on a shared machine: starts the built server once per variant (the same build, each
 * with its own environment, e.g. `CODING_MAX_DEFER_MS=0`), then runs the survey bench's load against each in turn,
 * interleaved, for several rounds, with the floor in every round, and prints each run's rate and CPU per stored
 * submission by thread (from /proc: main thread, the engine's worker, V8's helpers, libuv), with the load average.
 * Usage: tsx scripts/bench/lib/ab-submissions.ts ROUNDS SECONDS 'A:' 'B:CODING_MAX_DEFER_MS=0' ...
 * (each variant is NAME:VAR=VALUE,VAR=VALUE; AB_ENTRY=path/to/index.js runs another build, e.g. a copy of the last one). AB_SETTLE_SECONDS=N: the CPU is read N s after the load ends, so
 * work a variant leaves for later (background coding) is counted against its own submissions.
 * Each line also gives p50/p99 latency, the load client's own CPU per request (autocannon runs in this process, on
 * the same two cores) and how busy the server's main thread was (CPU ms per wall ms; AB_CONNECTIONS sets the
 * client concurrency, 10 by default) and the bytes the server wrote to disk per submission (/proc/PID/io).
 * AB_IDS=v7 in a variant: its load sends time-ordered ids (UUID version 7, as the server's own survey drafts make
 * them) instead of random ones (version 4); the floor keeps random ones. AB_DB=path (for every variant): each
 * variant's database starts as a copy of that file (e.g. one grown by grow-submissions.ts with GROW_KEEP), so the
 * rounds run on a grown database (a copy's first writes cost more than later ones: the first round is then
 * start-up). AB_GROW=N (for every variant): before the rounds, N submissions through each variant's own server, in
 * its own ids (the database grown in place, as a long run grows it; not measured).
 * AB_DOWN=migration-name in a variant: its database is migrated and then that migration's `down` is run before the
 * server starts (the schema before it, e.g. the indexes it dropped): the old schema on the same build, bench only.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startProductionBuild, type RunningServer } from '../../lib/server';
import { openPrepared } from '../../../src/lib/server/bootstrap';
import { migrations } from '../../../src/lib/server/db/migrations';
import { loadAverage, parseVariants, startFloor, submissionLoad, submissionsUrl, warmUp } from './submissions';

const [rounds, seconds] = [Number(process.argv[2] ?? 3), Number(process.argv[3] ?? 10)];
/** Client concurrency (AB_CONNECTIONS, default 10 as the survey bench): more shows capacity rather than latency. */
const CONNECTIONS = Number(process.env.AB_CONNECTIONS ?? 10);
const SETTLE_SECONDS = Number(process.env.AB_SETTLE_SECONDS ?? 0);
const variants = parseVariants(process.argv.slice(4));
if (variants.length === 0) throw new Error('usage: ab-submissions.ts ROUNDS SECONDS NAME:VAR=VALUE ...');

/** CPU ms so far per thread name (main thread is the process's own name), from /proc/PID/task. */
function threadCpu(pid: number): Map<string, number> {
	const out = new Map<string, number>();
	for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
		let stat: string;
		try {
			stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
		} catch {
			continue; // the thread ended
		}
		const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
		// Worker and helper threads all carry the process's name: told apart by thread id (oldest first).
		const name = tid === String(pid) ? 'main' : `${comm.replace(/[0-9]+$/, '').trim()}#${tid}`;
		const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		out.set(name, (out.get(name) ?? 0) + (Number(f[11]) + Number(f[12])) * 10);
	}
	return out;
}

/** Bytes this process has sent to the storage layer so far (/proc/PID/io write_bytes: the log and the file). */
function writeBytes(pid: number): number {
	const m = /^write_bytes: (\d+)$/m.exec(fs.readFileSync(`/proc/${pid}/io`, 'utf8'));
	return m ? Number(m[1]) : 0;
}

async function measure(url: string, pid: number, ids: 'v4' | 'v7' = 'v4') {
	const before = threadCpu(pid);
	const bytesBefore = writeBytes(pid);
	const clientBefore = process.cpuUsage();
	const started = performance.now();
	const r = await submissionLoad(url, { seconds, connections: CONNECTIONS, ids });
	const wallMs = performance.now() - started;
	// The load client (autocannon, this process) shares the two cores with the server: its CPU per request too.
	const clientUsage = process.cpuUsage(clientBefore);
	await new Promise((resolve) => setTimeout(resolve, SETTLE_SECONDS * 1000));
	const after = threadCpu(pid);
	const n = Math.max(1, r.total);
	// Written to disk per stored submission (the log, and the checkpoints' copies into the file), in KB.
	const writtenKb = (writeBytes(pid) - bytesBefore) / 1024 / n;
	const per = [...after]
		.map(([k, v]) => [k, (v - (before.get(k) ?? 0)) / n] as const)
		.filter(([, v]) => v > 0.05)
		.sort((a, b) => b[1] - a[1]);
	const total = per.reduce((s, [, v]) => s + v, 0);
	const client = (clientUsage.user + clientUsage.system) / 1000 / n;
	// How busy the main thread was over the run (1.00 = one core all the time): is the server main-thread bound?
	const mainBusy = ((after.get('main') ?? 0) - (before.get('main') ?? 0)) / wallMs;
	return { r, total, per, client, mainBusy, writtenKb };
}

/** Latency and the whole run's accounting, for one line of output. */
const detail = (m: Awaited<ReturnType<typeof measure>>) =>
	`p50 ${m.r.p50} ms, p99 ${m.r.p99} ms, client ${m.client.toFixed(2)} ms CPU/req, main thread busy ${m.mainBusy.toFixed(2)}, written ${m.writtenKb.toFixed(1)} KB/sub`;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consult-ab-'));
const servers: RunningServer[] = [];
try {
	for (const [i, v] of variants.entries()) {
		const port = Number(process.env.AB_PORT ?? 3280) + i;
		const file = path.join(dir, `${v.name}.sqlite`);
		if (process.env.AB_DB) fs.copyFileSync(process.env.AB_DB, file);
		if (v.env.AB_DOWN) {
			const down = migrations[v.env.AB_DOWN]?.down;
			if (!down) throw new Error(`AB_DOWN: no migration ${v.env.AB_DOWN} with a down`);
			const open = await openPrepared({ kind: 'sqlite', path: file });
			await down(open.db);
			await open.close();
		}
		servers.push(
			await startProductionBuild(
				v.env.AB_ENTRY ?? 'build/index.js',
				{
					DATABASE_URL: `file:${file}`,
					SURVEY_RATE_LIMIT: '100000000',
					SURVEY_MAX_CONCURRENT: '100000',
					SURVEY_MAX_PER_SECOND: '100000000',
					SURVEY_MIN_SECONDS: '0',
					...v.env
				},
				{ port, timeoutMs: Number(process.env.AB_READY_SECONDS ?? 60) * 1000 }
			)
		);
		await warmUp(submissionsUrl(servers[i].url));
		const grow = Number(process.env.AB_GROW ?? 0);
		if (grow > 0) {
			const ids = v.env.AB_IDS === 'v7' ? 'v7' : 'v4';
			const started = performance.now();
			const g = await submissionLoad(submissionsUrl(servers[i].url), {
				seconds: 3600,
				amount: grow,
				connections: CONNECTIONS,
				ids
			});
			console.log(
				`${v.name}: grown by ${g.total} submissions in ${((performance.now() - started) / 1000).toFixed(0)} s (${g.non2xx} non-2xx)`
			);
		}
	}
	const floor = await startFloor(dir);
	try {
		for (let round = 1; round <= rounds; round++) {
			const f = await measure(floor.url, floor.child.pid!);
			console.log(
				`round ${round} floor: ${f.r.rps.toFixed(0)}/s, ${f.total.toFixed(2)} ms CPU/sub [${f.per.map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')}], ${detail(f)}; load ${loadAverage()}`
			);
			// Alternate the order each round, so neither variant always runs first.
			const order = round % 2 ? variants.map((_, i) => i) : variants.map((_, i) => variants.length - 1 - i);
			for (const i of order) {
				const ids = variants[i].env.AB_IDS === 'v7' ? 'v7' : 'v4';
				const m = await measure(submissionsUrl(servers[i].url), servers[i].process.pid!, ids);
				console.log(
					`round ${round} ${variants[i].name}: ${m.r.rps.toFixed(0)}/s (ratio ${(m.r.rps / f.r.rps).toFixed(2)}), ${m.total.toFixed(2)} ms CPU/sub [${m.per.map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')}] ${detail(m)}, non-2xx ${m.r.non2xx}; load ${loadAverage()}`
				);
			}
		}
	} finally {
		await floor.stop();
	}
} finally {
	for (const s of servers) await s.stop('SIGTERM', 30_000);
	fs.rmSync(dir, { recursive: true, force: true });
}
