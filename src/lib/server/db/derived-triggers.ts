import { PostgresAdapter, sql } from 'kysely';
import type { Db } from './connect';
import { BYPASS_SETTING, BYPASS_TABLE } from './migrations/lib/trigger-bypass';

/**
 * Runs `write` in transaction `tx` with the derived-data triggers of migration 2026-12-03-0200 switched off for
 * it (lib/trigger-bypass.ts). For writes to answer columns that no aggregate and no cached view reads — the
 * safeguarding scores (`risk_score`, `risk_version`, `model_score`) — where the only trigger that would fire is
 * the data-version bump: rescoring every answer after a bulk load or a scoring-version bump otherwise moved the
 * data version once per answer on SQLite (once per batch on PostgreSQL), so every cached analysis page missed
 * until the rescoring ended (issue #19, found at 1,000,000 answers). On failure the transaction rolls back, and
 * the switch with it (transaction-local setting on PostgreSQL, the bypass row on SQLite).
 */
export async function withoutDerivedTriggers<T>(tx: Db, write: () => Promise<T>): Promise<T> {
	const pg = tx.getExecutor().adapter instanceof PostgresAdapter;
	if (pg) await sql`select set_config(${BYPASS_SETTING}, 'on', true)`.execute(tx);
	else await sql`insert into ${sql.table(BYPASS_TABLE)} (id) values (1)`.execute(tx);
	const out = await write();
	if (pg) await sql`select set_config(${BYPASS_SETTING}, 'off', true)`.execute(tx);
	else await sql`delete from ${sql.table(BYPASS_TABLE)}`.execute(tx);
	return out;
}
