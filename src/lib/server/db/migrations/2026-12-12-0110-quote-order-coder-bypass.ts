import { PostgresAdapter, sql, type Kysely } from 'kysely';
import { SQLITE_QUOTE_ORDER_GUARD, guardSqliteTriggerWith, unguardSqliteTriggerWith } from './lib/trigger-bypass';

// Frozen: never import application code here; a later change gets a new migration.

/**
 * SQLite: the kept quote order's three coding row triggers (migration 2026-12-11-1100) get a guard of their own, a
 * second bypass row (lib/trigger-bypass.ts, QUOTE_ORDER_BYPASS_ID), so that the bulk coder (coding/store-sqlite.ts),
 * which knows each chunk's codings and their answers' respondent types already, writes the chunk's quote-order rows
 * in one statement instead of a trigger call, an answer and a perspective lookup per coding (issue #19). Only that
 * writer inserts the row; every other writer, the coder's other paths among them, fires the triggers as before.
 * PostgreSQL: unchanged (its quote-order triggers are statement triggers already).
 */
const TRIGGERS = ['agg_qo_coding_insert', 'agg_qo_coding_delete', 'agg_qo_coding_update'];

async function rewrite(db: Kysely<any>, change: (text: string) => string): Promise<void> {
	if (db.getExecutor().adapter instanceof PostgresAdapter) return;
	const rows = (
		await sql<{ name: string; sql: string }>`select name, sql from sqlite_master where type = 'trigger'
			and name in (${sql.join(TRIGGERS)})`.execute(db)
	).rows;
	if (rows.length !== TRIGGERS.length) throw new Error(`expected ${TRIGGERS.length} triggers, found ${rows.length}`);
	for (const r of rows) {
		const text = change(r.sql);
		if (text === r.sql) continue;
		await sql.raw(`drop trigger "${r.name}"`).execute(db);
		await sql.raw(text).execute(db);
	}
}

export async function up(db: Kysely<any>): Promise<void> {
	await rewrite(db, (t) => guardSqliteTriggerWith(t, SQLITE_QUOTE_ORDER_GUARD));
}

export async function down(db: Kysely<any>): Promise<void> {
	await rewrite(db, (t) => unguardSqliteTriggerWith(t, SQLITE_QUOTE_ORDER_GUARD));
}
