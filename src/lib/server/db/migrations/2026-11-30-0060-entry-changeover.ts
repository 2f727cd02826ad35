import type { Kysely } from 'kysely';

// Frozen: never import application code here; a later change gets a new migration.

/**
 * Face-to-face entry when staff change over and when a leaf is deleted by mistake:
 * - submission.taken_over_from: the member of staff who typed a leaf that another
 *   signed-in member of staff explicitly took over and sent as theirs (entered_by);
 *   null for every leaf sent by the person who typed it.
 * - entry_undo: what a deleted leaf said, kept for a few minutes only so "Undo" can
 *   put it back with the same id. Rows past expires_at are purged on every delete
 *   and undo; deleting the session removes them too.
 */
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.alterTable('submission')
		.addColumn('taken_over_from', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
		.execute();
	await db.schema
		.createTable('entry_undo')
		.addColumn('submission_id', 'text', (c) => c.primaryKey())
		.addColumn('collection_session_id', 'integer', (c) =>
			c.notNull().references('collection_session.id').onDelete('cascade')
		)
		.addColumn('deleted_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('deleted_at', 'text', (c) => c.notNull())
		.addColumn('expires_at', 'text', (c) => c.notNull())
		.addColumn('snapshot', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('entry_undo_expires').on('entry_undo').column('expires_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('entry_undo').ifExists().execute();
	await db.schema.alterTable('submission').dropColumn('taken_over_from').execute();
}
