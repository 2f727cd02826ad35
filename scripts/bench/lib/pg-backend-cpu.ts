// PostgreSQL's share of a request: the CPU the database's server processes spent meanwhile. The analysis bench's
// "cpu" is the Node server's alone; on PostgreSQL most of a view's work is in the backends (and their parallel
// workers), which that leaves out. Reads /proc/<pid>/schedstat (Linux, same machine) of every process
// pg_stat_activity lists for the database (client backends and parallel workers), except this probe's own.
// A process that starts and ends between two reads (a short parallel worker) is missed, so this is a lower bound.
import fs from 'node:fs';
import pg from 'pg';

export interface BackendCpu {
	/** CPU ns so far, by pid, of the database's processes now (empty where /proc cannot be read). */
	sample(): Promise<Map<number, number>>;
	close(): Promise<void>;
}

/** CPU ns spent between two samples: a process missing from `before` (connected meanwhile) counts whole. */
export function cpuBetween(before: Map<number, number>, after: Map<number, number>): number {
	let ns = 0;
	for (const [pid, t] of after) ns += Math.max(0, t - (before.get(pid) ?? 0));
	return ns;
}

/** CPU ns so far of one process (schedstat's first field), or null when it is gone or not readable. */
export function schedstatNs(pid: number): number | null {
	try {
		return Number(fs.readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]);
	} catch {
		return null;
	}
}

export async function backendCpu(url: string): Promise<BackendCpu> {
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	return {
		async sample() {
			const { rows } = await client.query<{ pid: number }>(
				`select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`
			);
			const out = new Map<number, number>();
			for (const { pid } of rows) {
				const ns = schedstatNs(Number(pid));
				if (ns !== null) out.set(Number(pid), ns);
			}
			return out;
		},
		close: () => client.end()
	};
}
