/**
 * CPU time for in-process A/B benches, from Linux /proc (same machine): per thread from schedstat (nanoseconds
 * on CPU), so a bench can count this process's threads, its main thread alone, and on PostgreSQL the server
 * backends of its database.
 */
import fs from 'node:fs';
import { PostgresAdapter, sql } from 'kysely';
import type { Db } from '../../src/lib/server/db/connect';

/** Nanoseconds on CPU of the task whose schedstat is at `path` (0 once it is gone). */
export function schedNs(path: string): number {
	try {
		return Number(fs.readFileSync(path, 'utf8').split(' ')[0]);
	} catch {
		return 0;
	}
}

/** CPU ns of this process's main thread (the event loop), alone. */
export function mainThreadCpuNs(): number {
	return schedNs(`/proc/self/task/${process.pid}/schedstat`);
}

/**
 * CPU ns so far: this process's live threads, plus this database's backends on PostgreSQL. A worker thread that
 * has exited is no longer counted: a bench of work done in short-lived workers takes process.cpuUsage() instead.
 */
export async function cpuNs(db: Db): Promise<number> {
	let total = 0;
	for (const t of fs.readdirSync('/proc/self/task')) total += schedNs(`/proc/self/task/${t}/schedstat`);
	return total + (await backendCpuNs(db));
}

/** PostgreSQL: CPU ns so far of this database's server backends (0 on SQLite). */
export async function backendCpuNs(db: Db): Promise<number> {
	if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return 0;
	const rows = await sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database()`.execute(
		db
	);
	return rows.rows.reduce((n, r) => n + schedNs(`/proc/${r.pid}/schedstat`), 0);
}
