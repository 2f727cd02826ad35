/**
 * The trigger-cost benches' run (agg-trigger-cost.ts, question-set-trigger-cost.ts): a fresh SQLite database with
 * every migration, `prepare` to drop the triggers left out, then 20 warm-up and N timed online submissions (two
 * perspectives, three answers each) through the survey writer. Returns wall and CPU (process.cpuUsage: all
 * threads) ms per submission; the database is removed again.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { openPrepared } from '../../../src/lib/server/bootstrap';
import type { Db } from '../../../src/lib/server/db/connect';
import { parseDatabaseUrl } from '../../../src/lib/server/db/config';
import { getConsultation } from '../../../src/lib/server/consultations/queries';
import { saveOnline } from '../../../src/lib/server/survey/writer';

export async function submissionCost(
	n: number,
	prefix: string,
	prepare: (db: Db) => Promise<void>
): Promise<{ wall: number; cpu: number }> {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
	const open = await openPrepared(parseDatabaseUrl(`file:${path.join(dir, 'db.sqlite')}`));
	try {
		await prepare(open.db);
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
		for (let i = 0; i < n; i++) await one();
		const cu = process.cpuUsage(c0);
		return { wall: (performance.now() - t) / n, cpu: (cu.user + cu.system) / 1000 / n };
	} finally {
		await open.close();
		fs.rmSync(dir, { recursive: true, force: true });
	}
}
