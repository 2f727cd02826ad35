/**
 * The analysis bench fills in the generated answers' risk scores before timing anything (analysis.bench.ts). On
 * PostgreSQL that rewrites every `answer` row, leaving ~940,000 dead versions at a million answers; the bench's
 * server runs with `autovacuum = off`, so every later walk and key probe stepped over them and the views measured
 * the dead rows, not the plans (helper pgq19: quotes q1 for children 708 → 581 ms of db CPU after a vacuum). A
 * deployment's autovacuum would have cleaned them, so the bench vacuums (and re-analyses) the tables the backfill
 * wrote before it times anything. SQLite rewrites in place and keeps no dead versions: nothing to do there.
 */
import { sql, PostgresAdapter } from 'kysely';
import type { Db } from '../../../src/lib/server/db/connect';
import { backfillRiskScores } from '../../../src/lib/server/safeguarding/ranker';

/** What the backfill writes: the scores (`answer`), the flags it raises and their audit rows. */
export const BACKFILL_TABLES = ['answer', 'safeguarding_flag', 'audit_log'] as const;

/**
 * Scores every answer still without a current risk score, then, on PostgreSQL and only if something was scored,
 * `VACUUM (ANALYZE)` of the tables written. Returns the answers scored and the vacuum's milliseconds (null: none).
 */
export async function backfillThenVacuum(db: Db, batch: number): Promise<{ scored: number; vacuumMs: number | null }> {
	const scored = await backfillRiskScores(db, batch);
	if (!scored || !(db.getExecutor().adapter instanceof PostgresAdapter)) return { scored, vacuumMs: null };
	const t0 = performance.now();
	// Outside any transaction (VACUUM refuses one); names are this file's constants, not input.
	await sql`vacuum (analyze) ${sql.raw(BACKFILL_TABLES.join(', '))}`.execute(db);
	return { scored, vacuumMs: performance.now() - t0 };
}
