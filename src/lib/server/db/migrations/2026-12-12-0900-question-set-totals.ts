import { PostgresAdapter, sql, type Kysely } from 'kysely';
import { createCountTable } from './lib/count-table';
import { anyChanged, createTriggers, dropTriggers, type TriggerSql } from './lib/trigger-sql';

// Frozen: never import application code here; a later change gets a new migration.

/**
 * The question sets at the grain a question page reads them (issue #19, helper q46). A question scope without a
 * group filter (question 1 + a theme: its wider view "question 1", and every other question's sibling view) reads
 * its family's rows of 2026-12-05-0100's analysis_agg_question_set and 0110's analysis_agg_question_set_equality
 * grouped by the question set (aggregates.ts byQuestionSet), summing away the group set (and, for the equality
 * table, the district): at 1,000,001 answers 33,626 rows grouped into 10,838 and 46,723 into 11,361, about 33 and
 * 57 ms of SQLite CPU a request (PostgreSQL: a hash aggregate of ~60 and ~85 ms). These two tables are those sums,
 * kept:
 *
 *   analysis_agg_question_set_total: submissions per consultation × question set × district × channel × location
 *     × day ('' / 0 for not known), 0100's table without the group set.
 *   analysis_agg_question_set_equality_total: submissions per consultation × question set × the five equality
 *     answers, 0110's table without the group set and the district.
 *
 * Submission triggers only, as 0110's: after insert, before delete, after an update of a keyed column (the question
 * set included: the answer triggers move it on the submission). SQLite's insert triggers carry the survey writer's
 * guard (2026-12-11-0200): inside its grouped commit the writer adds the batch's share itself
 * (src/lib/server/submissions/writer-aggregates.ts). The coder's bypass does not name them (coding moves no
 * submission column).
 */

export const QUESTION_SET_TOTAL_TABLE = 'analysis_agg_question_set_total';
export const QUESTION_SET_TOTAL_KEY = [
	'consultation_id',
	'question_set',
	'district_code',
	'channel',
	'location_id',
	'day'
] as const;
export const QUESTION_SET_EQUALITY_TOTAL_TABLE = 'analysis_agg_question_set_equality_total';
const EQUALITY = ['eq_age_band', 'eq_gender', 'eq_disability', 'eq_ethnicity', 'eq_sexual_orientation'] as const;
export const QUESTION_SET_EQUALITY_TOTAL_KEY = ['consultation_id', 'question_set', ...EQUALITY] as const;
const WRITER_GUARD = `not exists (select 1 from writer_trigger_bypass)`;

/** A submission row's cell of each table, after the consultation: the columns as 0100 and 0110 store them. */
const totalCell = (r: string) =>
	`${r}.question_set, coalesce(${r}.district_code, ''), ${r}.channel, coalesce(${r}.location_id, 0), substr(${r}.created_at, 1, 10)`;
const equalityCell = (r: string) => `${r}.question_set, ${EQUALITY.map((c) => `${r}.${c}`).join(', ')}`;

const upsert = (table: string, key: readonly string[], values: string) =>
	`insert into ${table} (${key.join(', ')}, n) ${values}
	 on conflict (${key.join(', ')}) do update set n = ${table}.n + excluded.n`;

/** Submission row `r` (old / new) counted with `sign` in both tables. */
const row = (r: string, sign: 1 | -1) => [
	upsert(QUESTION_SET_TOTAL_TABLE, QUESTION_SET_TOTAL_KEY, `select ${r}.consultation_id, ${totalCell(r)}, ${sign} where true`),
	upsert(
		QUESTION_SET_EQUALITY_TOTAL_TABLE,
		QUESTION_SET_EQUALITY_TOTAL_KEY,
		`select ${r}.consultation_id, ${equalityCell(r)}, ${sign} where true`
	)
];

/** The columns whose change moves a submission between cells of either table. */
const KEYED = ['consultation_id', 'question_set', 'district_code', 'channel', 'location_id', 'created_at', ...EQUALITY];

const triggers = (pg: boolean): TriggerSql[] => [
	{
		name: 'agg_qst_submission_insert',
		table: 'submission',
		timing: 'after',
		op: 'insert',
		when: pg ? undefined : WRITER_GUARD,
		body: row('new', 1)
	},
	{ name: 'agg_qst_submission_delete', table: 'submission', timing: 'before', op: 'delete', body: row('old', -1) },
	{
		name: 'agg_qst_submission_update',
		table: 'submission',
		timing: 'after',
		op: 'update',
		when: anyChanged(KEYED, pg),
		body: [...row('old', -1), ...row('new', 1)]
	}
];

/** Both tables recomputed from the submissions' stored sets (after the sets: the rebuilds run it after them). */
export const REBUILD_QUESTION_SET_TOTALS: string[] = [
	`delete from ${QUESTION_SET_TOTAL_TABLE}`,
	`insert into ${QUESTION_SET_TOTAL_TABLE} (${QUESTION_SET_TOTAL_KEY.join(', ')}, n)
	 select s.consultation_id, ${totalCell('s')}, count(*)
	 from submission s
	 group by s.consultation_id, ${totalCell('s')}`,
	`delete from ${QUESTION_SET_EQUALITY_TOTAL_TABLE}`,
	`insert into ${QUESTION_SET_EQUALITY_TOTAL_TABLE} (${QUESTION_SET_EQUALITY_TOTAL_KEY.join(', ')}, n)
	 select s.consultation_id, ${equalityCell('s')}, count(*)
	 from submission s
	 group by s.consultation_id, ${equalityCell('s')}`
];

export async function up(db: Kysely<any>): Promise<void> {
	const pg = db.getExecutor().adapter instanceof PostgresAdapter;
	await createCountTable(db, QUESTION_SET_TOTAL_TABLE, QUESTION_SET_TOTAL_KEY, {
		consultation_id: 'integer',
		location_id: 'integer'
	});
	await createCountTable(db, QUESTION_SET_EQUALITY_TOTAL_TABLE, QUESTION_SET_EQUALITY_TOTAL_KEY, {
		consultation_id: 'integer'
	});
	for (const s of REBUILD_QUESTION_SET_TOTALS) await sql.raw(s).execute(db);
	await createTriggers(db, pg, triggers(pg));
}

export async function down(db: Kysely<any>): Promise<void> {
	const pg = db.getExecutor().adapter instanceof PostgresAdapter;
	await dropTriggers(db, pg, triggers(pg));
	await db.schema.dropTable(QUESTION_SET_EQUALITY_TOTAL_TABLE).ifExists().execute();
	await db.schema.dropTable(QUESTION_SET_TOTAL_TABLE).ifExists().execute();
}
