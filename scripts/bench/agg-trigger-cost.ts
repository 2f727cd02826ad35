/**
 * What the aggregate triggers cost an online submission: N submissions (two perspectives, three
 * answers each) through the survey writer into a fresh SQLite database, timed with every trigger,
 * without the coding-state ones (migration 2026-12-01-0400), without those and the submission-level
 * ones (2026-12-01-0300) and without any (nor 0220's answer-level ones), alternating. Prints the mean per submission of each.
 *   npx tsx scripts/bench/agg-trigger-cost.ts [N]
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

const N = Number(process.argv[2] ?? 400);
const SUBMISSION_TRIGGERS = [
	'agg_sub_submission_insert',
	'agg_sub_submission_delete',
	'agg_sub_submission_counts',
	'agg_sub_submission_equality',
	'agg_sub_submission_perspectives',
	'agg_sub_perspective_insert',
	'agg_sub_perspective_delete',
	'agg_sub_perspective_update'
];
const CODING_TRIGGERS = [
	'agg_coding_answer_insert',
	'agg_coding_answer_delete',
	'agg_coding_answer_update',
	'agg_coding_theme_insert',
	'agg_coding_theme_delete',
	'agg_coding_theme_update'
];
const ANSWER_TRIGGERS = [
	'agg_answer_insert',
	'agg_answer_delete',
	'agg_answer_unmove',
	'agg_answer_move',
	'agg_answer_theme_insert',
	'agg_answer_theme_delete',
	'agg_answer_theme_update'
];

type Mode = 'all triggers' | 'without 0400' | 'without 0300' | 'no triggers';
async function run(mode: Mode): Promise<number> {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agg-cost-'));
	const open = await openPrepared(parseDatabaseUrl(`file:${path.join(dir, 'db.sqlite')}`));
	try {
		const drop =
			mode === 'all triggers'
				? []
				: mode === 'without 0400'
					? CODING_TRIGGERS
					: mode === 'without 0300'
						? [...CODING_TRIGGERS, ...SUBMISSION_TRIGGERS]
						: [...CODING_TRIGGERS, ...SUBMISSION_TRIGGERS, ...ANSWER_TRIGGERS];
		for (const t of drop) await sql.raw(`drop trigger if exists ${t}`).execute(open.db);
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
		for (let i = 0; i < N; i++) await one();
		return (performance.now() - t) / N;
	} finally {
		await open.close();
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

const results: string[] = [];
const modes: Mode[] = ['all triggers', 'without 0400', 'without 0300', 'no triggers'];
for (const m of [...modes, ...modes]) results.push(`${m}: ${(await run(m)).toFixed(2)} ms`);
console.log(
	`${N} submissions (2 perspectives × 3 answers), load ${os
		.loadavg()
		.map((l) => l.toFixed(1))
		.join(' ')}`
);
console.log(results.join('\n'));
