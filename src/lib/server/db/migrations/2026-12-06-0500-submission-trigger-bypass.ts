import { PostgresAdapter, sql, type Kysely } from 'kysely';
import { guardSqliteTrigger, unguardSqliteTrigger } from './lib/trigger-bypass';

// Frozen: never import application code here; a later change gets a new migration.

/**
 * The survey's grouped commit without per-row aggregate triggers (issue 18: CPU per submission on SQLite). Each
 * stored submission fired the insert triggers below once per row (submission, each perspective, each answer),
 * and the question-set triggers of every answer then updated its perspective and its submission, whose update
 * triggers moved the counts again: most of SQLite's own work per submission. The grouped commit on SQLite now
 * writes the rows with their group and question sets already worked out, keeps the aggregates itself with one
 * grouped statement per table for the whole batch (src/lib/server/submissions/insert-delta.ts) and bumps the
 * data version once, switching off only the triggers named here for that transaction (lib/trigger-bypass, the
 * switch of migration 2026-12-03-0200). Every other writer fires them as before.
 *
 * The list is exactly the insert triggers of `submission`, `perspective` and `answer`. A trigger added later on
 * these tables is not in the list, so it keeps firing. SQLite only: the writer on PostgreSQL keeps the triggers
 * (this migration changes nothing there).
 */
export const SUBMISSION_INSERT_TRIGGERS = [
	'agg_sub_submission_insert',
	'agg_gs_submission_insert',
	'agg_qs_submission_insert',
	'agg_qse_submission_insert',
	'submission_data_version_insert',
	'agg_sub_perspective_insert',
	'agg_gs_perspective_insert',
	'agg_qs_perspective_insert',
	'perspective_data_version_insert',
	'agg_answer_insert',
	'agg_coding_answer_insert',
	'agg_language_answer_insert',
	'agg_qs_answer_insert',
	'agg_reading_answer_insert',
	'answer_data_version_insert'
];

async function rewrite(db: Kysely<any>, change: (def: string) => string) {
	if (db.getExecutor().adapter instanceof PostgresAdapter) return;
	const rows = (
		await sql<{ name: string; sql: string }>`select name, sql from sqlite_master where type = 'trigger'
			and name in (${sql.join(SUBMISSION_INSERT_TRIGGERS)})`.execute(db)
	).rows;
	if (rows.length !== SUBMISSION_INSERT_TRIGGERS.length)
		throw new Error(`expected ${SUBMISSION_INSERT_TRIGGERS.length} triggers, found ${rows.length}`);
	for (const r of rows) {
		await sql.raw(`drop trigger "${r.name}"`).execute(db);
		await sql.raw(change(r.sql)).execute(db);
	}
}

export async function up(db: Kysely<any>): Promise<void> {
	await rewrite(db, guardSqliteTrigger);
}

export async function down(db: Kysely<any>): Promise<void> {
	await rewrite(db, unguardSqliteTrigger);
}
