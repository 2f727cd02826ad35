/**
 * The survey's grouped commit on SQLite keeps the analysis aggregates itself, set-based, instead of through
 * the row triggers (issue 18: SQLite's own work was most of a submission's CPU, and most of that was the
 * aggregate triggers each submission, perspective and answer fired, and the question-set cascade of every
 * answer). Inside the batch's transaction the insert triggers of migration 2026-12-06-0500 are switched off
 * (lib/trigger-bypass: the bypass row), the rows are written with their group and question sets already as
 * the triggers would have left them (`byteOrder`, `questionSetKey`), and then each aggregate table gets the
 * batch's new rows' share with one grouped statement, computed exactly as a rebuild counts the whole table,
 * and the data version moves once. The rows are new (inserted in this transaction), so adding their share
 * gives what the triggers gave: tests/analysis-aggregates.test.ts checks incremental = rebuilt through this path.
 *
 * `SUBMIT_AGGREGATE_DELTA=off` keeps the triggers (the A/B switch, and a way back). PostgreSQL keeps them too.
 */
import { CompiledQuery, SqliteAdapter, sql, type Transaction } from 'kysely';
import type { Db } from '../db/connect';
import type { Database } from '../db/schema';
import { BYPASS_TABLE, SQLITE_GUARD } from '../db/migrations/lib/trigger-bypass';
import { SUBMISSION_INSERT_TRIGGERS } from '../db/migrations/2026-12-06-0500-submission-trigger-bypass';

/** The ids of the rows a batch inserted (only new rows: replays insert nothing). */
export interface InsertedRows {
	submissions: string[];
	perspectives: number[];
	answers: number[];
}

/** Strings in SQLite's BINARY order (memcmp of their UTF-8), as `order by` sorts a set's members. */
export function byteOrder(values: Iterable<string>): string[] {
	return [...values]
		.map((v) => ({ v, b: Buffer.from(v, 'utf8') }))
		.sort((x, y) => Buffer.compare(x.b, y.b))
		.map((x) => x.v);
}

/** A set key as the triggers write it: '|a|b|' of the distinct members in order, '' for none. */
export function setKey(sorted: (string | number)[]): string {
	return sorted.length === 0 ? '' : `|${sorted.join('|')}|`;
}

/** The question set of some answers' question ids: distinct, sorted as numbers (lib/aggregate-sql questionSetOf). */
export function questionSetKey(questionIds: Iterable<number>): string {
	return setKey([...new Set(questionIds)].sort((a, b) => a - b));
}

/** The group set of some perspectives' groups ('' for none given), in SQLite's order (migration 0500's groupSetOf). */
export function groupSetKeySqlite(groups: Iterable<string | null | undefined>): string {
	return setKey(byteOrder(new Set([...groups].map((g) => g ?? ''))));
}

const ready = new WeakMap<Db, boolean>();

/**
 * Whether the grouped commit on `db` keeps the aggregates itself: SQLite, not switched off, and every trigger
 * of the list carries the bypass guard (read once per database; if a later migration re-created one without
 * it, the triggers keep the counts and nothing is counted twice).
 */
export async function insertDeltaReady(db: Db): Promise<boolean> {
	if (process.env.SUBMIT_AGGREGATE_DELTA === 'off') return false;
	if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return false;
	let ok = ready.get(db);
	if (ok === undefined) {
		try {
			const rows = (
				await sql<{ name: string; sql: string }>`select name, sql from sqlite_master where type = 'trigger'
					and name in (${sql.join(SUBMISSION_INSERT_TRIGGERS)})`.execute(db)
			).rows;
			ok = rows.length === SUBMISSION_INSERT_TRIGGERS.length && rows.every((r) => r.sql.includes(SQLITE_GUARD));
		} catch {
			return false; // (asked again next time)
		}
		ready.set(db, ok);
	}
	return ok;
}

const S = `(select value from json_each(?))`;
const dims = `coalesce(s.district_code, ''), s.channel`;
const eq = `s.eq_age_band, s.eq_gender, s.eq_disability, s.eq_ethnicity, s.eq_sexual_orientation`;
const EQ = `eq_age_band, eq_gender, eq_disability, eq_ethnicity, eq_sexual_orientation`;
const where = `coalesce(s.location_id, 0), substr(s.created_at, 1, 10)`;
const add = (table: string, key: string, cols = ['n']) =>
	`on conflict (${key}) do update set ${cols.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(', ')}`;

