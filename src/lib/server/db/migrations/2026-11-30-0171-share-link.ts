import { PostgresAdapter, type Kysely } from 'kysely';

// Frozen: never import application code here; a later change gets a new migration.

/**
 * Read-only share links for a consultation's results (e.g. for a partnership board):
 * only the SHA-256 of the random token is stored; each link has an expiry date and can
 * be revoked. Every use is written to audit_log (share.view / share.refused).
 */
export async function up(db: Kysely<any>): Promise<void> {
	const pg = db.getExecutor().adapter instanceof PostgresAdapter;
	await db.schema
		.createTable('share_link')
		.addColumn('id', pg ? 'serial' : 'integer', (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
		.addColumn('consultation_id', 'integer', (c) => c.notNull().references('consultation.id').onDelete('cascade'))
		.addColumn('token_hash', 'text', (c) => c.notNull().unique())
		.addColumn('label', 'text', (c) => c.notNull())
		.addColumn('expires_at', 'text', (c) => c.notNull())
		.addColumn('revoked_at', 'text')
		.addColumn('created_by', 'integer', (c) => c.references('app_user.id').onDelete('set null'))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('share_link').ifExists().execute();
}
