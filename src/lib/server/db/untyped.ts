import type { ExpressionBuilder } from 'kysely';

/**
 * An expression builder for SQL fragments shared by queries that name the same tables under different
 * aliases (`answer`, `a`, `sf`...): Kysely has no type for "any query that has an answer table as X", so
 * the fragment is built untyped and the query using it stays typed.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above: shared across aliased queries
export type AnyExpressionBuilder = ExpressionBuilder<any, any>;
