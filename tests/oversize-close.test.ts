/**
 * Oversized bodies on the server as `npm start` runs it (scripts/serve-built.ts: timeouts and
 * the body gate): the app answers 413 after reading its cap and leaves the rest unread. Every
 * client must read that 413, not a connection reset: closing a socket whose receive buffer
 * still holds unread bytes makes the kernel send a reset, which can throw the answer away on
 * its way to the client (9–15 of 60 concurrent 24 MB posts got "EPIPE" before the fix). The
 * server now closes such connections gracefully (lingering close, scripts/lib/body-gate.ts).
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProductionServer, type RunningServer } from './helpers/server';
import { LINGER_MS } from '../scripts/lib/body-gate';
import { oversizePost } from '../scripts/lib/oversize-post';

const CLIENTS = 60;
const ROUNDS = 3;
describe('oversized posts under npm start get their 413, never a reset', () => {
	let server: RunningServer;
	let dir: string;
	beforeAll(async () => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consult-oversize-'));
		server = await startProductionServer({ DATABASE_URL: `file:${path.join(dir, 'app.sqlite')}` });
	});
	afterAll(async () => {
		await server?.stop();
		fs.rmSync(dir, { recursive: true, force: true });
	});

	it(`${ROUNDS} rounds of ${CLIENTS} concurrent 24 MB chunked posts to /login: each client reads its 413`, async () => {
		const failed: (number | string)[] = [];
		for (let round = 0; round < ROUNDS; round++) {
			const results = await Promise.all(Array.from({ length: CLIENTS }, () => oversizePost(server.url)));
			failed.push(...results.map((r) => r.status).filter((s) => s !== 413));
		}
		expect(failed).toEqual([]);
		// And the server is still answering.
		expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
	}, 240_000);

	it('a client that keeps sending after its 413 is still disconnected, within the linger time', async () => {
		const socket = net.connect(Number(new URL(server.url).port), '127.0.0.1');
		let reply = '';
		socket.on('data', (d) => (reply += d));
		socket.on('error', () => {});
		socket.write(
			`POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: ${server.url}\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n`
		);
		const chunk = `${(16 * 1024).toString(16)}\r\n${'a'.repeat(16 * 1024)}\r\n`;
		const started = Date.now();
		// It never stops sending (until the server closes the connection, or 30 s).
		const feeder = setInterval(() => socket.writable && socket.write(chunk), 2);
		const closed = await new Promise<boolean>((resolve) => {
			socket.once('close', () => resolve(true));
			setTimeout(() => resolve(false), 30_000).unref();
		});
		clearInterval(feeder);
		socket.destroy();
		expect(reply).toMatch(/^HTTP\/1\.1 413/);
		expect(closed).toBe(true);
		expect(Date.now() - started).toBeLessThan(LINGER_MS + 5000);
	}, 60_000);
});
