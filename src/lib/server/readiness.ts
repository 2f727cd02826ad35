import { sql } from 'kysely';
import type { Db } from './db/connect';

/**
 * Readiness for a load balancer (`/readyz`), apart from liveness (`/healthz`):
 * not ready while the database is being opened, migrated and loaded at start-up
 * (another instance may hold the migration lock for a while), nor once shutdown
 * has begun, so the proxy sends requests to the instances that can serve them.
 */
let state: { db: Db | null; stopping: boolean } = { db: null, stopping: false };

export function markReady(db: Db): void {
	state = { db, stopping: false };
}

export function markStopping(): void {
	state = { ...state, stopping: true };
}

/** 200 when started, not shutting down, and the database answers; 503 otherwise (with the reason). */
export async function readinessResponse(): Promise<Response> {
	const headers = { 'content-type': 'text/plain', 'cache-control': 'no-store' };
	const reason = state.stopping ? 'shutting down' : state.db ? await databaseDown(state.db) : 'starting';
	return reason ? new Response(reason, { status: 503, headers }) : new Response('ready', { headers });
}

async function databaseDown(db: Db): Promise<string | null> {
	try {
		await sql`select 1`.execute(db);
		return null;
	} catch {
		return 'database unavailable';
	}
}