/** The grouped statements, by which ids they take (each binds one JSON array). */
const BY_SUBMISSION = [
	// agg_sub_submission_insert (migration 0300)
	`insert into analysis_agg_submission (consultation_id, district_code, channel, location_id, day, n, demo)
	 select s.consultation_id, ${dims}, ${where}, count(*), sum(case when s.is_demo = 1 then 1 else 0 end)
	 from submission s where s.id in ${S}
	 group by s.consultation_id, ${dims}, ${where}
	 ${add('analysis_agg_submission', 'consultation_id, district_code, channel, location_id, day', ['n', 'demo'])}`,
	`insert into analysis_agg_equality (consultation_id, ${EQ}, n)
	 select s.consultation_id, ${eq}, count(*)
	 from submission s where s.id in ${S}
	 group by s.consultation_id, ${eq}
	 ${add('analysis_agg_equality', `consultation_id, ${EQ}`)}`,
	// agg_gs_submission_insert (migration 0500)
	`insert into analysis_agg_group_set (consultation_id, group_set, district_code, channel, location_id, day, n)
	 select s.consultation_id, s.group_set, ${dims}, ${where}, count(*)
	 from submission s where s.id in ${S}
	 group by s.consultation_id, s.group_set, ${dims}, ${where}
	 ${add('analysis_agg_group_set', 'consultation_id, group_set, district_code, channel, location_id, day')}`,
	`insert into analysis_agg_group_set_equality (consultation_id, group_set, district_code, ${EQ}, n)
	 select s.consultation_id, s.group_set, coalesce(s.district_code, ''), ${eq}, count(*)
	 from submission s where s.id in ${S}
	 group by s.consultation_id, s.group_set, coalesce(s.district_code, ''), ${eq}
	 ${add('analysis_agg_group_set_equality', `consultation_id, group_set, district_code, ${EQ}`)}`,
	// agg_qs_submission_insert, agg_qse_submission_insert (migrations 2026-12-05-0100, 0110)
	`insert into analysis_agg_question_set (consultation_id, question_set, group_set, district_code, channel, location_id, day, n)
	 select s.consultation_id, s.question_set, s.group_set, ${dims}, ${where}, count(*)
	 from submission s where s.id in ${S}
	 group by s.consultation_id, s.question_set, s.group_set, ${dims}, ${where}
	 ${add('analysis_agg_question_set', 'consultation_id, question_set, group_set, district_code, channel, location_id, day')}`,
	`insert into analysis_agg_question_set_equality (consultation_id, question_set, group_set, district_code, ${EQ}, n)
	 select s.consultation_id, s.question_set, s.group_set, coalesce(s.district_code, ''), ${eq}, count(*)
	 from submission s where s.id in ${S}
	 group by s.consultation_id, s.question_set, s.group_set, coalesce(s.district_code, ''), ${eq}
	 ${add('analysis_agg_question_set_equality', `consultation_id, question_set, group_set, district_code, ${EQ}`)}`
];

const BY_PERSPECTIVE = [
	// agg_sub_perspective_insert (migration 0300)
	`insert into analysis_agg_perspective (consultation_id, group_code, district_code, channel, n)
	 select s.consultation_id, coalesce(p.group_code, ''), ${dims}, count(*)
	 from perspective p join submission s on s.id = p.submission_id where p.id in ${S}
	 group by s.consultation_id, coalesce(p.group_code, ''), ${dims}
	 ${add('analysis_agg_perspective', 'consultation_id, group_code, district_code, channel')}`,
	// agg_qs_perspective_insert (migration 2026-12-05-0100)
	`insert into analysis_agg_question_set_perspective (consultation_id, question_set, group_code, district_code, channel, n)
	 select s.consultation_id, p.question_set, coalesce(p.group_code, ''), ${dims}, count(*)
	 from perspective p join submission s on s.id = p.submission_id where p.id in ${S}
	 group by s.consultation_id, p.question_set, coalesce(p.group_code, ''), ${dims}
	 ${add('analysis_agg_question_set_perspective', 'consultation_id, question_set, group_code, district_code, channel')}`
];

