import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '../../scripts/lib/net';
export { freePort };

export interface RunningServer {
	url: string;
	process: ChildProcess;
	output: () => string;
	stop(signal?: NodeJS.Signals): Promise<void>;
}


/** Starts the built server (build/index.js, made by the global setup) on a free loopback port. */
export async function startBuiltServer(env: Record<string, string>): Promise<RunningServer> {
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	let log = '';
	const child = spawn(process.execPath, ['build/index.js'], {
		env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), ORIGIN: url, ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	child.stdout!.on('data', (d) => (log += d));
	child.stderr!.on('data', (d) => (log += d));
	const deadline = Date.now() + 30_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`server exited early:\n${log}`);
		try {
			const res = await fetch(`${url}/healthz`);
			if (res.ok) break;
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
