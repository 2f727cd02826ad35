import type { Kysely } from 'kysely';

// Frozen: never import application code here; a later change gets a new migration.

/**
 * Two indexes that no query needs, each written on every insert and, for `answer`, on every update that is not HOT
 * (a coding write sets `coded_at`, which `answer_uncoded` and `answer_coded_at` hold, so each coded answer gets a new
 * entry in every one of `answer`'s indexes; issue #19, coding a million answers on PostgreSQL):
 * - answer_perspective_question (perspective_id, question_id), from 2026-12-05-0100: the same columns, in the same
 *   order, as the unique constraint answer_unique of the core migration, whose index (PostgreSQL's answer_unique,
 *   SQLite's automatic index) serves the same look-ups;
 * - answer_theme_theme (theme_id, applies), from the core migration: a prefix of answer_theme_theme_answer
 *   (theme_id, applies, answer_id), which serves every look-up it does. A coding run writes ~2.2 codings an answer.
 * Both engines.
 */
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.dropIndex('answer_perspective_question').ifExists().execute();
	await db.schema.dropIndex('answer_theme_theme').ifExists().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema
		.createIndex('answer_theme_theme')
		.ifNotExists()
		.on('answer_theme')
		.columns(['theme_id', 'applies'])
		.execute();
	await db.schema
		.createIndex('answer_perspective_question')
		.ifNotExists()
		.on('answer')
		.columns(['perspective_id', 'question_id'])
		.execute();
}
