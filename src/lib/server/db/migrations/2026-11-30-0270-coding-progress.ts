import type { Kysely } from 'kysely';

// Frozen: never import application code here; a later change gets a new migration.

/**
 * Recoding a question is resumable (issue #19): how far the background recode of each question has
 * got, by answer id, for the coder it was started with (signature: a hash of the codebook and the
 * officers' coding). A server restarted mid-recode continues after `after_id` when the signature is
 * unchanged, and starts again from the first answer when it has changed. The row is removed when
 * the recode finishes.
 */
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('coding_progress')
		.addColumn('question_id', 'integer', (c) => c.primaryKey().references('question.id').onDelete('cascade'))
		.addColumn('signature', 'text', (c) => c.notNull())
		.addColumn('after_id', 'integer', (c) => c.notNull())
		.addColumn('done', 'integer', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.execute();
}
