import { openPrepared } from '../bootstrap';
import type { OpenDb } from './connect';
import { startBackgroundCoding, stopBackgroundCoding } from '../coding/index';
import { startRanker, stopRanker } from '../safeguarding/ranker';

/**
 * The server's one database handle. Opened, migrated and loaded once, on the
 * first call (SvelteKit's `init` hook makes that call before serving).
 */
let opening: Promise<OpenDb> | null = null;

export function database(): Promise<OpenDb> {
	opening ??= openPrepared().then((open) => {
		// The server codes answers in the background; command-line tools do not.
		startBackgroundCoding(open.db);
		// ...and learns the safeguarding order from staff decisions, in a worker thread.
		startRanker(open.db);
		return open;
	}).catch((error) => {
		opening = null;
		throw error;
	});
	return opening;
}

export async function closeDatabase(): Promise<void> {
	if (!opening) return;
	const open = await opening.catch(() => null);
	opening = null;
	await stopBackgroundCoding();
	await stopRanker();
	await open?.close();
}
