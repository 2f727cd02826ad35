/**
 * PostgreSQL: a coding chunk in two statements (issue #19: coding a million answers). The general path
 * (`withAggregateDelta` around four writes) sent some 17 statements a chunk, and a statement profile of coding
 * 100,000 answers put half its time in the delta's six grouped `INSERT … SELECT … GROUP BY` statements and another
 * third in the writes (docs/analysis.md, "PostgreSQL coding in two statements a chunk"). Here:
 *
 * 1. one read locks the chunk's answers and their codings (`FOR UPDATE`, answers first, as before: an officer's
 *    coding of one of them waits for the chunk's commit) and returns what the aggregates key on (each answer's
 *    group, district, channel, wording, reviewed, coded; each coding's theme, source, applies, and whether its theme
 *    is active), and switches the coding triggers off for the transaction (the same switch as `withAggregateDelta`);
 * 2. the client works out the codings after the write (the storage contract in coding/index.ts: the engine's rows
 *    follow its verdicts, officers' rows keep their source and applies and take the latest confidence) and the net
 *    change of each aggregate row — computed as the rebuild counts (migrations 0220 and 0400), as in
 *    aggregate-delta.ts — and one statement writes it all: the codings that go, the codings that come or change,
 *    confidences cleared, `coded_at`, the three aggregate tables' net changes (only rows whose count moves) and the
 *    data version, as data-modifying CTEs over arrays (`unnest`), each CTE touching different rows.
 *
 * Since issue #19's "three statements a chunk" (`CODING_PG_LEAN`, on unless `off`): the day tables (migration
 * 2026-12-12-0500) and the theme cube (migration 2026-12-11-0300) are kept the same way, from the same read: their net
 * change is worked out here and written by more CTEs of the one write, where before the coder locked the codings
 * once more, sent the day tables' grouped share twice (-1 before the write, +1 after, two statements each time) and
 * the cube's net change in up to four statements after the write. A chunk is then the cube's lock, the read and the
 * write (and the caller's begin, progress row and commit). The lock stays a statement of its own: the read must see
 * what was committed before its locks were granted (READ COMMITTED takes a statement's snapshot when it starts, so a
 * coding an officer committed while the lock waited would be missed by a read in the same statement).
 *
 * With the locks held from the read to the commit, nobody can change these answers' codings between what was read
 * and what is written, so the net change is exact. The switch stays on until the transaction ends (it is
 * transaction-local); what follows in the chunk's transaction (a recode's progress row) fires none of those triggers.
 * A row that already says the verdict (the same confidence) is not written again, so an engine row's `updated_at`
 * is when the engine first proposed it (only officers' `updated_at` is read, by the sample check). The chunk commits
 * without waiting for the WAL flush (`synchronous_commit` off for it alone): a crash can lose the last chunks whole,
 * whose answers are then uncoded again (a recode's progress is in the same transaction), so nothing is counted twice.
 */
