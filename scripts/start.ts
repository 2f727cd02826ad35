// npm start: build if the sources changed since the last build, migrate, load
// the shipped consultations, then serve on PORT (default 3000).
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { openPrepared } from '../src/lib/server/bootstrap';
import { describe } from '../src/lib/server/db/config';
import { runMain } from './lib/cli';

const BUILD_STAMP = 'build/.source-hash';
const SOURCES = ['src', 'static', 'svelte.config.js', 'vite.config.ts', 'package-lock.json'];

function sourceHash(): string {
	const hash = createHash('sha256');
	const walk = (p: string) => {
		if (!fs.existsSync(p)) return;
		const stat = fs.statSync(p);
		if (stat.isDirectory()) {
			for (const entry of fs.readdirSync(p).sort()) walk(path.join(p, entry));
		} else if (!/\.test\.ts$/.test(p)) {
			hash.update(p).update(fs.readFileSync(p));
		}
	};
	SOURCES.forEach(walk);
	return hash.digest('hex');
}

export function buildIfNeeded(): void {
	const wanted = sourceHash();
	const have = fs.existsSync(BUILD_STAMP) ? fs.readFileSync(BUILD_STAMP, 'utf8') : '';
	if (have === wanted && fs.existsSync('build/index.js')) return;
	console.log('Building the app (first start, or the sources changed)...');
	const vite = path.join('node_modules', 'vite', 'bin', 'vite.js');
	const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
	if (result.status !== 0) throw new Error('The build failed; see the messages above.');
	fs.writeFileSync(BUILD_STAMP, wanted);
}

/**
 * Timeouts on the Node server, so slow or idle connections cannot pile up:
 * - HEADERS_TIMEOUT (default 10 s): a client must finish sending its headers within this;
 * - KEEP_ALIVE_TIMEOUT (default 5 s): an idle kept-alive connection is closed after this;
 * - REQUEST_TIMEOUT (default 120 s): the whole request, body included (Node's own default is 300 s).
 * adapter-node reads the first two; it has no variable for the third, so it is set on
 * the server it creates. Public routes also give a body PUBLIC_BODY_TIMEOUT seconds (default 20: see http/body-limits).
 */
function applyTimeouts(): void {
	process.env.HEADERS_TIMEOUT ??= '10';
	process.env.KEEP_ALIVE_TIMEOUT ??= '5';
	const seconds = Number(process.env.REQUEST_TIMEOUT ?? 120);
	if (!Number.isFinite(seconds) || seconds <= 0) throw new Error(`REQUEST_TIMEOUT must be a number of seconds, not "${process.env.REQUEST_TIMEOUT}"`);
	const createServer = http.createServer;
	http.createServer = ((...args: Parameters<typeof http.createServer>) => {
		const server = createServer(...args);
		server.requestTimeout = seconds * 1000;
		return server;
	}) as typeof http.createServer;
}

runMain(async () => {
	// Check the database and data files first, so a mistake is one line, not a half-started server.
	const open = await openPrepared();
	console.log(`Database: ${describe(open.config)}${open.applied.length ? ` (applied ${open.applied.length} migration(s))` : ''}`);
	await open.close();
	buildIfNeeded();
	process.env.PORT ??= '3000';
	process.env.ORIGIN ??= `http://localhost:${process.env.PORT}`;
	process.env.BODY_SIZE_LIMIT ??= '25M';
	applyTimeouts();
	console.log(`Serving on ${process.env.ORIGIN}`);
	await import(path.resolve('build/index.js'));
});
