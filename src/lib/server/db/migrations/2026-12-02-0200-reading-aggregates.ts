import { PostgresAdapter, sql, type Kysely } from 'kysely';
import { createTriggers, dropTriggers, onEngine, type DualTrigger } from './lib/trigger-sql';

// Frozen: never import application code here; a later change gets a new migration.

/**
 * Reading coverage (issue #10: how many answers from children and young people a person has read),
 * kept by SQL triggers in the same transaction as every write, like the aggregates of 0220–0500. The
 * dashboard showed it by reading every answer of the consultation against the reading log on every
 * request (about 0.35 s CPU at half a million answers on SQLite, 1 s wall at 200,000 on PostgreSQL).
 *
 *   analysis_agg_reading: per question × day (first ten characters of the answer's created_at): `n`
 *     answers with words (text not null) from a perspective whose group is child or young_person (the
 *     domain's READ_ALL_GROUPS, written out here because a migration never changes), and `n_read` of
 *     them with at least one answer_read row.
 *
 * "Oldest unread" is a minimum, which a counter cannot keep under reads and deletes: the earliest day
 * with n_read < n comes from this table, and the time within that day from the answers of that day
 * only, through the index answer (question_id, created_at) made here.
 *
 * Deletes: a BEFORE DELETE trigger on perspective subtracts its answers, and one on answer subtracts
 * the answer while its reads still exist; each finds the answer's group by joining its perspective,
 * so under a parent a cascade has already removed nothing is subtracted twice (as in 0220). The reads'
 * triggers find the answer by joining it, so under an answer already gone they do nothing.
 * PostgreSQL runs row-level AFTER triggers at the end of the statement, so "the answer's first read"
 * and "its last read removed" are worked out by statement triggers with transition tables there.
 */

const READ_ALL = `('child', 'young_person')`;
const KEY = '(question_id, day)';
const COLS = 'question_id, day, n, n_read';
const ADD = `on conflict ${KEY} do update set n = analysis_agg_reading.n + excluded.n, n_read = analysis_agg_reading.n_read + excluded.n_read`;
const day = (r: string) => `substr(${r}.created_at, 1, 10)`;
const inRead = (g: string) => `(${g} is not null and ${g} in ${READ_ALL})`;
const isRead = (answerId: string) =>
	`case when exists (select 1 from answer_read rr where rr.answer_id = ${answerId}) then 1 else 0 end`;
/** The answer row `r` is counted: it has words and its perspective (still there) is a child's or young person's. */
const counted = (r: string) =>
	`${r}.text is not null and exists (select 1 from perspective cp where cp.id = ${r}.perspective_id and ${inRead('cp.group_code')})`;

/** One answer row (`r` = old / new) counted with `sign`. */
const answerRow = (r: string, sign: number) =>
	`insert into analysis_agg_reading (${COLS})
	 select ${r}.question_id, ${day(r)}, ${sign}, ${sign} * ${isRead(`${r}.id`)}
	 where ${counted(r)}
	 ${ADD}`;

/** Every answer with words of perspective `r` (old / new), counted with `sign` when `r`'s group is read in full. */
const perspectiveAnswers = (r: string, sign: number) =>
	`insert into analysis_agg_reading (${COLS})
	 select a.question_id, ${day('a')}, ${sign} * count(*), ${sign} * sum(${isRead('a.id')})
	 from answer a where a.perspective_id = ${r}.id and a.text is not null and ${inRead(`${r}.group_code`)}
	 group by a.question_id, ${day('a')}
	 ${ADD}`;

/** SQLite: the read row just inserted is the answer's first, or the one just deleted was its last. */
const firstOrLastRead = (answerId: string, sign: number) =>
	`insert into analysis_agg_reading (${COLS})
	 select a.question_id, ${day('a')}, 0, ${sign}
	 from answer a where a.id = ${answerId} and ${counted('a')}
	   and (select count(*) from answer_read rr where rr.answer_id = ${answerId}) = ${sign > 0 ? 1 : 0}
	 ${ADD}`;

/** PostgreSQL, per statement: answers whose reads are all new (nt), or which have none left (ot). */
const pgReads = (sign: number) =>
	`insert into analysis_agg_reading (${COLS})
	 select a.question_id, ${day('a')}, 0, ${sign} * count(*)
	 from answer a
	 where a.id in (select answer_id from ${sign > 0 ? 'nt' : 'ot'}) and ${counted('a')}
	   and not exists (select 1 from answer_read rr where rr.answer_id = a.id${
				sign > 0 ? ' and not exists (select 1 from nt where nt.answer_id = rr.answer_id and nt.user_id = rr.user_id)' : ''
			})
	 group by a.question_id, ${day('a')}
	 ${ADD}`;


