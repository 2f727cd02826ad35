import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen: never import application code here; a later change gets a new migration.

/**
 * The answer-level aggregates by day (issue #19, helper day33): a dated view (weeks 3–4, alone or with a district,
 * channel or group) read its answers per question, theme counts and "no theme yet" counts from passes over the
 * question's answers (queries.ts fromDateFamily: one per reader per request, ~130–190 ms each at 100,000 answers),
 * because 0220's analysis_agg_answer / analysis_agg_theme have no day. These two tables are 0220's with the day of
 * the answer's submission (`substr(submission.created_at, 1, 10)`, the day a date filter reads) added to the key:
 *
 *   analysis_agg_answer_day: answers per question × group × district × channel × day, and how many of them have an
 *     active theme that applies ("coded").
 *   analysis_agg_theme_day: answers per theme × group × district × channel × day with the theme applying.
 *
 * New tables rather than a day in 0220's keys: 0220's tables are written by many paths besides its triggers (the
 * coder's set-based delta on both engines, the survey writer's grouped commit, later migrations' trigger bodies),
 * and their unfiltered readers would sum days they do not need. Trigger work a submission adds: one upsert per
 * answer insert (SQLite: skipped inside the survey writer's grouped commit, which adds the batch's share itself,
 * src/lib/server/submissions/writer-aggregates.ts; PostgreSQL: one statement trigger per insert statement).
 *
 * No trigger finds answers through `answer.submission_id = <x>` (that index may go on SQLite): a submission's
 * answers are found through its perspectives (perspective.submission_id, then answer_unique's perspective_id).
 * Deletes are BEFORE triggers that subtract what is under the row; under a cascade the parent is gone first (both
 * engines), so a child's trigger, which joins up to its parent, subtracts nothing twice (as 0220).
 * Updates use `update of <columns>` so that the coder's `coded_at` and confidence updates call none of them.
 * The coder's trigger bypass (2026-12-03-0200) does not name these triggers: coding keeps them firing.
 */

export const ANSWER_DAY_TABLE = 'analysis_agg_answer_day';
export const THEME_DAY_TABLE = 'analysis_agg_theme_day';
const ANSWER_KEY = '(question_id, group_code, district_code, channel, day)';
const THEME_KEY = '(theme_id, group_code, district_code, channel, day)';
const ADD_ANSWER = `on conflict ${ANSWER_KEY} do update set n = ${ANSWER_DAY_TABLE}.n + excluded.n, coded = ${ANSWER_DAY_TABLE}.coded + excluded.coded`;
const ADD_THEME = `on conflict ${THEME_KEY} do update set n = ${THEME_DAY_TABLE}.n + excluded.n`;
const WRITER_GUARD = `not exists (select 1 from writer_trigger_bypass)`;

/** The key columns after the question / theme: group, district, channel, day, of perspective p and submission s. */
const cell = (g: string, d: string, ch: string, at: string) =>
	`coalesce(${g}, ''), coalesce(${d}, ''), ${ch}, substr(${at}, 1, 10)`;
const dims = cell('p.group_code', 's.district_code', 's.channel', 's.created_at');

/** The answer (by an id expression) has an active theme that applies (0220's hasActive). */
const hasActive = (answerId: string, exceptTheme?: string) =>
	`exists (select 1 from answer_theme hx join theme ht on ht.id = hx.theme_id where hx.answer_id = ${answerId} and hx.applies = 1 and ht.status = 'active'${exceptTheme ? ` and hx.theme_id <> ${exceptTheme}` : ''})`;

/** One answer row (`r` = old / new) counted with `sign`; with its codings when `themes`. */
function oneAnswer(r: string, sign: number, themes: boolean): string[] {
	const out = [
		`insert into ${ANSWER_DAY_TABLE} (question_id, group_code, district_code, channel, day, n, coded)
		 select ${r}.question_id, ${dims}, ${sign}, case when ${hasActive(`${r}.id`)} then ${sign} else 0 end
		 from perspective p join submission s on s.id = p.submission_id
		 where p.id = ${r}.perspective_id and s.id = ${r}.submission_id
		 ${ADD_ANSWER}`
	];
	if (themes)
		out.push(`insert into ${THEME_DAY_TABLE} (theme_id, group_code, district_code, channel, day, n)
		 select x.theme_id, ${dims}, ${sign}
		 from answer_theme x join perspective p on p.id = ${r}.perspective_id join submission s on s.id = p.submission_id
		 where x.answer_id = ${r}.id and x.applies = 1 and s.id = ${r}.submission_id
		 ${ADD_THEME}`);
	return out;
}

