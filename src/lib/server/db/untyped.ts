import { sql, type ExpressionBuilder, type SelectQueryBuilder } from 'kysely';

/**
 * An expression builder for SQL fragments shared by queries that name the same tables under different
 * aliases (`answer`, `a`, `sf`...): Kysely has no type for "any query that has an answer table as X", so
 * the fragment is built untyped and the query using it stays typed.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above: shared across aliased queries
export type AnyExpressionBuilder = ExpressionBuilder<any, any>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any subquery: only whether it finds a row is read
type AnySubquery = SelectQueryBuilder<any, any, any>;

/**
 * `exists (select 1 as one from …)`: whether `from` (a subquery's from and where) finds a row. Its columns are
 * never read, so it selects one constant (PostgreSQL and SQLite both stop at the first row).
 */
export const existsRow = (eb: AnyExpressionBuilder, from: AnySubquery) => eb.exists(from.select(sql`1`.as('one')));
