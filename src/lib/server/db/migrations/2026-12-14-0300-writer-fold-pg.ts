import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen: never import application code here; a later change gets a new migration.

/**
 * PostgreSQL: the survey writer's grouped commit adds its aggregates once, at its COMMIT, in a fixed key order
 * (issue #18, helper pg49). The insert triggers of `submission`, `perspective` and `answer` kept the analysis
 * aggregates row by row (an upsert per inserted row per table, into rows keyed by consultation × district × channel
 * × day …, the same few rows for every submission), from the grouped commit's FIRST insert statement; those rows
 * then stayed locked until its COMMIT, across every later round trip to the app, so a second instance's grouped
 * commit (and the coder's chunk) queued behind the whole transaction, and two instances stored 12 submissions a
 * second together against 109 for one.
 *
 * This migration:
 * - gives each of those insert triggers (WRITER_FOLD_TRIGGERS; data-version triggers excepted: they are deferred and
 *   bump once per transaction at its commit already) the guard WRITER_FOLD_GUARD, so they do nothing in a
 *   transaction that set `consult.writer_aggregates` to 'on' (set_config(…, true): that transaction only). Every
 *   other writer (entry, import, edit, delete, recoding, retention, demo data, the writer's retry of a failed
 *   batch) never sets it and fires them as before;
 * - collects the ids of the submissions such a transaction inserts (statement trigger `writer_fold_collect`, into
 *   the transaction-local setting `consult.writer_ids`);
 * - adds them up at COMMIT (deferred constraint trigger `writer_fold_at_commit`, the first firing of the
 *   transaction does it all): `writer_fold(ids)` reads the batch's stored rows back and adds their share to each
 *   table with one grouped upsert per table, tables in name order and rows in key order (so two folds never
 *   deadlock each other), with the triggers' own expressions; then settles the claimed sets (submission.group_set,
 *   question_set, perspective.question_set) where the rows say otherwise, as the skipped insert triggers would
 *   have: the update triggers then move the counts just added, exactly as on the trigger path.
 *
 * So the shared aggregate rows are locked only from the start of the COMMIT to its end (its log flush), never while
 * the transaction waits on the app. The writer (src/lib/server/submissions/writer-aggregates-pg.ts) sets the mode
 * only if every guarded trigger still carries the guard and its function is the one recorded here
 * (`writer_fold_guarded`: md5 of the function's source): a later migration that changes one of them turns the path
 * off until this fold is brought up to date. A trigger added later without the guard simply keeps firing (nothing
 * is counted twice). SQLite: nothing (its writer keeps the aggregates itself, migration 2026-12-11-0200).
 */
export const WRITER_FOLD_SETTING = 'consult.writer_aggregates';
export const WRITER_FOLD_GUARD = `current_setting('${WRITER_FOLD_SETTING}', true) is distinct from 'on'`;
export const WRITER_FOLD_TABLE = 'writer_fold_guarded';

export const WRITER_FOLD_TRIGGERS: Record<string, string[]> = {
	submission: [
		'agg_gs_submission_insert',
		'agg_gsce_submission_insert',
		'agg_gsem_submission_insert',
		'agg_qs_submission_insert',
		'agg_qse_submission_insert',
		'agg_qst_submission_insert',
		'agg_sub_submission_insert'
	],
	perspective: ['agg_gs_perspective_insert', 'agg_qs_perspective_insert', 'agg_sub_perspective_insert'],
	answer: [
		'agg_answer_insert',
		'agg_coding_answer_insert',
		'agg_day_answer_insert',
		'agg_language_answer_insert',
		'agg_qs_answer_insert',
		'agg_reading_answer_insert',
		'agg_review_answer_insert'
	]
};

const EQ = 'eq_age_band, eq_gender, eq_disability, eq_ethnicity, eq_sexual_orientation';
const S_EQ = 's.eq_age_band, s.eq_gender, s.eq_disability, s.eq_ethnicity, s.eq_sexual_orientation';
const blank = (c: string) => `coalesce(s.${c}, 'left_blank') in ('not_asked', 'left_blank')`;
const COMPLETED = `case when ${['eq_age_band', 'eq_gender', 'eq_disability', 'eq_ethnicity', 'eq_sexual_orientation'].map(blank).join(' and ')} then '0' else '1' end`;

