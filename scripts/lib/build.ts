// The built app (build/index.js) for servers started by tests, benches and the crash test.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

/** What the build is made from: a file here newer than build/index.js means the build is out of date. */
const BUILD_INPUTS = ['src', 'messages', 'static', 'vite.config.ts', 'svelte.config.js', 'package-lock.json'];

/** The newest modification time (ms) of the build's inputs under appDir (0 when there are none). */
function newestInput(appDir: string): number {
	let newest = 0;
	const visit = (p: string) => {
		let st: fs.Stats;
		try {
			st = fs.statSync(p);
		} catch {
			return;
		}
		if (st.isDirectory()) for (const name of fs.readdirSync(p)) visit(path.join(p, name));
		else newest = Math.max(newest, st.mtimeMs);
	};
	for (const input of BUILD_INPUTS) visit(path.join(appDir, input));
	return newest;
}

/**
 * True when build/index.js is missing or older than a source, message, static file or the build's config: a bench
 * or crash test run against such a build would measure code that is no longer there (after a merge that added a
 * migration, the old server even refuses the database the new code prepared).
 */
export function buildIsStale(appDir: string): boolean {
	const entry = path.join(appDir, 'build', 'index.js');
	if (!fs.existsSync(entry)) return true;
	return newestInput(appDir) > fs.statSync(entry).mtimeMs;
}

/** Builds the app if build/index.js is missing or older than its sources; otherwise leaves the build alone. */
export function ensureBuild(appDir: string, log: (line: string) => void = () => {}): void {
	const entry = path.join(appDir, 'build', 'index.js');
	// A build by someone else may be under way (vite empties build/ first): give it a minute.
	for (let i = 0; i < 60 && !fs.existsSync(entry) && fs.existsSync(path.join(appDir, 'build')); i++)
		spawnSync('sleep', ['1']);
	if (!buildIsStale(appDir)) return;
	log(
		fs.existsSync(entry)
			? 'build/index.js is older than the sources: running vite build'
			: 'build/index.js is missing: running vite build once'
	);
	buildApp(appDir);
}

/** Runs `vite build` in appDir (the app tests' global setup rebuilds every run; ensureBuild only when missing). */
export function buildApp(appDir: string): void {
	const vite = path.join(appDir, 'node_modules', 'vite', 'bin', 'vite.js');
	// A production build, as `npm run build` makes: vitest sets NODE_ENV=test, which would otherwise give the
	// app tests a build with Svelte's development runtime (about 40% more JavaScript per page).
	const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'error'], {
		cwd: appDir,
		stdio: 'inherit',
		env: { ...process.env, NODE_ENV: 'production' }
	});
	if (result.status !== 0) throw new Error('vite build failed');
}

export interface BuildSnapshot {
	/** The snapshot's build/index.js. */
	entry: string;
	cleanup(): void;
}

/**
 * A private copy of build/ for one run. Another `vite build` in the same tree (vite
 * empties build/ first) cannot pull files from under the servers started from it.
 * node_modules is linked beside it for package resolution; start the server with its
 * working folder at appDir (db/consultations).
 */
export function snapshotBuild(appDir: string): BuildSnapshot {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consult-build-'));
	for (let attempt = 0; ; attempt++) {
		try {
			if (!fs.existsSync(path.join(appDir, 'build', 'index.js')))
				throw new Error(`${path.join(appDir, 'build', 'index.js')} is missing`);
			fs.cpSync(path.join(appDir, 'build'), path.join(dir, 'build'), { recursive: true });
			if (!fs.existsSync(path.join(dir, 'build', 'handler.js'))) throw new Error('build/ was incomplete');
			break;
		} catch (error) {
			// A rebuild was under way: wait for it to finish and copy again.
			fs.rmSync(path.join(dir, 'build'), { recursive: true, force: true });
			if (attempt >= 60) {
				fs.rmSync(dir, { recursive: true, force: true });
				throw error;
			}
			spawnSync('sleep', ['1']);
		}
	}
	fs.symlinkSync(path.join(appDir, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
	// ES modules, as in the project: the production entry (scripts/serve-built.ts) imports the copy through tsx,
	// which would otherwise read a .js file outside any package as CommonJS.
	fs.writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
	return {
		entry: path.join(dir, 'build', 'index.js'),
		cleanup: () => fs.rmSync(dir, { recursive: true, force: true })
	};
}
