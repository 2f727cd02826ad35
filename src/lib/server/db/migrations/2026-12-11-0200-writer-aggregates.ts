import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen: never import application code here; a later change gets a new migration.

/**
 * The survey writer's grouped commit keeps the aggregates of the rows it inserts itself (issue #18: 18 of a
 * submission's 31 row writes on SQLite were aggregate and data-version triggers, one upsert per row per table).
 * Inside its transaction, the writer (src/lib/server/submissions/writer-aggregates.ts) puts one row into
 * WRITER_BYPASS_TABLE, inserts the batch's submissions, perspectives and answers, deletes the row, and then adds
 * the batch's share of each aggregate table with one grouped upsert per table and bumps the data version once.
 *
 * SQLite only: the insert triggers of `submission`, `perspective` and `answer` listed here get
 * `WHEN not exists (select 1 from WRITER_BYPASS_TABLE)`. The table is empty except inside the writer's
 * transaction (SQLite has one writer at a time, so no other write sees the row, and readers never do: it is
 * deleted before the commit). Every other writer (entry, import, edit, delete, recoding, retention, demo data)
 * fires them as before. A table of its own, not the coder's derived_trigger_bypass (migration 2026-12-03-0200),
 * so neither switch turns off the other's triggers. Update and delete triggers are not touched.
 *
 * PostgreSQL: unchanged (its aggregate triggers on these inserts are statement-level already, one grouped
 * statement per table per insert; the writer keeps using them there).
 */
export const WRITER_BYPASS_TABLE = 'writer_trigger_bypass';
export const WRITER_GUARD = `not exists (select 1 from ${WRITER_BYPASS_TABLE})`;

export const WRITER_TRIGGERS = [
	'agg_gs_submission_insert',
	'agg_gsce_submission_insert',
	'agg_qs_submission_insert',
	'agg_qse_submission_insert',
	'agg_sub_submission_insert',
	'submission_data_version_insert',
	'agg_gs_perspective_insert',
	'agg_qs_perspective_insert',
	'agg_sub_perspective_insert',
	'perspective_data_version_insert',
	'agg_answer_insert',
	'agg_coding_answer_insert',
	'agg_language_answer_insert',
	'agg_qs_answer_insert',
	'agg_reading_answer_insert',
	'agg_review_answer_insert',
	'answer_data_version_insert'
];

function split(text: string): { header: string; rest: string } {
	const at = text.search(/\bbegin\b/i);
	if (at < 0) throw new Error(`not a trigger: ${text.slice(0, 80)}`);
	return { header: text.slice(0, at), rest: text.slice(at) };
}

function guard(text: string): string {
	const { header, rest } = split(text);
	if (header.includes(WRITER_GUARD)) return text;
	const when = header.search(/\bwhen\b/i);
	if (when < 0) return `${header.trimEnd()} when ${WRITER_GUARD}\n ${rest}`;
	return `${header.slice(0, when)}when ${WRITER_GUARD} and (${header.slice(when + 4).trim()})\n ${rest}`;
}

function unguard(text: string): string {
	const { header, rest } = split(text);
	const withCond = `when ${WRITER_GUARD} and (`;
	if (header.includes(withCond)) return `${header.replace(withCond, 'when (')}${rest}`;
	return `${header.replace(`when ${WRITER_GUARD}`, '')}${rest}`;
}

async function rewrite(db: Kysely<any>, change: (text: string) => string) {
	const rows = (
		await sql<{ name: string; sql: string }>`select name, sql from sqlite_master where type = 'trigger'
			and name in (${sql.join(WRITER_TRIGGERS)})`.execute(db)
	).rows;
	if (rows.length !== WRITER_TRIGGERS.length)
		throw new Error(`expected ${WRITER_TRIGGERS.length} triggers, found ${rows.length}`);
	for (const r of rows) {
		await sql.raw(`drop trigger "${r.name}"`).execute(db);
		await sql.raw(change(r.sql)).execute(db);
	}
}

export async function up(db: Kysely<any>): Promise<void> {
	if (db.getExecutor().adapter instanceof PostgresAdapter) return;
	await db.schema.createTable(WRITER_BYPASS_TABLE).addColumn('id', 'integer', (c) => c.primaryKey()).execute();
	await rewrite(db, guard);
}

export async function down(db: Kysely<any>): Promise<void> {
	if (db.getExecutor().adapter instanceof PostgresAdapter) return;
	await rewrite(db, unguard);
	await db.schema.dropTable(WRITER_BYPASS_TABLE).ifExists().execute();
}
