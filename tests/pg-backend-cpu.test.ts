/**
 * The analysis bench's "db cpu" on PostgreSQL (scripts/bench/lib/pg-backend-cpu.ts) counts the parallel workers of
 * the database's backends, which start and end within one statement, between the bench's two samples (issue #19:
 * a theme pass in three processes was read as one). PostgreSQL only: the probe reads its server processes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { TEST_DATABASE_URL } from './helpers/databases';
import { backendCpu, cpuBetween, parallelLeader, type BackendCpu } from '../scripts/bench/lib/pg-backend-cpu';

describe('parallelLeader', () => {
	it('reads the leader from a parallel worker title, and nothing else', () => {
		expect(parallelLeader('postgres: 15/main: parallel worker for PID 4242 ')).toBe(4242);
		expect(parallelLeader('postgres: 15/main: postgres test 127.0.0.1(5000) SELECT')).toBeNull();
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
		const before = await probe.sample();
		const own0 = before.get(leader) ?? 0;
		await client.query('select sum(i) from generate_series(1, 3000000) as i');
		const after = await probe.sample();
		const leaderMs = ((after.get(leader) ?? 0) - own0) / 1e6;
		const totalMs = cpuBetween(before, after) / 1e6;
		// Summing three million numbers is well over 50 ms of CPU anywhere; the waiting leader spends a few.
		expect(totalMs - leaderMs).toBeGreaterThan(50);
		expect([...after.keys()].some((k) => typeof k === 'string' && k.startsWith('w'))).toBe(true);
	});
});
