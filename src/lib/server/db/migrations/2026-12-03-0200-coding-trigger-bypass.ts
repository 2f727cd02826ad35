import { PostgresAdapter, sql, type Kysely } from 'kysely';
import {
	BYPASS_TABLE,
	guardPgTriggerDef,
	guardSqliteTrigger,
	unguardPgTriggerDef,
	unguardSqliteTrigger
} from './lib/trigger-bypass';

// Frozen: never import application code here; a later change gets a new migration.

/**
 * Bulk coding without per-row aggregate triggers (issue #19: coding a million answers). Coding a chunk of
 * answers deletes the engine's rows, inserts new ones and stamps `coded_at`; each of those rows fired the
 * aggregate and data-version triggers (most of the CPU of a coding run). The coder now keeps the aggregates
 * itself with one grouped statement per table per chunk (src/lib/server/coding/aggregate-delta.ts), in the
 * same transaction, and switches off only the triggers named here for that transaction (lib/trigger-bypass).
 *
 * The list is exactly the triggers a coding write can fire: on `answer_theme` every aggregate and
 * data-version trigger; on `answer` the update triggers (coding changes only `coded_at`; inserts and
 * deletes of answers keep their triggers). Their tables (analysis_agg_answer, analysis_agg_theme,
 * analysis_agg_coding, analysis_agg_reading: unchanged by `coded_at`, and the data version) are what the
 * coder's delta keeps. A trigger added later on these tables is not in the list, so it keeps firing.
 */
const SQLITE_TRIGGERS = [
	'agg_answer_theme_insert',
	'agg_answer_theme_delete',
	'agg_answer_theme_update',
	'agg_coding_theme_insert',
	'agg_coding_theme_delete',
	'agg_coding_theme_update',
	'answer_theme_data_version_insert',
	'answer_theme_data_version_update',
	'answer_theme_data_version_delete',
	'agg_answer_move',
	'agg_answer_unmove',
	'agg_coding_answer_update',
	'agg_reading_answer_update',
	'answer_data_version_update'
];
/** PostgreSQL: the same, where one constraint trigger per table bumps the data version. */
const PG_TRIGGERS = [
	...SQLITE_TRIGGERS.filter((t) => !t.includes('data_version')),
	'answer_theme_data_version',
	'answer_data_version'
];

async function rewrite(db: Kysely<any>, change: (def: string) => string, pgChange: (def: string) => string) {
	const pg = db.getExecutor().adapter instanceof PostgresAdapter;
	if (pg) {
		const rows = (
			await sql<{ name: string; tbl: string; def: string }>`select t.tgname as name, c.relname as tbl,
				pg_get_triggerdef(t.oid) as def from pg_trigger t join pg_class c on c.oid = t.tgrelid
				where not t.tgisinternal and c.relname in ('answer', 'answer_theme')
				and t.tgname in (${sql.join(PG_TRIGGERS)})`.execute(db)
		).rows;
		if (rows.length !== PG_TRIGGERS.length) throw new Error(`expected ${PG_TRIGGERS.length} triggers, found ${rows.length}`);
		for (const r of rows) {
			await sql.raw(`drop trigger ${r.name} on ${r.tbl}`).execute(db);
			await sql.raw(pgChange(r.def)).execute(db);
		}
	} else {
		const rows = (
			await sql<{ name: string; sql: string }>`select name, sql from sqlite_master where type = 'trigger'
				and name in (${sql.join(SQLITE_TRIGGERS)})`.execute(db)
		).rows;
		if (rows.length !== SQLITE_TRIGGERS.length)
			throw new Error(`expected ${SQLITE_TRIGGERS.length} triggers, found ${rows.length}`);
		for (const r of rows) {
			await sql.raw(`drop trigger "${r.name}"`).execute(db);
			await sql.raw(change(r.sql)).execute(db);
		}
	}
}

export async function up(db: Kysely<any>): Promise<void> {
	// Empty except inside a bulk coding transaction (SQLite's switch; unused on PostgreSQL).
	await db.schema.createTable(BYPASS_TABLE).addColumn('id', 'integer', (c) => c.primaryKey()).execute();
	await rewrite(db, guardSqliteTrigger, guardPgTriggerDef);
}

export async function down(db: Kysely<any>): Promise<void> {
	await rewrite(db, unguardSqliteTrigger, unguardPgTriggerDef);
	await db.schema.dropTable(BYPASS_TABLE).ifExists().execute();
}
