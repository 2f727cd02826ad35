import { runAll } from '../crash-test';

/**
 * The crash test (scripts/crash-test.ts): 200 concurrent clients posting
 * submissions, 5 SIGKILLs and restarts, then every acknowledged submission
 * checked in the database, on SQLite and on PostgreSQL (BENCH_DATABASE_URL or
 * TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test).
 */
export async function run(log: (line: string) => void): Promise<void> {
	const code = await runAll(log, { kills: 5, clients: 200 });
	if (code !== 0) throw new Error('the crash test lost or doubled acknowledged submissions (see above)');
}
