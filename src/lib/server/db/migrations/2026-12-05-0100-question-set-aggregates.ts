import { PostgresAdapter, sql, type Kysely } from 'kysely';
import { anyChanged, createTriggers, dropTriggers, type TriggerSql } from './lib/trigger-sql';
import {
	QUESTION_SET_KEY,
	QUESTION_SET_PERSPECTIVE_KEY,
	QUESTION_SET_PERSPECTIVE_TABLE,
	QUESTION_SET_TABLE,
	questionSetPerspectiveRow,
	questionSetPerspectivesOf,
	questionSetSubmissionRow,
	rebuildQuestionSets,
	refreshQuestionSet
} from './lib/aggregate-sql';

// Frozen: never import application code here; a later change gets a new migration. The SQL fragments come
// from lib/aggregate-sql.ts (frozen with the migrations that use it), which the rebuild imports too.

/**
 * Submission- and perspective-level counts under a question filter (issue #19: a dashboard filtered by a
 * question read its submissions and perspectives from the base tables, once per scope: the view, its wider
 * views and each question's sibling view). "Submissions that answered question 1" is not a sum over the answer
 * table (a submission counts once however many answers it has), so, as the group sets of 0500 do for
 * respondent types, each submission and each perspective keeps its set of questions answered:
 *
 *   submission.question_set, perspective.question_set: the question ids answered, sorted, '|12|15|' ('' for
 *     none). Kept by triggers on answer (insert, delete, update of its question, submission or perspective),
 *     which recompute the key and update the row only when it changed; never written by the app.
 *   analysis_agg_question_set: submissions per consultation × question set × group set × district × channel
 *     × location × day (0500's columns plus the question set: the submission cube of a question scope, also
 *     with group, district, channel and date filters).
 *   analysis_agg_question_set_perspective: perspectives per consultation × question set × group × district ×
 *     channel (the perspective cube of a question scope, with group, district and channel filters).
 *
 * NULL district / group are '' and no location is 0, as in 0300. Triggers: submission insert, delete (BEFORE:
 * subtracting its perspectives too) and update of any keyed column (group_set included: 0500's perspective
 * triggers keep it, and the counts move here); a submission's district, channel or consultation edit moves its
 * perspectives; perspective insert, delete (BEFORE) and update of its set, group or submission (its dimensions
 * read from its submission, so under a submission already deleted by a cascade it subtracts nothing). The
 * answer triggers only recompute the sets; the update triggers do the rest. Under a cascade the parent is gone
 * before its children's triggers run (both engines), so the recomputations update nothing. On PostgreSQL row
 * AFTER triggers run at the end of the statement: each answer of a multi-row insert sees the final set (the
 * same update each time; the `<>` guard makes the repeats no-ops). A coding write changes none of the columns
 * the answer trigger's WHEN reads, so the coder's bulk delta has nothing to keep here.
 */

interface Trig {
	name: string;
	table: 'answer' | 'submission' | 'perspective';
	timing: 'before' | 'after';
	op: 'insert' | 'update' | 'delete';
	when?: string[];
	body: (pg: boolean) => string[];
}

const refreshBoth = (r: string, pg: boolean) => [
	refreshQuestionSet('perspective', `${r}.perspective_id`, pg),
	refreshQuestionSet('submission', `${r}.submission_id`, pg)
];

