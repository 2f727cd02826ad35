import { sql } from 'kysely';
import type { FreshDb } from './databases';

/**
 * A statement's plan as text: PostgreSQL's EXPLAIN with sequential scans off (whether an index can serve it), SQLite's
 * EXPLAIN QUERY PLAN details.
 */
export async function planOf(db: FreshDb, engine: 'sqlite' | 'postgres', statement: string): Promise<string> {
	if (engine === 'postgres') {
		// The test database is tiny: ask which index can serve it, not whether the planner prefers it to a scan.
		return db.db.connection().execute(async (c) => {
			await sql`set enable_seqscan = off`.execute(c);
			try {
				const { rows } = await sql<{ 'QUERY PLAN': string }>`explain ${sql.raw(statement)}`.execute(c);
				return rows.map((r) => r['QUERY PLAN']).join('\n');
			} finally {
				await sql`reset enable_seqscan`.execute(c);
			}
		});
	}
	const { rows } = await sql<{ detail: string }>`explain query plan ${sql.raw(statement)}`.execute(db.db);
	return rows.map((r) => r.detail).join('\n');
}
