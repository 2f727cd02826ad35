import type { Db } from './db/connect';

/**
 * Readiness for a load balancer (`/readyz`), apart from liveness (`/healthz`):
 * not ready while the server starts (it listens at once, see hooks.server.ts init,
 * while the database is opened, migrated and loaded and background work makes its
 * start-up claims), nor once shutdown has begun, so the proxy sends requests to the
 * instances that can serve them.
 */
let state: { db: Db | null; stopping: boolean } = { db: null, stopping: false };

export function markReady(db: Db): void {
	state = { db, stopping: false };
}

export function markStopping(): void {
	state = { ...state, stopping: true };
}

/** Whether start-up has finished (the database open, migrated and loaded; background work started). */
export function isStarted(): boolean {
	return state.db !== null;
}

/** Whether shutdown has begun (SIGTERM/SIGINT). */
export function isStopping(): boolean {
	return state.stopping;
}

/**
 * /healthz while starting: alive (a long migration must not get the process restarted by a liveness probe), and
 * saying so; once started, /healthz checks the database round trip (routes/healthz).
 */
export function startingLiveness(): Response {
	return new Response('starting', { headers: { 'content-type': 'text/plain', 'cache-control': 'no-store' } });
}

/**
 * 200 once started and not shutting down; 503 otherwise (with the reason). No database round trip: on SQLite it
 * would queue behind the writes on the one connection, so a busy instance would look unready exactly when it
 * is serving; whether the database answers is /healthz's question.
 */
export function readinessResponse(): Response {
	const headers = { 'content-type': 'text/plain', 'cache-control': 'no-store' };
	const reason = state.stopping ? 'shutting down' : state.db ? null : 'starting';
	return reason ? new Response(reason, { status: 503, headers }) : new Response('ready', { headers });
}
