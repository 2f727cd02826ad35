import { PostgresAdapter, sql, type Kysely } from 'kysely';
import {
	EQUALITY_MARGIN_KEY,
	EQUALITY_MARGIN_TABLE,
	REBUILD_EQUALITY_MARGINS,
	equalityMarginRow
} from './lib/equality-margin-sql';
import { EQUALITY_COLUMNS } from './lib/aggregate-sql';
import { createCountTable } from './lib/count-table';
import { TRIGGER_BREAK, createTriggers, dropTriggers, submissionRowTriggers } from './lib/trigger-sql';
import { WRITER_GUARD } from './2026-12-11-0200-writer-aggregates';

// Frozen: never import application code here; a later change gets a new migration. The SQL fragments come
// from lib/equality-margin-sql.ts (frozen with this migration), which the rebuilds import too.

/**
 * The dashboard's equality tables and headline read each equality field's margin (issue #19). Under a group,
 * district or channel filter they were grouped per request from the group-set equality tables' five-way
 * combinations (a materialized CTE over ~17,000 rows, joined to the group family's members: at 1,000,001 answers
 * the child + Bromsgrove dashboard's three margin statements were over half of its SQL time). This table keeps the
 * margins themselves: submissions per consultation × group set × district × channel × field × value
 * (lib/equality-margin-sql.ts), six rows a submission, so a scope sums a few thousand small rows.
 *
 * Submission triggers only, as 2026-12-09-0300: insert, delete (BEFORE) and update of a keyed column (the group
 * set included: the perspective triggers update it on the submission). On SQLite the insert trigger carries the
 * survey writer's guard (migration 2026-12-11-0200): the grouped commit adds its batch's share itself
 * (submissions/writer-aggregates.ts), and uses that path only when every insert trigger is guarded.
 */

/** The columns whose change moves a submission between cells. */
const KEYED = ['consultation_id', 'group_set', 'district_code', 'channel', ...EQUALITY_COLUMNS];

/** On SQLite the insert trigger carries the writer's guard and the update's condition is bracketed. */
const triggers = (pg: boolean) =>
	submissionRowTriggers('agg_gsem', equalityMarginRow, KEYED, pg).map((t) =>
		pg ? t : { ...t, when: t.op === 'insert' ? WRITER_GUARD : t.when && `(${t.when})` }
	);

export async function up(db: Kysely<any>): Promise<void> {
	const pg = db.getExecutor().adapter instanceof PostgresAdapter;
	await createCountTable(db, EQUALITY_MARGIN_TABLE, EQUALITY_MARGIN_KEY, { consultation_id: 'integer' });
	for (const s of REBUILD_EQUALITY_MARGINS) await sql.raw(s).execute(db);
	// The SQLite headers broke the line before the WHEN: the stored text stays as it was.
	await createTriggers(db, pg, triggers(pg), { sqliteAfterTable: TRIGGER_BREAK });
}

export async function down(db: Kysely<any>): Promise<void> {
	const pg = db.getExecutor().adapter instanceof PostgresAdapter;
	await dropTriggers(db, pg, triggers(pg));
	await db.schema.dropTable(EQUALITY_MARGIN_TABLE).ifExists().execute();
}
