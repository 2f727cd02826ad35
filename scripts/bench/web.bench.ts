import fs from 'node:fs';
import os from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { startBuiltServer, startProductionServer, type RunningServer } from '../../tests/helpers/server';
import { oversizePost } from '../lib/oversize-post';

const OVERSIZE_CLIENTS = 60;
const SLOW_CLIENTS = 1000;

/** Polls /healthz every 100 ms until `stop` resolves; returns the longest wait for an answer (ms). */
async function watchHealth(
	server: RunningServer,
	stop: Promise<unknown>
): Promise<{ worst: number; worstAt: number; checks: number; failures: number }> {
	const begun = performance.now();
	let worstAt = 0;
	let done = false;
	void stop.finally(() => (done = true));
	let worst = 0;
	let checks = 0;
	let failures = 0;
	const deadline = Date.now() + 120_000;
	while (!done && Date.now() < deadline) {
		const t = performance.now();
		try {
			const r = await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(30_000) });
			if (!r.ok) failures++;
			await r.arrayBuffer();
		} catch {
			failures++;
		}
		if (performance.now() - t > worst) {
			worst = performance.now() - t;
			worstAt = t - begun;
		}
		checks++;
		await new Promise((r) => setTimeout(r, 100));
	}
	return { worst, worstAt, checks, failures };
}

/** A connection that sends its headers and 10 bytes of a 1,000-byte body, then nothing; resolves when the server closes it. */
function slowBody(port: number): Promise<{ ms: number; reply: string }> {
	const started = Date.now();
	return new Promise((resolve) => {
		let reply = '';
		const socket = net.connect(port, '127.0.0.1', () => {
			socket.write(
				`POST /login HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: http://127.0.0.1:${port}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nemail=a%40`
			);
		});
		socket.on('data', (d) => (reply += d));
		socket.on('error', () => {});
		socket.on('close', () => resolve({ ms: Date.now() - started, reply: reply.slice(0, 12) }));
		// Bounded: the bench never waits on a socket longer than this.
		setTimeout(() => socket.destroy(), 90_000).unref();
	});
}

/**
 * Abuse of the public routes (issue #11): 60 clients posting 24 MB chunked bodies to /login at
 * once, and 1,000 connections that send a few bytes of a body and stall. Reports how long
 * /healthz took to answer meanwhile, how much each oversize post got to send, and how soon
 * the stalled connections were closed. Built server started as `npm start` does (timeouts and
 * body gate), SQLite, loopback, default settings.
 */
export async function run(log: (line: string) => void): Promise<void> {
	if (!fs.existsSync('build/index.js')) throw new Error('build/index.js is missing: run `npx vite build` first');
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consult-bench-web-'));
	// As `npm start` runs it: server timeouts and the body gate (scripts/lib/server-timeouts.ts).
	// WEB_BENCH_RAW=1: build/index.js alone (adapter-node's defaults, no gate), for comparison.
	const env = { DATABASE_URL: `file:${path.join(dir, 'bench.sqlite')}` };
	const server = process.env.WEB_BENCH_RAW ? await startBuiltServer(env) : await startProductionServer(env);
	log(
		process.env.WEB_BENCH_RAW
			? 'server: build/index.js alone (no timeouts, no body gate)'
			: 'server: as npm start runs it (timeouts and body gate)'
	);
	try {
		// A server that has been up a while has loaded the sign-in page's code: load it once first, so the
		// attack is not charged for loading it (tsx loads modules lazily, the first request to a route pays).
		await (await fetch(`${server.url}/login`)).arrayBuffer();
		const idle = await watchHealth(server, new Promise((r) => setTimeout(r, 2000)));
		log(`/healthz at idle: worst ${idle.worst.toFixed(0)} ms over ${idle.checks} checks`);

		const attack = Promise.all(Array.from({ length: OVERSIZE_CLIENTS }, () => oversizePost(server.url)));
		const [posts, during] = await Promise.all([attack, watchHealth(server, attack)]);
		const statuses = new Map<string, number>();
		for (const p of posts) statuses.set(String(p.status), (statuses.get(String(p.status)) ?? 0) + 1);
		const sent = posts.map((p) => p.sent).sort((a, b) => a - b);
		log(
			`${OVERSIZE_CLIENTS} concurrent 24 MB chunked posts to /login: answers ${[...statuses].map(([s, n]) => `${n}× ${s}`).join(', ')};`
		);
		log(
			`  bytes each client got to send before being cut off: median ${(sent[sent.length >> 1] / 1024).toFixed(0)} KB, max ${(sent[sent.length - 1] / 1024).toFixed(0)} KB (cap 64 KB; the rest sits in socket buffers)`
		);
		log(
			`  /healthz meanwhile: worst ${during.worst.toFixed(0)} ms over ${during.checks} checks, ${during.failures} failed (issue #11 measured 8.5 s before the caps)`
		);

		const port = Number(new URL(server.url).port);
		const started = Date.now();
		const slow = Promise.all(Array.from({ length: SLOW_CLIENTS }, () => slowBody(port)));
		const [closed, slowHealth] = await Promise.all([slow, watchHealth(server, slow)]);
		const times = closed.map((c) => c.ms).sort((a, b) => a - b);
		const got408 = closed.filter((c) => c.reply.startsWith('HTTP/1.1 408')).length;
		log(
			`${SLOW_CLIENTS} connections stalling mid-body on /login: all closed by the server within ${((Date.now() - started) / 1000).toFixed(1)} s (median ${(times[times.length >> 1] / 1000).toFixed(1)} s; ${got408} answered 408; PUBLIC_BODY_TIMEOUT 20 s; Node's default would keep them 300 s)`
		);
		log(
			`  /healthz meanwhile: worst ${slowHealth.worst.toFixed(0)} ms (asked ${(slowHealth.worstAt / 1000).toFixed(1)} s after the connections opened) over ${slowHealth.checks} checks, ${slowHealth.failures} failed`
		);
		const rss = fs.readFileSync(`/proc/${server.process.pid}/status`, 'utf8').match(/VmHWM:\s+(\d+) kB/);
		if (rss) log(`server peak memory (VmHWM) over the whole run: ${(Number(rss[1]) / 1024).toFixed(0)} MB`);
	} finally {
		await server.stop();
		fs.rmSync(dir, { recursive: true, force: true });
	}
}
