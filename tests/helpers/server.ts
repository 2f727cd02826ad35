import fs from 'node:fs';
import path from 'node:path';
import { startServer, type RunningServer } from '../../scripts/lib/server';
export { freePort } from '../../scripts/lib/net';
export { snapshotBuild, type BuildSnapshot } from '../../scripts/lib/build';
export {
	startServer,
	waitExit,
	exited,
	killLiveServers,
	UNLIMITED_SURVEY_ENV,
	type RunningServer,
	type Exit,
	type StartOptions
} from '../../scripts/lib/server';

/** Starts the built server (build/index.js, made by the "app" project's global setup). */
export function startBuiltServer(env: Record<string, string>): Promise<RunningServer> {
	return startServer('build/index.js', env);
}

/**
 * Starts the built server as `npm start` runs it (server timeouts and the body gate of
 * scripts/lib/server-timeouts.ts), without the start script's build and migration steps.
 */
export function startProductionServer(env: Record<string, string>, entry = 'build/index.js'): Promise<RunningServer> {
	return startServer('scripts/serve-built.ts', env, {
		nodeArgs: ['--import', 'tsx', ...(process.env.SERVER_NODE_ARGS ? process.env.SERVER_NODE_ARGS.split(' ') : [])],
		args: [entry]
	});
}

/**
 * Starts a private copy of the built server, so that another `vite build` in this
 * working tree cannot pull files from under a long benchmark. The copy lives inside
 * the project (e.g. node_modules/.cache/...) so it still finds node_modules.
 */
export function startCopiedServer(copy: string, env: Record<string, string>): Promise<RunningServer> {
	fs.cpSync('build', copy, { recursive: true });
	return startServer(path.join(copy, 'index.js'), env);
}
