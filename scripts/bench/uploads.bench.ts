// npm run bench -- uploads: for each hostile spreadsheet (made at run time), the
// longest /healthz answer while it is uploaded and refused, and the server's peak
// memory above idle; then the p99 of survey submissions while a 20,000-row import
// commits, against the same load with nothing else running. Built server, SQLite, loopback.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { ensureBuild } from '../lib/build';
import { startServer, type RunningServer } from '../../tests/helpers/server';
import { hostileFiles } from '../lib/hostile-files';
import { commitImport, importCsv, openPreview, signIn, uploadImport } from '../../tests/helpers/officer';
import { describeLoad, parseVariants, SLUG, submissionLoad, submissionsUrl } from './lib/submissions';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const IMPORT_ROWS = 20_000;

/** Resident memory of a process (its worker threads included), from /proc. */
function rssMb(pid: number): number {
	const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
	return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

/** While `work` runs: the slowest /healthz answer (polled back to back) and the peak RSS (sampled every 50 ms). */
async function watch<T>(
	server: RunningServer,
	work: () => Promise<T>
): Promise<{ result: T; slowestMs: number; peakMb: number; failures: number; ms: number }> {
	let stop = false;
	let slowestMs = 0;
	let failures = 0;
	let peakMb = rssMb(server.process.pid!);
	const sampler = setInterval(() => {
		try {
			peakMb = Math.max(peakMb, rssMb(server.process.pid!));
		} catch {
			// the process has gone: the health loop records the failures
		}
	}, 50);
	const health = (async () => {
		const deadline = Date.now() + 180_000;
		while (!stop && Date.now() < deadline) {
			const t = performance.now();
			try {
				const res = await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(10_000) });
				await res.arrayBuffer();
				if (!res.ok) failures++;
			} catch {
				failures++;
			}
			slowestMs = Math.max(slowestMs, performance.now() - t);
			await new Promise((r) => setTimeout(r, 20));
		}
	})();
	const t0 = performance.now();
	try {
		const result = await work();
		return { result, slowestMs, peakMb, failures, ms: performance.now() - t0 };
	} finally {
		stop = true;
		clearInterval(sampler);
		await health;
	}
}

/** Survey submissions from 4 connections until `until` settles or SECONDS pass (the shared bench load). */
const submissions = (url: string, until?: Promise<unknown>) =>
	submissionLoad(submissionsUrl(url), {
		connections: 4,
		seconds: SECONDS,
		until,
		answers: { q1: 'Somewhere safe to meet friends', q2: 'Buses stop too early' }
	});