const answerMoved = {
	sqlite: `(old.text is null) <> (new.text is null) or old.question_id is not new.question_id or old.created_at is not new.created_at or old.perspective_id is not new.perspective_id or old.id is not new.id`,
	pg: `(old.text is null) <> (new.text is null) or old.question_id is distinct from new.question_id or old.created_at is distinct from new.created_at or old.perspective_id is distinct from new.perspective_id or old.id is distinct from new.id`
};
const groupMoved = {
	sqlite: `${inRead('old.group_code')} <> ${inRead('new.group_code')} or old.id <> new.id`,
	pg: `${inRead('old.group_code')} <> ${inRead('new.group_code')} or old.id <> new.id`
};

const TRIGGERS: DualTrigger[] = [
	{ name: 'agg_reading_answer_insert', table: 'answer', timing: 'after', op: 'insert', body: [answerRow('new', 1)] },
	{ name: 'agg_reading_answer_delete', table: 'answer', timing: 'before', op: 'delete', body: [answerRow('old', -1)] },
	{
		// AFTER: the perspectives and reads (which do not change in this statement) place both rows.
		name: 'agg_reading_answer_update',
		table: 'answer',
		timing: 'after',
		op: 'update',
		when: answerMoved,
		body: [answerRow('old', -1), answerRow('new', 1)]
	},
	{
		name: 'agg_reading_perspective_delete',
		table: 'perspective',
		timing: 'before',
		op: 'delete',
		body: [perspectiveAnswers('old', -1)]
	},
	{
		name: 'agg_reading_perspective_update',
		table: 'perspective',
		timing: 'after',
		op: 'update',
		when: groupMoved,
		body: [perspectiveAnswers('old', -1), perspectiveAnswers('new', 1)]
	},
	{
		name: 'agg_reading_read_insert',
		only: 'sqlite',
		table: 'answer_read',
		timing: 'after',
		op: 'insert',
		body: [firstOrLastRead('new.answer_id', 1)]
	},
	{
		name: 'agg_reading_read_delete',
		only: 'sqlite',
		table: 'answer_read',
		timing: 'after',
		op: 'delete',
		body: [firstOrLastRead('old.answer_id', -1)]
	},
	{
		name: 'agg_reading_read_insert',
		only: 'pg',
		table: 'answer_read',
		timing: 'after',
		op: 'insert',
		statement: { new: true },
		body: [pgReads(1)]
	},
	{
		name: 'agg_reading_read_delete',
		only: 'pg',
		table: 'answer_read',
		timing: 'after',
		op: 'delete',
		statement: { old: true },
		body: [pgReads(-1)]
	}
];

/** Recomputed from the answers (the migration's first fill and `npm run analysis -- rebuild`). */
export const REBUILD_READING: string[] = [
	`delete from analysis_agg_reading`,
	`insert into analysis_agg_reading (${COLS})
	 select a.question_id, ${day('a')}, count(*), sum(${isRead('a.id')})
	 from answer a join perspective p on p.id = a.perspective_id
	 where a.text is not null and ${inRead('p.group_code')}
	 group by a.question_id, ${day('a')}`
];

export async function up(db: Kysely<any>): Promise<void> {
	const pg = db.getExecutor().adapter instanceof PostgresAdapter;
	await db.schema
		.createTable('analysis_agg_reading')
		.addColumn('question_id', 'integer', (c) => c.notNull())
		.addColumn('day', 'text', (c) => c.notNull())
		.addColumn('n', 'integer', (c) => c.notNull())
		.addColumn('n_read', 'integer', (c) => c.notNull())
		.addPrimaryKeyConstraint('analysis_agg_reading_pk', ['question_id', 'day'])
		.execute();
	await createTriggers(db, pg, onEngine(TRIGGERS, pg), { pgWhenInBody: true });
	await db.schema.createIndex('answer_question_created').on('answer').columns(['question_id', 'created_at']).execute();
	for (const s of REBUILD_READING) await sql.raw(s).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	const pg = db.getExecutor().adapter instanceof PostgresAdapter;
	await dropTriggers(db, pg, onEngine(TRIGGERS, pg));
	await db.schema.dropIndex('answer_question_created').ifExists().execute();
	await db.schema.dropTable('analysis_agg_reading').ifExists().execute();
}
