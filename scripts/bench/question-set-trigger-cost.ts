/**
 * What the question-set triggers (migration 2026-12-05-0100, `agg_qs_*`) cost an online submission on SQLite:
 * N submissions (two perspectives, three answers each) through the survey writer into a fresh database, with
 * every trigger and without the `agg_qs_*` ones, alternating (A B A B). Prints wall and CPU ms per submission.
 *   npx tsx scripts/bench/question-set-trigger-cost.ts [N]
 */
import os from 'node:os';
import { sql } from 'kysely';
import { submissionCost } from './lib/trigger-cost';

const N = Number(process.argv[2] ?? 200);

function run(withSets: boolean) {
	return submissionCost(N, 'qs-cost-', async (db) => {
		if (withSets) return;
		const names = await sql<{ name: string }>`select name from sqlite_master
			where type = 'trigger' and name like 'agg!_qs!_%' escape '!'`.execute(db);
		for (const t of names.rows) await sql.raw(`drop trigger ${t.name}`).execute(db);
	});
}

const out: string[] = [];
for (const withSets of [true, false, true, false]) {
	const r = await run(withSets);
	out.push(
		`${withSets ? 'with agg_qs_*   ' : 'without agg_qs_*'}: ${r.wall.toFixed(2)} ms wall, ${r.cpu.toFixed(2)} ms CPU`
	);
}
console.log(`${N} submissions (2 perspectives × 3 answers), load ${os.loadavg()[0].toFixed(1)}`);
console.log(out.join('\n'));
