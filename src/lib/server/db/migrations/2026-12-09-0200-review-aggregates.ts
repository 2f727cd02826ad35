import { PostgresAdapter, sql, type Kysely } from 'kysely';
import { anyChanged, createTriggers, dropTriggers } from './lib/trigger-sql';

// Frozen: never import application code here; a later change gets a new migration.

/**
 * Reviewed answers per question × respondent group × district × channel (issue #19: the review list's "not yet
 * reviewed" total), kept by SQL triggers in the same transaction as every write, like the aggregates of 0220:
 *
 *   analysis_agg_review: `n` answers with `reviewed_at` set, per question × group × district × channel (NULL
 *     group / district stored as ''), the same cells as analysis_agg_answer. Not yet reviewed = that table's `n`
 *     less this one's. The review list counted the reviewed answers in scope instead, each joined to its
 *     perspective and submission: 400+ ms CPU at a million answers with 50,000 reviewed.
 *
 * The triggers are 0220's answer-level ones restricted to reviewed answers: an answer counted when it is inserted
 * reviewed, marked reviewed (or un-marked), moved, deleted; all of a perspective's or submission's reviewed
 * answers moved when its group, district or channel changes, and subtracted by its BEFORE DELETE trigger (a
 * cascade removes the parent row before the children's triggers run, so under a parent already gone the child's
 * join is empty and nothing is subtracted twice). Every trigger is named agg_* so the bulk generator's rebuild
 * (sqlite-bulk.ts derivedTriggers) switches them off and on with the others. A coding write changes only
 * `coded_at`, which the answer update triggers' WHEN leaves alone, so the coder's bypass list does not need them.
 */

const KEY = '(question_id, group_code, district_code, channel)';
const ADD = `on conflict ${KEY} do update set n = analysis_agg_review.n + excluded.n`;

/** One answer row (`r` = old / new) counted with `sign` if it is reviewed. */
const oneAnswer = (r: string, sign: number) =>
	`insert into analysis_agg_review (question_id, group_code, district_code, channel, n)
	 select ${r}.question_id, coalesce(p.group_code, ''), coalesce(s.district_code, ''), s.channel, ${sign}
	 from perspective p join submission s on s.id = p.submission_id
	 where ${r}.reviewed_at is not null and p.id = ${r}.perspective_id and s.id = ${r}.submission_id
	 ${ADD}`;

/** The reviewed answers picked by `where` (alias a, joined to p and s) counted with `sign` under g / d / ch. */
const manyAnswers = (where: string, g: string, d: string, ch: string, sign: number) =>
	`insert into analysis_agg_review (question_id, group_code, district_code, channel, n)
	 select a.question_id, coalesce(${g}, ''), coalesce(${d}, ''), ${ch}, ${sign} * count(*)
	 from answer a join perspective p on p.id = a.perspective_id join submission s on s.id = a.submission_id
	 where ${where} and a.reviewed_at is not null
	 group by a.question_id, coalesce(${g}, ''), coalesce(${d}, ''), ${ch}
	 ${ADD}`;

interface Trig {
	name: string;
	table: 'answer' | 'perspective' | 'submission';
	timing: 'before' | 'after';
	op: 'insert' | 'update' | 'delete';
	/** A condition on old / new (PostgreSQL: the row trigger's WHEN, so a row that does not move costs no call). */
	when?: (pg: boolean) => string;
	body: string[];
}

const changed = (cols: string[]) => (pg: boolean) => anyChanged(cols, pg);
/** The answer moved cell or changed reviewed state. */
const answerMoved = (pg: boolean) =>
	`${changed(['question_id', 'perspective_id', 'submission_id'])(pg)} or (old.reviewed_at is null) <> (new.reviewed_at is null)`;

const TRIGGERS: Trig[] = [
	{
		name: 'agg_review_answer_insert',
		table: 'answer',
		timing: 'after',
		op: 'insert',
		when: () => 'new.reviewed_at is not null',
		body: [oneAnswer('new', 1)]
	},
	{
		name: 'agg_review_answer_delete',
		table: 'answer',
		timing: 'before',
		op: 'delete',
		when: () => 'old.reviewed_at is not null',
		body: [oneAnswer('old', -1)]
	},
	{
		name: 'agg_review_answer_unmove',
		table: 'answer',
		timing: 'before',
		op: 'update',
		when: answerMoved,
		body: [oneAnswer('old', -1)]
	},
	{
		name: 'agg_review_answer_move',
		table: 'answer',
		timing: 'after',
		op: 'update',
		when: answerMoved,
		body: [oneAnswer('new', 1)]
	},
	{
		name: 'agg_review_perspective_delete',
		table: 'perspective',
		timing: 'before',
		op: 'delete',
		body: [manyAnswers('a.perspective_id = old.id', 'old.group_code', 's.district_code', 's.channel', -1)]
	},
	{
		name: 'agg_review_perspective_update',
		table: 'perspective',
		timing: 'after',
		op: 'update',
		when: changed(['group_code', 'submission_id']),
		body: [
			manyAnswers('a.perspective_id = new.id', 'old.group_code', 's.district_code', 's.channel', -1),
			manyAnswers('a.perspective_id = new.id', 'new.group_code', 's.district_code', 's.channel', 1)
		]
	},
	{
		name: 'agg_review_submission_delete',
		table: 'submission',
		timing: 'before',
		op: 'delete',
		body: [manyAnswers('a.submission_id = old.id', 'p.group_code', 'old.district_code', 'old.channel', -1)]
	},
	{
		name: 'agg_review_submission_update',
		table: 'submission',
		timing: 'after',
		op: 'update',
		when: changed(['district_code', 'channel']),
		body: [
			manyAnswers('a.submission_id = new.id', 'p.group_code', 'old.district_code', 'old.channel', -1),
			manyAnswers('a.submission_id = new.id', 'p.group_code', 'new.district_code', 'new.channel', 1)
		]
	}
];

/** Recomputed from the reviewed answers (the migration's first fill and `npm run analysis -- rebuild`). */
export const REBUILD_REVIEW: string[] = [
	`delete from analysis_agg_review`,
	`insert into analysis_agg_review (question_id, group_code, district_code, channel, n)
	 select a.question_id, coalesce(p.group_code, ''), coalesce(s.district_code, ''), s.channel, count(*)
	 from answer a join perspective p on p.id = a.perspective_id join submission s on s.id = a.submission_id
	 where a.reviewed_at is not null
	 group by a.question_id, coalesce(p.group_code, ''), coalesce(s.district_code, ''), s.channel`
];

export async function up(db: Kysely<any>): Promise<void> {
	const pg = db.getExecutor().adapter instanceof PostgresAdapter;
	await db.schema
		.createTable('analysis_agg_review')
		.addColumn('question_id', 'integer', (c) => c.notNull())
		.addColumn('group_code', 'text', (c) => c.notNull())
		.addColumn('district_code', 'text', (c) => c.notNull())
		.addColumn('channel', 'text', (c) => c.notNull())
		.addColumn('n', 'integer', (c) => c.notNull())
		.addPrimaryKeyConstraint('analysis_agg_review_pk', ['question_id', 'group_code', 'district_code', 'channel'])
		.execute();
	await createTriggers(
		db,
		pg,
		TRIGGERS.map((t) => ({ ...t, when: t.when?.(pg) }))
	);
	for (const s of REBUILD_REVIEW) await sql.raw(s).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	const pg = db.getExecutor().adapter instanceof PostgresAdapter;
	await dropTriggers(db, pg, TRIGGERS);
	await db.schema.dropTable('analysis_agg_review').ifExists().execute();
}
