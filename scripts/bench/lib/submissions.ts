// The survey submission load that every bench drives through POST /api/s/<slug>/submissions (survey, uploads,
// themes-p99, instances, and the profile harness): one body shape, one autocannon loop, one summary. A bench
// that needs the latency while something else happens passes `until` and the load stops when that settles.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
// @ts-expect-error autocannon ships no type declarations
import autocannon from 'autocannon';
import { SHIPPED_SLUG } from '../../../src/lib/domain/shipped-consultation';
import { freePort } from '../../lib/net';
import { uuidV7 } from '../../../src/lib/server/survey/ids';

export const SLUG = SHIPPED_SLUG;

/** The answers each submission gives, by question key (q1 may be left out to keep a question's coder idle). */
export const DEFAULT_ANSWERS: Record<string, string> = {
	q1: 'Somewhere safe to meet friends',
	q2: 'Buses stop too early',
	q3: 'Cheaper activities'
};

/**
 * A young person's submission with a new UUID: one perspective, the given answers, an age band. The UUID is random
 * (version 4, as an API client would make it with crypto.randomUUID) unless `ids` is 'v7': time-ordered, as the
 * server's own survey drafts make them (src/lib/server/survey/ids.ts).
 */
export function submissionBody(answers: Record<string, string> = DEFAULT_ANSWERS, ids: 'v4' | 'v7' = 'v4'): string {
	return JSON.stringify({
		id: ids === 'v7' ? uuidV7() : randomUUID(),
		district: 'wychavon',
		perspectives: [{ group: 'young_person', answers }],
		about: { ageBand: '18-24' }
	});
}

export interface LoadResult {
	/** Mean requests per second over the run. */
	rps: number;
	p50: number;
	p99: number;
	max: number;
	total: number;
	non2xx: number;
	errors: number;
	/** The machine's load average (1, 5, 15 min) when the run ended. */
	load: string;
	/** Every answered request's latency in ms, to pool runs (percentile()). */
	latencies: number[];
}

export interface LoadOptions {
	connections?: number;
	/** At most this long (seconds). */
	seconds: number;
	/** Stop after this many requests instead (then `seconds` is not a limit: pass `until` for one). */
	amount?: number;
	/** Stop as soon as this settles (for "while X runs"). */
	until?: Promise<unknown>;
	answers?: Record<string, string>;
	/** The submissions' ids: random (v4, the default) or time-ordered (v7; submissionBody). */
	ids?: 'v4' | 'v7';
}

/**
 * Closed-loop submissions (each connection sends its next one when the last is answered), a new UUID each,
 * to `base` (a server's address, or a full URL ending in /submissions, or the floor's address).
 */
export function submissionLoad(url: string, opts: LoadOptions): Promise<LoadResult> {
	const latencies: number[] = [];
	return new Promise((resolve, reject) => {
		const instance = autocannon(
			{
				url,
				method: 'POST',
				connections: opts.connections ?? 10,
				duration: opts.seconds,
				...(opts.amount ? { amount: opts.amount } : {}),
				headers: { 'content-type': 'application/json' },
				requests: [
					{ setupRequest: (req: Record<string, unknown>) => ({ ...req, body: submissionBody(opts.answers, opts.ids) }) }
				]
			},
			(
				err: Error | null,
				r: {
					requests: { average: number; total: number };
					latency: { p50: number; p99: number; max: number };
					non2xx: number;
					errors: number;
				}
			) =>
				err
					? reject(err)
					: resolve({
							rps: r.requests.average,
							p50: r.latency.p50,
							p99: r.latency.p99,
							max: r.latency.max,
							total: r.requests.total,
							non2xx: r.non2xx,
							errors: r.errors,
							load: loadAverage(),
							latencies
						})
		);
		instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => latencies.push(ms));
		// Stops when `until` settles either way (its failure is the caller's to report, not an unhandled rejection here).
		opts.until?.then(
			() => instance.stop(),
			() => instance.stop()
		);
	});
}