/**
 * Many answers counted with `sign`: `from` names them as `a` with perspective `p` and submission `s`, `where`
 * picks them; the cell's group, district, channel and date come from `c` (a cell() text).
 */
function manyAnswers(from: string, where: string, c: string, sign: number): string[] {
	return [
		`insert into ${ANSWER_DAY_TABLE} (question_id, group_code, district_code, channel, day, n, coded)
		 select a.question_id, ${c}, ${sign} * count(*), ${sign} * sum(case when ${hasActive('a.id')} then 1 else 0 end)
		 ${from} where ${where}
		 group by a.question_id, ${c}
		 ${ADD_ANSWER}`,
		`insert into ${THEME_DAY_TABLE} (theme_id, group_code, district_code, channel, day, n)
		 select x.theme_id, ${c}, ${sign} * count(*)
		 ${from} join answer_theme x on x.answer_id = a.id
		 where ${where} and x.applies = 1
		 group by x.theme_id, ${c}
		 ${ADD_THEME}`
	];
}
/** A perspective's answers (through answer_unique's perspective_id). */
const BY_PERSPECTIVE = `from answer a join perspective p on p.id = a.perspective_id join submission s on s.id = a.submission_id`;
/** A submission's answers through its perspectives (not through answer.submission_id). */
const BY_SUBMISSION = `from perspective p join answer a on a.perspective_id = p.id join submission s on s.id = a.submission_id`;

/** "coded" of one question's rows recomputed (0220's recodeQuestion). */
function recodeQuestion(q: string): string[] {
	return [
		`update ${ANSWER_DAY_TABLE} set coded = 0 where question_id = ${q}`,
		`insert into ${ANSWER_DAY_TABLE} (question_id, group_code, district_code, channel, day, n, coded)
		 select a.question_id, ${dims}, 0, count(*)
		 ${BY_PERSPECTIVE}
		 where a.question_id = ${q} and ${hasActive('a.id')}
		 group by a.question_id, ${dims}
		 ${ADD_ANSWER}`
	];
}

/** An answer_theme row (`r`) counted with `sign` (nothing if its answer or theme is gone; 0220's themeRow). */
const themeRow = (r: string, sign: number) =>
	`insert into ${THEME_DAY_TABLE} (theme_id, group_code, district_code, channel, day, n)
	 select ${r}.theme_id, ${dims}, ${sign}
	 ${BY_PERSPECTIVE} join theme t on t.id = ${r}.theme_id
	 where a.id = ${r}.answer_id and ${r}.applies = 1
	 ${ADD_THEME}`;

/** "coded" moved by an answer_theme change (0220's codedShift). */
function codedShift(answerId: string, before: string, guard = 'true'): string {
	const now = hasActive(answerId);
	return `insert into ${ANSWER_DAY_TABLE} (question_id, group_code, district_code, channel, day, n, coded)
		select a.question_id, ${dims}, 0, (case when ${now} then 1 else 0 end) - (case when ${before} then 1 else 0 end)
		${BY_PERSPECTIVE}
		where ${guard} and a.id = ${answerId} and (case when ${now} then 1 else 0 end) <> (case when ${before} then 1 else 0 end)
		${ADD_ANSWER}`;
}
const oldActive = `(old.applies = 1 and exists (select 1 from theme ot where ot.id = old.theme_id and ot.status = 'active'))`;

/** "coded" shifted for the answers outside `skip` carrying an applying coding of `theme` (0500's shiftOthers). */
function shiftOthers(theme: string, skip: string, now: string, before: string): string {
	const shift = `(case when ${now} then 1 else 0 end) - (case when ${before} then 1 else 0 end)`;
	return `insert into ${ANSWER_DAY_TABLE} (question_id, group_code, district_code, channel, day, n, coded)
		select a.question_id, ${dims}, 0, sum(${shift})
		from answer_theme x join answer a on a.id = x.answer_id
		join perspective p on p.id = a.perspective_id join submission s on s.id = a.submission_id
		where x.theme_id = ${theme} and x.applies = 1 and ${skip}
		group by a.question_id, ${dims}
		having sum(${shift}) <> 0
		${ADD_ANSWER}`;
}

