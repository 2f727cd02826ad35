import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen: never import application code here; a later change gets a new migration.

/**
 * PostgreSQL: an import chunk's counts in the per-question aggregate rows every submission of that question shares,
 * whatever its channel, group or district (analysis_agg_coding, analysis_agg_language, analysis_agg_reading), added
 * in its COMMIT by the flush of migration 2026-12-14-0200 (issue #18: a survey submission's p99 while another
 * instance commits an import; the submission's answer insert waited on the import chunk's transaction for these
 * rows, which the chunk's answer insert had locked, until it committed).
 *
 * The three answer insert row triggers get `WHEN (current_setting(ANSWER_FLUSH_SETTING, true) is distinct from
 * 'on')`; a statement trigger on the same insert, only with the setting on (its WHEN: no call otherwise), appends the statement's counts (the row
 * triggers' own expressions, grouped, over its new rows) to the transaction's flush (FLUSH_SETTING) instead. A writer
 * that turns the setting on (transaction-local) must have registered its transaction's flush row first
 * (`aggregate_flush`, before its first write, so the flush is applied ahead of the data-version bumps at COMMIT).
 * Every other transaction fires the row triggers as before. SQLite: nothing.
 */
export const ANSWER_FLUSH_SETTING = 'consult.flush_answer_inserts';
const FLUSH_SETTING = 'consult.aggregate_flush';
const ROW_TRIGGERS = ['agg_coding_answer_insert', 'agg_language_answer_insert', 'agg_reading_answer_insert'];

export async function up(db: Kysely<any>): Promise<void> {
	if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
	for (const t of ROW_TRIGGERS) {
		await sql.raw(`drop trigger ${t} on answer`).execute(db);
		await sql
			.raw(
				`create trigger ${t} after insert on answer for each row
				 when (current_setting('${ANSWER_FLUSH_SETTING}', true) is distinct from 'on') execute function ${t}()`
			)
			.execute(db);
	}
	await sql
		.raw(
			`create function agg_flush_answer_insert() returns trigger language plpgsql as $$
			begin
				perform set_config('${FLUSH_SETTING}', (coalesce(nullif(current_setting('${FLUSH_SETTING}', true), ''), '[]')::jsonb
					|| jsonb_build_array(jsonb_build_object(
					'coding', (select coalesce(jsonb_agg(jsonb_build_array(q, v, r, c, h, n)), '[]'::jsonb) from (
						select a.question_id as q, coalesce(a.wording_version, 1) as v,
							case when a.reviewed_at is not null then 1 else 0 end as r,
							case when a.coded_at is not null then 1 else 0 end as c,
							case when exists (select 1 from answer_theme hh where hh.answer_id = a.id and hh.source = 'human') then 1 else 0 end as h,
							count(*) as n
						from nt a group by 1, 2, 3, 4, 5) x),
					'language', (select coalesce(jsonb_agg(jsonb_build_array(q, l, r, n)), '[]'::jsonb) from (
						select a.question_id as q, coalesce(a.language, 'en') as l,
							case when a.reviewed_at is not null then 1 else 0 end as r, count(*) as n
						from nt a where a.text is not null group by 1, 2, 3) x),
					'reading', (select coalesce(jsonb_agg(jsonb_build_array(q, d, n, k)), '[]'::jsonb) from (
						select a.question_id as q, substr(a.created_at, 1, 10) as d, count(*) as n,
							sum(case when exists (select 1 from answer_read rr where rr.answer_id = a.id) then 1 else 0 end) as k
						from nt a
						where a.text is not null and exists (select 1 from perspective cp where cp.id = a.perspective_id
							and (cp.group_code is not null and cp.group_code in ('child', 'young_person')))
						group by 1, 2) x)
				)))::text, true);
				return null;
			end
			$$`
		)
		.execute(db);
	await sql
		.raw(
			`create trigger agg_flush_answer_insert after insert on answer referencing new table as nt
			 for each statement when (current_setting('${ANSWER_FLUSH_SETTING}', true) = 'on')
			 execute function agg_flush_answer_insert()`
		)
		.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
	await sql.raw(`drop trigger if exists agg_flush_answer_insert on answer`).execute(db);
	await sql.raw(`drop function if exists agg_flush_answer_insert()`).execute(db);
	for (const t of ROW_TRIGGERS) {
		await sql.raw(`drop trigger ${t} on answer`).execute(db);
		await sql.raw(`create trigger ${t} after insert on answer for each row execute function ${t}()`).execute(db);
	}
}
