import { createHmac } from 'node:crypto';
import type pg from 'pg';
import {
	RateLimiterMemory,
	RateLimiterPostgres,
	type IRateLimiterOptions,
	type RateLimiterAbstract
} from 'rate-limiter-flexible';
import type { OpenDb } from '../db/connect';

/**
 * Where rate-limit counters live. On SQLite (one machine, one process) in this
 * process's memory. On PostgreSQL, where several app instances may serve one
 * installation, in the database (rate-limiter-flexible's PostgreSQL store, table
 * rate_limit), so a limit is one limit for the service, not one per instance.
 * Stored keys are HMACs of the client key under a random per-installation secret
 * (installation_secret), so no client address is ever written to the database.
 */
let shared: { pool: pg.Pool; secret: string } | null = null;

/** Called once the server's database is open and migrated (db/instance.ts). */
export async function shareLimitsThrough(open: OpenDb): Promise<void> {
	if (!open.pgPool) return;
	const row = await open.db
		.selectFrom('installation_secret')
		.select('value')
		.where('name', '=', 'rate-limit-key')
		.executeTakeFirstOrThrow();
	shared = { pool: open.pgPool, secret: row.value };
}

/** Back to per-process counters (the database is closing). */
export function stopSharingLimits(): void {
	shared = null;
}

/** A limiter in the shared store when there is one, else in memory. Create it when first needed, not at import. */
export function newLimiter(opts: Pick<IRateLimiterOptions, 'keyPrefix' | 'points' | 'duration'>): RateLimiterAbstract {
	if (!shared) return new RateLimiterMemory(opts);
	return new RateLimiterPostgres({
		...opts,
		storeClient: shared.pool,
		storeType: 'pool',
		tableName: 'rate_limit',
		tableCreated: true,
		clearExpiredByTimeout: true
	});
}

/** The key a client is counted under in the store: the client key itself in memory, a keyed hash in the database. */
export function storedKey(clientKey: string): string {
	return shared ? createHmac('sha256', shared.secret).update(clientKey).digest('base64url') : clientKey;
}

/** Whether counters are shared between instances (for tests and the start-up log). */
export function limitsShared(): boolean {
	return shared !== null;
}
