import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildIsStale } from '../scripts/lib/build';

// Benches and the crash test start build/index.js: they must not measure a build older than the code.
describe('buildIsStale', () => {
	const dirs: string[] = [];
	afterEach(() => {
		for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
	});
	const app = () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'build-stale-'));
		dirs.push(dir);
		fs.mkdirSync(path.join(dir, 'src', 'lib', 'server', 'db', 'migrations'), { recursive: true });
		fs.mkdirSync(path.join(dir, 'build'));
		return dir;
	};
	const write = (file: string, secondsAgo: number) => {
		fs.writeFileSync(file, 'x');
		const t = new Date(Date.now() - secondsAgo * 1000);
		fs.utimesSync(file, t, t);
	};

	it('is stale when there is no build', () => {
		const dir = app();
		write(path.join(dir, 'src', 'app.ts'), 60);
		expect(buildIsStale(dir)).toBe(true);
	});

	it('is fresh when the build is newer than every source', () => {
		const dir = app();
		write(path.join(dir, 'src', 'app.ts'), 60);
		write(path.join(dir, 'vite.config.ts'), 60);
		write(path.join(dir, 'build', 'index.js'), 10);
		expect(buildIsStale(dir)).toBe(false);
	});

	it('is stale when a file deep in src (a new migration) or the build config is newer than the build', () => {
		const dir = app();
		write(path.join(dir, 'src', 'app.ts'), 60);
		write(path.join(dir, 'build', 'index.js'), 10);
		write(path.join(dir, 'src', 'lib', 'server', 'db', 'migrations', '2026-12-03-0200-new.ts'), 1);
		expect(buildIsStale(dir)).toBe(true);

		const other = app();
		write(path.join(other, 'build', 'index.js'), 10);
		write(path.join(other, 'svelte.config.js'), 1);
		expect(buildIsStale(other)).toBe(true);
	});
});
