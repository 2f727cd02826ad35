/** How many times a transaction is tried when PostgreSQL ends it as a deadlock's victim or a serialization failure. */
const TRIES = 5;

/** Whether `e` is PostgreSQL's deadlock (40P01) or serialization failure (40001): the transaction may be run again. */
export function isRetryableConflict(e: unknown): boolean {
	const code = (e as { code?: unknown } | null)?.code;
	return code === '40P01' || code === '40001';
}

/**
 * Runs `work` (one whole transaction), again after a short random wait when PostgreSQL rolled it back as the victim
 * of a deadlock or a serialization failure. Triggers count into aggregate rows that submissions, imports, deletions
 * and background coding all lock, each in its own order, so a deadlock between them is possible; PostgreSQL ends one
 * side and rolls its whole transaction back, so running it again does its work once. `work` must hold no state
 * outside the transaction that a second run would double. SQLite never raises these codes (one writer at a time).
 */
export async function retryingConflicts<T>(work: () => Promise<T>): Promise<T> {
	for (let attempt = 1; ; attempt++) {
		try {
			return await work();
		} catch (e) {
			if (attempt >= TRIES || !isRetryableConflict(e)) throw e;
			await new Promise((r) => setTimeout(r, 10 + Math.random() * 40 * attempt));
		}
	}
}
