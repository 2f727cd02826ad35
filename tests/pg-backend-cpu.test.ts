/**
 * The analysis bench's "db cpu" on PostgreSQL (scripts/bench/lib/pg-backend-cpu.ts) counts the parallel workers of
 * the database's backends, which start and end within one statement, between the bench's two samples (issue #19:
 * a theme pass in three processes was read as one). PostgreSQL only: the probe reads its server processes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { TEST_DATABASE_URL } from './helpers/databases';
import {
	backendCpu,
	cpuBetween,
	parallelLeader,
	titleIsFinal,
	type BackendCpu
} from '../scripts/bench/lib/pg-backend-cpu';

describe('parallelLeader', () => {
	it('reads the leader from a parallel worker title, and nothing else', () => {
		expect(parallelLeader('postgres: 15/main: parallel worker for PID 4242 ')).toBe(4242);
		expect(parallelLeader('postgres: 15/main: postgres test 127.0.0.1(5000) SELECT')).toBeNull();
	});

	it("looks again at a process that still has the postmaster's command line (a worker not yet titled)", () => {
		expect(titleIsFinal('/usr/lib/postgresql/15/bin/postgres\0-D\0/var/lib/postgresql/15/main\0')).toBe(false);
		expect(titleIsFinal('postgres: 15/main: parallel worker for PID 4242 ')).toBe(true);
		expect(titleIsFinal('/usr/bin/node\0build/index.js\0')).toBe(true);
	});
});

describe.skipIf(!TEST_DATABASE_URL)('the bench counts a backend parallel worker [postgres]', () => {
	let client: pg.Client;
	let probe: BackendCpu;
	beforeAll(async () => {
		client = new pg.Client({ connectionString: TEST_DATABASE_URL });
		await client.connect();
		probe = await backendCpu(TEST_DATABASE_URL!);
	});
	afterAll(async () => {
		await probe?.close();
		await client?.end();
	});

	it('charges the worker that did the statement, gone by the second sample', async () => {
		// The whole plan in one worker, the leader only waiting for it (PostgreSQL 15 names the setting
		// force_parallel_mode, 16 debug_parallel_query).
		await client.query(`select set_config(name, 'on', false) from pg_settings
			where name in ('force_parallel_mode', 'debug_parallel_query')`);
		await client.query(`set parallel_leader_participation = off`);
		const leader = Number((await client.query('select pg_backend_pid() as p')).rows[0].p);
		// A worker is launched only when one of the server's max_parallel_workers is free; on a CI machine other
		// test files' databases may hold them, and then the leader runs the plan itself, which says nothing about
		// the probe. EXPLAIN ANALYZE runs the statement and says how many it got: try again until one did.
		let before = await probe.sample();
		let after = before;
		for (let attempt = 0; attempt < 20; attempt++) {
			before = await probe.sample();
			const { rows } = await client.query(
				'explain (analyze, format json) select sum(i) from generate_series(1, 3000000) as i'
			);
			after = await probe.sample();
			if (launched(rows[0]['QUERY PLAN'][0].Plan) > 0) break;
		}
		const own0 = before.get(leader) ?? 0;
		const leaderMs = ((after.get(leader) ?? 0) - own0) / 1e6;
		const totalMs = cpuBetween(before, after) / 1e6;
		// Summing three million numbers is well over 50 ms of CPU anywhere; the waiting leader spends a few.
		expect(totalMs - leaderMs).toBeGreaterThan(50);
		expect([...after.keys()].some((k) => typeof k === 'string' && k.startsWith('w'))).toBe(true);
	});
});

interface PlanNode {
	'Workers Launched'?: number;
	Plans?: PlanNode[];
}

/** Parallel workers a plan (EXPLAIN's JSON) launched. */
function launched(plan: PlanNode): number {
	return (plan['Workers Launched'] ?? 0) + (plan.Plans ?? []).reduce((n, p) => n + launched(p), 0);
}
