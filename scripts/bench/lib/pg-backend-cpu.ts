// PostgreSQL's share of a request: the CPU the database's server processes spent meanwhile. The analysis bench's
// "cpu" is the Node server's alone; on PostgreSQL most of a view's work is in the backends (and their parallel
// workers), which that leaves out. Reads /proc/<pid>/schedstat (Linux, same machine) of every process
// pg_stat_activity lists for the database (client backends), except this probe's own, and of every parallel worker
// of those backends seen meanwhile: a worker starts and ends within one statement, between two samples, so /proc is
// polled every few ms for processes named "parallel worker for PID <a backend>" and each one's last reading is kept
// (its last few ms are missed). Without that, a plan run in three processes counted one of them (issue #19: a
// theme pass read 0.9 s of 1.8 s).
import fs from 'node:fs';
import pg from 'pg';

export interface BackendCpu {
	/**
	 * CPU ns so far of the database's processes now, by pid, and of the parallel workers seen so far, by
	 * `w<pid>:<start time>` (empty where /proc cannot be read).
	 */
	sample(): Promise<Map<number | string, number>>;
	close(): Promise<void>;
}

/** CPU ns spent between two samples: a process missing from `before` (connected meanwhile) counts whole. */
export function cpuBetween(before: Map<number | string, number>, after: Map<number | string, number>): number {
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

/** The leader's pid of a parallel worker, from its process title (its cmdline), or null for any other process. */
export function parallelLeader(cmdline: string): number | null {
	const m = /parallel worker for PID (\d+)/.exec(cmdline);
	return m ? Number(m[1]) : null;
}

/**
 * Whether a process's title is final: a PostgreSQL process forked by the postmaster carries the postmaster's own
 * command line ("/usr/lib/postgresql/15/bin/postgres -D ...") until it sets its title ("postgres: 15/main: parallel
 * worker for PID 4242"), so a scan that catches a worker in that first moment must look again rather than remember
 * it as "not a worker" (on a busy CI machine it did, and the worker's CPU went uncounted).
 */
export function titleIsFinal(cmdline: string): boolean {
	const argv0 = cmdline.split('\0')[0];
	return !/(^|\/)postgres$/.test(argv0);
}

/**
 * Keeps the last CPU reading of every parallel worker of `leaders()` that /proc shows, every `everyMs`. Each pid's
 * final title is read once (a pid is not reused within a bench run: Linux hands them out in turn); a worker is keyed
 * by pid and start time all the same.
 */
export function watchParallelWorkers(leaders: () => Set<number>, everyMs = 3) {
	const seen = new Map<string, number>();
	const titles = new Map<number, number | null>();
	const scan = () => {
		let entries: string[];
		try {
			entries = fs.readdirSync('/proc');
		} catch {
			return;
		}
		const wanted = leaders();
		for (const e of entries) {
			const pid = Number(e);
			if (!Number.isInteger(pid) || pid <= 0) continue;
			let leader = titles.get(pid);
			if (leader === undefined) {
				let cmdline: string;
				try {
					cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
				} catch {
					continue;
				}
				leader = parallelLeader(cmdline);
				if (leader !== null || titleIsFinal(cmdline)) titles.set(pid, leader);
			}
			if (leader === null || !wanted.has(leader)) continue;
			const ns = schedstatNs(pid);
			if (ns === null) continue;
			let start: string;
			try {
				start = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[19];
			} catch {
				continue;
			}
			seen.set(`w${pid}:${start}`, ns);
		}
	};
	const timer = setInterval(scan, everyMs);
	timer.unref();
	return { seen, scan, stop: () => clearInterval(timer) };
}

export async function backendCpu(url: string): Promise<BackendCpu> {
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	let backends = new Set<number>();
	const workers = watchParallelWorkers(() => backends);
	return {
		async sample() {
			const { rows } = await client.query<{ pid: number }>(
				`select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()
				   and backend_type = 'client backend'`
			);
			backends = new Set(rows.map((r) => Number(r.pid)));
			workers.scan();
			const out = new Map<number | string, number>(workers.seen);
			for (const pid of backends) {
				const ns = schedstatNs(pid);
				if (ns !== null) out.set(pid, ns);
			}
			return out;
		},
		close: async () => {
			workers.stop();
			await client.end();
		}
	};
}
