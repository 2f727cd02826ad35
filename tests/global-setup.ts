import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import type { TestProject } from 'vitest/node';

/**
 * Browser and server tests run the real built server. The build (`vite build`, production mode, as
 * `npm run build` makes it) is started here in the background and not awaited: the `unit` project's files run
 * first (vite.config.ts gives it the earlier `sequence.groupOrder`) while it builds, and every `app` file waits
 * for it in its set-up file (tests/helpers/app-build-wait.ts), which fails the file loudly if the build failed.
 * Skipped when SKIP_BUILD=1 and a build is already there.
 */
export default function setup(project: TestProject) {
	const status = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'consult-app-build-')), 'status.json');
	project.provide('appBuildStatus', status);
	const done = (result: { ok: boolean; detail?: string }) => fs.writeFileSync(status, JSON.stringify(result));
	if (process.env.SKIP_BUILD === '1' && fs.existsSync('build/index.js')) {
		done({ ok: true });
		return () => fs.rmSync(path.dirname(status), { recursive: true, force: true });
	}
	console.log('[app tests] vite build (in the background; unit files run meanwhile)');
	const started = Date.now();
	const vite = path.join(process.cwd(), 'node_modules', 'vite', 'bin', 'vite.js');
	// NODE_ENV=production: vitest sets NODE_ENV=test, which would otherwise give the app tests a build with
	// Svelte's development runtime (about 40% more JavaScript per page). Same command as scripts/lib/build.ts.
	const child = spawn(process.execPath, [vite, 'build', '--logLevel', 'error'], {
		cwd: process.cwd(),
		stdio: ['ignore', 'inherit', 'inherit'],
		env: { ...process.env, NODE_ENV: 'production' }
	});
	child.on('error', (error) => done({ ok: false, detail: String(error) }));
	child.on('exit', (code, signal) => {
		const seconds = ((Date.now() - started) / 1000).toFixed(1);
		console.log(`[app tests] vite build ${code === 0 ? 'done' : 'FAILED'} after ${seconds} s`);
		done(code === 0 ? { ok: true } : { ok: false, detail: `vite build exited with ${signal ?? code}` });
	});
	return () => {
		// A run cut short (a filter with no app file, an interrupt) must not leave the build running.
		if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
		fs.rmSync(path.dirname(status), { recursive: true, force: true });
	};
}

declare module 'vitest' {
	export interface ProvidedContext {
		/** The file the app build's outcome is written to ({ ok, detail? }) once it has finished. */
		appBuildStatus: string;
	}
}
