import fs from 'node:fs';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '../../scripts/lib/net';
export { freePort };

export interface RunningServer {
	url: string;
	process: ChildProcess;
	output: () => string;
	stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts a built server entry point on a free loopback port and waits until
 * /healthz answers; fails loudly (with the server's output) if it exits or is
 * not answering within 30 s.
 */
export async function startServer(entry: string, env: Record<string, string>, nodeArgs: string[] = [], args: string[] = []): Promise<RunningServer> {
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	let log = '';
	const child = spawn(process.execPath, [...nodeArgs, entry, ...args], {
		env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), ORIGIN: url, ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	child.stdout!.on('data', (d) => (log += d));
	child.stderr!.on('data', (d) => (log += d));
	const deadline = Date.now() + 30_000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`server exited early:\n${log}`);
		if (Date.now() > deadline) {
			child.kill('SIGKILL');
			throw new Error(`server did not answer /healthz within 30 s:\n${log}`);
		}
		try {
			if ((await fetch(`${url}/healthz`)).ok) break;
		} catch {
			// not listening yet
		}
		await new Promise((r) => setTimeout(r, 150));
	}
	return {
		url,
		process: child,
		output: () => log,
		stop: (signal = 'SIGTERM') =>
			new Promise((resolve) => {
				if (child.exitCode !== null) return resolve();
				child.once('exit', () => resolve());
				child.kill(signal);
			})
	};
}

/** Starts the built server (build/index.js, made by the global setup). */
export function startBuiltServer(env: Record<string, string>): Promise<RunningServer> {
	return startServer('build/index.js', env);
}

/**
 * Starts the built server as `npm start` runs it (server timeouts and the body gate of
 * scripts/lib/server-timeouts.ts), without the start script's build and migration steps.
 */
export function startProductionServer(env: Record<string, string>, entry = 'build/index.js'): Promise<RunningServer> {
	return startServer('scripts/serve-built.ts', env, ['--import', 'tsx', ...(process.env.SERVER_NODE_ARGS ? process.env.SERVER_NODE_ARGS.split(' ') : [])], [entry]);
}

/**
 * Starts a private copy of the built server, so that another `vite build` in this
 * working tree cannot pull files from under a long benchmark. The copy lives inside
 * the project (e.g. node_modules/.cache/...) so it still finds node_modules.
 */
export function startCopiedServer(copy: string, env: Record<string, string>): Promise<RunningServer> {
	fs.cpSync('build', copy, { recursive: true });
	return startServer(path.join(copy, 'index.js'), env);
}
