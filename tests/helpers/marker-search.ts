import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
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
			for (const c of cols) {
				const r = await sql<{
					n: number;
				}>`select count(*) as n from ${sql.table(name)} where cast(${sql.ref(c.name)} as text) like ${'%' + word + '%'}`.execute(
					fresh.db
				);
				if (Number(r.rows[0].n) > 0) found.push(`${name}.${c.name}`);
			}
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
		for (const c of cols) {
			const r = await sql<{
				n: number;
			}>`select count(*) as n from ${sql.table(c.table_name)} where ${sql.ref(c.column_name)}::text like ${'%' + word + '%'}`.execute(
				fresh.db
			);
			if (Number(r.rows[0].n) > 0) found.push(`${c.table_name}.${c.column_name}`);
		}
	}
	return found.sort();
}
