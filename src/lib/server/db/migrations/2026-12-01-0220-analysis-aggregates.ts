import { PostgresAdapter, sql, type Kysely } from 'kysely';
import { changedOnBoth, createTriggers, dropTriggers, onEngine, type DualTrigger } from './lib/trigger-sql';

// Frozen: never import application code here; a later change gets a new migration.

/**
 * Answer-level aggregates for the analysis views (issue #19), kept right by SQL triggers in the
 * same transaction as every write, so that every write path (submission, entry, import, edit,
 * delete, recoding, retention, hand-run SQL) keeps them without being told.
 *
 *   analysis_agg_answer: answers per question × respondent group × district × channel, and how many
 *     of them have at least one active theme that applies ("coded"; the rest are "no theme yet").
 *   analysis_agg_theme: answers per theme × group × district × channel with the theme applying,
 *     whatever the theme's status (readers keep the active themes, so retiring a theme needs no
 *     rewrite of this table; it does change "coded", which is recomputed for that question).
 *
 * NULL group / district are stored as '' so the keys can be primary keys on both engines.
 *
 * Deletes: a cascade removes the parent row before the children's triggers run (both engines), so
 * each BEFORE DELETE trigger subtracts everything under its row, and every trigger finds its
 * dimensions by joining up through perspective and submission: under a parent that is already
 * gone that join is empty and the child's trigger does nothing, so nothing is subtracted twice.
 */

const ANSWER_KEY = '(question_id, group_code, district_code, channel)';
const THEME_KEY = '(theme_id, group_code, district_code, channel)';
const ADD_ANSWER = `on conflict ${ANSWER_KEY} do update set n = analysis_agg_answer.n + excluded.n, coded = analysis_agg_answer.coded + excluded.coded`;
const ADD_THEME = `on conflict ${THEME_KEY} do update set n = analysis_agg_theme.n + excluded.n`;

/** The answer (by an id expression) has an active theme that applies. */
const hasActive = (answerId: string, exceptTheme?: string) =>
	`exists (select 1 from answer_theme hx join theme ht on ht.id = hx.theme_id where hx.answer_id = ${answerId} and hx.applies = 1 and ht.status = 'active'${exceptTheme ? ` and hx.theme_id <> ${exceptTheme}` : ''})`;

/** One answer row (`r` = old / new) counted with `sign`, with its themes. */
function oneAnswer(r: string, sign: number): string[] {
	return [
		`insert into analysis_agg_answer (question_id, group_code, district_code, channel, n, coded)
		 select ${r}.question_id, coalesce(p.group_code, ''), coalesce(s.district_code, ''), s.channel, ${sign},
		        case when ${hasActive(`${r}.id`)} then ${sign} else 0 end
		 from perspective p join submission s on s.id = p.submission_id
		 where p.id = ${r}.perspective_id and s.id = ${r}.submission_id
		 ${ADD_ANSWER}`,
		`insert into analysis_agg_theme (theme_id, group_code, district_code, channel, n)
		 select x.theme_id, coalesce(p.group_code, ''), coalesce(s.district_code, ''), s.channel, ${sign}
		 from answer_theme x join perspective p on p.id = ${r}.perspective_id join submission s on s.id = p.submission_id
		 where x.answer_id = ${r}.id and x.applies = 1 and s.id = ${r}.submission_id
		 ${ADD_THEME}`
	];
}

/**
 * All answers of one submission or perspective counted with `sign`. `where` picks the answers
 * (alias a, joined to perspective p and submission s); group and district come from `g` / `d`.
 */
function manyAnswers(where: string, g: string, d: string, ch: string, sign: number): string[] {
	const from = `from answer a join perspective p on p.id = a.perspective_id join submission s on s.id = a.submission_id`;
	return [
		`insert into analysis_agg_answer (question_id, group_code, district_code, channel, n, coded)
		 select a.question_id, coalesce(${g}, ''), coalesce(${d}, ''), ${ch}, ${sign} * count(*),
		        ${sign} * sum(case when ${hasActive('a.id')} then 1 else 0 end)
		 ${from} where ${where}
		 group by a.question_id, coalesce(${g}, ''), coalesce(${d}, ''), ${ch}
		 ${ADD_ANSWER}`,
		`insert into analysis_agg_theme (theme_id, group_code, district_code, channel, n)
		 select x.theme_id, coalesce(${g}, ''), coalesce(${d}, ''), ${ch}, ${sign} * count(*)
		 ${from} join answer_theme x on x.answer_id = a.id
		 where ${where} and x.applies = 1
		 group by x.theme_id, coalesce(${g}, ''), coalesce(${d}, ''), ${ch}
		 ${ADD_THEME}`
	];
}