/** PostgreSQL's answer_theme statement triggers (0220's themeRows / codedRows, with the day). */
function pgThemeRows(table: 'nt' | 'ot', sign: number, other?: 'nt' | 'ot'): string {
	const unchanged = other
		? ` and not exists (select 1 from ${other} y where y.answer_id = x.answer_id and y.theme_id = x.theme_id and y.applies = x.applies)`
		: '';
	return `insert into ${THEME_DAY_TABLE} (theme_id, group_code, district_code, channel, day, n)
		select x.theme_id, ${dims}, ${sign} * count(*)
		from ${table} x join theme t on t.id = x.theme_id join answer a on a.id = x.answer_id
		join perspective p on p.id = a.perspective_id join submission s on s.id = a.submission_id
		where x.applies = 1${unchanged}
		group by x.theme_id, ${dims}
		${ADD_THEME}`;
}
function pgCodedRows(hasOld: boolean, hasNew: boolean): string {
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
	return `insert into ${ANSWER_DAY_TABLE} (question_id, group_code, district_code, channel, day, n, coded)
		select a.question_id, ${dims}, 0, sum(${shift})
		from (select distinct answer_id from (${touched}) t) x join answer a on a.id = x.answer_id
		join perspective p on p.id = a.perspective_id join submission s on s.id = a.submission_id
		group by a.question_id, ${dims}
		having sum(${shift}) <> 0
		${ADD_ANSWER}`;
}

interface Trigger {
	name: string;
	table: string;
	timing: 'before' | 'after';
	op: 'insert' | 'update' | 'delete';
	/** `update of` these columns. */
	of?: string[];
	when?: string;
	only?: 'sqlite' | 'pg';
	/** PostgreSQL: a statement trigger with the transition tables its op has (`ot` / `nt`). */
	statement?: boolean;
	body: string[];
}

/** PostgreSQL: the coders' trigger bypass (lib/trigger-bypass PG_GUARD); they keep these tables' share themselves. */
const PG_BYPASS_GUARD = `current_setting('consult.bypass_derived_triggers', true) is distinct from 'on'`;

const THEME_WHEN = `(old.status = 'active') <> (new.status = 'active') or old.question_id <> new.question_id`;

