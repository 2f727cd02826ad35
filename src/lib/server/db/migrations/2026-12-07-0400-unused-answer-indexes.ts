import type { Kysely } from 'kysely';

// Frozen: never import application code here; a later change gets a new migration.

/**
 * Two indexes on `answer` that no statement of the app's plans uses any more, each written on every submitted
 * answer (issue #18, the submission path's SQLite cost; found by EXPLAIN QUERY PLAN of every statement the
 * analysis, review, quotes, export, coding, retention, entry and survey tests prepare, against a million answers):
 * - answer_reviewed (reviewed_at, question_id), from 2026-11-22-0004: made for agreement on reviewed answers before
 *   answer_reviewed_at (question_id, reviewed_at) WHERE reviewed_at IS NOT NULL (2026-12-01-0400) existed; every
 *   "reviewed" count and list now reads that partial index, which holds only the reviewed answers;
 * - answer_language_idx (language), from 2026-11-30-0260: no statement filters answers by language alone (the
 *   counts by language come from analysis_agg_language, or from a scan of a question's answers).
 * Both engines.
 */
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.dropIndex('answer_reviewed').ifExists().execute();
	await db.schema.dropIndex('answer_language_idx').ifExists().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.createIndex('answer_language_idx').ifNotExists().on('answer').column('language').execute();
	await db.schema
		.createIndex('answer_reviewed')
		.ifNotExists()
		.on('answer')
		.columns(['reviewed_at', 'question_id'])
		.execute();
}
