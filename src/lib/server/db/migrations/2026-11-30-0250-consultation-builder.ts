import type { Kysely } from 'kysely';

// Frozen: never import application code here; a later change gets a new migration.

/**
 * The consultation builder (issue #15):
 * - app_user.can_manage_consultations: officers allowed to create, edit, open and close
 *   consultations (admins always may; entry staff never).
 * - consultation.archived_at: archived after closing (status stays 'closed', so the
 *   existing status check is untouched on both engines).
 * - question.hidden / respondent_group.hidden: a question or group with answers is never
 *   removed, only hidden from new respondents.
 * - question.wording_version and question_wording: every change of wording once a
 *   question has answers is a new version; answer.wording_version records the version
 *   the respondent was shown (null: before versioning, i.e. version 1).
 */
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.alterTable('app_user')
		.addColumn('can_manage_consultations', 'integer', (c) => c.notNull().defaultTo(0))
		.execute();
	await db.schema.alterTable('consultation').addColumn('archived_at', 'text').execute();
	await db.schema.alterTable('question').addColumn('hidden', 'integer', (c) => c.notNull().defaultTo(0)).execute();
	await db.schema
		.alterTable('question')
		.addColumn('wording_version', 'integer', (c) => c.notNull().defaultTo(1))
		.execute();
	await db.schema
		.alterTable('respondent_group')
		.addColumn('hidden', 'integer', (c) => c.notNull().defaultTo(0))
		.execute();
	await db.schema.alterTable('answer').addColumn('wording_version', 'integer').execute();
	await db.schema
		.createTable('question_wording')
		.addColumn('question_id', 'integer', (c) => c.notNull().references('question.id').onDelete('cascade'))
		.addColumn('version', 'integer', (c) => c.notNull())
		.addColumn('text', 'text', (c) => c.notNull())
		.addColumn('easy_read', 'text', (c) => c.notNull())
		.addColumn('wording_by_group', 'text', (c) => c.notNull())
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('created_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
		.addPrimaryKeyConstraint('question_wording_pk', ['question_id', 'version'])
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('question_wording').ifExists().execute();
	await db.schema.alterTable('answer').dropColumn('wording_version').execute();
	await db.schema.alterTable('respondent_group').dropColumn('hidden').execute();
	await db.schema.alterTable('question').dropColumn('wording_version').execute();
	await db.schema.alterTable('question').dropColumn('hidden').execute();
	await db.schema.alterTable('consultation').dropColumn('archived_at').execute();
	await db.schema.alterTable('app_user').dropColumn('can_manage_consultations').execute();
}
