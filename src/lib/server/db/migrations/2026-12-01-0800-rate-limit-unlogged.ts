import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen: never import application code here; a later change gets a new migration.

/**
 * PostgreSQL: rate_limit becomes an UNLOGGED table (issue 18). Every survey submission counts itself in it, as
 * its own statement outside any transaction, and every client behind one address (a school's network, the
 * benches) counts in the same row. Logged, each count was a commit that waited for its WAL flush while holding
 * that row's lock, so counts queued one flush each behind one another: in the instances bench, sessions waiting
 * on that lock were about a third of the database's activity. Unlogged, the count writes no WAL and its commit
 * does not wait for a flush. After a PostgreSQL crash the table is emptied: the limits start counting afresh,
 * which costs nothing that matters (they are minutes long). Nothing changes on SQLite (the counters are in memory).
 */
export async function up(db: Kysely<any>): Promise<void> {
	if (db.getExecutor().adapter instanceof PostgresAdapter) await sql`alter table rate_limit set unlogged`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	if (db.getExecutor().adapter instanceof PostgresAdapter) await sql`alter table rate_limit set logged`.execute(db);
}