const TRIGGERS: Trigger[] = [
	{
		name: 'agg_day_answer_insert',
		table: 'answer',
		timing: 'after',
		op: 'insert',
		only: 'sqlite',
		when: WRITER_GUARD,
		body: oneAnswer('new', 1, false)
	},
	{
		name: 'agg_day_answer_insert',
		table: 'answer',
		timing: 'after',
		op: 'insert',
		only: 'pg',
		statement: true,
		body: [
			`insert into ${ANSWER_DAY_TABLE} (question_id, group_code, district_code, channel, day, n, coded)
			 select a.question_id, ${dims}, count(*), sum(case when ${hasActive('a.id')} then 1 else 0 end)
			 from nt a join perspective p on p.id = a.perspective_id join submission s on s.id = a.submission_id
			 group by a.question_id, ${dims}
			 ${ADD_ANSWER}`
		]
	},
	{ name: 'agg_day_answer_delete', table: 'answer', timing: 'before', op: 'delete', body: oneAnswer('old', -1, true) },
	{
		name: 'agg_day_answer_unmove',
		table: 'answer',
		timing: 'before',
		op: 'update',
		of: ['id', 'question_id', 'perspective_id', 'submission_id'],
		body: oneAnswer('old', -1, true)
	},
	{
		name: 'agg_day_answer_move',
		table: 'answer',
		timing: 'after',
		op: 'update',
		of: ['id', 'question_id', 'perspective_id', 'submission_id'],
		body: oneAnswer('new', 1, true)
	},
	{
		name: 'agg_day_perspective_delete',
		table: 'perspective',
		timing: 'before',
		op: 'delete',
		body: manyAnswers(
			BY_PERSPECTIVE,
			'a.perspective_id = old.id',
			cell('old.group_code', 's.district_code', 's.channel', 's.created_at'),
			-1
		)
	},
	{
		name: 'agg_day_perspective_update',
		table: 'perspective',
		timing: 'after',
		op: 'update',
		of: ['group_code', 'submission_id'],
		body: [
			...manyAnswers(
				BY_PERSPECTIVE,
				'a.perspective_id = new.id',
				cell('old.group_code', 's.district_code', 's.channel', 's.created_at'),
				-1
			),
			...manyAnswers(
				BY_PERSPECTIVE,
				'a.perspective_id = new.id',
				cell('new.group_code', 's.district_code', 's.channel', 's.created_at'),
				1
			)
		]
	},
	{
		name: 'agg_day_submission_delete',
		table: 'submission',
		timing: 'before',
		op: 'delete',
		body: manyAnswers(
			BY_SUBMISSION,
			'p.submission_id = old.id and a.submission_id = old.id',
			cell('p.group_code', 'old.district_code', 'old.channel', 'old.created_at'),
			-1
		)
	},
	{
		name: 'agg_day_submission_update',
		table: 'submission',
		timing: 'after',
		op: 'update',
		of: ['district_code', 'channel', 'created_at'],
		body: [
			...manyAnswers(
				BY_SUBMISSION,
				'p.submission_id = new.id and a.submission_id = new.id',
				cell('p.group_code', 'old.district_code', 'old.channel', 'old.created_at'),
				-1
			),
			...manyAnswers(
				BY_SUBMISSION,
				'p.submission_id = new.id and a.submission_id = new.id',
				cell('p.group_code', 'new.district_code', 'new.channel', 'new.created_at'),
				1
			)
		]
	},
	{
		name: 'agg_day_answer_theme_insert',
		table: 'answer_theme',
		timing: 'after',
		op: 'insert',
		only: 'sqlite',
		body: [themeRow('new', 1), codedShift('new.answer_id', hasActive('new.answer_id', 'new.theme_id'))]
	},
	{
		name: 'agg_day_answer_theme_delete',
		table: 'answer_theme',
		timing: 'after',
		op: 'delete',
		only: 'sqlite',
		body: [themeRow('old', -1), codedShift('old.answer_id', `(${hasActive('old.answer_id')} or ${oldActive})`)]
	},
	{
		name: 'agg_day_answer_theme_update',
		table: 'answer_theme',
		timing: 'after',
		op: 'update',
		only: 'sqlite',
		of: ['applies', 'theme_id', 'answer_id'],
		body: [
			themeRow('old', -1),
			themeRow('new', 1),
			codedShift('old.answer_id', `(${hasActive('old.answer_id', 'new.theme_id')} or ${oldActive})`),
			codedShift('new.answer_id', hasActive('new.answer_id', 'new.theme_id'), 'new.answer_id <> old.answer_id')
		]
	},
	{
		name: 'agg_day_answer_theme_insert',
		table: 'answer_theme',
		timing: 'after',
		op: 'insert',
		only: 'pg',
		statement: true,
		when: PG_BYPASS_GUARD,
		body: [pgThemeRows('nt', 1), pgCodedRows(false, true)]
	},
	{
		name: 'agg_day_answer_theme_delete',
		table: 'answer_theme',
		timing: 'after',
		op: 'delete',
		only: 'pg',
		statement: true,
		when: PG_BYPASS_GUARD,
		body: [pgThemeRows('ot', -1), pgCodedRows(true, false)]
	},
	{
		name: 'agg_day_answer_theme_update',
		table: 'answer_theme',
		timing: 'after',
		op: 'update',
		only: 'pg',
		statement: true,
		when: PG_BYPASS_GUARD,
		body: [pgThemeRows('ot', -1, 'nt'), pgThemeRows('nt', 1, 'ot'), pgCodedRows(true, true)]
	},
	{
		name: 'agg_day_theme_update',
		table: 'theme',
		timing: 'after',
		op: 'update',
		of: ['status', 'question_id'],
		when: THEME_WHEN,
		body: [
			...recodeQuestion('old.question_id'),
			...recodeQuestion('new.question_id'),
			shiftOthers(
				'new.id',
				'a.question_id <> old.question_id and a.question_id <> new.question_id',
				hasActive('a.id'),
				`(${hasActive('a.id', 'new.id')} or old.status = 'active')`
			)
		]
	},
	{
		name: 'agg_day_theme_delete_others',
		table: 'theme',
		timing: 'before',
		op: 'delete',
		body: [shiftOthers('old.id', 'a.question_id <> old.question_id', hasActive('a.id', 'old.id'), hasActive('a.id'))]
	},
	{
		name: 'agg_day_theme_delete',
		table: 'theme',
		timing: 'after',
		op: 'delete',
		body: [`delete from ${THEME_DAY_TABLE} where theme_id = old.id`, ...recodeQuestion('old.question_id')]
	}
];

