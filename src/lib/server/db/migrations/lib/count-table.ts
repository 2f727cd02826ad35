import type { Kysely } from 'kysely';

/**
 * A derived count table: its key columns in order (each not null, text unless `types` names it), then `n`, the
 * key its primary key (`<name>_pk`). Frozen with the migrations that use it: change it only by adding functions.
 */
export async function createCountTable(
	db: Kysely<any>,
	name: string,
	key: readonly string[],
	types: Record<string, 'integer' | 'text'>
): Promise<void> {
	let t = db.schema.createTable(name);
	for (const col of key) t = t.addColumn(col, types[col] ?? 'text', (c) => c.notNull());
	await t
		.addColumn('n', 'integer', (c) => c.notNull())
		.addPrimaryKeyConstraint(`${name}_pk`, [...key] as never)
		.execute();
}
