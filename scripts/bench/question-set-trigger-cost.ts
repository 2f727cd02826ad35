/**
 * What the question-set triggers (migration 2026-12-05-0100, `agg_qs_*`) cost an online submission on SQLite:
 * N submissions (two perspectives, three answers each) through the survey writer into a fresh database, with
 * every trigger and without the `agg_qs_*` ones, alternating (A B A B). Prints wall and CPU ms per submission.
 *   npx tsx scripts/bench/question-set-trigger-cost.ts [N]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { openPrepared } from '../../src/lib/server/bootstrap';
import { parseDatabaseUrl } from '../../src/lib/server/db/config';
import { getConsultation } from '../../src/lib/server/consultations/queries';
import { saveOnline } from '../../src/lib/server/survey/writer';

const N = Number(process.argv[2] ?? 200);

async function run(withSets: boolean): Promise<{ wall: number; cpu: number }> {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qs-cost-'));
	const open = await openPrepared(parseDatabaseUrl(`file:${path.join(dir, 'db.sqlite')}`));
	try {
		if (!withSets) {
			const names = await sql<{ name: string }>`select name from sqlite_master
				where type = 'trigger' and name like 'agg!_qs!_%' escape '!'`.execute(open.db);
			for (const t of names.rows) await sql.raw(`drop trigger ${t.name}`).execute(open.db);
		}
		const c = (await getConsultation(open.db, 'worcestershire-cypp-2017'))!;
		const one = () =>
			saveOnline(open.db, c, {
				id: randomUUID(),
				district: 'redditch',
				perspectives: [
					{ group: 'young_person', answers: { q1: 'more parks', q2: 'buses', q3: 'youth club' } },
					{ group: 'parent_carer', answers: { q1: 'safer roads', q2: 'childcare', q3: 'libraries' } }
				],
				about: null
			} as never);
		for (let i = 0; i < 20; i++) await one(); // warm-up
		const t = performance.now();
		const c0 = process.cpuUsage();
		for (let i = 0; i < N; i++) await one();
		const cu = process.cpuUsage(c0);
		return { wall: (performance.now() - t) / N, cpu: (cu.user + cu.system) / 1000 / N };
	} finally {
		await open.close();
		fs.rmSync(dir, { recursive: true, force: true });
	}
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
