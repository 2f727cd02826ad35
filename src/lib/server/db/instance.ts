import { openPrepared } from '../bootstrap';
import type { OpenDb } from './connect';
import { shareLimitsThrough, stopSharingLimits } from '../http/limit-store';

/**
 * The server's one database handle. Opened, migrated and loaded once, on the
 * first call (SvelteKit's `init` hook makes that call before serving).
 */
let opening: Promise<OpenDb> | null = null;

export function database(): Promise<OpenDb> {
	// Background work is started by the server (jobs/index.ts), not here: command-line tools open the database too.
	opening ??= startupDelay()
		.then(() => openPrepared())
		.then(async (open) => {
			await shareLimitsThrough(open);
			return open;
		})
		.catch((error) => {
		opening = null;
		throw error;
	});
	return opening;
}

export async function closeDatabase(): Promise<void> {
	if (!opening) return;
	const open = await opening.catch(() => null);
	opening = null;
	stopSharingLimits();
	await open?.close();
}

/**
 * Tests only: TEST_STARTUP_DELAY_MS holds start-up back that long before the database is opened, standing in for a
 * long migration, so a test can watch /readyz and /healthz while the server starts.
 */
function startupDelay(): Promise<void> {
	const ms = Number(process.env.TEST_STARTUP_DELAY_MS ?? 0);
	return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
