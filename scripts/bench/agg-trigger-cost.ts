/**
 * What the aggregate triggers cost an online submission: N submissions (two perspectives, three
 * answers each) through the survey writer into a fresh SQLite database, timed with every trigger,
 * without the coding-state ones (migration 2026-12-01-0400), without those and the submission-level
 * ones (2026-12-01-0300) and without any (nor 0220's answer-level ones), alternating. Prints the mean per submission of each.
 *   npx tsx scripts/bench/agg-trigger-cost.ts [N]
 */
import os from 'node:os';
import { sql } from 'kysely';
import { submissionCost } from './lib/trigger-cost';

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
	const drop =
		mode === 'all triggers'
			? []
			: mode === 'without 0400'
				? CODING_TRIGGERS
				: mode === 'without 0300'
					? [...CODING_TRIGGERS, ...SUBMISSION_TRIGGERS]
					: [...CODING_TRIGGERS, ...SUBMISSION_TRIGGERS, ...ANSWER_TRIGGERS];
	const r = await submissionCost(N, 'agg-cost-', async (db) => {
		for (const t of drop) await sql.raw(`drop trigger if exists ${t}`).execute(db);
	});
	return r.wall;
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
