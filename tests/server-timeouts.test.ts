import http from 'node:http';
import net from 'node:net';
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
