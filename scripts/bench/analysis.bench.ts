/**
 * Analysis screens at scale: generates the answers into a throwaway database (SQLite, or
 * PostgreSQL with --engine postgres and TEST_DATABASE_URL), starts the built server on loopback,
 * signs in as an officer and requests each dashboard view N times, printing p50 and p95 of the
 * response time (the server's time to render on loopback, body included) and of the server's CPU
 * time. Then: the export of all answers to CSV and XLSX (time, first bytes, the server's memory
 * growth), with the result cache on the cache check alone (data-version read + lookup, scripts/bench/lib/cache-check.ts),
 * and coding every answer from scratch in the background worker (time, peak memory,
 * longest pause of the main thread). Targets (issue #19): p95 <= 300 ms, export memory < 200 MB,
 * coding 1,000,000 answers <= 60 s and < 1 GB.
 *
 *   npm run bench -- analysis [--answers 1000000] [--engine postgres] [--runs 5] [--cache off]
 *                            [--database URL]  (an already generated database: not generated, not dropped)
 *                            [--views off] [--coding off] [--exports off]  (skip the views / the coding run / the exports)
 *                            [--only dashboard --only 'report, filtered (child)']  (only the views whose names
 *                              start so; once per view, as names contain commas; a name that matches none is an error)
 *
 * The server listens on a free loopback port; FREE_PORT_RANGE=FROM-TO keeps it to a range (scripts/lib/net.ts).
 *
 * ANALYSIS_BENCH_ANSWERS and ANALYSIS_BENCH_RUNS still work. The default (100,000 answers, SQLite)
 * is what `npm run bench` runs; a million is opt-in (about 30 minutes to generate on this machine).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../lib/net';
import { spawn, spawnSync } from 'node:child_process';
import { hash } from '@node-rs/argon2';
import { openPrepared } from '../../src/lib/server/bootstrap';
import { parseDatabaseUrl } from '../../src/lib/server/db/config';
import { generateAnswers } from '../generate-answers';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../lib/throwaway-db';
import { ensureBuild, snapshotBuild, type BuildSnapshot } from '../lib/build';
import { SHIPPED_SLUG as SLUG } from '../../src/lib/domain/shipped-consultation';
import { analysisViews, onlyValues, selectViews } from './lib/analysis-views';
import { timeCacheChecks } from './lib/cache-check';
import { backfillThenVacuum } from './lib/backfill-vacuum';
import { backendCpu, cpuBetween, type BackendCpu } from './lib/pg-backend-cpu';

/** CPU time (ns) the server process has used so far, all threads (Linux /proc), or null elsewhere. */
function cpuNs(pid: number | undefined): number | null {
	if (!pid) return null;
	try {
		let total = 0;
		for (const task of fs.readdirSync(`/proc/${pid}/task`))
			total += Number(fs.readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
		return total;
	} catch {
		return null;
	}
}

/** The server's resident memory now (MB, Linux /proc), or null elsewhere. */
function rssMb(pid: number | undefined): number | null {
	if (!pid) return null;
	try {
		const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
		return m ? Number(m[1]) / 1024 : null;
	} catch {
		return null;
	}
}

function flag(name: string): string | undefined {
	const i = process.argv.indexOf(`--${name}`);
	return i === -1 ? undefined : process.argv[i + 1];
}

function quantile(sorted: number[], q: number): number {
	const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
	return sorted[i];
}

export async function run(log: (line: string) => void): Promise<void> {
	const total = Number(flag('answers') ?? process.env.ANALYSIS_BENCH_ANSWERS ?? 100_000);
	const runs = Number(flag('runs') ?? process.env.ANALYSIS_BENCH_RUNS ?? 20);
	// Requests per view before the measured ones. A process's first requests of a view run mostly unoptimised code
	// (V8's warm-up: a two-filter view's CPU fell from about 3.3 s to 1.4 s over its first 9 requests, docs/analysis.md,
	// dash39), while a long-running server is warm; 2 keeps the figures comparable with earlier runs, `--warmup 10`
	// measures a warm server.
	const warmup = Math.max(1, Number(flag('warmup') ?? process.env.ANALYSIS_BENCH_WARMUP ?? 2));
	const engine = flag('engine') === 'postgres' ? 'postgres' : 'sqlite';
	const given = flag('database');
	const modes = flag('cache') === 'off' ? (['off'] as const) : (['off', 'on'] as const);
	if (process.argv.some((a) => a === '--port' || a.startsWith('--port=')))
		throw new Error('--port is gone: set FREE_PORT_RANGE=FROM-TO to keep the server to ports of your own');
	// Checked before anything is generated: a mistyped view name should not cost a 100,000-answer load.
	const base = `/admin/c/${SLUG}`;
	const views = selectViews(analysisViews(base), onlyValues(process.argv.slice(2)));
	ensureBuild(process.cwd(), log);
	let made: ThrowawayDatabase | null = null;
	if (!given) made = await createThrowawayDatabase(engine, process.env.TEST_DATABASE_URL, 'consult_bench');
	const dbUrl = given ?? made!.url;
	const email = `bench-officer-${Date.now()}@example.gov.uk`;
	const password = 'bench officer password 1';
	let child: ReturnType<typeof spawn> | null = null;
	let build: BuildSnapshot | null = null;
	/** PostgreSQL: the database's backends' CPU per request (the server's "cpu" leaves it out). */
	let backends: BackendCpu | null = null;
	try {
		const open = await openPrepared(parseDatabaseUrl(dbUrl));
		const now = new Date().toISOString();
		await open.db
			.insertInto('app_user')
			.values({ email, password_hash: await hash(password), role: 'officer', created_at: now, updated_at: now })
			.execute();
		if (given) {
			const n = await open.db
				.selectFrom('answer')
				.select((eb) => eb.fn.countAll<number>().as('n'))
				.executeTakeFirstOrThrow();
			log(
				`${engine === 'postgres' || given.startsWith('postgres') ? 'PostgreSQL' : 'SQLite'} database given: ${Number(n.n).toLocaleString('en-GB')} answers`
			);
		} else {
			let last = 0;
			const g = await generateAnswers(open.db, {
				answers: total,
				log: (line) => {
					if (Date.now() - last > 60_000) {
						log(line);
						last = Date.now();
					}
				}
			});
			log(
				`${engine}: generated ${g.answers.toLocaleString('en-GB')} answers (${g.submissions.toLocaleString('en-GB')} submissions, ${g.codings.toLocaleString('en-GB')} theme codings) in ${(g.ms / 1000).toFixed(1)} s`
			);
		}
		// The generator stores answers without their risk score; a server scores the rest at start, in the
		// background, taking CPU the views would be charged for while it runs (minutes at a million on PostgreSQL).
		// Filled in here first, as an installation would have them (as results.bench.ts does).
		// On PostgreSQL the tables it rewrote are then vacuumed, as autovacuum would (lib/backfill-vacuum.ts).
		const t0 = performance.now();
		const { scored, vacuumMs } = await backfillThenVacuum(open.db, 1000);
		if (scored)
			log(
				`risk scores filled in for ${scored.toLocaleString('en-GB')} answers in ${((performance.now() - t0 - (vacuumMs ?? 0)) / 1000).toFixed(1)} s` +
					(vacuumMs === null
						? ''
						: `, then VACUUM (ANALYZE) of the tables written in ${(vacuumMs / 1000).toFixed(1)} s`)
			);
		await open.close();

		// Run a private copy of the build: other work rebuilding build/ mid-run must not break the measurement.
		build = snapshotBuild(process.cwd());
		if (dbUrl.startsWith('postgres')) backends = await backendCpu(dbUrl);
		for (const mode of modes) {
			log('');
			log(
				mode === 'off'
					? 'COLD: every request runs its aggregate queries (ANALYSIS_CACHE=off)'
					: 'WITH THE RESULT CACHE (default): unchanged data is served from the per-process cache after a data-version check'
			);
			// A free port; on a shared machine FREE_PORT_RANGE keeps it to one's own range (scripts/lib/net.ts).
			const port = await freePort();
			const url = `http://127.0.0.1:${port}`;
			let output = '';
			child = spawn(process.execPath, [build.entry], {
				env: {
					...process.env,
					NODE_ENV: 'production',
					HOST: '127.0.0.1',
					PORT: String(port),
					ORIGIN: url,
					DATABASE_URL: dbUrl,
					// The bench measures the views, not the coder: no background coding in this server.
					CODING_DELAY_MS: '600000',
					ANALYSIS_CACHE: mode
				},
				stdio: ['ignore', 'pipe', 'pipe']
			});
			child.stdout!.on('data', (d) => (output += d));
			child.stderr!.on('data', (d) => (output += d));
			const deadline = Date.now() + 60_000;
			for (;;) {
				if (child.exitCode !== null) throw new Error(`server exited:\n${output}`);
				if (Date.now() > deadline) throw new Error('server did not start in 60 s');
				const ok = await fetch(`${url}/healthz`)
					.then((r) => r.ok)
					.catch(() => false);
				if (ok) break;
				await new Promise((r) => setTimeout(r, 200));
			}

			const login = await fetch(`${url}/login`, {
				method: 'POST',
				redirect: 'manual',
				headers: { 'content-type': 'application/x-www-form-urlencoded', origin: url, accept: 'text/html' },
				body: new URLSearchParams({ email, password }).toString()
			});
			const cookie = (login.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
			if (login.status !== 303 || !cookie) throw new Error(`could not sign in (status ${login.status})`);

			log(
				`${runs} requests per view after ${warmup} warm-up requests, one at a time. "wall" is the full response on loopback;`
			);
			log(
				'"cpu" is the CPU time the server process spent on the request (Linux schedstat), which shared-machine load does not inflate.'
			);
			log(
				`load average at start: ${os
					.loadavg()
					.map((l) => l.toFixed(1))
					.join(' ')} on ${os.cpus().length} cores`
			);
			if (backends)
				log('"db cpu" is the CPU the database\'s backends spent meanwhile (schedstat; short parallel workers missed).');
			log(
				`view | wall p50 | wall p95 | wall max | cpu p50 | cpu p95${backends ? ' | db cpu p50 | db cpu p95 | cpu+db p95' : ''} | first: wall / cpu${backends ? ' / db cpu' : ''} (ms) | load`
			);
			let worst = 0;
			let worstCpu = 0;
			for (const [name, pathname] of flag('views') === 'off' ? [] : views) {
				const times: number[] = [];
				const cpu: number[] = [];
				const dbCpu: number[] = [];
				const both: number[] = [];
				// The view's first request on this server (its first warm-up): the cold read, before this process's
				// memo and prepared statements and the database's buffers hold anything of the view (the OS page cache is
				// left as it is: the machine is shared).
				let first = '';
				for (let i = 0; i < runs + warmup; i++) {
					const b0 = await backends?.sample();
					const c0 = cpuNs(child.pid);
					const t = performance.now();
					const res = await fetch(`${url}${pathname}`, { headers: { cookie }, redirect: 'manual' });
					await res.arrayBuffer();
					const ms = performance.now() - t;
					const c1 = cpuNs(child.pid);
					const b1 = await backends?.sample();
					if (i === 0)
						first = [
							ms,
							c0 !== null && c1 !== null ? (c1 - c0) / 1e6 : NaN,
							...(b0 && b1 ? [cpuBetween(b0, b1) / 1e6] : [])
						]
							.map((v) => v.toFixed(0))
							.join(' / ');
					if (i >= warmup && c0 !== null && c1 !== null) cpu.push((c1 - c0) / 1e6);
					if (i >= warmup && b0 && b1) {
						dbCpu.push(cpuBetween(b0, b1) / 1e6);
						if (c0 !== null && c1 !== null) both.push((c1 - c0 + cpuBetween(b0, b1)) / 1e6);
					}
					if (res.status !== 200) throw new Error(`${pathname} answered ${res.status}\n${output.slice(-2000)}`);
					if (i >= warmup) times.push(ms);
				}
				times.sort((a, b) => a - b);
				cpu.sort((a, b) => a - b);
				dbCpu.sort((a, b) => a - b);
				both.sort((a, b) => a - b);
				const p95 = quantile(times, 0.95);
				if (!name.startsWith('table export')) {
					worst = Math.max(worst, p95);
					if (cpu.length) worstCpu = Math.max(worstCpu, quantile(cpu, 0.95));
				}
				let c = cpu.length ? `${quantile(cpu, 0.5).toFixed(0)} | ${quantile(cpu, 0.95).toFixed(0)}` : 'n/a | n/a';
				if (dbCpu.length)
					c += ` | ${quantile(dbCpu, 0.5).toFixed(0)} | ${quantile(dbCpu, 0.95).toFixed(0)} | ${both.length ? quantile(both, 0.95).toFixed(0) : 'n/a'}`;
				log(
					`${name} | ${quantile(times, 0.5).toFixed(0)} | ${p95.toFixed(0)} | ${times.at(-1)!.toFixed(0)} | ${c} | ${first} | ${os.loadavg()[0].toFixed(1)}`
				);
			}
			for (const fmt of mode === 'off' && flag('exports') !== 'off' ? ['csv', 'xlsx'] : []) {
				const before = rssMb(child.pid);
				let peak = before ?? 0;
				const t = performance.now();
				const res = await fetch(`${url}${base}/export/answers.${fmt}`, { headers: { cookie } });
				const reader = res.body!.getReader();
				let size = 0;
				let first = 0;
				for (;;) {
					const { done, value } = await reader.read();
					if (done) break;
					if (!first) first = performance.now() - t;
					size += value.byteLength;
					peak = Math.max(peak, rssMb(child.pid) ?? 0);
				}
				const growth = before === null ? 'n/a' : `${(peak - before).toFixed(0)} MB`;
				log(
					`export of all answers (${fmt}): ${((performance.now() - t) / 1000).toFixed(1)} s, ${(size / 1e6).toFixed(1)} MB; first bytes after ${first.toFixed(0)} ms; server memory growth ${growth} (target < 200 MB)`
				);
			}
			if (mode === 'on') {
				// The check alone (data-version read + entry lookup), which the whole cached request above includes.
				const cc = await timeCacheChecks(dbUrl);
				const w = cc.wallMs;
				log(
					`cache check alone (data-version read + lookup, in-process, ${cc.checks} hits): wall p50 ${quantile(w, 0.5).toFixed(2)} ms, p95 ${quantile(w, 0.95).toFixed(2)} ms, max ${w.at(-1)!.toFixed(2)} ms; CPU ${cc.cpuMsPerCheck.toFixed(3)} ms per check (target <= 5 ms: ${quantile(w, 0.95) <= 5 ? 'met' : 'NOT met'})`
				);
			}
			// With --views off no view was requested: a "slowest view" of 0 ms would read as the target met.
			if (flag('views') !== 'off')
				log(
					`slowest view p95 (${mode === 'off' ? 'cold' : 'cached'}): wall ${worst.toFixed(0)} ms, server CPU ${worstCpu.toFixed(0)} ms (target 300 ms): wall ${worst <= 300 ? 'met' : 'NOT met'}, CPU ${worstCpu <= 300 ? 'met' : 'NOT met'}`
				);
			await new Promise<void>((resolve) => {
				if (!child || child.exitCode !== null) return resolve();
				child.once('exit', () => resolve());
				child.kill('SIGTERM');
			});
		}
		// Coding every answer from scratch, as the server's background coder does it, in a process of its own.
		if (flag('coding') !== 'off') {
			const tsx = path.resolve('node_modules/.bin/tsx');
			const r = spawnSync(tsx, ['scripts/bench/lib/coding-run.ts', dbUrl], { encoding: 'utf8', timeout: 3_600_000 });
			const line = r.stdout.trim().split('\n').at(-1) ?? '';
			try {
				const c = JSON.parse(line) as {
					coded: number;
					seconds: number;
					cpuSeconds: number;
					peakRssMb: number;
					longestPauseMs: number;
				};
				log(
					`coding ${c.coded.toLocaleString('en-GB')} answers from scratch (worker thread, growing chunks): ${c.seconds} s wall, ${c.cpuSeconds} s CPU (all threads); peak RSS ${c.peakRssMb} MB; longest main-thread pause ${c.longestPauseMs} ms (targets at 1,000,000: <= 60 s, < 1 GB)`
				);
			} catch {
				log(`coding run failed: ${r.stderr.slice(-1000)}`);
			}
		}
		log(
			`load average at end: ${os
				.loadavg()
				.map((l) => l.toFixed(1))
				.join(' ')}`
		);
	} finally {
		if (child && child.exitCode === null) {
			await new Promise<void>((resolve) => {
				child!.once('exit', () => resolve());
				child!.kill('SIGTERM');
			});
		}
		await backends?.close();
		build?.cleanup();
		await made?.drop();
	}
}