const onEngine = (pg: boolean) => TRIGGERS.filter((t) => !t.only || t.only === (pg ? 'pg' : 'sqlite'));

function createSql(t: Trigger, pg: boolean): string[] {
	// SQLite: a submission's answers through its perspectives only. `+a.submission_id` is a term no index may serve;
	// without it the planner (sqlite_stat1: few questions) may take a skip-scan of answer_question_submission, one
	// seek per question of the whole table (2026-12-12-0400's throughPerspective). PostgreSQL has no skip scan.
	const body = t.body
		.map((s) => `${s};`)
		.join('\n')
		.replace(/\band a\.submission_id = ((?:old|new)\.id)\b/g, (m, x: string) => (pg ? m : `and +a.submission_id = ${x}`));
	const of = t.of && !(pg && t.statement) ? ` of ${t.of.join(', ')}` : '';
	if (!pg) return [`create trigger ${t.name} ${t.timing} ${t.op}${of} on ${t.table}${t.when ? ` when ${t.when}` : ''} begin ${body} end`];
	const each = t.statement
		? `referencing ${t.op !== 'insert' ? 'old table as ot' : ''} ${t.op !== 'delete' ? 'new table as nt' : ''} for each statement`
		: 'for each row';
	const ret = t.timing === 'before' ? (t.op === 'delete' ? 'old' : 'new') : 'null';
	return [
		`create function ${t.name}() returns trigger language plpgsql as $$ begin ${body} return ${ret}; end $$`,
		`create trigger ${t.name} ${t.timing} ${t.op}${of} on ${t.table} ${each}${t.when ? ` when (${t.when})` : ''} execute function ${t.name}()`
	];
}

/** Both tables recomputed from the base tables (the first fill here; the rebuild's PostgreSQL statements). */
export const REBUILD_DAY: string[] = [
	`delete from ${ANSWER_DAY_TABLE}`,
	`delete from ${THEME_DAY_TABLE}`,
	`insert into ${ANSWER_DAY_TABLE} (question_id, group_code, district_code, channel, day, n, coded)
	 select a.question_id, ${dims}, count(*), sum(case when ${hasActive('a.id')} then 1 else 0 end)
	 ${BY_PERSPECTIVE}
	 group by a.question_id, ${dims}`,
	`insert into ${THEME_DAY_TABLE} (theme_id, group_code, district_code, channel, day, n)
	 select x.theme_id, ${dims}, count(*)
	 from answer_theme x join answer a on a.id = x.answer_id
	 join perspective p on p.id = a.perspective_id join submission s on s.id = a.submission_id
	 where x.applies = 1
	 group by x.theme_id, ${dims}`
];

export async function up(db: Kysely<any>): Promise<void> {
	const pg = db.getExecutor().adapter instanceof PostgresAdapter;
	for (const [table, first] of [
		[ANSWER_DAY_TABLE, 'question_id'],
		[THEME_DAY_TABLE, 'theme_id']
	] as const) {
		let t = db.schema
			.createTable(table)
			.addColumn(first, 'integer', (c) => c.notNull())
			.addColumn('group_code', 'text', (c) => c.notNull())
			.addColumn('district_code', 'text', (c) => c.notNull())
			.addColumn('channel', 'text', (c) => c.notNull())
			.addColumn('day', 'text', (c) => c.notNull())
			.addColumn('n', 'integer', (c) => c.notNull());
		if (table === ANSWER_DAY_TABLE) t = t.addColumn('coded', 'integer', (c) => c.notNull());
		await t.addPrimaryKeyConstraint(`${table}_pk`, [first, 'group_code', 'district_code', 'channel', 'day']).execute();
	}
	for (const t of onEngine(pg)) for (const s of createSql(t, pg)) await sql.raw(s).execute(db);
	for (const s of REBUILD_DAY) await sql.raw(s).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	const pg = db.getExecutor().adapter instanceof PostgresAdapter;
	for (const t of onEngine(pg)) {
		await sql.raw(`drop trigger if exists ${t.name}${pg ? ` on ${t.table}` : ''}`).execute(db);
		if (pg) await sql.raw(`drop function if exists ${t.name}()`).execute(db);
	}
	await db.schema.dropTable(ANSWER_DAY_TABLE).ifExists().execute();
	await db.schema.dropTable(THEME_DAY_TABLE).ifExists().execute();
}
