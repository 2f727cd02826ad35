// Where PostgreSQL's sessions spend a bench phase: samples pg_stat_activity of one database every `everyMs` and
// tallies what each active session is doing (running on CPU, waiting on a lock, on the client, on I/O), and for lock
// waits the statement that waits and the statement its blocker runs. Read with describeWaits().
import pg from 'pg';

export interface WaitSampler {
	stop(): Promise<WaitTally>;
}

export interface WaitTally {
	samples: number;
	/** "state / wait_event_type:wait_event" -> sessions seen so (summed over samples). */
	byWait: Map<string, number>;
	/** For lock waits: "waiting statement <- blocker's statement" -> sessions seen so. */
	byLock: Map<string, number>;
}

const short = (q: string | null) => (q ?? '').replace(/\s+/g, ' ').slice(0, 70);

export async function sampleWaits(url: string, everyMs = 25): Promise<WaitSampler> {
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	const tally: WaitTally = { samples: 0, byWait: new Map(), byLock: new Map() };
	let running = true;
	const add = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
	const loop = (async () => {
		while (running) {
			const { rows } = await client.query<{
				state: string;
				wait: string | null;
				query: string | null;
				blocker: string | null;
			}>(
				`select a.state, a.wait_event_type || ':' || a.wait_event as wait, a.query,
				        (select b.query from pg_stat_activity b where b.pid = (pg_blocking_pids(a.pid))[1]) as blocker
				 from pg_stat_activity a
				 where a.datname = current_database() and a.pid <> pg_backend_pid() and a.backend_type = 'client backend'
				   and a.state <> 'idle'`
			);
			tally.samples++;
			for (const r of rows) {
				add(tally.byWait, `${r.state} / ${r.wait ?? 'CPU'}`);
				if (r.wait?.startsWith('Lock:')) add(tally.byLock, `${short(r.query)} <- ${short(r.blocker)}`);
			}
			await new Promise((r) => setTimeout(r, everyMs));
		}
	})();
	return {
		async stop() {
			running = false;
			await loop;
			await client.end();
			return tally;
		}
	};
}

/** Lines: the average number of sessions in each state per sample, the largest first. */
export function describeWaits(t: WaitTally, top = 6): string[] {
	const per = (n: number) => (n / Math.max(1, t.samples)).toFixed(2);
	const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top);
	return [
		`PostgreSQL sessions per sample (${t.samples} samples): ` +
			(sorted(t.byWait)
				.map(([k, n]) => `${k} ${per(n)}`)
				.join('; ') || 'none active'),
		...sorted(t.byLock).map(([k, n]) => `  lock wait ${per(n)}: ${k}`)
	];
}
