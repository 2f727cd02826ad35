import { PostgresAdapter, sql, type Transaction } from 'kysely';
import type { Database } from '../db/schema';
import { FLUSH_TABLE } from '../db/migrations/2026-12-14-0200-aggregate-flush';
import { ANSWER_FLUSH_SETTING } from '../db/migrations/2026-12-14-0210-import-answer-flush';
import { envSwitch } from '../../analysis/switches';

/**
 * Whether a background writer's shared aggregate rows are changed in its COMMIT on PostgreSQL (issue #18): a coding
 * chunk's (coding/store-pg.ts) and an import chunk's per-question counts (below). On unless `AGGREGATE_FLUSH=off`
 * (the write changes them itself, as before). Read at use, once a chunk.
 */
export const aggregateFlushOn = () => envSwitch('AGGREGATE_FLUSH') !== 'off';

/**
 * PostgreSQL, an import chunk's transaction, before its first write: the chunk's counts in analysis_agg_coding,
 * _language and _reading (per question, shared by every submission of the question on every channel) go to the
 * transaction's flush, added in its COMMIT (migrations 2026-12-14-0200 and 0210), instead of being upserted by the
 * answer insert's row triggers and held locked through the chunk's other statements and the round trips to its
 * COMMIT, while the survey's submissions of those questions on every instance waited on them. One statement: the
 * transaction's flush row (so its trigger fires ahead of the data-version bumps its writes queue), and the
 * transaction-local setting the answer insert's triggers read. SQLite, or `AGGREGATE_FLUSH=off`: nothing.
 */
export async function deferSharedAnswerCounts(tx: Transaction<Database>): Promise<void> {
	if (!(tx.getExecutor().adapter instanceof PostgresAdapter) || !aggregateFlushOn()) return;
	await sql`with f as (insert into ${sql.table(FLUSH_TABLE)} (txid) values (txid_current()) on conflict do nothing)
		select set_config(${ANSWER_FLUSH_SETTING}, 'on', true)`.execute(tx);
}
