// No index that another index of the same table makes useless: every index is written on every insert (and, for
// `answer`, on every update that cannot be HOT, such as the coder's `coded_at`), so one that serves no look-up of
// its own only costs writes (issue #19: coding a million answers on PostgreSQL; migration 2026-12-06-0400).
// Redundant here: a plain (not unique, not partial, no expressions) index whose columns are the same as, or a
// leading part of, another plain or unique index's on the same table. A unique index is never redundant (it
// enforces a rule), nor is a partial one (it holds fewer rows).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';

interface Index {
	table: string;
	name: string;
	unique: boolean;
	/** Partial, or on an expression: holds other entries than its columns say. */
	special: boolean;
	columns: string[];
}

async function indexesOf(db: FreshDb, engine: 'sqlite' | 'postgres'): Promise<Index[]> {
	if (engine === 'postgres') {
		const { rows } = await sql<{ table: string; name: string; unique: boolean; special: boolean; columns: string[] }>`
			select t.relname as table, c.relname as name, i.indisunique as unique,
				(i.indpred is not null or i.indexprs is not null) as special,
				array(select a.attname from unnest(i.indkey) with ordinality k(attnum, ord)
					join pg_attribute a on a.attrelid = t.oid and a.attnum = k.attnum order by k.ord)::text[] as columns
			from pg_index i join pg_class c on c.oid = i.indexrelid join pg_class t on t.oid = i.indrelid
			join pg_namespace n on n.oid = t.relnamespace
			where n.nspname = current_schema()`.execute(db.db);
		return rows;
	}
	const { rows } = await sql<{ table: string; name: string; unique: number; partial: number }>`
		select m.name as "table", il.name as name, il."unique" as "unique", il.partial as partial
		from sqlite_master m, pragma_index_list(m.name) il
		where m.type = 'table'`.execute(db.db);
	const out: Index[] = [];
	for (const r of rows) {
		const cols = await sql<{ name: string | null }>`
			select name from pragma_index_info(${r.name}) order by seqno`.execute(db.db);
		out.push({
			table: r.table,
			name: r.name,
			unique: r.unique === 1,
			special: r.partial === 1 || cols.rows.some((c) => c.name === null),
			columns: cols.rows.map((c) => c.name ?? '')
		});
	}
	return out;
}

/** "index (columns) is covered by other (columns)" for each redundant index. */
export function redundantIndexes(indexes: Index[]): string[] {
	const found: string[] = [];
	for (const a of indexes) {
		if (a.unique || a.special || a.columns.length === 0) continue;
		const by = indexes.find(
			(b) =>
				b !== a &&
				b.table === a.table &&
				!b.special &&
				b.columns.length >= a.columns.length &&
				a.columns.every((c, i) => b.columns[i] === c) &&
				// Two plain indexes on the same columns: name the later one (by name) only.
				(b.unique || b.columns.length > a.columns.length || b.name < a.name)
		);
		if (by) found.push(`${a.table}.${a.name} (${a.columns}) is covered by ${by.name} (${by.columns})`);
	}
	return found.sort();
}

it('finds a duplicate and a prefix, and leaves unique and partial indexes alone', () => {
	const ix = (name: string, columns: string[], unique = false, special = false): Index => ({
		table: 't',
		name,
		unique,
		special,
		columns
	});
	expect(
		redundantIndexes([
			ix('t_unique', ['a', 'b'], true),
			ix('t_dup', ['a', 'b']),
			ix('t_wide', ['c', 'd', 'e']),
			ix('t_prefix', ['c', 'd']),
			ix('t_partial', ['c'], false, true),
			ix('t_unique_prefix', ['c'], true),
			ix('t_other', ['d', 'c'])
		])
	).toEqual(['t.t_dup (a,b) is covered by t_unique (a,b)', 't.t_prefix (c,d) is covered by t_wide (c,d,e)']);
});

describeEachEngine('indexes after every migration', (engine) => {
	let db: FreshDb;
	beforeAll(async () => {
		db = await preparedDatabase(engine);
	});
	afterAll(async () => db?.drop());

	it('has none that another index of its table makes redundant', async () => {
		const indexes = await indexesOf(db, engine);
		// The tables the coder writes are there (the query found the indexes at all).
		expect(indexes.filter((i) => i.table === 'answer').length).toBeGreaterThan(5);
		expect(indexes.filter((i) => i.table === 'answer_theme').length).toBeGreaterThan(3);
		expect(redundantIndexes(indexes)).toEqual([]);
	});
});
