// startServer (scripts/lib/server.ts) must only call ready a server it started itself. On a shared machine another
// process can take the port between freePort() and the child's listen(); the child then dies of EADDRINUSE while
// /readyz on that port answers 200 from the other process, and a test would run against someone else's server.
// The entries here are stand-ins for adapter-node's (they listen on PORT and print its "Listening on" line), so
// these tests need no build.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../scripts/lib/net';
import { startServer, type RunningServer } from '../scripts/lib/server';

// Like adapter-node's entry: listen on HOST:PORT with no 'error' handler (so EADDRINUSE kills it), say so, and
// answer /readyz with who it is, so a test can tell which server answered.
const ENTRY = `
import http from 'node:http';
const server = http.createServer((req, res) => res.end(req.url === '/readyz' ? 'child' : 'other'));
server.listen(Number(process.env.PORT), process.env.HOST, () => console.log('Listening on http://' + process.env.HOST + ':' + process.env.PORT));
`;

let dir: string;
let entry: string;
let running: RunningServer | undefined;
let squatter: http.Server | undefined;

beforeAll(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'start-server-'));
	entry = path.join(dir, 'entry.mjs');
	fs.writeFileSync(entry, ENTRY);
});
afterEach(async () => {
	await running?.stop();
	running = undefined;
	await new Promise((r) => (squatter ? squatter.close(r) : r(undefined)));
	squatter = undefined;
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function get(url: string): Promise<string> {
	return new Promise((resolve, reject) => {
		http
			.get(url, { agent: false }, (res) => {
				let body = '';
				res.on('data', (d) => (body += d));
				res.on('end', () => resolve(body));
			})
			.on('error', reject);
	});
}

describe('startServer', () => {
	it('refuses a port another server already answers /readyz on, naming the port', async () => {
		// Another process's ready server on the port startServer is asked to use.
		const port = await freePort();
		squatter = http.createServer((_req, res) => res.end('squatter'));
		await new Promise<void>((r) => squatter!.listen(port, '127.0.0.1', r));

		const started = startServer(entry, {}, { port, timeoutMs: 20_000 });
		started.then((s) => (running = s)).catch(() => {});
		await expect(started).rejects.toThrow(new RegExp(`port ${port}.*in use|in use.*port ${port}`));
	});

	it('is ready once its own child listens and answers', async () => {
		running = await startServer(entry, {}, { timeoutMs: 20_000 });
		expect(await get(`${running.url}/readyz`)).toBe('child');
	});
});