/** The "coded" counts of one question's rows recomputed (a theme became or stopped being active). */
function recodeQuestion(q: string): string[] {
	return [
		`update analysis_agg_answer set coded = 0 where question_id = ${q}`,
		`insert into analysis_agg_answer (question_id, group_code, district_code, channel, n, coded)
		 select a.question_id, coalesce(p.group_code, ''), coalesce(s.district_code, ''), s.channel, 0, count(*)
		 from answer a join perspective p on p.id = a.perspective_id join submission s on s.id = a.submission_id
		 where a.question_id = ${q} and ${hasActive('a.id')}
		 group by a.question_id, coalesce(p.group_code, ''), coalesce(s.district_code, ''), s.channel
		 ${ADD_ANSWER}`
	];
}

/** An answer_theme row (`r`) counted with `sign` in the theme table (nothing if its answer or theme is gone). */
function themeRow(r: string, sign: number): string {
	return `insert into analysis_agg_theme (theme_id, group_code, district_code, channel, n)
		select ${r}.theme_id, coalesce(p.group_code, ''), coalesce(s.district_code, ''), s.channel, ${sign}
		from answer a join perspective p on p.id = a.perspective_id join submission s on s.id = a.submission_id
		join theme t on t.id = ${r}.theme_id
		where a.id = ${r}.answer_id and ${r}.applies = 1
		${ADD_THEME}`;
}

/** "coded" moved by an answer_theme change: (has an active theme now) − (had one before). */
function codedShift(answerId: string, before: string, guard = 'true'): string {
	const now = hasActive(answerId);
	return `insert into analysis_agg_answer (question_id, group_code, district_code, channel, n, coded)
		select a.question_id, coalesce(p.group_code, ''), coalesce(s.district_code, ''), s.channel, 0,
		       (case when ${now} then 1 else 0 end) - (case when ${before} then 1 else 0 end)
		from answer a join perspective p on p.id = a.perspective_id join submission s on s.id = a.submission_id
		where ${guard} and a.id = ${answerId} and (case when ${now} then 1 else 0 end) <> (case when ${before} then 1 else 0 end)
		${ADD_ANSWER}`;
}

const oldActive = `(old.applies = 1 and exists (select 1 from theme ot where ot.id = old.theme_id and ot.status = 'active'))`;


