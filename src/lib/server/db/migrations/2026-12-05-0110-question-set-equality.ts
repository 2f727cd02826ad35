import { PostgresAdapter, sql, type Kysely } from 'kysely';
import {
	EQUALITY_COLUMNS,
	QUESTION_SET_EQUALITY_KEY,
	QUESTION_SET_EQUALITY_TABLE,
	REBUILD_QUESTION_SET_EQUALITY,
	questionSetEqualityRow
} from './lib/aggregate-sql';
import { createCountTable } from './lib/count-table';
import { createTriggers, dropTriggers, submissionRowTriggers } from './lib/trigger-sql';

// Frozen: never import application code here; a later change gets a new migration. The SQL fragments come
// from lib/aggregate-sql.ts (frozen with the migrations that use it), which the rebuild imports too.

/**
 * The equality tables under a question filter (issue #19): submissions per consultation × question set × group
 * set × district × the five equality answers, from the sets of migration 2026-12-05-0100, as 0500's group-set
 * equality table is for a group filter. Read by a question scope's equality combinations, also with a group and / or
 * district filter (a channel or date filter still reads the submissions). Submission triggers only: insert, delete
 * (BEFORE) and update of a keyed column (the sets included: the answer and perspective triggers of 0100 and 0500
 * update them on the submission, and this trigger moves the count).
 */

/** The submission triggers described above. */
const triggers = (pg: boolean) =>
	submissionRowTriggers('agg_qse', questionSetEqualityRow, ['consultation_id', 'question_set', 'group_set', 'district_code', ...EQUALITY_COLUMNS], pg);

export async function up(db: Kysely<any>): Promise<void> {
	const pg = db.getExecutor().adapter instanceof PostgresAdapter;
	await createCountTable(db, QUESTION_SET_EQUALITY_TABLE, QUESTION_SET_EQUALITY_KEY, { consultation_id: 'integer' });
	for (const s of REBUILD_QUESTION_SET_EQUALITY) await sql.raw(s).execute(db);
	await createTriggers(db, pg, triggers(pg));
}

export async function down(db: Kysely<any>): Promise<void> {
	const pg = db.getExecutor().adapter instanceof PostgresAdapter;
	await dropTriggers(db, pg, triggers(pg));
	await db.schema.dropTable(QUESTION_SET_EQUALITY_TABLE).ifExists().execute();
}
