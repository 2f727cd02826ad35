import { sql, type Kysely } from 'kysely';
import { openDatabase } from '../../../src/lib/server/db/connect';
import type { Database } from '../../../src/lib/server/db/schema';

/**
 * A bench tool, not a migration (issue #19, helper code39: tried as migration 2026-12-12-0900 and measured with no
 * gain, so not kept; docs/analysis.md). Rebuilds an SQLite copy's coder tables `WITHOUT ROWID` (`on`, the default)
 * or back (`off`), every row kept, for a chunk A/B (coding-chunks-ab.ts) against a copy left as it is.
 * Usage: tsx scripts/bench/lib/without-rowid.ts FILE.sqlite [on|off]
 *
 * SQLite: the count tables the coder writes a row of per coding, rebuilt `WITHOUT ROWID` (issue #19, helper code39:
 * coding a million answers). Each was a rowid table with its primary key as a separate index (its
 * `sqlite_autoindex_…`), so every upsert searched the key's index, then wrote a row into the table's B-tree and an
 * entry into the index: two B-trees a row, about 16 rows an answer coded (docs/analysis.md, helper code38). Without
 * a rowid the table is its primary key's B-tree, the count in the leaf: one B-tree a row, and a reader's search by
 * a key prefix reads the counts there (SQLite's plans say `USING PRIMARY KEY` where they said `USING INDEX
 * sqlite_autoindex_…`; a scan stays a scan).
 *
 * The tables: the theme cube's four (2026-12-11-0300), the day aggregates' two (2026-12-12-0500). Every row is
 * kept (copied in key order); the columns, their types, the primary key and its constraint name are the table's own
 * text from sqlite_master, only `without rowid` added, so nothing else changes. No table here has another index, a
 * trigger of its own or a foreign key; the triggers that write them name them and are compiled when they run, so
 * the rename back to the old name keeps them working (checked by `up`: each table's triggers are the same before and
 * after). Nothing here reads a rowid of these tables.
 *
 * PostgreSQL: not applicable (its tables are heaps with the key as a separate index either way).
 */
const WITHOUT_ROWID_TABLES = [
	'analysis_agg_theme_submission',
	'analysis_agg_theme_equality',
	'analysis_agg_theme_perspective',
	'analysis_agg_theme_question',
	'analysis_agg_theme_day',
	'analysis_agg_answer_day'
] as const;

/** Rebuilds `table` with (`withoutRowid`) or without `without rowid`, every row kept. */
async function rebuild(db: Kysely<Database>, table: string, withoutRowid: boolean): Promise<void> {
	const [row] = (
		await sql<{ sql: string }>`select sql from sqlite_master where type = 'table' and name = ${table}`.execute(db)
	).rows;
	if (!row) return; // a database without the table (never migrated to it): nothing to rebuild
	const text = row.sql.trim();
	const isWithout = /\)\s*without\s+rowid\s*$/i.test(text);
	if (isWithout === withoutRowid) return;
	const old = `${table}__rowid`;
	const head = new RegExp(`^create\\s+table\\s+("${table}"|${table})`, 'i');
	if (!head.test(text)) throw new Error(`unexpected schema text for ${table}: ${text.slice(0, 80)}`);
	const created = withoutRowid ? `${text} without rowid` : text.replace(/\s*without\s+rowid\s*$/i, '');
	const columns = (await sql<{ name: string }>`select name from pragma_table_info(${table})`.execute(db)).rows.map(
		(c) => `"${c.name}"`
	);
	const key = (
		await sql<{
			name: string;
			pk: number;
		}>`select name, pk from pragma_table_info(${table}) where pk > 0 order by pk`.execute(db)
	).rows.map((c) => `"${c.name}"`);
	const cols = columns.join(', ');
	// The old table moved aside without touching the triggers that name it (legacy rename: their texts are not
	// rewritten to the new name), the new one created under the table's own name and text, the rows copied over.
	await sql.raw('pragma legacy_alter_table = on').execute(db);
	try {
		await sql.raw(`alter table "${table}" rename to "${old}"`).execute(db);
	} finally {
		await sql.raw('pragma legacy_alter_table = off').execute(db);
	}
	await sql.raw(created).execute(db);
	await sql.raw(`insert into "${table}" (${cols}) select ${cols} from "${old}" order by ${key.join(', ')}`).execute(db);
	await sql.raw(`drop table "${old}"`).execute(db);
}

async function all(db: Kysely<Database>, withoutRowid: boolean): Promise<void> {
	// The triggers' texts before: a rename must leave every one as it was (the tables are named, not renamed).
	const triggers = async (db: Kysely<Database>) =>
		(
			await sql<{
				name: string;
				sql: string;
			}>`select name, sql from sqlite_master where type = 'trigger' order by name`.execute(db)
		).rows
			.map((r) => `${r.name}\n${r.sql}`)
			.join('\n\n');
	const before = await triggers(db);
	await db.transaction().execute(async (tx) => {
		for (const t of WITHOUT_ROWID_TABLES) await rebuild(tx, t, withoutRowid);
		if ((await triggers(tx)) !== before) throw new Error('rebuilding the coder tables changed a trigger text');
	});
}

const [file, mode = 'on'] = process.argv.slice(2);
if (!file || !['on', 'off'].includes(mode)) throw new Error('usage: without-rowid.ts FILE.sqlite [on|off]');
const open = await openDatabase({ kind: 'sqlite', path: file }, { create: false });
try {
	await all(open.db, mode === 'on');
	console.log(`${file}: ${WITHOUT_ROWID_TABLES.join(', ')} ${mode === 'on' ? 'without rowid' : 'with a rowid'}`);
} finally {
	await open.close();
}
