import { PostgresAdapter, sql, type Kysely } from 'kysely';
import { createTriggers, dropTriggers, onEngine, type DualTrigger } from './lib/trigger-sql';

// Frozen: never import application code here; a later change gets a new migration.

/**
 * The method statement's coding counts (issue #19), kept by SQL triggers in the same transaction as
 * every write, like the aggregates of migrations 0220 and 0300. The statement says how many answers
 * were coded by the machine only, by a person, or not yet; reading that from the answers scanned
 * every answer of the consultation on every report (8 s at a million answers).
 *
 *   analysis_agg_coding: answers per question × wording_version (null counted as 1) × is_reviewed
 *     (reviewed_at set) × is_coded (coded_at set) × has_human (at least one officer's coding row,
 *     source = 'human', applying or not). The wording version serves the report's "wordings as
 *     asked" (answers per wording), which also read every answer.
 *
 * "When coding last changed" is a maximum, which a counter cannot keep under deletes; three indexes
 * answer it with one index step each: answer (question_id, coded_at), reviewed answers by
 * (question_id, reviewed_at), and officers' codings by updated_at (partial, source = 'human').
 *
 * Deletes: an answer's BEFORE DELETE trigger subtracts it while its codings still exist (the cascade
 * to answer_theme runs after); the answer_theme triggers find the answer by joining it, so under an
 * answer that is already gone they do nothing. PostgreSQL runs row-level AFTER triggers at the end
 * of the statement, so "had a human coding before" is read by statement triggers with transition
 * tables there, as in 0220.
 */

const KEY = '(question_id, wording_version, is_reviewed, is_coded, has_human)';
const COLS = 'question_id, wording_version, is_reviewed, is_coded, has_human, n';
/** Answers stored before wordings were versioned (null) were given version 1. */
const version = (r: string) => `coalesce(${r}.wording_version, 1)`;
const ADD = `on conflict ${KEY} do update set n = analysis_agg_coding.n + excluded.n`;

const reviewed = (r: string) => `case when ${r}.reviewed_at is not null then 1 else 0 end`;
const coded = (r: string) => `case when ${r}.coded_at is not null then 1 else 0 end`;
/** The answer (by an id expression) has an officer's coding; `except` leaves out one row. */
const hasHuman = (answerId: string, except?: { answer: string; theme: string }) =>
	`exists (select 1 from answer_theme hh where hh.answer_id = ${answerId} and hh.source = 'human'${
		except ? ` and not (hh.answer_id = ${except.answer} and hh.theme_id = ${except.theme})` : ''
	})`;
const flag = (cond: string) => `case when ${cond} then 1 else 0 end`;

/** One answer row (`r` = old / new) counted with `sign`. */
const answerRow = (r: string, sign: number) =>
	`insert into analysis_agg_coding (${COLS})
	 select ${r}.question_id, ${version(r)}, ${reviewed(r)}, ${coded(r)}, ${flag(hasHuman(`${r}.id`))}, ${sign}
	 where true
	 ${ADD}`;

/**
 * An answer's "has a human coding" moved from `before` to now: −1 in its old cell, +1 in its new one
 * (nothing when it did not move or the answer is gone).
 */
function humanShift(answerId: string, before: string, guard = 'true'): string[] {
	const now = flag(hasHuman(answerId));
	const was = flag(before);
	return [now, was].map(
		(cell) => `insert into analysis_agg_coding (${COLS})
		 select a.question_id, ${version('a')}, ${reviewed('a')}, ${coded('a')}, ${cell}, ${cell === now ? 1 : -1}
		 from answer a where ${guard} and a.id = ${answerId} and ${now} <> ${was}
		 ${ADD}`
	);
}


const stateChanged = {
	sqlite: `old.question_id is not new.question_id or old.wording_version is not new.wording_version or old.id is not new.id or (old.reviewed_at is null) <> (new.reviewed_at is null) or (old.coded_at is null) <> (new.coded_at is null)`,
	pg: `old.question_id is distinct from new.question_id or old.wording_version is distinct from new.wording_version or old.id is distinct from new.id or (old.reviewed_at is null) <> (new.reviewed_at is null) or (old.coded_at is null) <> (new.coded_at is null)`
};

const updatedRow = { answer: 'new.answer_id', theme: 'new.theme_id' };

const TRIGGERS: DualTrigger[] = [
	{ name: 'agg_coding_answer_insert', table: 'answer', timing: 'after', op: 'insert', body: [answerRow('new', 1)] },
	{ name: 'agg_coding_answer_delete', table: 'answer', timing: 'before', op: 'delete', body: [answerRow('old', -1)] },
	{
		// AFTER: the codings (which do not change in this statement) give "has human" for both rows.
		name: 'agg_coding_answer_update',
		table: 'answer',
		timing: 'after',
		op: 'update',
		when: stateChanged,
		body: [answerRow('old', -1), answerRow('new', 1)]
	},
	{
		name: 'agg_coding_theme_insert',
		only: 'sqlite',
		table: 'answer_theme',
		timing: 'after',
		op: 'insert',
		when: { sqlite: `new.source = 'human'`, pg: '' },
		body: humanShift('new.answer_id', hasHuman('new.answer_id', updatedRow))
	},
	{
		name: 'agg_coding_theme_delete',
		only: 'sqlite',
		table: 'answer_theme',
		timing: 'after',
		op: 'delete',
		when: { sqlite: `old.source = 'human'`, pg: '' },
		body: humanShift('old.answer_id', 'true')
	},
	{
		name: 'agg_coding_theme_update',
		only: 'sqlite',
		table: 'answer_theme',
		timing: 'after',
		op: 'update',
		when: {
			sqlite: `(old.source = 'human' or new.source = 'human') and (old.source <> new.source or old.answer_id <> new.answer_id)`,
			pg: ''
		},
		body: [
			...humanShift('old.answer_id', `${hasHuman('old.answer_id', updatedRow)} or old.source = 'human'`),
			// Moving a coding to another answer (never done by the app) shifts that answer too.
			...humanShift('new.answer_id', hasHuman('new.answer_id', updatedRow), 'new.answer_id <> old.answer_id')
		]
	}
];

