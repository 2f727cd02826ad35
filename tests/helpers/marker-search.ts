import fs from 'node:fs';
import path from 'node:path';
import { sql, type RawBuilder } from 'kysely';
import type { FreshDb } from './databases';

/**
 * Every place (table.column, or a file) where `word` can still be read: every text column of every table
 * (SQLite: `pragma_table_info` of every table; PostgreSQL: every text, varchar, char, json and jsonb column of
 * the public schema) and, on SQLite, the raw bytes of the database file and its write-ahead log.
 */
export async function whereIsWord(fresh: FreshDb, engine: 'sqlite' | 'postgres', word: string): Promise<string[]> {
	const found: string[] = [];
	if (engine === 'sqlite') {
		const tables = (await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(fresh.db))
			.rows;
		for (const { name } of tables) {
			const cols = (await sql<{ name: string }>`select name from pragma_table_info(${name})`.execute(fresh.db)).rows;
			const like = (c: string) => sql`cast(${sql.ref(c)} as text) like ${'%' + word + '%'}`;
			const names = cols.map((c) => c.name);
			for (const c of await columnsWith(fresh, name, names, like)) found.push(`${name}.${c}`);
		}
		const file = fresh.url.replace(/^file:/, '');
		for (const f of [file, `${file}-wal`])
			if (fs.existsSync(f) && fs.readFileSync(f).includes(word)) found.push(path.basename(f));
	} else {
		const cols = (
			await sql<{ table_name: string; column_name: string }>`
				select c.table_name, c.column_name from information_schema.columns c
				join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
				where c.table_schema = 'public' and t.table_type = 'BASE TABLE'
				and c.data_type in ('text', 'character varying', 'character', 'json', 'jsonb')`.execute(fresh.db)
		).rows;
		if (cols.length <= 20) throw new Error(`only ${cols.length} text columns found: is this the app's database?`);
		const byTable = new Map<string, string[]>();
		for (const c of cols) byTable.set(c.table_name, [...(byTable.get(c.table_name) ?? []), c.column_name]);
		const like = (c: string) => sql`${sql.ref(c)}::text like ${'%' + word + '%'}`;
		for (const [table, names] of byTable)
			for (const c of await columnsWith(fresh, table, names, like)) found.push(`${table}.${c}`);
	}
	return found.sort();
}

/**
 * The columns of `table` (of `names`) where `matches` holds for at least one row: one scan of the table for all of
 * them (a count per column in one statement) rather than one scan per column, the same answer.
 */
async function columnsWith(
	fresh: FreshDb,
	table: string,
	names: string[],
	matches: (column: string) => RawBuilder<unknown>
): Promise<string[]> {
	if (names.length === 0) return [];
	const counts = names.map((c, i) => sql`sum(case when ${matches(c)} then 1 else 0 end) as ${sql.ref(`c${i}`)}`);
	const row = (
		await sql<Record<string, number | string | null>>`select ${sql.join(counts)} from ${sql.table(table)}`.execute(
			fresh.db
		)
	).rows[0];
	return names.filter((_, i) => Number(row?.[`c${i}`] ?? 0) > 0);
}
