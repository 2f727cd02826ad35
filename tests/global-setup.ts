import fs from 'node:fs';
import { buildApp } from '../scripts/lib/build';

/**
 * Browser and server tests run the real built server, so build once before any
 * test file starts (skipped when SKIP_BUILD=1 and a build is already there).
 */
export default async function setup() {
	if (process.env.SKIP_BUILD === '1' && fs.existsSync('build/index.js')) return;
	console.log('[app tests] vite build');
	buildApp(process.cwd());
}