const TRIGGERS: DualTrigger[] = [
	// Submissions: inserted empty; deleted (cascading to everything under them) or moved between districts / channels.
	{
		name: 'agg_submission_delete',
		table: 'submission',
		timing: 'before',
		op: 'delete',
		body: manyAnswers('a.submission_id = old.id', 'p.group_code', 'old.district_code', 'old.channel', -1)
	},
	{
		name: 'agg_submission_update',
		table: 'submission',
		timing: 'after',
		op: 'update',
		when: changedOnBoth(['district_code', 'channel']),
		body: [
			...manyAnswers('a.submission_id = new.id', 'p.group_code', 'old.district_code', 'old.channel', -1),
			...manyAnswers('a.submission_id = new.id', 'p.group_code', 'new.district_code', 'new.channel', 1)
		]
	},
	{
		name: 'agg_perspective_delete',
		table: 'perspective',
		timing: 'before',
		op: 'delete',
		body: manyAnswers('a.perspective_id = old.id', 'old.group_code', 's.district_code', 's.channel', -1)
	},
	{
		name: 'agg_perspective_update',
		table: 'perspective',
		timing: 'after',
		op: 'update',
		when: changedOnBoth(['group_code', 'submission_id']),
		body: [
			// The answers still point at this perspective; count them with the old group, then the new.
			...manyAnswers('a.perspective_id = new.id', 'old.group_code', 's.district_code', 's.channel', -1),
			...manyAnswers('a.perspective_id = new.id', 'new.group_code', 's.district_code', 's.channel', 1)
		]
	},
	{ name: 'agg_answer_insert', table: 'answer', timing: 'after', op: 'insert', body: oneAnswer('new', 1).slice(0, 1) },
	{ name: 'agg_answer_delete', table: 'answer', timing: 'before', op: 'delete', body: oneAnswer('old', -1) },
	{
		name: 'agg_answer_unmove',
		table: 'answer',
		timing: 'before',
		op: 'update',
		when: changedOnBoth(['question_id', 'perspective_id', 'submission_id']),
		body: oneAnswer('old', -1)
	},
	{
		name: 'agg_answer_move',
		table: 'answer',
		timing: 'after',
		op: 'update',
		when: changedOnBoth(['question_id', 'perspective_id', 'submission_id']),
		body: oneAnswer('new', 1)
	},
	{
		name: 'agg_answer_theme_insert',
		only: 'sqlite',
		table: 'answer_theme',
		timing: 'after',
		op: 'insert',
		body: [themeRow('new', 1), codedShift('new.answer_id', hasActive('new.answer_id', 'new.theme_id'))]
	},
	{
		name: 'agg_answer_theme_delete',
		only: 'sqlite',
		table: 'answer_theme',
		timing: 'after',
		op: 'delete',
		body: [themeRow('old', -1), codedShift('old.answer_id', `(${hasActive('old.answer_id')} or ${oldActive})`)]
	},
	{
		name: 'agg_answer_theme_update',
		only: 'sqlite',
		table: 'answer_theme',
		timing: 'after',
		op: 'update',
		when: changedOnBoth(['applies', 'theme_id', 'answer_id']),
		body: [
			themeRow('old', -1),
			themeRow('new', 1),
			codedShift('old.answer_id', `(${hasActive('old.answer_id', 'new.theme_id')} or ${oldActive})`),
			// Moving a coding to another answer (never done by the app) shifts that answer too.
			codedShift('new.answer_id', hasActive('new.answer_id', 'new.theme_id'), 'new.answer_id <> old.answer_id')
		]
	},
	{
		name: 'agg_theme_update',
		table: 'theme',
		timing: 'after',
		op: 'update',
		when: {
			sqlite: `(old.status = 'active') <> (new.status = 'active') or old.question_id <> new.question_id`,
			pg: `(old.status = 'active') <> (new.status = 'active') or old.question_id <> new.question_id`
		},
		body: [...recodeQuestion('old.question_id'), ...recodeQuestion('new.question_id')]
	},
	{
		name: 'agg_theme_delete',
		table: 'theme',
		timing: 'after',
		op: 'delete',
		body: [`delete from analysis_agg_theme where theme_id = old.id`, ...recodeQuestion('old.question_id')]
	}
];

/*
 * PostgreSQL runs row-level AFTER triggers at the end of the statement, when every row of it has
 * changed, so "had an active theme before this row" cannot be read row by row there. Statement
 * triggers with transition tables see the whole change at once: the rows before the statement are
 * (the rows now − the new rows) + the old rows, per answer; and a recode's 500-row insert costs one
 * grouped statement instead of 500 trigger calls.
 */
