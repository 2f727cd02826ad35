import type { Kysely } from 'kysely';

// Frozen: never import application code here; a later change gets a new migration.

/**
 * background_lease: a piece of start-up or background work that one instance at a time does (issue 18), such as
 * scoring the answers stored without a risk score. The instance holding the row with a lease still running does
 * the work and renews the lease as it goes; the others skip it. A lease that has run out (its instance died) may
 * be taken by the next instance that looks. Milliseconds since the epoch, as coding_job's leases.
 */
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('background_lease')
		.addColumn('name', 'text', (c) => c.primaryKey())
		.addColumn('holder', 'text', (c) => c.notNull())
		.addColumn('lease_until', 'bigint', (c) => c.notNull())
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('background_lease').ifExists().execute();
}
