// npm start: build if the sources changed since the last build, migrate, load
// the shipped consultations, then serve on PORT (default 3000).
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { openPrepared } from '../src/lib/server/bootstrap';
import { describe } from '../src/lib/server/db/config';
import { runMain } from './lib/cli';
import { applyServerTimeouts } from './lib/server-timeouts';

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

runMain(async () => {
	// Check the database and data files first, so a mistake is one line, not a half-started server.
	const open = await openPrepared();
	console.log(
		`Database: ${describe(open.config)}${open.applied.length ? ` (applied ${open.applied.length} migration(s))` : ''}`
	);
	await open.close();
	buildIfNeeded();
	process.env.PORT ??= '3000';
	process.env.ORIGIN ??= `http://localhost:${process.env.PORT}`;
	process.env.BODY_SIZE_LIMIT ??= '25M';
	// Headers, keep-alive and whole-request timeouts (HEADERS_TIMEOUT, KEEP_ALIVE_TIMEOUT, REQUEST_TIMEOUT).
	applyServerTimeouts();
	console.log(`Serving on ${process.env.ORIGIN}`);
	await import(path.resolve('build/index.js'));
});