/** PostgreSQL: per touched answer, human now versus before the statement ((rows now − new rows) + old rows). */
function pgHumanRows(hasOld: boolean, hasNew: boolean): string[] {
	const touched = [hasOld ? 'select answer_id from ot' : '', hasNew ? 'select answer_id from nt' : '']
		.filter(Boolean)
		.join(' union ');
	const now = flag(hasHuman('x.answer_id'));
	const kept = `exists (select 1 from answer_theme hh where hh.answer_id = x.answer_id and hh.source = 'human'${
		hasNew ? ' and not exists (select 1 from nt where nt.answer_id = hh.answer_id and nt.theme_id = hh.theme_id)' : ''
	})`;
	const removed = hasOld
		? ` or exists (select 1 from ot where ot.answer_id = x.answer_id and ot.source = 'human')`
		: '';
	const was = flag(`${kept}${removed}`);
	// +1 where it is now, −1 where it was, for the answers whose flag moved.
	return [
		[now, 1],
		[was, -1]
	].map(
		([cell, sign]) => `insert into analysis_agg_coding (${COLS})
		 select question_id, v, r, k, h, ${sign} * count(*) from (
		   select a.question_id, ${version('a')} as v, ${reviewed('a')} as r, ${coded('a')} as k, ${cell} as h, ${now} as now_h, ${was} as was_h
		   from (select distinct answer_id from (${touched}) t) x join answer a on a.id = x.answer_id
		 ) moved where now_h <> was_h
		 group by question_id, v, r, k, h
		 ${ADD}`
	);
}

const PG_STATEMENT_TRIGGERS: DualTrigger[] = [
	{
		name: 'agg_coding_theme_insert',
		only: 'pg',
		table: 'answer_theme',
		timing: 'after',
		op: 'insert',
		statement: { new: true },
		body: pgHumanRows(false, true)
	},
	{
		name: 'agg_coding_theme_delete',
		only: 'pg',
		table: 'answer_theme',
		timing: 'after',
		op: 'delete',
		statement: { old: true },
		body: pgHumanRows(true, false)
	},
	{
		name: 'agg_coding_theme_update',
		only: 'pg',
		table: 'answer_theme',
		timing: 'after',
		op: 'update',
		statement: { old: true, new: true },
		body: pgHumanRows(true, true)
	}
];

/** Recomputed from the answers (the migration's first fill and `npm run analysis -- rebuild`). */
export const REBUILD_CODING: string[] = [
	`delete from analysis_agg_coding`,
	`insert into analysis_agg_coding (${COLS})
	 select a.question_id, ${version('a')}, ${reviewed('a')}, ${coded('a')}, case when h.answer_id is null then 0 else 1 end, count(*)
	 from answer a left join (select distinct answer_id from answer_theme where source = 'human') h on h.answer_id = a.id
	 group by a.question_id, ${version('a')}, ${reviewed('a')}, ${coded('a')}, case when h.answer_id is null then 0 else 1 end`
];

export async function up(db: Kysely<any>): Promise<void> {
	const pg = db.getExecutor().adapter instanceof PostgresAdapter;
	await db.schema
		.createTable('analysis_agg_coding')
		.addColumn('question_id', 'integer', (c) => c.notNull())
		.addColumn('wording_version', 'integer', (c) => c.notNull())
		.addColumn('is_reviewed', 'integer', (c) => c.notNull())
		.addColumn('is_coded', 'integer', (c) => c.notNull())
		.addColumn('has_human', 'integer', (c) => c.notNull())
		.addColumn('n', 'integer', (c) => c.notNull())
		.addPrimaryKeyConstraint('analysis_agg_coding_pk', ['question_id', 'wording_version', 'is_reviewed', 'is_coded', 'has_human'])
		.execute();
	await createTriggers(db, pg, onEngine([...TRIGGERS, ...PG_STATEMENT_TRIGGERS], pg), { pgWhenInBody: true });
	await db.schema.createIndex('answer_coded_at').on('answer').columns(['question_id', 'coded_at']).execute();
	await sql`create index answer_reviewed_at on answer (question_id, reviewed_at) where reviewed_at is not null`.execute(
		db
	);
	await sql`create index answer_theme_human_updated on answer_theme (updated_at) where source = 'human'`.execute(db);
	for (const s of REBUILD_CODING) await sql.raw(s).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	const pg = db.getExecutor().adapter instanceof PostgresAdapter;
	await dropTriggers(db, pg, onEngine([...TRIGGERS, ...PG_STATEMENT_TRIGGERS], pg));
	for (const i of ['answer_coded_at', 'answer_reviewed_at', 'answer_theme_human_updated'])
		await db.schema.dropIndex(i).ifExists().execute();
	await db.schema.dropTable('analysis_agg_coding').ifExists().execute();
}
