import http from 'node:http';
import net from 'node:net';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyServerTimeouts } from '../scripts/lib/server-timeouts';
import { freePort } from './helpers/server';

/** Resolves with the milliseconds until the server closed the socket, or rejects after `limitMs`. */
function closedWithin(socket: net.Socket, limitMs: number): Promise<{ ms: number; reply: string }> {
	const started = Date.now();
	let reply = '';
	socket.on('data', (d) => (reply += d));
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`still open after ${limitMs} ms`)), limitMs);
		socket.once('close', () => {
			clearTimeout(timer);
			resolve({ ms: Date.now() - started, reply });
		});
	});
}

describe('server timeouts set by npm start (adapter-node creates its server with http.createServer())', () => {
	let server: http.Server;
	let port: number;
	let restore: () => void;
	beforeAll(async () => {
		const applied = applyServerTimeouts({ HEADERS_TIMEOUT: '1', REQUEST_TIMEOUT: '2' } as NodeJS.ProcessEnv);
		restore = applied.restore;
		server = http.createServer((req, res) => {
			req.resume();
			req.on('end', () => res.end('ok'));
		});
		port = await freePort();
		await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
	});
	afterAll(async () => {
		restore?.();
		server?.closeAllConnections();
		await new Promise((r) => server?.close(r));
	});

	it('defaults to a 10 s headers timeout and a 120 s request timeout', () => {
		const env = {} as NodeJS.ProcessEnv;
		const { timeouts, restore: undo } = applyServerTimeouts(env);
		undo();
		expect(timeouts).toEqual({ headersSeconds: 10, keepAliveSeconds: 5, requestSeconds: 120 });
		expect(env.HEADERS_TIMEOUT).toBe('10');
		expect(() => applyServerTimeouts({ REQUEST_TIMEOUT: 'soon' } as NodeJS.ProcessEnv)).toThrow(/REQUEST_TIMEOUT/);
	});

	it('answers an ordinary request', async () => {
		expect(await (await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: 'hello' })).text()).toBe('ok');
	});

	it('closes a connection that never finishes its headers', async () => {
		const socket = net.connect(port, '127.0.0.1');
		socket.write('POST / HTTP/1.1\r\nHost: x\r\n');
		const { ms, reply } = await closedWithin(socket, 8000);
		expect(ms).toBeLessThan(8000);
		expect(reply).toMatch(/^HTTP\/1\.1 408/);
	});

	it('closes a connection whose body trickles in past the request timeout', async () => {
		const socket = net.connect(port, '127.0.0.1');
		socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nabc');
		const { ms } = await closedWithin(socket, 10000);
		expect(ms).toBeGreaterThanOrEqual(1500);
		expect(ms).toBeLessThan(10000);
	});
});

describe('the body gate of npm start: small bodies are read whole before the app sees the request', () => {
	let server: http.Server;
	let port: number;
	let restore: () => void;
	const seen: { method: string; bytes: number; sha: string }[] = [];
	beforeAll(async () => {
		restore = applyServerTimeouts({
			PUBLIC_BODY_TIMEOUT: '1',
			REQUEST_TIMEOUT: '30',
			HEADERS_TIMEOUT: '10'
		} as NodeJS.ProcessEnv).restore;
		server = http.createServer((req, res) => {
			const hash = createHash('sha256');
			let bytes = 0;
			req.on('data', (c: Buffer) => {
				bytes += c.length;
				hash.update(c);
			});
			req.on('end', () => {
				seen.push({ method: req.method!, bytes, sha: hash.digest('hex') });
				res.end(`${req.method} ${req.url} ${bytes}`);
			});
		});
		port = await freePort();
		await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
	});
	afterAll(async () => {
		restore?.();
		server?.closeAllConnections();
		await new Promise((r) => server?.close(r));
	});

	it('hands small, chunked and large bodies to the app unchanged, with the method and URL', async () => {
		const big = new Uint8Array(300 * 1024).map((_, i) => (i * 7) % 251);
		const url = `http://127.0.0.1:${port}/x?y=1`;
		expect(await (await fetch(url, { method: 'POST', body: 'hello' })).text()).toBe('POST /x?y=1 5');
		const chunked = new ReadableStream({
			start(c) {
				c.enqueue(new TextEncoder().encode('abc'));
				c.enqueue(new TextEncoder().encode('def'));
				c.close();
			}
		});
		expect(await (await fetch(url, { method: 'PUT', body: chunked, duplex: 'half' } as RequestInit)).text()).toBe(
			'PUT /x?y=1 6'
		);
		expect(await (await fetch(url, { method: 'POST', body: big })).text()).toBe(`POST /x?y=1 ${big.length}`);
		expect(seen.at(-1)!.sha).toBe(createHash('sha256').update(big).digest('hex'));
		expect(await (await fetch(url)).text()).toBe('GET /x?y=1 0');
	});

	it('answers 408 to connections that stall mid-body, without the app ever seeing them', async () => {
		const before = seen.length;
		const started = Date.now();
		const sockets = Array.from({ length: 200 }, () => {
			const s = net.connect(port, '127.0.0.1');
			s.write(
				'POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nemail=a'
			);
			return closedWithin(s, 10_000);
		});
		// Meanwhile the server answers others at once.
		expect(await (await fetch(`http://127.0.0.1:${port}/healthz`)).text()).toBe('GET /healthz 0');
		const closed = await Promise.all(sockets);
		expect(closed.every((c) => /^HTTP\/1\.1 408/.test(c.reply) && c.reply.includes('took too long'))).toBe(true);
		expect(Date.now() - started).toBeGreaterThanOrEqual(900);
		// Only the /healthz request reached the app.
		expect(seen.slice(before).map((s) => s.method)).toEqual(['GET']);
	});
});
