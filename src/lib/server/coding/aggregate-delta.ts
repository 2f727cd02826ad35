/**
 * Bulk coding keeps the analysis aggregates itself, set-based, instead of through row triggers
 * (issue #19: a million answers' coding fired several trigger calls per coding row, most of a run's CPU).
 * Inside the chunk's transaction, `withAggregateDelta` switches off the triggers a coding write fires
 * (migration 2026-12-03-0200, lib/trigger-bypass), subtracts the chunk's answers' share of each aggregate
 * table they touch with one grouped statement per table, runs the writes, adds their share back the same
 * way, and bumps the data version once. The shares are computed exactly as the rebuild computes the whole
 * tables (migrations 0220 and 0400), so after the chunk the tables equal a rebuild whatever the writes did
 * to these answers' codings and `coded_at`.
 *
 * The writes inside may change only `answer_theme` rows of these answers and columns of these answers that
 * no aggregate keys on except `coded_at` (no inserts or deletes of answers, no moves, no words).
 * `CODING_AGGREGATE_DELTA=off` leaves the triggers on instead (the same results, slower).
 */
import { PostgresAdapter, sql, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from '../db/schema';
import { BYPASS_SETTING, BYPASS_TABLE } from '../db/migrations/lib/trigger-bypass';
import { answersShares } from '../db/migrations/lib/theme-cube-sql';

type Tx = Transaction<Database>;

const dims = sql.raw(`coalesce(p.group_code, ''), coalesce(s.district_code, ''), s.channel`);
const upAnswer = sql.raw(`join perspective p on p.id = a.perspective_id join submission s on s.id = a.submission_id`);
/** The chunk's answers' share of each aggregate a coding write can change, counted with `sign`. */
function shares(ids: (col: string) => RawBuilder<unknown>, sign: 1 | -1): RawBuilder<unknown>[] {
	const s = sql.lit(sign);
	return [
		sql`insert into analysis_agg_theme (theme_id, group_code, district_code, channel, n)
			select x.theme_id, ${dims}, ${s} * count(*)
			from answer_theme x join answer a on a.id = x.answer_id ${upAnswer}
			where ${ids('x.answer_id')} and x.applies = 1
			group by x.theme_id, ${dims}
			on conflict (theme_id, group_code, district_code, channel) do update set n = analysis_agg_theme.n + excluded.n`,
		// "coded" as the rebuild counts it (the answer has an active theme that applies) and "has an officer's
		// coding" as an uncorrelated IN over these answers' codings, which both engines build once (SQLite an
		// ephemeral index, PostgreSQL a hashed subplan): an exists() per answer was planned as a scan of every
		// coding on PostgreSQL, and a LEFT JOIN to a grouped subquery as a scan of it per answer on SQLite.
		sql`insert into analysis_agg_answer (question_id, group_code, district_code, channel, n, coded)
			select question_id, g, d, ch, 0, ${s} * sum(active) from (
				select a.question_id, coalesce(p.group_code, '') as g, coalesce(s.district_code, '') as d, s.channel as ch,
					case when a.id in (select hx.answer_id from answer_theme hx join theme ht on ht.id = hx.theme_id
						where ${ids('hx.answer_id')} and hx.applies = 1 and ht.status = 'active') then 1 else 0 end as active
				from answer a ${upAnswer}
				where ${ids('a.id')}) t
			group by question_id, g, d, ch
			having sum(active) <> 0
			on conflict (question_id, group_code, district_code, channel)
			do update set coded = analysis_agg_answer.coded + excluded.coded`,
		sql`insert into analysis_agg_coding (question_id, wording_version, is_reviewed, is_coded, has_human, n)
			select question_id, v, r, c, h, ${s} * count(*) from (
				select a.question_id, coalesce(a.wording_version, 1) as v,
					case when a.reviewed_at is not null then 1 else 0 end as r,
					case when a.coded_at is not null then 1 else 0 end as c,
					case when a.id in (select answer_id from answer_theme where ${ids('answer_id')} and source = 'human')
						then 1 else 0 end as h
				from answer a
				where ${ids('a.id')}) t
			group by question_id, v, r, c, h
			on conflict (question_id, wording_version, is_reviewed, is_coded, has_human)
			do update set n = analysis_agg_coding.n + excluded.n`
	];
}

/**
 * Runs `write` (a coding write of the answers `answerIds`) in `tx` with the coding triggers off, keeping
 * the aggregates and the data version with a few grouped statements instead.
 */
export async function withAggregateDelta<T>(tx: Tx, answerIds: number[], write: () => Promise<T>): Promise<T> {
	// CODING_AGGREGATE_DELTA=off: the row triggers keep the aggregates, as before (the bench's A/B, and a way back).
	if (answerIds.length === 0 || process.env.CODING_AGGREGATE_DELTA === 'off') return write();
	const pg = tx.getExecutor().adapter instanceof PostgresAdapter;
	const ids = pg
		? (col: string) => sql`${sql.raw(col)} = any(${answerIds}::integer[])`
		: (col: string) => sql`${sql.raw(col)} in (select value from json_each(${JSON.stringify(answerIds)}))`;
	if (pg) {
		// Nobody else may change these answers' codings between the two counts (they would be counted by
		// their own triggers and again here). FOR UPDATE also blocks inserting a coding row (its foreign key
		// check takes KEY SHARE on the answer); changing or deleting one waits on the row locks taken next. SQLite: one writer at a time, so nothing can come between.
		await sql`select id from answer where ${ids('id')} order by id for update`.execute(tx);
		await sql`select answer_id from answer_theme where ${ids('answer_id')} order by answer_id, theme_id for update`.execute(
			tx
		);
		await sql`select set_config(${BYPASS_SETTING}, 'on', true)`.execute(tx);
	} else {
		await sql`insert into ${sql.table(BYPASS_TABLE)} (id) values (1)`.execute(tx);
	}
	if (pg) await lockThemeCubeAnswers(tx, answerIds);
	for (const q of shares(ids, -1)) await q.execute(tx);
	await themeCubeShares(tx, answerIds, -1);
	const out = await write();
	for (const q of shares(ids, 1)) await q.execute(tx);
	await themeCubeShares(tx, answerIds, 1);
	if (pg) await sql`select set_config(${BYPASS_SETTING}, 'off', true)`.execute(tx);
	else await sql`delete from ${sql.table(BYPASS_TABLE)}`.execute(tx);
	await sql`update data_version set version = version + 1 where id = 1`.execute(tx);
	return out;
}

/**
 * The kept theme cube's share of the submissions and perspectives of the answers `answerIds` (whole: a pair's
 * contribution depends on every answer of its submission or perspective) and of those answers' codings, counted
 * with `sign` (lib/theme-cube-sql.ts answersShares, as the rebuild counts them): the coder runs it with -1 before
 * its write and with 1 after, the cube's triggers being off with the others (migration 2026-12-11-0300).
 */
export async function themeCubeShares(tx: Tx, answerIds: number[], sign: 1 | -1): Promise<void> {
	if (answerIds.length === 0) return;
	const pg = tx.getExecutor().adapter instanceof PostgresAdapter;
	// Integers only (the chunk's answer ids), so written into the statement.
	const list = answerIds.map((id) => String(Math.trunc(Number(id)))).join(',');
	const ids = pg ? `select unnest('{${list}}'::integer[])` : `select value from json_each('[${list}]')`;
	for (const q of answersShares(ids, sign)) await sql.raw(q).execute(tx);
}

/**
 * PostgreSQL: locks every answer of the submissions and perspectives of `answerIds` (in id order) for the chunk's
 * transaction, so no other transaction changes a coding of one of them between the theme cube's two counts (an
 * officer's coding insert takes KEY SHARE on its answer, which waits for this lock).
 */
export async function lockThemeCubeAnswers(tx: Tx, answerIds: number[]): Promise<void> {
	if (answerIds.length === 0) return;
	await sql`select id from answer where submission_id in (select submission_id from answer where id = any(${answerIds}::integer[]))
		or perspective_id in (select perspective_id from answer where id = any(${answerIds}::integer[]))
		order by id for update`.execute(tx);
}
