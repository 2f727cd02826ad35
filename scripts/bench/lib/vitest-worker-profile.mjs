/**
 * A CPU profile of each vitest worker (and of vitest itself), for the test files' CPU (docs/deployment.md, "CI time, 6
 * December evening (ci47)"). `node --cpu-prof` is refused in NODE_OPTIONS, vitest's `--execArgv` did not reach the
 * projects' workers here, and a fork worker is ended by a signal (no profile written), so this preload starts the
 * inspector's profiler in every node process and writes `<dir>/worker-<pid>.cpuprofile` when vitest asks the worker to
 * stop (its IPC "stop" message), at SIGTERM or before a normal exit:
 *   CPU_PROFILE_DIR=/tmp/p NODE_OPTIONS=--import=./scripts/bench/lib/vitest-worker-profile.mjs npx vitest run FILE
 * The worker's profile is the larger of those with the test's own functions; summarise it with cpuprofile-top.ts,
 * cpuprofile-inclusive.ts or cpuprofile-split.mjs. Sampling every 1 ms.
 */
import inspector from 'node:inspector';
import fs from 'node:fs';
import path from 'node:path';

const dir = process.env.CPU_PROFILE_DIR;
if (dir) {
	const session = new inspector.Session();
	session.connect();
	session.post('Profiler.setSamplingInterval', { interval: 1000 });
	session.post('Profiler.enable', () => session.post('Profiler.start'));
	let done = false;
	const stop = () => {
		if (done) return;
		done = true;
		// Synchronous on the process's own session: the file is written before vitest's "stopped" answer.
		session.post('Profiler.stop', (err, res) => {
			if (!err) {
				fs.mkdirSync(dir, { recursive: true });
				fs.writeFileSync(path.join(dir, `worker-${process.pid}.cpuprofile`), JSON.stringify(res.profile));
			}
			if (!process.connected) process.reallyExit(0);
		});
	};
	// Listened to only once vitest listens: a listener of our own before it would take the worker's first messages.
	const onStop = (m) => {
		if (m && m.__vitest_worker_request__ && m.type === 'stop') stop();
	};
	let added = false;
	process.on('newListener', (event) => {
		if (event !== 'message' || added) return;
		added = true;
		setImmediate(() => process.prependListener('message', onStop));
	});
	process.on('SIGTERM', stop);
	process.on('beforeExit', stop);
}