/** The submissions endpoint of a server at `base`. */
export const submissionsUrl = (base: string) => `${base}/api/s/${SLUG}/submissions`;

export function loadAverage(): string {
	return os
		.loadavg()
		.map((l) => l.toFixed(1))
		.join(' ');
}

/** One line: rate, latencies, counts and the load average. */
export function describeLoad(r: LoadResult): string {
	return `${r.rps.toFixed(0)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, max ${r.max} ms (${r.total} requests, ${r.non2xx} non-2xx, ${r.errors} errors; load ${r.load})`;
}

/**
 * The floor: scripts/bench/floor-server.ts (bare node:http + better-sqlite3, one insert and one fsync per request)
 * on a free port, its database in `dir`. stop() ends it.
 */
export async function startFloor(
	dir: string
): Promise<{ url: string; child: ChildProcess; stop: () => Promise<void> }> {
	const port = await freePort();
	const child = spawn(process.execPath, ['--import', 'tsx', path.join('scripts', 'bench', 'floor-server.ts')], {
		env: { ...process.env, PORT: String(port), FLOOR_DB: path.join(dir, 'floor.sqlite') },
		stdio: ['ignore', 'pipe', 'inherit']
	});
	await new Promise<void>((resolve, reject) => {
		child.stdout!.on('data', (d) => String(d).includes('listening') && resolve());
		child.once('exit', (code) => reject(new Error(`floor server exited with ${code}`)));
	});
	const stop = () =>
		new Promise<void>((resolve) => {
			if (child.exitCode !== null || child.signalCode !== null) return resolve();
			child.once('exit', () => resolve());
			child.kill('SIGTERM');
		});
	return { url: `http://127.0.0.1:${port}/`, child, stop };
}

/** The p-th quantile (0..1) of latencies, nearest rank. */
export function percentile(xs: number[], p: number): number {
	const s = [...xs].sort((a, b) => a - b);
	return s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))] : NaN;
}

/**
 * CPU time (user + system, every thread) a process has used so far, in ms, from /proc. On a shared machine the
 * CPU per request is a steadier figure than requests per second, which depend on how much CPU the others leave.
 */
export function cpuMs(pid: number): number {
	const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
	// Fields after the command name (which may hold spaces) : utime is the 14th field, stime the 15th.
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}
/** USER_HZ: 100 on Linux everywhere this runs. */
const CLOCK_TICKS = 100;

/** Runs the load against a server whose process is `pid`, and adds the CPU it used per answered request. */
export async function measuredLoad(
	url: string,
	pid: number,
	opts: LoadOptions
): Promise<LoadResult & { cpuMsPerRequest: number }> {
	const before = cpuMs(pid);
	const r = await submissionLoad(url, opts);
	return { ...r, cpuMsPerRequest: (cpuMs(pid) - before) / Math.max(1, r.total) };
}

/**
 * Warms a server up (lazily loaded modules, compiled screening patterns, first statements, the JIT) with `n`
 * submissions, or for `maxSeconds` at most: by count, because on a loaded machine a few seconds may be a few requests.
 */
export async function warmUp(url: string, n = 200, maxSeconds = 60): Promise<void> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, maxSeconds * 1000)));
	try {
		await submissionLoad(url, { seconds: maxSeconds, amount: n, until: timeout });
	} finally {
		clearTimeout(timer);
	}
}

/** A/B variants from NAME:VAR=VALUE,... arguments (the env each variant's server starts with). */
export function parseVariants(args: string[]): { name: string; env: Record<string, string> }[] {
	return args.map((arg) => {
		const [name, vars = ''] = arg.split(/:(.*)/s);
		const env = Object.fromEntries(
			vars
				.split(',')
				.filter(Boolean)
				.map((kv) => kv.split(/=(.*)/s) as [string, string])
		);
		return { name, env };
	});
}
