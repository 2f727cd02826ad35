// Server control for tests, benches and the crash test: start a built server
// (adapter-node entry) on loopback, wait until it answers, stop or kill it.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import http from 'node:http';
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from './net';

export interface Exit {
	code: number | null;
	signal: NodeJS.Signals | null;
}

export interface RunningServer {
	url: string;
	port: number;
	process: ChildProcess;
	/** The last 20,000 characters the server wrote (stdout and stderr). */
	output: () => string;
	/** Sends `signal` (SIGTERM by default) and resolves with the exit, or null if it had not exited within `ms` (then SIGKILLs it). */
	stop(signal?: NodeJS.Signals, ms?: number): Promise<Exit | null>;
}

export interface StartOptions {
	/** A fixed port (to restart on the same address); a free one by default. */
	port?: number;
	/** The server's working folder (it reads db/consultations from there); the current one by default. */
	cwd?: string;
	/** How long to wait for it to answer; 60 s by default (a cold start on a loaded machine). */
	timeoutMs?: number;
	/** Node options before the entry (e.g. `--import tsx`). */
	nodeArgs?: string[];
	/** Arguments after the entry. */
	args?: string[];
	/** Return once it listens ("Listening on"), before it is ready (to watch start-up); ready by default. */
	until?: 'ready' | 'listening';
}

/** Servers started here and not yet exited, so that a give-up can kill them. */
const live = new Set<ChildProcess>();
export function killLiveServers(): void {
	for (const child of live) child.kill('SIGKILL');
}

export function exited(child: ChildProcess): boolean {
	return child.exitCode !== null || child.signalCode !== null;
}

/** The child's exit, or null if it has not exited within `ms`. */
export function waitExit(child: ChildProcess, ms: number): Promise<Exit | null> {
	if (exited(child)) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
	return new Promise((resolve) => {
		const timer = setTimeout(() => resolve(null), ms);
		child.once('exit', (code, signal) => {
			clearTimeout(timer);
			resolve({ code, signal });
		});
	});
}

function ready(port: number): Promise<boolean> {
	return new Promise<boolean>((resolve) => {
		const req = http.get({ host: '127.0.0.1', port, path: '/readyz', agent: false, timeout: 1000 }, (res) => {
			res.resume();
			resolve(res.statusCode === 200);
		});
		req.on('error', () => resolve(false));
		req.on('timeout', () => req.destroy());
	});
}

/**
 * Starts a built server entry point on loopback (ORIGIN set to its address) and waits
 * until it is ready: a 200 from /readyz (once the database is open, migrated and loaded;
 * it listens, and answers 503 there, while it starts). Fails loudly, with the
 * server's output, if the entry is missing, the server exits (the port in use, say), or it is not ready in time.
 * Readiness is the child's own: nothing on the port counts until the child has said it listens there.
 */
export async function startServer(
	entry: string,
	env: Record<string, string>,
	options: StartOptions = {}
): Promise<RunningServer> {
	if (!fs.existsSync(entry)) {
		throw new Error(
			`${entry} is missing: build the app first (npm run build), or run this test in the vitest "app" project (APP_TESTS in vite.config.ts), which builds it`
		);
	}
	const port = options.port ?? (await freePort());
	const url = `http://127.0.0.1:${port}`;
	let log = '';
	const child = spawn(process.execPath, [...(options.nodeArgs ?? []), entry, ...(options.args ?? [])], {
		cwd: options.cwd,
		env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), ORIGIN: url, ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	live.add(child);
	child.once('exit', () => live.delete(child));
	child.stdout!.on('data', (d) => (log = (log + d).slice(-20_000)));
	child.stderr!.on('data', (d) => (log = (log + d).slice(-20_000)));
	const server: RunningServer = {
		url,
		port,
		process: child,
		output: () => log,
		stop: async (signal = 'SIGTERM', ms = 15_000) => {
			const exit = waitExit(child, ms);
			if (!exited(child)) child.kill(signal);
			const result = await exit;
			if (!result) {
				child.kill('SIGKILL');
				await waitExit(child, 5000);
			}
			return result;
		}
	};
	const timeoutMs = options.timeoutMs ?? 60_000;
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (exited(child)) {
			// Another process took the port (between freePort() and the child's listen, or a fixed port still held):
			// say so plainly rather than leave it to be found in the server's stack trace.
			if (/EADDRINUSE/.test(log))
				throw new Error(
					`port ${port} on 127.0.0.1 is in use by another process (EADDRINUSE); the server started there exited:\n${log}`
				);
			throw new Error(`server on port ${port} exited at start (${child.exitCode ?? child.signalCode}):\n${log}`);
		}
		// Only our own child's word counts: until it has said it listens ("Listening on", printed by adapter-node once
		// the socket is bound), whatever answers on the port is another process's (it would hold the port, and the
		// child die of EADDRINUSE moments later), so /readyz is not asked before then.
		const listening = /Listening on /.test(log);
		// Ready, not merely listening: the server listens while it still starts (hooks.server.ts init).
		// The server's "Ready" line (hooks.server.ts) counts only once adapter-node has said it listens too:
		// init can finish before the socket is bound, and a request then is refused. Or a 200 from /readyz.
		if (listening && (options.until === 'listening' || /^Ready: /m.test(log) || (await ready(port))) && !exited(child))
			return server;
		if (Date.now() > deadline) {
			child.kill('SIGKILL');
			throw new Error(`server on port ${port} was not ready (/readyz) within ${timeoutMs / 1000} s:\n${log}`);
		}
		// Poll again shortly (the server's readiness is the condition waited for).
		await new Promise((r) => setTimeout(r, 25));
	}
}

/** The production server entry (npm start without its build and migration steps). */
export const SERVE_BUILT = fileURLToPath(new URL('../serve-built.ts', import.meta.url));

/**
 * Starts a build (its index.js) as production runs it: scripts/serve-built.ts, with the server timeouts, the
 * body gate and the lean submissions route in front of SvelteKit (scripts/lib/server-timeouts.ts). Benches and
 * the crash test measure this, not build/index.js alone.
 */
export function startProductionBuild(
	buildIndex: string,
	env: Record<string, string>,
	options: StartOptions = {}
): Promise<RunningServer> {
	const index = path.resolve(options.cwd ?? '.', buildIndex);
	if (!fs.existsSync(index)) throw new Error(`${index} is missing: build the app first (npm run build)`);
	return startServer(SERVE_BUILT, env, {
		...options,
		nodeArgs: ['--import', 'tsx', ...(options.nodeArgs ?? [])],
		args: [index, ...(options.args ?? [])]
	});
}

/**
 * For servers under load (crash test, shutdown and backup tests, benches): no per-client
 * rate limit, no global breaker and no minimum time on the survey, which would otherwise
 * (rightly) refuse 200 clients from one address.
 */
export const UNLIMITED_SURVEY_ENV: Record<string, string> = {
	SURVEY_RATE_LIMIT: '1000000',
	SURVEY_MAX_CONCURRENT: '100000',
	SURVEY_MAX_PER_SECOND: '100000000',
	SURVEY_MIN_SECONDS: '0'
};
