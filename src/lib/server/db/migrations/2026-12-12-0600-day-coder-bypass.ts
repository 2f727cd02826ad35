import { PostgresAdapter, sql, type Kysely } from 'kysely';
import { SQLITE_DAY_GUARD, guardSqliteTriggerWith, unguardSqliteTriggerWith } from './lib/trigger-bypass';

// Frozen: never import application code here; a later change gets a new migration.

/**
 * SQLite: the day aggregates' three answer_theme row triggers (migration 2026-12-12-0500) get a guard of their own, a
 * third bypass row (lib/trigger-bypass.ts, DAY_BYPASS_ID), so that the bulk coder (coding/store-sqlite.ts), which
 * works out each chunk's net change of analysis_agg_theme / _answer from its codings before and after already, adds
 * the same change by day in two statements instead of two or four trigger statements per coding row written
 * (issue #19: coding a million answers). Only that writer inserts the row, and only
 * when it writes the day share itself; every other writer fires the triggers as before.
 * PostgreSQL: unchanged (its day triggers are statement triggers under the coders' bypass already).
 */
const TRIGGERS = ['agg_day_answer_theme_insert', 'agg_day_answer_theme_delete', 'agg_day_answer_theme_update'];

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
	await rewrite(db, (t) => guardSqliteTriggerWith(t, SQLITE_DAY_GUARD));
}

export async function down(db: Kysely<any>): Promise<void> {
	await rewrite(db, (t) => unguardSqliteTriggerWith(t, SQLITE_DAY_GUARD));
}