/** One grouped upsert: `cols` the key then the counts; the select lists them in that order, grouped by the key. */
function upsert(table: string, key: string[], counts: string[], select: string, from: string): string {
	const cols = [...key, ...counts];
	const positions = key.map((_, i) => i + 1).join(', ');
	return `insert into ${table} (${cols.join(', ')})
	 select ${select} ${from}
	 group by ${positions} order by ${positions}
	 on conflict (${key.join(', ')}) do update set ${counts.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(', ')};`;
}

// Every statement starts from the batch's ids (unnest) and reaches each table by its index: the function runs with
// sequential scans, hash and merge joins off and its joins in the order written (its SET clause), so its plans stay
// look-ups by the batch's rows whatever the tables' sizes and statistics (with `… where x = any(ids)` and the
// defaults, the cached generic plans scanned answer, perspective and submission whole). Its plans are the generic
// ones from the first call on (plan_cache_mode): a custom plan per call planned 21 statements at every fold. About
// 1.2–1.8 ms a fold of 8 submissions (3 answers each) at load 10 (auto_explain: 0.02–0.14 ms a statement).
const BATCH = `from unnest(ids) b(id)`;
const SUBS = `${BATCH} join submission s on s.id = b.id`;
const PERSPECTIVES = `${BATCH} join perspective p on p.submission_id = b.id join submission s on s.id = p.submission_id`;
const ANSWERS = `${BATCH} join answer a on a.submission_id = b.id join perspective p on p.id = a.perspective_id
	 join submission s on s.id = a.submission_id where true`;
// The triggers' `exists (…)` tests as correlated scalar subqueries (`(select 1 … limit 1) is not null`, the same
// truth): the planner may turn an `exists` into a hashed subplan over every applied coding, human coding or reading
// of the database, once per fold; a scalar subquery stays a look-up by the batch's answer ids.
const CODED = `sum(case when (select 1 from answer_theme hx join theme ht on ht.id = hx.theme_id
	 where hx.answer_id = a.id and hx.applies = 1 and ht.status = 'active' limit 1) is not null then 1 else 0 end)`;
const D = `coalesce(s.district_code, '')`;
const DAY = `substr(s.created_at, 1, 10)`;

const GROUP_SET = (id: string) => `coalesce((select '|' || string_agg(gs.g, '|' order by gs.g) || '|'
	 from (select distinct coalesce(gp.group_code, '') as g from perspective gp where gp.submission_id = ${id}) gs), '')`;
const PERSPECTIVE_QS = (id: string) => `coalesce((select '|' || string_agg(qs.q::text, '|' order by qs.q) || '|'
	 from (select distinct qa.question_id as q from answer qa where qa.perspective_id = ${id}) qs), '')`;
const SUBMISSION_QS = (id: string) => `coalesce((select '|' || string_agg(qs.q::text, '|' order by qs.q) || '|'
	 from (select distinct qa.question_id as q from answer qa where (qa.perspective_id in (select ans_p.id from perspective ans_p
	 where ans_p.submission_id = ${id} union all select ans_l.perspective_id from perspective_leaving ans_l
	 where ans_l.submission_id = ${id}) and qa.submission_id = ${id})) qs), '')`;

