/**
 * PostgreSQL's form of the equality margins statement (aggregates.ts aggEqualityMargins). The portable form groups
 * the rows into the five-way combinations (a materialized CTE), then groups that five times again for the margins
 * and once more for the completed count: at 1,000,001 answers about half the database time of a child or a
 * Bromsgrove dashboard (helper pgq19). Here the margins come from one pass over the rows with grouping sets, each
 * field's set beside the slice columns and the empty set for the completed count: the same sums, since a margin of
 * the combinations is the margin of their rows and "all five skipped" is a property of each row's five answers.
 * `grouping()` says which set a row belongs to. SQLite has no grouping sets; it keeps the portable form.
 */
import { sql, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import type { Database } from '../db/schema';

/** ANALYSIS_PG_MARGIN_SETS=off: PostgreSQL runs the portable statement, as before. */
export function pgMarginSetsEnabled(): boolean {
	return process.env.ANALYSIS_PG_MARGIN_SETS !== 'off';
}

/**
 * The statement: `rows` is the scope's equality rows (with their slice join), `fields` the margin names and their
 * columns in order, `sliceSelect` / `sliceGroupBy` the slice columns, `allSkipped` true for a row whose five
 * answers all count as not answered. Rows: f (a field name or 'completed'), v (the field's value), n, the slices.
 */
export function pgMarginSets(
	rows: SelectQueryBuilder<Database, 'analysis_agg_equality', object>,
	fields: readonly (readonly [name: string, column: string])[],
	sliceSelect: readonly ReturnType<typeof sql.ref>[],
	sliceGroupBy: readonly string[],
	allSkipped: RawBuilder<unknown>
) {
	const cols = sql.join(fields.map(([, c]) => sql.ref(c)));
	// grouping(a, b, c, d, e) has bit 4 - i clear for field i's set (its column grouped), all bits set for ().
	const all = (1 << fields.length) - 1;
	const bit = (i: number) => all & ~(1 << (fields.length - 1 - i));
	const which = sql`grouping(${cols})`;
	const f = sql<string>`case ${which} ${sql.join(
		fields.map(([name], i) => sql`when ${sql.lit(bit(i))} then ${sql.lit(name)}`),
		sql` `
	)} else 'completed' end`;
	const v = sql<unknown>`case ${which} ${sql.join(
		fields.map(([, c], i) => sql`when ${sql.lit(bit(i))} then ${sql.ref(c)}`),
		sql` `
	)} end`;
	const n = sql<number>`case when ${which} = ${sql.lit(all)} then sum(case when ${allSkipped} then 0 else n end) else sum(n) end`;
	const sets = sql`grouping sets (${sql.join([...fields.map(([, c]) => sql`(${sql.ref(c)})`), sql`()`])})`;
	const groupBy = sliceGroupBy.length ? sql`${sql.join(sliceGroupBy.map((c) => sql.ref(c)))}, ${sets}` : sets;
	return rows
		.select([f.as('f'), v.as('v'), n.as('n'), ...(sliceSelect as never[])])
		.groupBy(groupBy)
		.execute() as Promise<{ f: string; v: unknown; n: unknown }[]>;
}
