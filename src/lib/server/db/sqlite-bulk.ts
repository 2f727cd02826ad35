/**
 * Bulk writes on SQLite without the row triggers that only keep derived data (the analysis aggregates and the
 * data version): a load or rebuild that recomputes those once at the end would otherwise pay for them once per
 * row. SQLite has no switch for triggers (PostgreSQL's session_replication_role), so they are dropped and
 * created again inside the caller's transaction: DDL is transactional there, so a failed batch leaves them in place.
 */
import { sql, type Transaction } from 'kysely';
import type { Db } from './connect';
import type { Database as Schema } from './schema';

export interface StoredTrigger {
	name: string;
	sql: string;
}

/** The derived-data triggers: `agg_*` (aggregates) and `*_data_version_*` (the data version). */
export async function derivedTriggers(db: Db | Transaction<Schema>): Promise<StoredTrigger[]> {
	return (
		await sql<StoredTrigger>`select name, sql from sqlite_master where type = 'trigger'
			and (name like 'agg!_%' escape '!' or name like '%!_data!_version!_%' escape '!') order by name`.execute(db)
	).rows;
}

/** Runs `fn` in `tx` with `triggers` dropped, then creates them again in the same transaction. */
export async function withoutTriggers<T>(
	tx: Transaction<Schema>,
	triggers: StoredTrigger[],
	fn: () => Promise<T>
): Promise<T> {
	for (const t of triggers) await sql.raw(`drop trigger "${t.name}"`).execute(tx);
	const out = await fn();
	for (const t of triggers) await sql.raw(t.sql).execute(tx);
	return out;
}

/**
 * Connection settings for a bulk load, for its duration only: no syncs (a crash of the machine mid-load can
 * lose or damage the load, which is generated and can be made again), a page cache large enough for the
 * indexes keyed by random ids (the default 2 MB makes each insert at a million rows read pages back from the
 * file), and rarer checkpoints. Returns a function that puts the previous values back.
 */
export async function bulkLoadSettings(db: Db, cacheMb = 256): Promise<() => Promise<void>> {
	const read = async (name: string) =>
		Object.values((await sql.raw<Record<string, unknown>>(`pragma ${name}`).execute(db)).rows[0] ?? {})[0];
	const before = {
		synchronous: await read('synchronous'),
		cache_size: await read('cache_size'),
		wal_autocheckpoint: await read('wal_autocheckpoint'),
		temp_store: await read('temp_store')
	};
	await sql.raw(`pragma synchronous = off`).execute(db);
	await sql.raw(`pragma cache_size = ${-cacheMb * 1024}`).execute(db);
	await sql.raw(`pragma wal_autocheckpoint = 10000`).execute(db);
	await sql.raw(`pragma temp_store = memory`).execute(db);
	return async () => {
		for (const [name, value] of Object.entries(before))
			await sql.raw(`pragma ${name} = ${Number(value)}`).execute(db);
	};
}
