import type { Kysely } from 'kysely';

// Frozen: never import application code here; a later change gets a new migration.

/**
 * Drops `perspective_submission_group` (submission_id, group_code), from 2026-11-22-0004 (issue #18: the log pages a
 * submission writes). Keyed by the submission's UUID, it lands on a random leaf on every submission: 1.0 of the ≈ 15.7
 * log pages a submission writes at batches of ten. Every reader of a submission's perspectives keeps an indexed
 * plan without it: `perspective_unique` (submission_id, position) has the same leading column, so "the perspectives
 * (respondent types) of submission S" becomes a search of that unique index plus a read of the perspective row for
 * its group_code (the rows a submission has just written, or one or two per submission read), instead of a
 * covering read. The whole-table reads (the aggregate rebuilds' `distinct submission_id, group_code`) scan the table
 * instead of the index. Found by EXPLAIN QUERY PLAN (SQLite) / EXPLAIN (PostgreSQL) of the statements the analysis
 * views, retention, entry, coding and aggregate tests prepare, on a 100,000-answer database, with and without it.
 * `answer_submission` is kept: on PostgreSQL (no skip scan) a submission's answers would otherwise be a sequential
 * scan of `answer` in the submission delete/update triggers, the retention purge, the entry lists and the coding
 * store. Both engines.
 */
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.dropIndex('perspective_submission_group').ifExists().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema
		.createIndex('perspective_submission_group')
		.ifNotExists()
		.on('perspective')
		.columns(['submission_id', 'group_code'])
		.execute();
}
