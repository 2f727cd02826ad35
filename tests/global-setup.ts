import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

/**
 * Browser and server tests run the real built server, so build once before any
 * test file starts (skipped when SKIP_BUILD=1 and a build is already there).
 */
export default async function setup() {
	if (process.env.SKIP_BUILD === '1' && fs.existsSync('build/index.js')) return;
	console.log('[app tests] vite build');
	const vite = path.join('node_modules', 'vite', 'bin', 'vite.js');
	const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'error'], { stdio: 'inherit' });
	if (result.status !== 0) throw new Error('vite build failed before the tests');
}