const TRIGGERS: Trig[] = [
	{ name: 'agg_qs_answer_insert', table: 'answer', timing: 'after', op: 'insert', body: (pg) => refreshBoth('new', pg) },
	{ name: 'agg_qs_answer_delete', table: 'answer', timing: 'after', op: 'delete', body: (pg) => refreshBoth('old', pg) },
	{
		name: 'agg_qs_answer_update',
		table: 'answer',
		timing: 'after',
		op: 'update',
		when: ['question_id', 'submission_id', 'perspective_id'],
		body: (pg) => [...refreshBoth('old', pg), ...refreshBoth('new', pg)]
	},
	{
		name: 'agg_qs_submission_insert',
		table: 'submission',
		timing: 'after',
		op: 'insert',
		body: () => [questionSetSubmissionRow('new', 1)]
	},
	{
		name: 'agg_qs_submission_delete',
		table: 'submission',
		timing: 'before',
		op: 'delete',
		body: () => [questionSetSubmissionRow('old', -1), questionSetPerspectivesOf('old', -1)]
	},
	{
		name: 'agg_qs_submission_update',
		table: 'submission',
		timing: 'after',
		op: 'update',
		when: ['consultation_id', 'question_set', 'group_set', 'district_code', 'channel', 'location_id', 'created_at'],
		body: () => [questionSetSubmissionRow('old', -1), questionSetSubmissionRow('new', 1)]
	},
	{
		name: 'agg_qs_submission_move',
		table: 'submission',
		timing: 'after',
		op: 'update',
		when: ['consultation_id', 'district_code', 'channel'],
		body: () => [questionSetPerspectivesOf('old', -1), questionSetPerspectivesOf('new', 1)]
	},
	{
		name: 'agg_qs_perspective_insert',
		table: 'perspective',
		timing: 'after',
		op: 'insert',
		body: () => [questionSetPerspectiveRow('new', 1)]
	},
	{
		name: 'agg_qs_perspective_delete',
		table: 'perspective',
		timing: 'before',
		op: 'delete',
		body: () => [questionSetPerspectiveRow('old', -1)]
	},
	{
		name: 'agg_qs_perspective_update',
		table: 'perspective',
		timing: 'after',
		op: 'update',
		when: ['question_set', 'group_code', 'submission_id'],
		body: () => [questionSetPerspectiveRow('old', -1), questionSetPerspectiveRow('new', 1)]
	}
];

/** The triggers on this engine: their conditions and bodies in its dialect. */
const triggers = (pg: boolean): TriggerSql[] =>
	TRIGGERS.map(({ when, body, ...t }) => ({ ...t, when: when && anyChanged(when, pg), body: body(pg) }));

export async function up(db: Kysely<any>): Promise<void> {
	const pg = db.getExecutor().adapter instanceof PostgresAdapter;
	for (const table of ['submission', 'perspective'])
		await db.schema
			.alterTable(table)
			.addColumn('question_set', 'text', (c) => c.notNull().defaultTo(''))
			.execute();
	// A perspective's answers by index (the perspective's set; the submission's uses answer_submission).
	await db.schema.createIndex('answer_perspective_question').on('answer').columns(['perspective_id', 'question_id']).execute();
	await db.schema
		.createTable(QUESTION_SET_TABLE)
		.addColumn('consultation_id', 'integer', (c) => c.notNull())
		.addColumn('question_set', 'text', (c) => c.notNull())
		.addColumn('group_set', 'text', (c) => c.notNull())
		.addColumn('district_code', 'text', (c) => c.notNull())
		.addColumn('channel', 'text', (c) => c.notNull())
		.addColumn('location_id', 'integer', (c) => c.notNull())
		.addColumn('day', 'text', (c) => c.notNull())
		.addColumn('n', 'integer', (c) => c.notNull())
		.addPrimaryKeyConstraint(`${QUESTION_SET_TABLE}_pk`, [...QUESTION_SET_KEY])
		.execute();
	await db.schema
		.createTable(QUESTION_SET_PERSPECTIVE_TABLE)
		.addColumn('consultation_id', 'integer', (c) => c.notNull())
		.addColumn('question_set', 'text', (c) => c.notNull())
		.addColumn('group_code', 'text', (c) => c.notNull())
		.addColumn('district_code', 'text', (c) => c.notNull())
		.addColumn('channel', 'text', (c) => c.notNull())
		.addColumn('n', 'integer', (c) => c.notNull())
		.addPrimaryKeyConstraint(`${QUESTION_SET_PERSPECTIVE_TABLE}_pk`, [...QUESTION_SET_PERSPECTIVE_KEY])
		.execute();
	// The sets and counts of the rows already stored, before the triggers exist.
	for (const s of rebuildQuestionSets(pg)) await sql.raw(s).execute(db);
	await createTriggers(db, pg, triggers(pg));
}

export async function down(db: Kysely<any>): Promise<void> {
	const pg = db.getExecutor().adapter instanceof PostgresAdapter;
	await dropTriggers(db, pg, triggers(pg));
	for (const t of [QUESTION_SET_TABLE, QUESTION_SET_PERSPECTIVE_TABLE]) await db.schema.dropTable(t).ifExists().execute();
	await db.schema.dropIndex('answer_perspective_question').ifExists().execute();
	for (const table of ['submission', 'perspective']) await db.schema.alterTable(table).dropColumn('question_set').execute();
}
