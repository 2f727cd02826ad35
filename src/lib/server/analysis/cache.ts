/**
 * A small in-process cache of computed analysis pages. An entry is reused only
 * while the installation's data version is unchanged: one row in the database,
 * bumped by triggers in the same transaction as every write to a table the
 * analysis reads (submissions, entry, imports, edits, deletes, coding and
 * recoding, retention, consultation settings such as suppression; see migration
 * 2026-11-30-0240). Checking it is one primary-key read, and because it lives in
 * the database every app instance sees the same version, so a page cached by one
 * instance is never served stale after a write through another.
 * ANALYSIS_CACHE=off turns the cache off (the benchmark reports both).
 */
import { databaseId, type Db } from '../db/connect';

/**
 * Entries kept (least recently used dropped first). ANALYSIS_CACHE_ENTRIES raises it for a process that asks for
 * far more distinct views than a page does: the disclosure tests read every slice of several families, and with 200
 * entries the families' shared work (each slice's wider views and sibling rounds) was dropped and worked out again
 * (1,060 of 3,462 misses in tests/disclosure-joint.test.ts on SQLite, 3 December).
 */
const maxEntries = () => Number(process.env.ANALYSIS_CACHE_ENTRIES) || 200;
const TTL_MS = 10 * 60_000;
const entries = new Map<string, { version: string; at: number; value: unknown }>();
/**
 * Values being computed, by key and data version: a second request for the same value while the
 * first is still working it out waits for it rather than doing the same work again (the first
 * filtered page after a data change works out every slice of its family; two such pages at once
 * would do it twice, and hold twice the database connections).
 */
const inflight = new Map<string, { version: string; value: Promise<unknown> }>();

export function cacheEnabled(): boolean {
	return process.env.ANALYSIS_CACHE !== 'off';
}

/**
 * The current data version (a string: PostgreSQL returns bigint as text). Read on the app's pool, not the
 * analysis lane: a cached page's one primary-key read must not queue behind another officer's cold page
 * (hundreds of queries waiting in the lane), and it holds a connection for a moment only.
 */
export async function dataVersion(db: Db): Promise<string> {
	const row = await db.selectFrom('data_version').select('version').where('id', '=', 1).executeTakeFirst();
	return String(row?.version ?? 0);
}

/** The value for `key`, computed by `work` unless a copy made from the same data is at hand. */
export async function cachedAnalysis<T>(
	db: Db,
	consultationId: number,
	key: string,
	work: () => Promise<T>
): Promise<T> {
	if (!cacheEnabled()) return work();
	// Read before computing: a write committed during `work` leaves this entry under
	// the older version, so it is recomputed next time rather than served stale.
	const version = await dataVersion(db);
	// Keyed by database too: two databases open in one process (tests, tools) may hold the same consultation id at
	// the same data version.
	const k = `${databaseId(db)}|${consultationId}|${key}`;
	const hit = entries.get(k);
	if (hit && hit.version === version && Date.now() - hit.at < TTL_MS) {
		entries.delete(k);
		entries.set(k, hit); // most recently used last
		return hit.value as T;
	}
	const pending = inflight.get(k);
	if (pending && pending.version === version) return pending.value as Promise<T>;
	const computing = work();
	inflight.set(k, { version, value: computing });
	try {
		const value = await computing;
		entries.set(k, { version, at: Date.now(), value });
		while (entries.size > maxEntries()) entries.delete(entries.keys().next().value!);
		return value;
	} finally {
		if (inflight.get(k)?.value === computing) inflight.delete(k);
	}
}
