/**
 * A read's rows as arrays of their columns' values, in the select's order (issue #19, code28). Large analysis
 * reads (a question family's kept question-set rows: 11,000 equality combinations and as many cube cells a
 * question + theme page at a million answers) made an object per row with its column names as keys, then copied
 * it into the cells they are summed in: most of the view's garbage. On SQLite the statement is marked by a
 * leading comment, which the statement cache (connect.ts) sees and prepares in better-sqlite3's raw mode: the
 * rows come as arrays, through Kysely's own connection (so a transaction's reads and the driver's locking are as
 * for any query). PostgreSQL (and SQLITE_ARRAY_ROWS=off, read at use) runs the query as it is and takes each
 * row's values in the select's order.
 */
import { CompiledQuery, SqliteAdapter, type Compilable } from 'kysely';
import type { Db } from './connect';

/** The comment that asks the statement cache for rows as arrays. */
export const ARRAY_ROWS_MARK = '/* rows as arrays */ ';

/** SQLITE_ARRAY_ROWS=off: rows as objects, their values taken after (before code28). */
export function arrayRowsEnabled(): boolean {
	return process.env.SQLITE_ARRAY_ROWS !== 'off';
}

/** `query`'s rows, each an array of its selected columns' values in order. For reads only. */
export async function arrayRows(db: Db, query: Compilable): Promise<unknown[][]> {
	const compiled = query.compile();
	const raw = db.getExecutor().adapter instanceof SqliteAdapter && arrayRowsEnabled();
	const result = await db.executeQuery<unknown>(
		raw ? CompiledQuery.raw(ARRAY_ROWS_MARK + compiled.sql, [...compiled.parameters]) : compiled
	);
	const rows = result.rows;
	// A connection without the statement cache (none in the application) gives objects even when asked.
	return rows.length > 0 && Array.isArray(rows[0])
		? (rows as unknown[][])
		: rows.map((r) => Object.values(r as Record<string, unknown>));
}