import { sql, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from '../db/schema';
import { BYPASS_SETTING } from '../db/migrations/lib/trigger-bypass';
import { FLUSH_SETTING, FLUSH_TABLE } from '../db/migrations/2026-12-14-0200-aggregate-flush';
import { perspectivePairs, questionCodings, submissionPairs } from '../db/migrations/lib/theme-cube-sql';
import { envSwitch } from '../../analysis/switches';
import { aggregateFlushOn } from '../import/flush';
import {
	dayShares,
	netChange,
	lockThemeCubeAnswers,
	themeCubeRead,
	themeCubeShares,
	themeCubeWrite,
	themeCubeWriteNet,
	wholeCubeDelta,
	type ThemeCubeState
} from './aggregate-delta';

type Tx = Transaction<Database>;

export interface VerdictRow {
	answer_id: number;
	theme_id: number;
	confidence: number;
}

interface ChunkState {
	/**
	 * [id, question_id, group, district, channel, wording_version, reviewed (0/1), coded (0/1)], and the submission's
	 * day (`substr(created_at, 1, 10)`, the day tables' key) last when the chunk is lean (`leanChunk`).
	 */
	answers: [number, number, string, string, string, number, number, number, string?][] | null;
	/** [answer_id, theme_id, human (0/1), applies, confidence, theme active (0/1)] */
	codings: [number, number, number, number, number | null, number][] | null;
	/** Active themes among the verdicts' themes. */
	active: number[] | null;
	/** [answer_id, theme_id] of the applying codings of the chunk's families' other answers (the theme cube's). */
	family: [number, number][] | null;
}

/**
 * Whether the theme cube's states before and after the write are worked out here from one read (the default) rather
 * than read by `themeCubeRead` before and after it (`CODING_PG_CUBE_READ=sql`, the A of an A/B).
 */
const cubeFromChunk = () => process.env.CODING_PG_CUBE_READ !== 'sql';

/**
 * Whether a chunk is written in three statements (the default): the lock, the read, and one write that also carries
 * the day tables' and the theme cube's net change (worked out here from the read, as the three other aggregate tables'
 * already were), where `CODING_PG_LEAN=off` (the before) sent the codings' probe, the day tables' share twice (two
 * grouped upserts before the write, two after) and up to four cube upserts besides: up to twelve statements a chunk
 * (issue #19, docs/analysis.md "PostgreSQL coding: three statements a chunk"). Read at use, once a chunk.
 */
const leanChunk = () => envSwitch('CODING_PG_LEAN') !== 'off';

/**
 * Lean: the write planned with `random_page_cost` 1.1 (transaction-local, set by the lock; the default is 4). The
 * cube's statements (lib/theme-cube-sql.ts) join each changed pair to its submission or perspective by key; at 4 the
 * planner priced a chunk's 1,650 key look-ups above hashing the whole table, so every chunk read all 41,500
 * submissions twice and all 42,400 perspectives once (a sequential scan each, 40–145 ms apiece at load 20; at a
 * million answers a 2,000-answer chunk would tip the same way over 413,000 submissions). The tables an analysis reads
 * are in memory here, where 1.1 is the usual setting. Set by the lock (its own plan does not need it), so
 * that the read, which joins the chunk's answers to their perspectives and submissions, is planned with it too. `CODING_PG_LEAN=plan` keeps the default (the A of that part).
 */
/**
 * Whether a lean chunk's shared aggregate rows (analysis_agg_theme, _answer, _coding, _theme_day, _answer_day) and the
 * data version are changed in its COMMIT (issue #18, migration 2026-12-14-0200): the read registers the
 * transaction's flush (`aggregate_flush`, before any write) and the write appends the chunk's net change to the
 * transaction-local setting the flush's deferred trigger applies, in key order, then bumps the data version. Those
 * rows are then locked for the COMMIT alone, where the write locked them (the data version first, by its main
 * statement) and held them across the recode's progress row and the COMMIT's round trips, while every submission
 * counting into them, and every submission's COMMIT (its own data-version bump), waited. `AGGREGATE_FLUSH=off`: the
 * write upserts them itself, as before. The theme cube's rows stay in the write (no submission's insert counts
 * into them: a new answer has no codings). Read at use, once a chunk.
 */
const flushAtCommit = aggregateFlushOn;

/** A chunk's net change as the flush's trigger reads it (migration 2026-12-14-0200): key columns, then the count. */
function flushRows(m: Map<string, number>): unknown[][] {
	const out: unknown[][] = [];
	for (const [k, v] of m) if (v !== 0) out.push([...(JSON.parse(k) as unknown[]), v]);
	return out;
}

const leanPlanCost = () =>
	envSwitch('CODING_PG_LEAN') === 'plan' ? undefined : { name: 'random_page_cost', value: '1.1' };

/** Adds `by` to the count under `key` (a JSON array of the aggregate row's key columns). */
function bump(m: Map<string, number>, key: unknown[], by: number) {
	const k = JSON.stringify(key);
	m.set(k, (m.get(k) ?? 0) + by);
}

/** The non-zero changes of `m` as column arrays: one array per key column, and the counts. */
function columns(m: Map<string, number>, width: number): { keys: unknown[][]; n: number[] } {
	const keys: unknown[][] = Array.from({ length: width }, () => []);
	const n: number[] = [];
	for (const [k, v] of m) {
		if (v === 0) continue;
		const key = JSON.parse(k) as unknown[];
		for (let i = 0; i < width; i++) keys[i].push(key[i]);
		n.push(v);
	}
	return { keys, n };
}

/**
 * Writes the engine's verdicts `rows` for the answers `answerIds` (all of them given a `coded_at` of `now`), keeping
 * the aggregates and the data version, in `tx`. Three statements (`CODING_PG_LEAN=off`: up to twelve).
 */
export async function storeVerdictsPg(tx: Tx, answerIds: number[], rows: VerdictRow[], now: string): Promise<void> {
	if (answerIds.length === 0) return;
	// The kept theme cube (migration 2026-12-11-0300): its share of the chunk's submissions and perspectives
	// read before the write and its net change written after it (aggregate-delta.ts), their answers locked first.
	const whole = wholeCubeDelta();
	const fromChunk = !whole && cubeFromChunk();
	// Lean: the day tables' and the cube's net change from the read, in the write (the A/B switches of the cube's
	// other forms keep the statements they measure).
	const lean = fromChunk && leanChunk();
	const flush = lean && flushAtCommit();
	const familyAnswers = await lockThemeCubeAnswers(tx, answerIds, lean ? leanPlanCost() : undefined);
	if (!lean) {
		// The day tables' share of the chunk's answers, before the write (their codings locked first; aggregate-delta.ts).
		await sql`select answer_id from answer_theme where answer_id = any(${answerIds}::integer[])
			order by answer_id, theme_id for update`.execute(tx);
		for (const q of dayShares(answerIds, -1)) await q.execute(tx);
	}
	const cube = whole || fromChunk ? null : await themeCubeRead(tx, answerIds);
	const inChunk = new Set(answerIds);
	const others = fromChunk ? familyAnswers.filter((a) => !inChunk.has(a.id)).map((a) => a.id) : [];
	if (whole) await themeCubeShares(tx, answerIds, -1);
	const verdictThemes = [...new Set(rows.map((r) => r.theme_id))];
	const read = await sql<{ state: ChunkState }>`
		with an as (
			select a.id, a.question_id, coalesce(p.group_code, '') as g, coalesce(s.district_code, '') as d, s.channel as ch,
				coalesce(a.wording_version, 1) as v, case when a.reviewed_at is not null then 1 else 0 end as r,
				case when a.coded_at is not null then 1 else 0 end as c${lean ? sql`, substr(s.created_at, 1, 10) as dy` : sql``}
			from answer a join perspective p on p.id = a.perspective_id join submission s on s.id = a.submission_id
			where a.id = any(${answerIds}::integer[])
			order by a.id
			for update of a
		), lk as (
			select x.answer_id, x.theme_id, x.source, x.applies, x.confidence from answer_theme x
			where x.answer_id = any(${answerIds}::integer[])
			order by x.answer_id, x.theme_id
			for update
		), bypass as (select set_config(${BYPASS_SETTING}, 'on', true) as ok, set_config('synchronous_commit', 'off', true))${
			flush
				? sql`, flush as (insert into ${sql.table(FLUSH_TABLE)} (txid) values (txid_current()) on conflict do nothing)`
				: sql``
		}
		select json_build_object(
			'answers', (select json_agg(json_build_array(id, question_id, g, d, ch, v, r, c${lean ? sql`, dy` : sql``})) from an),
			'codings', (select json_agg(json_build_array(lk.answer_id, lk.theme_id, case when lk.source = 'human' then 1 else 0 end,
				lk.applies, lk.confidence, case when t.status = 'active' then 1 else 0 end))
				from lk join theme t on t.id = lk.theme_id),
			'active', (select json_agg(id) from theme where id = any(${verdictThemes}::integer[]) and status = 'active'),
			'family', (select json_agg(json_build_array(x.answer_id, x.theme_id)) from answer_theme x
				where x.answer_id = any(${others}::integer[]) and x.applies = 1),
			'bypass', (select ok from bypass)
		) as state`.execute(tx);
	const state = read.rows[0].state;
	// Everything written follows the answers read: one deleted since the chunk was fetched (retention, a withdrawn
	// response) is left out, where an insert of its codings would have failed the job.
	const answers = state.answers ?? [];
	const codings = state.codings ?? [];
	const activeVerdictTheme = new Set(state.active ?? []);

	// Before: the chunk's share of each aggregate, from what was read.
	const theme = new Map<string, number>();
	const coded = new Map<string, number>();
	const coding = new Map<string, number>();
	// Lean: the day tables' (analysis_agg_theme_day, analysis_agg_answer_day's coded) as the same keys and the day.
	const themeDay = new Map<string, number>();
	const codedDay = new Map<string, number>();
	/** Counts a coding's theme in analysis_agg_theme (and its day row, lean) with `by`. */
	const bumpTheme = (t: number, g: string, d: string, ch: string, day: string | undefined, by: number) => {
		bump(theme, [t, g, d, ch], by);
		if (lean) bump(themeDay, [t, g, d, ch, day], by);
	};
	const byAnswer = new Map<number, (typeof codings)[number][]>();
	for (const c of codings) {
		const list = byAnswer.get(c[0]);
		if (list) list.push(c);
		else byAnswer.set(c[0], [c]);
	}
	const verdictsOf = new Map<number, VerdictRow[]>();
	for (const v of rows) {
		const list = verdictsOf.get(v.answer_id);
		if (list) list.push(v);
		else verdictsOf.set(v.answer_id, [v]);
	}

	// The writes: engine rows to delete, rows to insert or update (verdicts), officers' rows whose confidence clears.
	const upsert: VerdictRow[] = [];
	const delA: number[] = [];
	const delT: number[] = [];
	const clearA: number[] = [];
	const clearT: number[] = [];
	/** The themes that apply to each of the chunk's answers after the write (the theme cube's "after"). */
	const applyAfter = new Map<number, number[]>();
	for (const [id, q, g, d, ch, v, r, c, day] of answers) {
		const before = byAnswer.get(id) ?? [];
		const verdicts = verdictsOf.get(id) ?? [];
		const verdictTheme = new Set(verdicts.map((x) => x.theme_id));
		let wasCoded = 0;
		let human = 0;
		for (const [, t, isHuman, applies, confidence, active] of before) {
			if (applies === 1) {
				bumpTheme(t, g, d, ch, day, -1);
				if (active) wasCoded = 1;
			}
			if (isHuman) {
				human = 1;
				if (!verdictTheme.has(t) && confidence !== null) {
					clearA.push(id);
					clearT.push(t);
				}
			} else if (!verdictTheme.has(t)) {
				delA.push(id);
				delT.push(t);
			}
		}
		// After: officers' rows as they were, the engine's rows as its verdicts (applies = 1).
		let nowCoded = 0;
		const after: number[] = [];
		applyAfter.set(id, after);
		for (const [, t, isHuman, applies, , active] of before)
			if (isHuman && applies === 1) {
				bumpTheme(t, g, d, ch, day, 1);
				after.push(t);
				if (active) nowCoded = 1;
			}
		const existing = new Map(before.map((x) => [x[1], x]));
		for (const x of verdicts) {
			const row = existing.get(x.theme_id);
			if (!row || row[2] === 0) {
				bumpTheme(x.theme_id, g, d, ch, day, 1);
				after.push(x.theme_id);
				if (activeVerdictTheme.has(x.theme_id)) nowCoded = 1;
			}
			// A row that already says this (an engine row that applies, or an officer's, with this confidence) is
			// left as it is: no new row version, no index entries.
			if (row && row[4] === x.confidence && (row[2] === 1 || row[3] === 1)) continue;
			upsert.push(x);
		}
		if (nowCoded !== wasCoded) {
			bump(coded, [q, g, d, ch], nowCoded - wasCoded);
			if (lean) bump(codedDay, [q, g, d, ch, day], nowCoded - wasCoded);
		}
		if (c !== 1) {
			bump(coding, [q, v, r, c, human], -1);
			bump(coding, [q, v, r, 1, human], 1);
		}
	}
	const th = columns(theme, 4);
	const co = columns(coded, 4);
	const cg = columns(coding, 5);
	// The theme cube's states before and after the write, from the read (the chunk's codings and its families' others).
	let cubeBefore: ThemeCubeState | null = null;
	let cubeAfter: ThemeCubeState | null = null;
	if (fromChunk) {
		const applyBefore = new Map<number, number[]>();
		const add = (m: Map<number, number[]>, id: number, t: number) => {
			const list = m.get(id);
			if (list) list.push(t);
			else m.set(id, [t]);
		};
		for (const [id, t, , applies] of codings) if (applies === 1) add(applyBefore, id, t);
		const otherApply = new Map<number, number[]>();
		for (const [id, t] of state.family ?? []) add(otherApply, id, t);
		cubeBefore = cubeState(familyAnswers, inChunk, (id) => (inChunk.has(id) ? applyBefore : otherApply).get(id));
		cubeAfter = cubeState(familyAnswers, inChunk, (id) => (inChunk.has(id) ? applyAfter : otherApply).get(id));
	}
	// Lean: the day tables' and the cube's net change as more CTEs of the one write (each its own table; only those
	// with rows). The cube's statements are lib/theme-cube-sql.ts's, over the arrays (as themeCubeWriteNet runs them).
	const more: RawBuilder<unknown>[] = [];
	if (lean && cubeBefore && cubeAfter) {
		const td = columns(themeDay, 5);
		if (td.n.length && !flush)
			more.push(sql`agg_theme_day as (
				insert into analysis_agg_theme_day (theme_id, group_code, district_code, channel, day, n)
				select * from unnest(${td.keys[0]}::integer[], ${td.keys[1]}::text[], ${td.keys[2]}::text[],
					${td.keys[3]}::text[], ${td.keys[4]}::text[], ${td.n}::integer[])
				on conflict (theme_id, group_code, district_code, channel, day)
				do update set n = analysis_agg_theme_day.n + excluded.n
			)`);
		const cd = columns(codedDay, 5);
		if (cd.n.length && !flush)
			more.push(sql`agg_answer_day as (
				insert into analysis_agg_answer_day (question_id, group_code, district_code, channel, day, n, coded)
				select q, g, d, ch, dy, 0, k from unnest(${cd.keys[0]}::integer[], ${cd.keys[1]}::text[], ${cd.keys[2]}::text[],
					${cd.keys[3]}::text[], ${cd.keys[4]}::text[], ${cd.n}::integer[]) as u(q, g, d, ch, dy, k)
				on conflict (question_id, group_code, district_code, channel, day)
				do update set coded = analysis_agg_answer_day.coded + excluded.coded
			)`);
		const pairs = (rows: [string, number, number][], idType: 'text' | 'integer', name: string, id: string) =>
			sql`${sql.raw(name)} as (select * from unnest(${rows.map((r) => (idType === 'integer' ? Number(r[0]) : r[0]))}::${sql.raw(
				idType
			)}[], ${rows.map((r) => r[1])}::integer[], ${rows.map((r) => r[2])}::integer[]) as u(${sql.raw(id)}, theme_id, d))`;
		const subs = netChange(cubeBefore.submissions, cubeAfter.submissions);
		if (subs.length) {
			const [cubeSub, cubeEq] = submissionPairs('select sid, theme_id, d from cube_sub_pairs');
			more.push(pairs(subs, 'text', 'cube_sub_pairs', 'sid'));
			more.push(sql`cube_sub as (${sql.raw(cubeSub)})`, sql`cube_eq as (${sql.raw(cubeEq)})`);
		}
		const persps = netChange(cubeBefore.perspectives, cubeAfter.perspectives);
		if (persps.length) {
			more.push(pairs(persps, 'integer', 'cube_persp_pairs', 'pid'));
			more.push(sql`cube_persp as (${sql.raw(perspectivePairs('select pid, theme_id, d from cube_persp_pairs'))})`);
		}
		const cubeCodings = netChange(cubeBefore.codings, cubeAfter.codings);
		if (cubeCodings.length) {
			more.push(pairs(cubeCodings, 'integer', 'cube_codings', 'answer_id'));
			more.push(
				sql`cube_question as (${sql.raw(
					questionCodings(`select a.question_id, a.submission_id as sid, c.theme_id, c.d
						from cube_codings c join answer a on a.id = c.answer_id`)
				)})`
			);
		}
	}
	// The shared aggregate rows' change: upserted by the write, or (flush) applied by the COMMIT.
	const sharedAggregates = sql`agg_theme as (
			insert into analysis_agg_theme (theme_id, group_code, district_code, channel, n)
			select * from unnest(${th.keys[0]}::integer[], ${th.keys[1]}::text[], ${th.keys[2]}::text[], ${th.keys[3]}::text[],
				${th.n}::integer[])
			on conflict (theme_id, group_code, district_code, channel) do update set n = analysis_agg_theme.n + excluded.n
		), agg_answer as (
			insert into analysis_agg_answer (question_id, group_code, district_code, channel, n, coded)
			select q, g, d, ch, 0, k from unnest(${co.keys[0]}::integer[], ${co.keys[1]}::text[], ${co.keys[2]}::text[],
				${co.keys[3]}::text[], ${co.n}::integer[]) as u(q, g, d, ch, k)
			on conflict (question_id, group_code, district_code, channel)
			do update set coded = analysis_agg_answer.coded + excluded.coded
		), agg_coding as (
			insert into analysis_agg_coding (question_id, wording_version, is_reviewed, is_coded, has_human, n)
			select * from unnest(${cg.keys[0]}::integer[], ${cg.keys[1]}::integer[], ${cg.keys[2]}::integer[],
				${cg.keys[3]}::integer[], ${cg.keys[4]}::integer[], ${cg.n}::integer[])
			on conflict (question_id, wording_version, is_reviewed, is_coded, has_human)
			do update set n = analysis_agg_coding.n + excluded.n
		)`;
	const flushDelta = flush
		? {
				theme: flushRows(theme),
				answer: flushRows(coded),
				coding: flushRows(coding),
				themeDay: flushRows(themeDay),
				answerDay: flushRows(codedDay)
			}
		: null;
	await sql`
		with gone as (
			delete from answer_theme x using unnest(${delA}::integer[], ${delT}::integer[]) as u(a, t)
			where x.answer_id = u.a and x.theme_id = u.t
		), verdicts as (
			insert into answer_theme (answer_id, theme_id, source, applies, confidence, user_id, updated_at)
			select u.a, u.t, 'auto', 1, u.c, null, ${now}
			from unnest(${upsert.map((r) => r.answer_id)}::integer[], ${upsert.map((r) => r.theme_id)}::integer[],
				${upsert.map((r) => r.confidence)}::real[]) as u(a, t, c)
			on conflict (answer_id, theme_id) do update set confidence = excluded.confidence,
				applies = case when answer_theme.source = 'auto' then 1 else answer_theme.applies end,
				user_id = case when answer_theme.source = 'auto' then null else answer_theme.user_id end,
				updated_at = case when answer_theme.source = 'auto' and answer_theme.applies = 0 then excluded.updated_at
					else answer_theme.updated_at end
		), cleared as (
			update answer_theme x set confidence = null from unnest(${clearA}::integer[], ${clearT}::integer[]) as u(a, t)
			where x.answer_id = u.a and x.theme_id = u.t
		), stamped as (
			update answer set coded_at = ${now} where id = any(${answerIds}::integer[])
		)${flush ? sql`` : sql`, ${sharedAggregates}`}${more.length ? sql`, ${sql.join(more, sql`, `)}` : sql``}
		${
			flush
				? // The shared rows' change, for the COMMIT's flush (migration 2026-12-14-0200), which bumps the data version.
					sql`select set_config(${FLUSH_SETTING}, (coalesce(nullif(current_setting(${FLUSH_SETTING}, true), ''), '[]')::jsonb
						|| jsonb_build_array(${JSON.stringify(flushDelta)}::jsonb))::text, true)`
				: sql`update data_version set version = version + 1 where id = 1`
		}`.execute(tx);
	if (lean) return;
	for (const q of dayShares(answerIds, 1)) await q.execute(tx);
	if (cubeBefore && cubeAfter) await themeCubeWriteNet(tx, cubeBefore, cubeAfter);
	else if (cube) await themeCubeWrite(tx, answerIds, cube);
	else await themeCubeShares(tx, answerIds, 1);
}

/**
 * The theme cube's state of a chunk (what `themeCubeRead` reads) from its families' answers and the themes that apply
 * to each: the (submission, theme) pairs of the chunk's submissions, the (perspective, theme) pairs of its
 * perspectives, and the chunk's own applying codings.
 */
function cubeState(
	family: { id: number; submission_id: string; perspective_id: number }[],
	inChunk: Set<number>,
	applying: (id: number) => number[] | undefined
): ThemeCubeState {
	const subs = new Set<string>();
	const persps = new Set<number>();
	for (const a of family)
		if (inChunk.has(a.id)) {
			subs.add(a.submission_id);
			persps.add(a.perspective_id);
		}
	const state: ThemeCubeState = { submissions: new Set(), perspectives: new Set(), codings: new Set() };
	for (const a of family) {
		const themes = applying(a.id);
		if (!themes) continue;
		for (const t of themes) {
			if (subs.has(a.submission_id)) state.submissions.add(`${a.submission_id},${t}`);
			if (persps.has(a.perspective_id)) state.perspectives.add(`${a.perspective_id},${t}`);
			if (inChunk.has(a.id)) state.codings.add(`${a.id},${t}`);
		}
	}
	return state;
}