/** The batch's share of every table the guarded triggers keep, tables in name order, then the claimed sets settled. */
const FOLD = [
	upsert(
		'analysis_agg_answer',
		['question_id', 'group_code', 'district_code', 'channel'],
		['n', 'coded'],
		`a.question_id, coalesce(p.group_code, ''), ${D}, s.channel, count(*), ${CODED}`,
		`${ANSWERS} and s.id = p.submission_id`
	),
	upsert(
		'analysis_agg_answer_day',
		['question_id', 'group_code', 'district_code', 'channel', 'day'],
		['n', 'coded'],
		`a.question_id, coalesce(p.group_code, ''), ${D}, s.channel, ${DAY}, count(*), ${CODED}`,
		ANSWERS
	),
	upsert(
		'analysis_agg_coding',
		['question_id', 'wording_version', 'is_reviewed', 'is_coded', 'has_human'],
		['n'],
		`a.question_id, coalesce(a.wording_version, 1), case when a.reviewed_at is not null then 1 else 0 end,
		 case when a.coded_at is not null then 1 else 0 end,
		 case when (select 1 from answer_theme hh where hh.answer_id = a.id and hh.source = 'human' limit 1) is not null
		 then 1 else 0 end,
		 count(*)`,
		`${BATCH} join answer a on a.submission_id = b.id`
	),
	upsert(
		'analysis_agg_equality',
		['consultation_id', 'eq_age_band', 'eq_gender', 'eq_disability', 'eq_ethnicity', 'eq_sexual_orientation'],
		['n'],
		`s.consultation_id, ${S_EQ}, count(*)`,
		SUBS
	),
	upsert(
		'analysis_agg_group_set',
		['consultation_id', 'group_set', 'district_code', 'channel', 'location_id', 'day'],
		['n'],
		`s.consultation_id, s.group_set, ${D}, s.channel, coalesce(s.location_id, 0), ${DAY}, count(*)`,
		SUBS
	),
	upsert(
		'analysis_agg_group_set_channel_equality',
		['consultation_id', 'group_set', 'district_code', 'channel', ...EQ.split(', ')],
		['n'],
		`s.consultation_id, s.group_set, ${D}, s.channel, ${S_EQ}, count(*)`,
		SUBS
	),
	upsert(
		'analysis_agg_group_set_equality',
		['consultation_id', 'group_set', 'district_code', ...EQ.split(', ')],
		['n'],
		`s.consultation_id, s.group_set, ${D}, ${S_EQ}, count(*)`,
		SUBS
	),
	upsert(
		'analysis_agg_group_set_equality_margin',
		['consultation_id', 'group_set', 'district_code', 'channel', 'field', 'value'],
		['n'],
		`s.consultation_id, s.group_set, ${D}, s.channel, f.field,
		 case f.field when 'eq_age_band' then s.eq_age_band when 'eq_gender' then s.eq_gender
		 when 'eq_disability' then s.eq_disability when 'eq_ethnicity' then s.eq_ethnicity
		 when 'eq_sexual_orientation' then s.eq_sexual_orientation else ${COMPLETED} end, count(*)`,
		`${SUBS} cross join (select 'eq_age_band' as field union all select 'eq_gender' union all
		 select 'eq_disability' union all select 'eq_ethnicity' union all select 'eq_sexual_orientation'
		 union all select 'completed') f`
	),
	upsert(
		'analysis_agg_language',
		['question_id', 'language', 'is_reviewed'],
		['n'],
		`a.question_id, coalesce(a.language, 'en'), case when a.reviewed_at is not null then 1 else 0 end, count(*)`,
		`${BATCH} join answer a on a.submission_id = b.id where a.text is not null`
	),
	upsert(
		'analysis_agg_perspective',
		['consultation_id', 'group_code', 'district_code', 'channel'],
		['n'],
		`s.consultation_id, coalesce(p.group_code, ''), ${D}, s.channel, count(*)`,
		PERSPECTIVES
	),
	upsert(
		'analysis_agg_question_set',
		['consultation_id', 'question_set', 'group_set', 'district_code', 'channel', 'location_id', 'day'],
		['n'],
		`s.consultation_id, s.question_set, s.group_set, ${D}, s.channel, coalesce(s.location_id, 0), ${DAY}, count(*)`,
		SUBS
	),
	upsert(
		'analysis_agg_question_set_equality',
		['consultation_id', 'question_set', 'group_set', 'district_code', ...EQ.split(', ')],
		['n'],
		`s.consultation_id, s.question_set, s.group_set, ${D}, ${S_EQ}, count(*)`,
		SUBS
	),
	upsert(
		'analysis_agg_question_set_equality_total',
		['consultation_id', 'question_set', ...EQ.split(', ')],
		['n'],
		`s.consultation_id, s.question_set, ${S_EQ}, count(*)`,
		SUBS
	),
	upsert(
		'analysis_agg_question_set_perspective',
		['consultation_id', 'question_set', 'group_code', 'district_code', 'channel'],
		['n'],
		`s.consultation_id, p.question_set, coalesce(p.group_code, ''), ${D}, s.channel, count(*)`,
		PERSPECTIVES
	),
	upsert(
		'analysis_agg_question_set_total',
		['consultation_id', 'question_set', 'district_code', 'channel', 'location_id', 'day'],
		['n'],
		`s.consultation_id, s.question_set, ${D}, s.channel, coalesce(s.location_id, 0), ${DAY}, count(*)`,
		SUBS
	),
	upsert(
		'analysis_agg_reading',
		['question_id', 'day'],
		['n', 'n_read'],
		`a.question_id, substr(a.created_at, 1, 10), count(*),
		 sum(case when (select 1 from answer_read rr where rr.answer_id = a.id limit 1) is not null then 1 else 0 end)`,
		`${BATCH} join answer a on a.submission_id = b.id join perspective p on p.id = a.perspective_id
		 where a.text is not null and p.group_code is not null and p.group_code in ('child', 'young_person')`
	),
	upsert(
		'analysis_agg_review',
		['question_id', 'group_code', 'district_code', 'channel'],
		['n'],
		`a.question_id, coalesce(p.group_code, ''), ${D}, s.channel, count(*)`,
		`${ANSWERS} and s.id = p.submission_id and a.reviewed_at is not null`
	),
	upsert(
		'analysis_agg_submission',
		['consultation_id', 'district_code', 'channel', 'location_id', 'day'],
		['n', 'demo'],
		`s.consultation_id, ${D}, s.channel, coalesce(s.location_id, 0), ${DAY}, count(*),
		 sum(case when s.is_demo = 1 then 1 else 0 end)`,
		SUBS
	),
	// The claimed sets, as the skipped insert triggers settle them (the update triggers move the counts above).
	`update submission s set group_set = ${GROUP_SET('s.id')} from unnest(ids) b(id)
	 where s.id = b.id and s.group_set <> ${GROUP_SET('s.id')};`,
	`update perspective p set question_set = ${PERSPECTIVE_QS('p.id')} from unnest(ids) b(id)
	 where p.submission_id = b.id and p.question_set <> ${PERSPECTIVE_QS('p.id')};`,
	`update submission s set question_set = ${SUBMISSION_QS('s.id')} from unnest(ids) b(id)
	 where s.id = b.id and s.question_set <> ${SUBMISSION_QS('s.id')};`
].join('\n');

