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
import { CompiledQuery, PostgresAdapter, sql, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from '../db/schema';
import { BYPASS_SETTING, BYPASS_TABLE } from '../db/migrations/lib/trigger-bypass';
import { answersShares, perspectivePairs, questionCodings, submissionPairs } from '../db/migrations/lib/theme-cube-sql';

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

const dayDims = sql.raw(
	`coalesce(p.group_code, ''), coalesce(s.district_code, ''), s.channel, substr(s.created_at, 1, 10)`
);
/**
 * PostgreSQL: the chunk's answers' share of the day tables (migration 2026-12-12-0500), counted with `sign`, as its
 * rebuild counts them. Its answer_theme statement triggers are off under the bypass there (a coder's statement that
 * deletes, inserts and updates codings of one answer at once cannot be told apart by transition tables), so the
 * coders subtract this share before their writes and add it after. SQLite's row triggers keep firing instead.
 */
export function dayShares(answerIds: number[], sign: 1 | -1): RawBuilder<unknown>[] {
	const s = sql.lit(sign);
	const ids = (col: string) => sql`${sql.raw(col)} = any(${answerIds}::integer[])`;
	return [
		sql`insert into analysis_agg_theme_day (theme_id, group_code, district_code, channel, day, n)
			select x.theme_id, ${dayDims}, ${s} * count(*)
			from answer_theme x join answer a on a.id = x.answer_id ${upAnswer}
			where ${ids('x.answer_id')} and x.applies = 1
			group by x.theme_id, ${dayDims}
			on conflict (theme_id, group_code, district_code, channel, day) do update set n = analysis_agg_theme_day.n + excluded.n`,
		sql`insert into analysis_agg_answer_day (question_id, group_code, district_code, channel, day, n, coded)
			select question_id, g, d, ch, dy, 0, ${s} * sum(active) from (
				select a.question_id, coalesce(p.group_code, '') as g, coalesce(s.district_code, '') as d, s.channel as ch,
					substr(s.created_at, 1, 10) as dy,
					case when a.id in (select hx.answer_id from answer_theme hx join theme ht on ht.id = hx.theme_id
						where ${ids('hx.answer_id')} and hx.applies = 1 and ht.status = 'active') then 1 else 0 end as active
				from answer a ${upAnswer}
				where ${ids('a.id')}) t
			group by question_id, g, d, ch, dy
			having sum(active) <> 0
			on conflict (question_id, group_code, district_code, channel, day)
			do update set coded = analysis_agg_answer_day.coded + excluded.coded`
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
	if (pg) for (const q of dayShares(answerIds, -1)) await q.execute(tx);
	const whole = wholeCubeDelta();
	const cube = whole ? null : await themeCubeRead(tx, answerIds);
	if (whole) await themeCubeShares(tx, answerIds, -1);
	const out = await write();
	for (const q of shares(ids, 1)) await q.execute(tx);
	if (pg) for (const q of dayShares(answerIds, 1)) await q.execute(tx);
	if (cube) await themeCubeWrite(tx, answerIds, cube);
	else await themeCubeShares(tx, answerIds, 1);
	if (pg) await sql`select set_config(${BYPASS_SETTING}, 'off', true)`.execute(tx);
	else await sql`delete from ${sql.table(BYPASS_TABLE)}`.execute(tx);
	await sql`update data_version set version = version + 1 where id = 1`.execute(tx);
	return out;
}

/**
 * The kept theme cube's share of the submissions and perspectives of the answers `answerIds` (whole: a pair's
 * contribution depends on every answer of its submission or perspective) and of those answers' codings, counted
 * with `sign` (lib/theme-cube-sql.ts answersShares, as the rebuild counts them). Kept for the A of an A/B
 * (`CODING_CUBE_DELTA=whole`): the coder now writes only the net change (`themeCubeRead` / `themeCubeWrite`).
 */
export async function themeCubeShares(tx: Tx, answerIds: number[], sign: 1 | -1): Promise<void> {
	if (answerIds.length === 0) return;
	const pg = tx.getExecutor().adapter instanceof PostgresAdapter;
	for (const q of answersShares(idList(pg, answerIds), sign)) await sql.raw(q).execute(tx);
}

/** A sub-select of the integers `ids` (answer ids from the chunk: only integers, so written into the statement). */
function idList(pg: boolean, ids: number[]): string {
	const list = ids.map((id) => String(Math.trunc(Number(id)))).join(',');
	return pg ? `select unnest('{${list}}'::integer[])` : `select value from json_each('[${list}]')`;
}

/**
 * What the theme cube counts of a chunk's answers at one moment: the (submission, theme) and (perspective, theme)
 * pairs of their submissions and perspectives (some answer of them has an applying coding of the theme), and the
 * answers' own applying codings, each as "id,theme" (submission ids are text, UUIDs: no commas).
 */
export interface ThemeCubeState {
	submissions: Set<string>;
	perspectives: Set<string>;
	codings: Set<string>;
}

/** The chunk's state (`ThemeCubeState`), read before the coder's write and again after it. */
export async function themeCubeRead(tx: Tx, answerIds: number[]): Promise<ThemeCubeState> {
	const state: ThemeCubeState = { submissions: new Set(), perspectives: new Set(), codings: new Set() };
	if (answerIds.length === 0) return state;
	const pg = tx.getExecutor().adapter instanceof PostgresAdapter;
	// The ids as one parameter, so each statement's text is the same in every chunk (prepared once, cached).
	const ids = pg ? `select unnest($1::integer[])` : `select value from json_each(?)`;
	const param = pg ? answerIds : JSON.stringify(answerIds);
	const read = async (into: Set<string>, text: string) => {
		// SQLite: one parameter for each `?` (the ids read twice by a submission's pairs); PostgreSQL: `$1` each time.
		const params = pg ? [param] : Array.from({ length: text.split('?').length - 1 }, () => param);
		const rows = (await tx.executeQuery(CompiledQuery.raw(text, params))).rows as { id: unknown; theme_id: number }[];
		for (const r of rows) into.add(`${r.id},${r.theme_id}`);
	};
	// A submission's answers through its perspectives (perspective_unique, then answer_unique): answer_submission is
	// gone (migration 2026-12-12-0400). Still only the answers of those submissions.
	const through = (col: 'submission_id' | 'perspective_id') =>
		col === 'submission_id'
			? `a.perspective_id in (select p.id from perspective p where p.submission_id in (select submission_id from answer where id in (${ids}))) and `
			: '';
	const pairs = (col: 'submission_id' | 'perspective_id') =>
		`select distinct a.${col} as id, x.theme_id from answer a join answer_theme x on x.answer_id = a.id
		 where ${through(col)}a.${col} in (select ${col} from answer where id in (${ids})) and x.applies = 1`;
	await read(state.submissions, pairs('submission_id'));
	await read(state.perspectives, pairs('perspective_id'));
	await read(
		state.codings,
		`select x.answer_id as id, x.theme_id from answer_theme x where x.answer_id in (${ids}) and x.applies = 1`
	);
	return state;
}

/** Keys ("id,theme") of `after` not in `before` as [id, theme, 1], of `before` not in `after` as [id, theme, -1]. */
export function netChange(before: Set<string>, after: Set<string>): [string, number, number][] {
	const out: [string, number, number][] = [];
	const row = (k: string, d: number): [string, number, number] => {
		const comma = k.lastIndexOf(',');
		return [k.slice(0, comma), Number(k.slice(comma + 1)), d];
	};
	for (const k of after) if (!before.has(k)) out.push(row(k, 1));
	for (const k of before) if (!after.has(k)) out.push(row(k, -1));
	return out;
}

/**
 * Runs `statement` (given a table expression) over the signed rows `rows` (columns `id`, theme_id, d), passed as
 * parameters: one array per column through `unnest` on PostgreSQL (`id` of type `idType`), a JSON array of rows
 * through `json_each` on SQLite (the ids as they were read: integers, or a submission's text).
 */
async function withRows(
	tx: Tx,
	pg: boolean,
	[id, idType]: [string, 'integer' | 'text'],
	rows: [string, number, number][],
	statement: (t: string) => string
) {
	const ids = rows.map((r) => (idType === 'integer' ? Number(r[0]) : r[0]));
	const table = pg
		? `select * from unnest($1::${idType}[], $2::integer[], $3::integer[]) as u(${id}, theme_id, d)`
		: `select json_extract(value, '$[0]') as ${id}, json_extract(value, '$[1]') as theme_id,
			json_extract(value, '$[2]') as d from json_each(?)`;
	const params = pg
		? [ids, rows.map((r) => r[1]), rows.map((r) => r[2])]
		: [JSON.stringify(rows.map((r, i) => [ids[i], r[1], r[2]]))];
	await tx.executeQuery(CompiledQuery.raw(statement(table), params));
}

/**
 * Writes the theme cube's net change between `before` (`themeCubeRead` before the coder's write) and the state now:
 * only the pairs and codings that appeared or went, so a chunk whose codings did not change writes nothing, and a
 * first coding writes its new pairs without taking out and putting back its submissions' other themes. The same
 * counts as `themeCubeShares` -1 before and +1 after (a pair's cells come from its submission or perspective row,
 * and a coding's from its answer and submission, which a coding write does not change), in at most four statements.
 */
export async function themeCubeWrite(tx: Tx, answerIds: number[], before: ThemeCubeState): Promise<void> {
	if (answerIds.length === 0) return;
	await themeCubeWriteNet(tx, before, await themeCubeRead(tx, answerIds));
}

/** Writes the theme cube's net change from `before` to `after` (the chunk's state before and after its write). */
export async function themeCubeWriteNet(tx: Tx, before: ThemeCubeState, after: ThemeCubeState): Promise<void> {
	const pg = tx.getExecutor().adapter instanceof PostgresAdapter;
	const subs = netChange(before.submissions, after.submissions);
	const persps = netChange(before.perspectives, after.perspectives);
	const codings = netChange(before.codings, after.codings);
	if (subs.length) for (const i of [0, 1]) await withRows(tx, pg, ['sid', 'text'], subs, (t) => submissionPairs(t)[i]);
	if (persps.length) await withRows(tx, pg, ['pid', 'integer'], persps, (t) => perspectivePairs(t));
	if (codings.length)
		await withRows(tx, pg, ['answer_id', 'integer'], codings, (t) =>
			questionCodings(`select a.question_id, a.submission_id as sid, c.theme_id, c.d
				from (${t}) c join answer a on a.id = c.answer_id`)
		);
}

/** Whether the coder writes the theme cube's whole share twice (`CODING_CUBE_DELTA=whole`, the A of an A/B). */
export const wholeCubeDelta = () => process.env.CODING_CUBE_DELTA === 'whole';

/**
 * PostgreSQL: locks every answer of the submissions and perspectives of `answerIds` (in id order) for the chunk's
 * transaction, so no other transaction changes a coding of one of them between the theme cube's two counts (an
 * officer's coding insert takes KEY SHARE on its answer, which waits for this lock).
 *
 * The chunk's submissions and perspectives are read once into two arrays, so the answers are found by two index
 * look-ups OR-ed as bitmaps (`answer_submission`, `answer_unique`): about 26,000 buffers for a 2,000-answer chunk
 * of one question at 200,000 answers, whatever the table's size. The first form, one `submission_id in (…) or perspective_id in
 * (…)`, cannot be a semi-join (an OR of two IN lists), so PostgreSQL filtered every answer of the table through two
 * hashed sub-plans: a whole-table pass per chunk, 260 of 519 s coding 200,000 answers and growing with the table
 * (issue #19, docs/analysis.md "Coding on PostgreSQL: the theme cube's lock by index"). `CODING_CUBE_LOCK=or` keeps
 * the first form (the A of an A/B); the same rows are locked either way.
 */
export async function lockThemeCubeAnswers(
	tx: Tx,
	answerIds: number[],
	setting?: { name: string; value: string }
): Promise<CubeFamilyAnswer[]> {
	if (answerIds.length === 0) return [];
	return (await themeCubeLockQuery(answerIds, setting).execute(tx)).rows;
}

/** An answer locked by `lockThemeCubeAnswers`: one of the chunk's submissions' or perspectives' answers. */
export interface CubeFamilyAnswer {
	id: number;
	submission_id: string;
	perspective_id: number;
}

/**
 * The statement `lockThemeCubeAnswers` runs (exported for its plan test). `setting`: a planner setting made
 * transaction-local by the same statement, once (store-pg.ts: the statements after it are planned with it).
 */
export function themeCubeLockQuery(
	answerIds: number[],
	setting?: { name: string; value: string }
): RawBuilder<CubeFamilyAnswer> {
	if (process.env.CODING_CUBE_LOCK === 'or')
		return sql`select id, submission_id, perspective_id from answer where submission_id in (select submission_id from answer where id = any(${answerIds}::integer[]))
		or perspective_id in (select perspective_id from answer where id = any(${answerIds}::integer[]))
		order by id for update`;
	// The answers are found through their perspectives, the chunk's submissions' (perspective_unique) and its own,
	// by answer_unique (answer_submission dropped by migration 2026-12-12-0400), and still kept to those of the
	// chunk's submissions or perspectives.
	const set = setting ? sql`(select set_config(${setting.name}, ${setting.value}, true)) as setting, ` : sql``;
	return sql`with chunk as materialized (
			select submission_id, perspective_id from ${set}answer where id = any(${answerIds}::integer[])
		)
		select a.id, a.submission_id, a.perspective_id from answer a
		where a.perspective_id = any(array(
				select p.id from perspective p where p.submission_id = any(array(select submission_id from chunk))
				union select perspective_id from chunk))
			and (a.submission_id = any(array(select submission_id from chunk))
				or a.perspective_id = any(array(select perspective_id from chunk)))
		order by a.id for update of a`;
}
