import type { Kysely } from 'kysely';

// Frozen: never import application code here; a later change gets a new migration.

/**
 * reclaim_pending: tables whose rewrite after a purge is still to be done (issue #11). On PostgreSQL a plain
 * VACUUM leaves the bytes of deleted rows in the table's files; retention/purge.ts rewrites the touched tables
 * with VACUUM FULL under a short lock_timeout, and a table it could not lock (another transaction had it open),
 * or whose rewrite deletion on request leaves to later, is listed here until the hourly job has rewritten it.
 * Both engines (SQLite never lists anything: secure_delete and the log's truncation do its work).
 */
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('reclaim_pending')
		.addColumn('table_name', 'text', (c) => c.primaryKey())
		.addColumn('since', 'text', (c) => c.notNull())
		.addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('reclaim_pending').ifExists().execute();
}
