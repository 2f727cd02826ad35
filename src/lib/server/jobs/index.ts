/**
 * The server's background work, started and stopped in one place (hooks.server.ts, after the database is open
 * and before it closes). Command-line tools open the database without starting any of it.
 * - coding: new answers are coded soon after they arrive, and a question is recoded after its codebook or the
 *   officers' coding changes (queue in ../coding, one job at a time, in the engine's worker thread);
 * - the safeguarding ranker learns the reading order from staff decisions (../safeguarding/ranker);
 * - expired sign-in sessions are deleted (validateSession already ignores them; this keeps the table small and
 *   holds no stale session ids), and expired import uploads with them (purgeExpired).
 * Theme discovery is not scheduled: an officer asks for it, and it runs in the engine's worker thread.
 */
import type { Db } from '../db/connect';
import { purgeExpiredSessions } from '../auth/session';
import { purgeExpiredUploads } from '../import/store';
import { reclaimSpace, rewritePending } from '../retention/purge';
import { startBackgroundCoding, stopBackgroundCoding } from '../coding/index';
import { startRanker, stopRanker } from '../safeguarding/ranker';

/** How often expired sessions are deleted (SESSION_PURGE_MINUTES, default hourly). */
const PURGE_EVERY_MS = Number(process.env.SESSION_PURGE_MINUTES ?? 60) * 60_000;

let stopPurge: (() => Promise<void>) | null = null;

/** Starts the background work; resolves once its start-up claims are queued (the server is ready after that). */
export async function startJobs(db: Db): Promise<void> {
	const claims = startBackgroundCoding(db);
	startRanker(db);
	stopPurge = startSessionPurge(db, PURGE_EVERY_MS);
	await claims;
}

/** Stops taking work and waits briefly for what is running, so the database can close cleanly. */
export async function stopJobs(): Promise<void> {
	const purge = stopPurge;
	stopPurge = null;
	await Promise.all([purge?.(), stopBackgroundCoding(), stopRanker()]);
}

/**
 * The hourly purge: expired sign-in sessions, and expired import uploads (their parsed cells are people's words
 * before any redaction), whose freed space is then wiped like retention's (reclaimSpace: the SQLite log emptied,
 * the PostgreSQL table vacuumed); then, on PostgreSQL, every table a purge left to be rewritten (rewritePending).
 */
export async function purgeExpired(
	db: Db
): Promise<{ sessions: number; uploads: number; rewritten: string[]; pending: string[] }> {
	const sessions = await purgeExpiredSessions(db);
	const uploads = await purgeExpiredUploads(db);
	if (uploads > 0) await reclaimSpace(db, ['import_preview'], { rewrite: 'later' });
	// PostgreSQL: the tables a purge touched and could not yet rewrite (VACUUM FULL), retried until done.
	const { rewritten, pending } = await rewritePending(db);
	return { sessions, uploads, rewritten, pending };
}

/**
 * Runs the hourly purge (purgeExpired) now and then every `everyMs`; returns a function that stops the timer and
 * waits for a purge in progress. A failed purge is logged and tried again next time.
 */
export function startSessionPurge(db: Db, everyMs: number): () => Promise<void> {
	let running: Promise<unknown> = Promise.resolve();
	const run = () => {
		running = purgeExpired(db).catch((error) => {
			console.error('Purging expired sessions and uploads failed:', error instanceof Error ? error.message : error);
		});
	};
	run();
	const timer = setInterval(run, Math.max(1000, everyMs));
	timer.unref?.();
	return async () => {
		clearInterval(timer);
		await running;
	};
}