const BY_ANSWER = [
	// agg_answer_insert (migration 0220)
	`insert into analysis_agg_answer (question_id, group_code, district_code, channel, n, coded)
	 select a.question_id, coalesce(p.group_code, ''), ${dims}, count(*),
	        sum(case when exists (select 1 from answer_theme hx join theme ht on ht.id = hx.theme_id
	            where hx.answer_id = a.id and hx.applies = 1 and ht.status = 'active') then 1 else 0 end)
	 from answer a join perspective p on p.id = a.perspective_id join submission s on s.id = a.submission_id
	 where a.id in ${S}
	 group by a.question_id, coalesce(p.group_code, ''), ${dims}
	 ${add('analysis_agg_answer', 'question_id, group_code, district_code, channel', ['n', 'coded'])}`,
	// agg_coding_answer_insert (migration 0400)
	`insert into analysis_agg_coding (question_id, wording_version, is_reviewed, is_coded, has_human, n)
	 select question_id, v, r, c, h, count(*) from (
	   select a.question_id, coalesce(a.wording_version, 1) as v,
	          case when a.reviewed_at is not null then 1 else 0 end as r,
	          case when a.coded_at is not null then 1 else 0 end as c,
	          case when exists (select 1 from answer_theme hh where hh.answer_id = a.id and hh.source = 'human') then 1 else 0 end as h
	   from answer a where a.id in ${S}) t
	 group by question_id, v, r, c, h
	 ${add('analysis_agg_coding', 'question_id, wording_version, is_reviewed, is_coded, has_human')}`,
	// agg_language_answer_insert (migration 2026-12-04-0200)
	`insert into analysis_agg_language (question_id, language, is_reviewed, n)
	 select a.question_id, coalesce(a.language, 'en'), case when a.reviewed_at is not null then 1 else 0 end, count(*)
	 from answer a where a.id in ${S} and a.text is not null
	 group by a.question_id, coalesce(a.language, 'en'), case when a.reviewed_at is not null then 1 else 0 end
	 ${add('analysis_agg_language', 'question_id, language, is_reviewed')}`,
	// agg_reading_answer_insert (migration 2026-12-02-0200): answers with words from the groups read in full
	`insert into analysis_agg_reading (question_id, day, n, n_read)
	 select a.question_id, substr(a.created_at, 1, 10), count(*),
	        sum(case when exists (select 1 from answer_read rr where rr.answer_id = a.id) then 1 else 0 end)
	 from answer a join perspective p on p.id = a.perspective_id
	 where a.id in ${S} and a.text is not null and p.group_code is not null and p.group_code in ('child', 'young_person')
	 group by a.question_id, substr(a.created_at, 1, 10)
	 ${add('analysis_agg_reading', 'question_id, day', ['n', 'n_read'])}`
];

/** Switches the listed insert triggers off for the rest of `tx` (the bypass row; gone again at `countInserted`). */
export async function bypassInsertTriggers(tx: Transaction<Database>): Promise<void> {
	await tx.executeQuery(CompiledQuery.raw(`insert into ${BYPASS_TABLE} (id) values (1)`, []));
}

/**
 * Switches the triggers back on, adds the inserted rows' share to every aggregate table with one grouped
 * statement each, and moves the data version once.
 */
export async function countInserted(tx: Transaction<Database>, rows: InsertedRows): Promise<void> {
	await tx.executeQuery(CompiledQuery.raw(`delete from ${BYPASS_TABLE}`, []));
	const run = async (statements: string[], ids: (string | number)[]) => {
		if (ids.length === 0) return;
		const json = JSON.stringify(ids);
		for (const text of statements) await tx.executeQuery(CompiledQuery.raw(text, [json]));
	};
	await run(BY_SUBMISSION, rows.submissions);
	await run(BY_PERSPECTIVE, rows.perspectives);
	await run(BY_ANSWER, rows.answers);
	if (rows.submissions.length > 0)
		await tx.executeQuery(CompiledQuery.raw(`update data_version set version = version + 1 where id = 1`, []));
}