const dims = `coalesce(p.group_code, ''), coalesce(s.district_code, ''), s.channel`;
const upAnswer = `join answer a on a.id = x.answer_id join perspective p on p.id = a.perspective_id join submission s on s.id = a.submission_id`;
function themeRows(table: 'nt' | 'ot', sign: number, other?: 'nt' | 'ot'): string {
	// In an update, a row whose theme and "applies" did not change would count −1 and +1: skip it.
	const unchanged = other
		? ` and not exists (select 1 from ${other} y where y.answer_id = x.answer_id and y.theme_id = x.theme_id and y.applies = x.applies)`
		: '';
	return `insert into analysis_agg_theme (theme_id, group_code, district_code, channel, n)
		select x.theme_id, ${dims}, ${sign} * count(*)
		from ${table} x join theme t on t.id = x.theme_id ${upAnswer}
		where x.applies = 1${unchanged}
		group by x.theme_id, ${dims}
		${ADD_THEME}`;
}
function codedRows(hasOld: boolean, hasNew: boolean): string {
	const touched = [hasOld ? 'select answer_id from ot' : '', hasNew ? 'select answer_id from nt' : '']
		.filter(Boolean)
		.join(' union ');
	const now = hasActive('x.answer_id');
	const kept = `exists (select 1 from answer_theme hx join theme ht on ht.id = hx.theme_id
		where hx.answer_id = x.answer_id and hx.applies = 1 and ht.status = 'active'${
			hasNew ? ' and not exists (select 1 from nt where nt.answer_id = hx.answer_id and nt.theme_id = hx.theme_id)' : ''
		})`;
	const removed = hasOld
		? ` or exists (select 1 from ot join theme ht on ht.id = ot.theme_id where ot.answer_id = x.answer_id and ot.applies = 1 and ht.status = 'active')`
		: '';
	const shift = `(case when ${now} then 1 else 0 end) - (case when ${kept}${removed} then 1 else 0 end)`;
	return `insert into analysis_agg_answer (question_id, group_code, district_code, channel, n, coded)
		select a.question_id, ${dims}, 0, sum(${shift})
		from (select distinct answer_id from (${touched}) t) x ${upAnswer}
		group by a.question_id, ${dims}
		having sum(${shift}) <> 0
		${ADD_ANSWER}`;
}
const PG_STATEMENT_TRIGGERS: DualTrigger[] = [
	{
		name: 'agg_answer_theme_insert',
		table: 'answer_theme',
		timing: 'after',
		op: 'insert',
		only: 'pg',
		statement: { new: true },
		body: [themeRows('nt', 1), codedRows(false, true)]
	},
	{
		name: 'agg_answer_theme_delete',
		table: 'answer_theme',
		timing: 'after',
		op: 'delete',
		only: 'pg',
		statement: { old: true },
		body: [themeRows('ot', -1), codedRows(true, false)]
	},
	{
		name: 'agg_answer_theme_update',
		table: 'answer_theme',
		timing: 'after',
		op: 'update',
		only: 'pg',
		statement: { old: true, new: true },
		body: [themeRows('ot', -1, 'nt'), themeRows('nt', 1, 'ot'), codedRows(true, true)]
	}
];

/** Everything recomputed from the base tables (the migration's first fill and `npm run analysis -- rebuild`). */
export const REBUILD: string[] = [
	`delete from analysis_agg_answer`,
	`delete from analysis_agg_theme`,
	`insert into analysis_agg_answer (question_id, group_code, district_code, channel, n, coded)
	 select a.question_id, coalesce(p.group_code, ''), coalesce(s.district_code, ''), s.channel, count(*),
	        sum(case when ${hasActive('a.id')} then 1 else 0 end)
	 from answer a join perspective p on p.id = a.perspective_id join submission s on s.id = a.submission_id
	 group by a.question_id, coalesce(p.group_code, ''), coalesce(s.district_code, ''), s.channel`,
	`insert into analysis_agg_theme (theme_id, group_code, district_code, channel, n)
	 select x.theme_id, coalesce(p.group_code, ''), coalesce(s.district_code, ''), s.channel, count(*)
	 from answer_theme x join answer a on a.id = x.answer_id
	 join perspective p on p.id = a.perspective_id join submission s on s.id = a.submission_id
	 where x.applies = 1
	 group by x.theme_id, coalesce(p.group_code, ''), coalesce(s.district_code, ''), s.channel`
];

export async function up(db: Kysely<any>): Promise<void> {
	const pg = db.getExecutor().adapter instanceof PostgresAdapter;
	for (const [table, first, pk] of [
		['analysis_agg_answer', 'question_id', ANSWER_KEY],
		['analysis_agg_theme', 'theme_id', THEME_KEY]
	] as const) {
		let t = db.schema
			.createTable(table)
			.addColumn(first, 'integer', (c) => c.notNull())
			.addColumn('group_code', 'text', (c) => c.notNull())
			.addColumn('district_code', 'text', (c) => c.notNull())
			.addColumn('channel', 'text', (c) => c.notNull())
			.addColumn('n', 'integer', (c) => c.notNull());
		if (table === 'analysis_agg_answer') t = t.addColumn('coded', 'integer', (c) => c.notNull());
		await t.addPrimaryKeyConstraint(`${table}_pk`, pk.slice(1, -1).split(', ') as never).execute();
	}
	await createTriggers(db, pg, onEngine([...TRIGGERS, ...PG_STATEMENT_TRIGGERS], pg), { pgWhenInBody: true });
	for (const s of REBUILD) await sql.raw(s).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	const pg = db.getExecutor().adapter instanceof PostgresAdapter;
	await dropTriggers(db, pg, onEngine([...TRIGGERS, ...PG_STATEMENT_TRIGGERS], pg));
	await db.schema.dropTable('analysis_agg_answer').ifExists().execute();
	await db.schema.dropTable('analysis_agg_theme').ifExists().execute();
}
