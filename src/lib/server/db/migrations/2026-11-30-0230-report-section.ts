import type { Kysely } from 'kysely';

// Frozen: never import application code here; a later change gets a new migration.

/**
 * The narrative of a consultation's report, one row per section an officer has written
 * ('introduction', 'method', 'findings:q1' ..., 'conclusions'): Markdown text, rendered
 * and sanitised on the way out. A section with no row shows its prefilled draft.
 */
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('report_section')
		.addColumn('consultation_id', 'integer', (c) => c.notNull().references('consultation.id').onDelete('cascade'))
		.addColumn('key', 'text', (c) => c.notNull())
		.addColumn('body', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.addColumn('updated_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
		.addPrimaryKeyConstraint('report_section_pk', ['consultation_id', 'key'])
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('report_section').ifExists().execute();
}