function guarded(def: string): string {
	const at = def.search(/\bEXECUTE (FUNCTION|PROCEDURE)\b/);
	if (at < 0) throw new Error(`not a trigger definition: ${def}`);
	const head = def.slice(0, at);
	const when = head.search(/\bWHEN \(/);
	if (when < 0) return `${head}WHEN (${WRITER_FOLD_GUARD}) ${def.slice(at)}`;
	return `${head.slice(0, when)}WHEN ((${WRITER_FOLD_GUARD}) AND ${head.slice(when + 5).trim()}) ${def.slice(at)}`;
}

export async function up(db: Kysely<any>): Promise<void> {
	if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
	const names = Object.values(WRITER_FOLD_TRIGGERS).flat();
	// Not guarded: migration 2026-12-14-0210's statement trigger, which fires only in an import chunk's transaction
	// (its own setting on) and hands that chunk's counts to the COMMIT-time flush; a grouped commit never sets it.
	// Its three row triggers beside it (coding, language, reading) keep their WHEN and get this guard too.
	const found = (
		await sql<{ relation: string; name: string; def: string }>`
			select t.tgrelid::regclass::text as relation, t.tgname as name, pg_get_triggerdef(t.oid) as def
			from pg_trigger t
			where not t.tgisinternal and t.tgconstraint = 0 and (t.tgtype & 4) <> 0
			and t.tgname <> 'agg_flush_answer_insert'
			and t.tgrelid in ('submission'::regclass, 'perspective'::regclass, 'answer'::regclass)`.execute(db)
	).rows;
	const have = found.map((t) => t.name).sort();
	if (JSON.stringify(have) !== JSON.stringify([...names].sort()))
		throw new Error(`writer fold: expected the insert triggers ${names.join(', ')}; found ${have.join(', ')}`);
	await sql
		.raw(
			`create table ${WRITER_FOLD_TABLE} (name text primary key, relation text not null, definition text not null,
			 source_md5 text not null)`
		)
		.execute(db);
	for (const t of found) {
		await sql.raw(`drop trigger ${t.name} on ${t.relation}`).execute(db);
		await sql.raw(guarded(t.def)).execute(db);
		await sql`insert into ${sql.table(WRITER_FOLD_TABLE)} (name, relation, definition, source_md5)
			select ${t.name}, ${t.relation}, ${t.def}, md5(p.prosrc) from pg_trigger g join pg_proc p on p.oid = g.tgfoid
			where g.tgname = ${t.name} and g.tgrelid = ${t.relation}::regclass`.execute(db);
	}
	await sql
		.raw(
			`create function writer_fold(ids text[]) returns void language plpgsql
			 set enable_seqscan = off set enable_hashjoin = off set enable_mergejoin = off
			 set plan_cache_mode = force_generic_plan set join_collapse_limit = 1 as $fold$
			 begin
			 ${FOLD}
			 end $fold$`
		)
		.execute(db);
	await sql
		.raw(
			`create function writer_fold_collect() returns trigger language plpgsql as $c$
			 begin
			 perform set_config('consult.writer_ids',
			   (coalesce(nullif(current_setting('consult.writer_ids', true), ''), '{}')::text[]
			    || array(select nt.id from nt))::text, true);
			 return null;
			 end $c$`
		)
		.execute(db);
	await sql
		.raw(
			`create function writer_fold_at_commit() returns trigger language plpgsql as $c$
			 declare ids text := current_setting('consult.writer_ids', true);
			 begin
			 if ids is null or ids = '' or ids = '{}' then return null; end if;
			 perform set_config('consult.writer_ids', '', true);
			 perform writer_fold(ids::text[]);
			 return null;
			 end $c$`
		)
		.execute(db);
	const on = `current_setting('${WRITER_FOLD_SETTING}', true) = 'on'`;
	await sql
		.raw(
			`create trigger writer_fold_collect after insert on submission referencing new table as nt
			 for each statement when (${on}) execute function writer_fold_collect()`
		)
		.execute(db);
	await sql
		.raw(
			`create constraint trigger writer_fold_at_commit after insert on submission
			 deferrable initially deferred for each row when (${on}) execute function writer_fold_at_commit()`
		)
		.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
	await sql.raw(`drop trigger if exists writer_fold_at_commit on submission`).execute(db);
	await sql.raw(`drop trigger if exists writer_fold_collect on submission`).execute(db);
	await sql.raw(`drop function if exists writer_fold_at_commit()`).execute(db);
	await sql.raw(`drop function if exists writer_fold_collect()`).execute(db);
	await sql.raw(`drop function if exists writer_fold(text[])`).execute(db);
	const rows = (
		await sql<{
			name: string;
			relation: string;
			definition: string;
		}>`select name, relation, definition from ${sql.table(WRITER_FOLD_TABLE)}`.execute(db)
	).rows;
	for (const t of rows) {
		await sql.raw(`drop trigger if exists ${t.name} on ${t.relation}`).execute(db);
		await sql.raw(t.definition).execute(db);
	}
	await sql.raw(`drop table ${WRITER_FOLD_TABLE}`).execute(db);
}
