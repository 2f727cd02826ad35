import { PostgresAdapter, sql, type Kysely } from 'kysely';
import { pgUpdateAny, pgUpdateOf, rowColumns, sqliteUpdateAny, sqliteUpdateOf } from './lib/update-of';

// Frozen: never import application code here; a later change gets a new migration.

/**
 * The coder's `update answer set coded_at = …` (a million rows to code a million answers) called every update
 * trigger of `answer` for every row, each testing its WHEN (issue #19: the eleven triggers' WHEN clauses were about
 * 60 % of that statement's CPU). The aggregate triggers named here only act when a column they read changes, so
 * each becomes `update of <the columns it reads>` (lib/update-of.ts: every `old.x` / `new.x` of its WHEN and body):
 * a `coded_at`-only update now calls only the coding aggregate's trigger (it reads `coded_at`) and the data version's.
 * Likewise on SQLite `answer_theme`'s row triggers, which a confidence-only update (the coder's upsert of a verdict
 * already stored, its clearing of an officer's row) called all of; on PostgreSQL those are statement triggers with
 * transition tables, which cannot take a column list, and stay as they are.
 *
 * The data-version triggers are not named: they bump the version on any update, by design. A trigger already
 * narrowed is left as it is (the migration can meet a database where it ran before a down).
 */
const SQLITE_TRIGGERS: Record<string, string[]> = {
	answer: [
		'agg_answer_move',
		'agg_answer_unmove',
		'agg_coding_answer_update',
		'agg_language_answer_update',
		'agg_qo_answer_update',
		'agg_qs_answer_update',
		'agg_reading_answer_update',
		'agg_review_answer_move',
		'agg_review_answer_unmove',
		'agg_tc_answer_move'
	],
	answer_theme: ['agg_answer_theme_update', 'agg_coding_theme_update', 'agg_qo_coding_update', 'agg_tc_coding_update']
};
/** PostgreSQL: `answer`'s, all row triggers there (its `answer_theme` update triggers are statement triggers). */
const PG_TRIGGERS: Record<string, string[]> = { answer: SQLITE_TRIGGERS.answer };

async function columnsOf(db: Kysely<any>, pg: boolean, table: string): Promise<Set<string>> {
	const rows = pg
		? (
				await sql<{ name: string }>`select column_name as name from information_schema.columns
					where table_schema = current_schema() and table_name = ${table}`.execute(db)
			).rows
		: (await sql<{ name: string }>`select name from pragma_table_info(${table})`.execute(db)).rows;
	return new Set(rows.map((r) => r.name.toLowerCase()));
}

/** The named triggers of `table` as stored: SQLite's text, or PostgreSQL's definition and its function's source. */
async function stored(db: Kysely<any>, pg: boolean, table: string, names: string[]) {
	const rows = pg
		? (
				await sql<{ name: string; def: string; src: string }>`select t.tgname as name,
					pg_get_triggerdef(t.oid) as def, p.prosrc as src
					from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_proc p on p.oid = t.tgfoid
					where not t.tgisinternal and c.relname = ${table} and t.tgname in (${sql.join(names)})`.execute(db)
			).rows
		: (
				await sql<{ name: string; def: string; src: string }>`select name, sql as def, '' as src
					from sqlite_master where type = 'trigger' and tbl_name = ${table}
					and name in (${sql.join(names)})`.execute(db)
			).rows;
	if (rows.length !== names.length)
		throw new Error(`${table}: expected ${names.length} update triggers, found ${rows.length}`);
	return rows;
}

async function rewrite(db: Kysely<any>, narrow: boolean): Promise<void> {
	const pg = db.getExecutor().adapter instanceof PostgresAdapter;
	for (const [table, names] of Object.entries(pg ? PG_TRIGGERS : SQLITE_TRIGGERS)) {
		const columns = await columnsOf(db, pg, table);
		for (const r of await stored(db, pg, table, names)) {
			let def: string;
			if (narrow) {
				const cols = rowColumns(`${r.def}\n${r.src}`);
				const unknown = cols.filter((c) => !columns.has(c));
				if (unknown.length) throw new Error(`${r.name} reads ${unknown.join(', ')}, not columns of ${table}`);
				if (!cols.length) throw new Error(`${r.name} reads no column of ${table}`);
				const already = pg ? / UPDATE OF /.test(r.def) : /\bupdate\s+of\b/i.test(r.def.slice(0, 200));
				if (already) continue;
				def = pg ? pgUpdateOf(r.def, cols) : sqliteUpdateOf(r.def, cols);
			} else def = pg ? pgUpdateAny(r.def) : sqliteUpdateAny(r.def);
			if (def === r.def) continue;
			await sql.raw(pg ? `drop trigger ${r.name} on ${table}` : `drop trigger "${r.name}"`).execute(db);
			await sql.raw(def).execute(db);
		}
	}
}

export async function up(db: Kysely<any>): Promise<void> {
	await rewrite(db, true);
}

export async function down(db: Kysely<any>): Promise<void> {
	await rewrite(db, false);
}