/** CPU ms so far of a process's main thread and of the whole process (worker threads, thread pool), from /proc. */
function cpuMs(pid: number): { main: number; all: number } {
	const ticks = (stat: string) => {
		const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		return (Number(f[11]) + Number(f[12])) * 10;
	};
	return {
		main: ticks(fs.readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8')),
		all: ticks(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'))
	};
}

/**
 * Variants for an interleaved A/B, each NAME:VAR=VALUE,...: e.g.
 * UPLOADS_BENCH_AB='off:IMPORT_GIVE_WAY_MS=0,IMPORT_CHUNK_MS=8 on: old:UPLOADS_BENCH_BUILD=/tmp/old/build'
 * (UPLOADS_BENCH_ROUNDS rounds, default 3, the order alternating; a fresh database for each run).
 */
function variants(): { name: string; env: Record<string, string> }[] {
	const spec = process.env.UPLOADS_BENCH_AB?.trim();
	if (!spec) return [{ name: '', env: {} }];
	return parseVariants(spec.split(/\s+/));
}

export async function run(log: (line: string) => void): Promise<void> {
	ensureBuild(process.cwd(), log);
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consult-uploads-bench-'));
	const copy = path.join('node_modules', '.cache', `uploads-bench-build-${process.pid}`);
	let server: RunningServer | null = null;
	try {
		const base = path.join(dir, 'base.sqlite');
		const { openDatabase } = await import('../../src/lib/server/db/connect');
		const { prepareDatabase } = await import('../../src/lib/server/bootstrap');
		const { createUser } = await import('../../src/lib/server/users/index');
		const open = await openDatabase({ kind: 'sqlite', path: base });
		await prepareDatabase(open);
		await createUser(open.db, { email: 'officer@bench.test', role: 'officer', password: 'officer-password-1' }, null);
		const consultationId = (await open.db.selectFrom('consultation').select('id').executeTakeFirstOrThrow()).id;
		await open.close();
		const list = variants();
		const rounds = list.length > 1 ? Number(process.env.UPLOADS_BENCH_ROUNDS ?? 3) : 1;
		const ratios = new Map<string, string[]>();
		for (let round = 0; round < rounds; round++) {
			// Interleaved: the order of the variants alternates from round to round.
			for (const v of round % 2 ? [...list].reverse() : list) {
				// A fresh copy of the database for each run: the import's ids are stable, so a second commit of the same
				// file into the same database would find every row already there.
				const file = path.join(dir, `run-${round}-${v.name || 'only'}.sqlite`);
				fs.copyFileSync(base, file);
				if (v.name) log(`--- ${v.name} (round ${round + 1} of ${rounds}; ${JSON.stringify(v.env)}) ---`);
				// UPLOADS_BENCH_BUILD=<folder> in a variant: that build (e.g. the code before a change) instead of build/.
				const { UPLOADS_BENCH_BUILD: build, ...env } = v.env;
				fs.rmSync(copy, { recursive: true, force: true });
				fs.cpSync(build ?? 'build', copy, { recursive: true });
				server = await startServer(path.join(copy, 'index.js'), {
					DATABASE_URL: `file:${file}`,
					BODY_SIZE_LIMIT: '25M',
					SURVEY_RATE_LIMIT: '100000000',
					// The service-wide limit (default 200/s) would refuse most idle-phase submissions with a fast 503 and make
					// the idle p99 the refusal path's; both phases must store what they send to be compared.
					SURVEY_MAX_PER_SECOND: '100000000',
					SURVEY_MIN_SECONDS: '0',
					...env
				});
				const ratio = await runOnce(server, consultationId, log, round === 0 && list.length === 1);
				ratios.set(v.name, [...(ratios.get(v.name) ?? []), ratio]);
				await server.stop();
				server = null;
				fs.rmSync(file, { force: true });
				fs.rmSync(`${file}-wal`, { force: true });
				fs.rmSync(`${file}-shm`, { force: true });
			}
		}
		if (list.length > 1)
			for (const [name, rs] of ratios) log(`${name}: p99 during / idle ${rs.join(', ')} (in run order)`);
	} finally {
		if (server && server.process.exitCode !== null)
			log(`  the app server stopped early:\n${server.output().slice(-2000)}`);
		await server?.stop();
		fs.rmSync(dir, { recursive: true, force: true });
		fs.rmSync(copy, { recursive: true, force: true });
	}
}

/** One server: the hostile files (unless told not to), then survey submissions idle and during a 20,000-row commit. */
async function runOnce(
	srv: RunningServer,
	consultationId: number,
	log: (line: string) => void,
	hostile: boolean
): Promise<string> {
	const cookie = await signIn(srv.url, 'officer@bench.test', 'officer-password-1');
	const upload = (name: string, bytes: Uint8Array) => uploadImport(srv.url, cookie, consultationId, name, bytes);
	// Warm the import page once, so the first hostile file is not charged for loading it.
	await upload('warm.csv', new TextEncoder().encode('text,question\nhello,q1\n'));
	const idleMb = rssMb(srv.process.pid!);
	if (hostile && !process.env.UPLOADS_BENCH_COMMIT_ONLY) {
		log(
			`Hostile uploads (server idle at ${idleMb.toFixed(0)} MB RSS; targets: /healthz stall under 1 s, peak under 300 MB above idle):`
		);
		let worstStall = 0;
		let worstMb = 0;
		// UPLOADS_BENCH_COMMIT_ONLY=1: skip the hostile files, measure only the survey during the commit.
		for (const f of await hostileFiles()) {
			const w = await watch(srv, () => upload(f.name, f.bytes));
			const refused = w.result.status === 400 && f.expect.test(w.result.body);
			worstStall = Math.max(worstStall, w.slowestMs);
			worstMb = Math.max(worstMb, w.peakMb - idleMb);
			log(
				`  ${f.label} (${(f.bytes.length / 1024).toFixed(0)} KB): ${refused ? 'refused with its message' : `NOT refused as expected (HTTP ${w.result.status})`} in ${(w.ms / 1000).toFixed(1)} s; longest /healthz ${w.slowestMs.toFixed(0)} ms${w.failures ? `, ${w.failures} FAILED` : ''}; peak RSS +${(w.peakMb - idleMb).toFixed(0)} MB`
			);
			if (srv.process.exitCode !== null) throw new Error(`the server died on ${f.name}`);
		}
		log(`  worst: /healthz ${worstStall.toFixed(0)} ms, +${worstMb.toFixed(0)} MB`);
	}
	// The theme engine trains each question's model on the main thread the first time that question's answers
	// arrive (a one-off per process, not the import's doing): answer all five once and wait for it to settle,
	// polling /healthz until thirty answers in a row (over the 2 s coding delay) take under 100 ms (two minutes at most).
	await fetch(`${srv.url}/api/s/${SLUG}/submissions`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({
			id: randomUUID(),
			district: null,
			perspectives: [{ group: 'child', answers: { q1: 'Parks', q2: 'Buses', q3: 'Clubs', q4: 'Help', q5: 'Friends' } }]
		})
	});
	for (let calm = 0, deadline = Date.now() + 120_000; calm < 30 && Date.now() < deadline;) {
		const t = performance.now();
		await (await fetch(`${srv.url}/healthz`)).arrayBuffer();
		calm = performance.now() - t < 100 ? calm + 1 : 0;
		await new Promise((r) => setTimeout(r, 100));
	}
	const cpu0 = cpuMs(srv.process.pid!);
	const idle = await submissions(srv.url);
	const cpu1 = cpuMs(srv.process.pid!);
	const csv = importCsv(IMPORT_ROWS);
	const parsed = await watch(srv, () => upload('big.csv', csv));
	if (parsed.result.status !== 303)
		throw new Error(`the ${IMPORT_ROWS}-row file was not accepted: ${parsed.result.status}`);
	log(
		`A ${IMPORT_ROWS.toLocaleString('en-GB')}-row CSV (${(csv.length / 1024 / 1024).toFixed(1)} MB) read and previewed in ${(parsed.ms / 1000).toFixed(1)} s; longest /healthz ${parsed.slowestMs.toFixed(0)} ms; peak RSS +${(parsed.peakMb - idleMb).toFixed(0)} MB`
	);
	await openPreview(srv.url, cookie, parsed.result.location!);
	const commit = commitImport(srv.url, cookie, parsed.result.location!);
	const cpu2 = cpuMs(srv.process.pid!);
	const during = await watch(srv, () => submissions(srv.url, commit));
	const cpu3 = cpuMs(srv.process.pid!);
	const { location, ms: commitMs } = await commit;
	const ratio = (during.result.p99 / Math.max(1, idle.p99)).toFixed(2);
	log(
		`Survey submissions (4 connections, ${SECONDS} s at most) idle vs while the ${IMPORT_ROWS.toLocaleString('en-GB')}-row import commits (target p99 within 2x):`
	);
	const perSubmission = (from: { main: number; all: number }, to: { main: number; all: number }, n: number) =>
		`server CPU ${(to.all - from.all).toFixed(0)} ms (main thread ${(to.main - from.main).toFixed(0)}), ${((to.main - from.main) / Math.max(1, n)).toFixed(2)} ms main-thread CPU per submission`;
	log(`  idle: ${describeLoad(idle)}; ${perSubmission(cpu0, cpu1, idle.total)}`);
	log(
		`  during the commit: ${describeLoad(during.result)}; ratio ${ratio}x; ${perSubmission(cpu2, cpu3, during.result.total)} (the import's included)`
	);
	log(
		`  longest /healthz during the commit ${during.slowestMs.toFixed(0)} ms; peak RSS +${(during.peakMb - idleMb).toFixed(0)} MB`
	);
	log(
		`  the commit (${location}) took ${(commitMs / 1000).toFixed(1)} s: ${(IMPORT_ROWS / (commitMs / 1000)).toFixed(0)} rows/s`
	);
	return `${ratio}x (idle p99 ${idle.p99} ms, load ${idle.load})`;
}
