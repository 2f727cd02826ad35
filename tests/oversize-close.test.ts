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
import { LINGER_BYTES, LINGER_MS } from '../scripts/lib/body-gate';
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

	it('clients that keep sending 1 MB at a steady pace, well past the 64 KB cap, each read the 413 and its text', async () => {
		// 16 KB every 2 ms (about 8 MB/s) to 1 MB: the 413 is answered after 64 KB, while each client is mid-upload.
		// 30 at a time, 3 rounds. With the close at once (LINGERING_CLOSE=off) some meet the reset first ("write EPIPE").
		const steady = async (route: string, contentType: string) => {
			let sent = 0;
			const chunk = new Uint8Array(16 * 1024).fill(97);
			const body = new ReadableStream<Uint8Array>({
				async pull(c) {
					await new Promise((r) => setTimeout(r, 2));
					if (sent >= 1024 * 1024) return c.close();
					sent += chunk.byteLength;
					c.enqueue(chunk);
				}
			});
			try {
				const r = await fetch(`${server.url}${route}`, {
					method: 'POST',
					headers: { origin: server.url, 'content-type': contentType },
					body,
					duplex: 'half',
					signal: AbortSignal.timeout(60_000)
				} as RequestInit);
				return `${r.status} ${await r.text()}`;
			} catch (e) {
				return `${(e as Error).message}: ${((e as Error).cause as Error | undefined)?.message}`;
			}
		};
		const answers: string[] = [];
		for (let round = 0; round < 3; round++)
			answers.push(
				...(await Promise.all(
					Array.from({ length: 30 }, (_, i) =>
						i % 2
							? steady('/login', 'application/x-www-form-urlencoded')
							: steady('/api/s/any/submissions', 'application/json')
					)
				))
			);
		const refused = answers.filter((a) => !/^413 .*64 KB/.test(a));
		expect(refused).toEqual([]);
	}, 120_000);

	it(`a client that never stops sending after its 413 is cut off within ${LINGER_MS / 1000} s`, async () => {
		// allowHalfOpen: the client does not close its side when the server's FIN arrives; it goes on sending.
		const socket = net.connect({ port: Number(new URL(server.url).port), host: '127.0.0.1', allowHalfOpen: true });
		let reply = '';
		let ended = false;
		socket.on('data', (d) => (reply += d));
		socket.on('end', () => (ended = true));
		socket.on('error', () => {});
		socket.write(
			`POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: ${server.url}\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n`
		);
		const chunk = `${(16 * 1024).toString(16)}\r\n${'a'.repeat(16 * 1024)}\r\n`;
		const slow = `1\r\na\r\n`;
		let answeredAt = 0;
		// Fast until the answer (past the cap), then a trickle that never stops, so that only the time bound can
		// end it: a byte every 2 ms, until the server closes the connection (or 30 s).
		const feeder = setInterval(() => {
			if (!socket.writable) return;
			if (!answeredAt && reply.startsWith('HTTP/1.1')) answeredAt = Date.now();
			socket.write(answeredAt ? slow : chunk);
		}, 2);
		const closed = await new Promise<boolean>((resolve) => {
			socket.once('close', () => resolve(true));
			setTimeout(() => resolve(false), 30_000).unref();
		});
		const lingered = Date.now() - answeredAt;
		clearInterval(feeder);
		socket.destroy();
		expect(reply).toMatch(/^HTTP\/1\.1 413/);
		expect(ended).toBe(true); // the answer came with a FIN (a half-close), before the socket went
		expect(closed).toBe(true);
		// The bound (LINGER_MS, 2 s) as a number, so that a longer linger fails here, plus a margin for a loaded machine.
		expect(LINGER_MS).toBeLessThanOrEqual(2000);
		expect(lingered).toBeLessThan(2000 + 1500);
	}, 60_000);

	it(`a client that never stops sending fast after its 413 has at most ${LINGER_BYTES / 1024 / 1024} MB read, and is cut off within ${LINGER_MS / 1000} s`, async () => {
		const socket = net.connect({ port: Number(new URL(server.url).port), host: '127.0.0.1', allowHalfOpen: true });
		let reply = '';
		socket.on('data', (d) => (reply += d));
		socket.on('error', () => {});
		socket.write(
			`POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: ${server.url}\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n`
		);
		const chunk = `${(64 * 1024).toString(16)}\r\n${'a'.repeat(64 * 1024)}\r\n`;
		let writtenAtAnswer = -1;
		// As fast as the server reads: past the byte bound the server stops reading (this client's writes stall);
		// the time bound ends it.
		const pump = () => {
			while (socket.writable && !socket.destroyed) {
				if (writtenAtAnswer < 0 && reply.startsWith('HTTP/1.1')) writtenAtAnswer = socket.bytesWritten;
				if (!socket.write(chunk)) return void socket.once('drain', pump);
			}
		};
		pump();
		const started = Date.now();
		const closed = await new Promise<boolean>((resolve) => {
			socket.once('close', () => resolve(true));
			setTimeout(() => resolve(false), 30_000).unref();
		});
		const took = Date.now() - started;
		const afterAnswer = socket.bytesWritten - Math.max(writtenAtAnswer, 0);
		socket.destroy();
		expect(reply).toMatch(/^HTTP\/1\.1 413/);
		expect(closed).toBe(true);
		// What the client handed to its socket after the answer: the discarded bytes, plus what the two kernels'
		// buffers held (a few MB on loopback), far below what 2 s at loopback speed would carry (GBs).
		expect(afterAnswer).toBeLessThan(LINGER_BYTES + 16 * 1024 * 1024);
		expect(took).toBeLessThan(LINGER_MS + 1500);
	}, 60_000);
});
