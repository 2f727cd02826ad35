/**
 * SQLite: a coding chunk's aggregates from its net change, worked out in JavaScript (issue #19: coding a million
 * answers). The general path (`withAggregateDelta` in aggregate-delta.ts around `writeVerdictsNet`) took each
 * aggregate's share of the chunk's answers out with one grouped statement and put it back with another, and read
 * the theme cube's submission and perspective pairs before and after the write (docs/analysis.md, "Coding a million:
 * chunks written on a writer thread": those reads and upserts were most of the writer thread's time). Here, as
 * PostgreSQL's store-pg.ts does:
 *
 * 1. three reads: the chunk's answers (what the aggregates key on: question, group, district, channel, wording,
 *    reviewed, coded, submission, perspective), their codings as stored, and which of the verdicts' themes are active;
 * 2. the client works out the codings after the write exactly as `writeVerdictsNet` writes them (the engine's rows
 *    follow its verdicts; officers' rows keep their source and applies and take the latest confidence; a row that
 *    already says the verdict is not written), and from the before and after of each answer the net change of
 *    `analysis_agg_theme`, `_answer`, `_coding` and of the theme cube's codings;
 * 3. the theme cube's (submission, theme) and (perspective, theme) pairs: only pairs that the chunk's own answers gain
 *    or lose can change, and such a pair changes only if no other answer of its submission (perspective) has the
 *    theme: one read per side, of those candidate pairs alone, tells which;
 * 4. the writes, each one statement whose text is the same in every chunk (the rows as one JSON parameter, so the
 *    connection's statement cache prepares each once): codings deleted, confidences cleared, verdicts upserted,
 *    `coded_at`, the three aggregates' and the cube's non-zero changes, the data version.
 *
 * SQLite has one writer at a time, so nothing changes these answers' codings between the reads and the writes. The
 * coding triggers are off for the chunk (the bypass row, lib/trigger-bypass); the kept quote order
 * (migration 2026-12-11-1100) is not guarded by it and follows the coding writes through its own row triggers.
 * `CODING_SQLITE_DELTA=grouped` keeps the general path (the A of an A/B, and a way back).
 */
import { CompiledQuery, type Transaction } from 'kysely';
import type { Database } from '../db/schema';
import { BYPASS_TABLE } from '../db/migrations/lib/trigger-bypass';
import { perspectivePairs, questionCodings, submissionPairs } from '../db/migrations/lib/theme-cube-sql';

type Tx = Transaction<Database>;

export interface SqliteVerdictRow {
	answer_id: number;
	theme_id: number;
	confidence: number;
}

interface AnswerRow {
	id: number;
	q: number;
	v: number;
	r: number;
	c: number;
	sid: string;
	pid: number;
	/** Its perspective and submission rows exist (the grouped shares joined them). */
	joined: number;
	g: string;
	d: string;
	ch: string;
}

interface CodingRow {
	answer_id: number;
	theme_id: number;
	source: string;
	applies: number;
	confidence: number | null;
	user_id: number | null;
	active: number;
}

/** Whether SQLite chunks are written through `storeVerdictsSqlite` (default) or the grouped shares. */
export const sqliteNetDelta = () =>
	process.env.CODING_SQLITE_DELTA !== 'grouped' &&
	process.env.CODING_SQLITE_WRITE !== 'rewrite' &&
	process.env.CODING_AGGREGATE_DELTA !== 'off' &&
	process.env.CODING_CUBE_DELTA !== 'whole';

const IDS = `select value from json_each(?)`;
/** Column `i` of a JSON array row of json_each. */
const col = (i: number) => `json_extract(value, '$[${i}]')`;

async function all<R>(tx: Tx, text: string, params: unknown[]): Promise<R[]> {
	return (await tx.executeQuery(CompiledQuery.raw(text, params))).rows as R[];
}
async function run(tx: Tx, text: string, params: unknown[]): Promise<void> {
	await tx.executeQuery(CompiledQuery.raw(text, params));
}

/** Adds `by` to the count under `key` (the aggregate row's key columns). */
function bump(m: Map<string, [unknown[], number]>, key: unknown[], by: number) {
	const k = JSON.stringify(key);
	const e = m.get(k);
	if (e) e[1] += by;
	else m.set(k, [key, by]);
}

/** The non-zero changes of `m` as one JSON array of rows (key columns, then the count), or null when none. */
function changes(m: Map<string, [unknown[], number]>): string | null {
	const out: unknown[][] = [];
	for (const [key, n] of m.values()) if (n !== 0) out.push([...key, n]);
	return out.length ? JSON.stringify(out) : null;
}

/**
 * Writes the engine's verdicts `rows` for the answers `answerIds` (all of them given a `coded_at` of `now`) in `tx`,
 * keeping the aggregates, the theme cube and the data version from the chunk's net change.
 */
export async function storeVerdictsSqlite(
	tx: Tx,
	answerIds: number[],
	rows: SqliteVerdictRow[],
	now: string
): Promise<void> {
	if (answerIds.length === 0) return;
	const idsJson = JSON.stringify(answerIds);
	await run(tx, `insert into ${BYPASS_TABLE} (id) values (1)`, []);
	const answers = await all<AnswerRow>(
		tx,
		`select a.id, a.question_id as q, coalesce(a.wording_version, 1) as v,
			case when a.reviewed_at is not null then 1 else 0 end as r,
			case when a.coded_at is not null then 1 else 0 end as c,
			a.submission_id as sid, a.perspective_id as pid,
			case when p.id is not null and s.id is not null then 1 else 0 end as joined,
			coalesce(p.group_code, '') as g, coalesce(s.district_code, '') as d, s.channel as ch
		 from answer a left join perspective p on p.id = a.perspective_id left join submission s on s.id = a.submission_id
		 where a.id in (${IDS})`,
		[idsJson]
	);
	const stored = await all<CodingRow>(
		tx,
		`select x.answer_id, x.theme_id, x.source, x.applies, x.confidence, x.user_id,
			case when t.status = 'active' then 1 else 0 end as active
		 from answer_theme x left join theme t on t.id = x.theme_id
		 where x.answer_id in (${IDS})`,
		[idsJson]
	);
	const verdictThemes = [...new Set(rows.map((r) => r.theme_id))];
	const activeVerdictTheme = new Set(
		(
			await all<{ id: number }>(tx, `select id from theme where status = 'active' and id in (${IDS})`, [
				JSON.stringify(verdictThemes)
			])
		).map((r) => r.id)
	);

	const storedOf = new Map<number, CodingRow[]>();
	for (const x of stored) {
		const list = storedOf.get(x.answer_id);
		if (list) list.push(x);
		else storedOf.set(x.answer_id, [x]);
	}
	const verdictsOf = new Map<number, Map<number, SqliteVerdictRow>>();
	for (const v of rows) {
		let m = verdictsOf.get(v.answer_id);
		if (!m) verdictsOf.set(v.answer_id, (m = new Map()));
		m.set(v.theme_id, v); // the last verdict of a theme wins, as the upsert would have it
	}

	const drop: [number, number][] = [];
	const clear: [number, number][] = [];
	const write: [number, number, number][] = [];
	const theme = new Map<string, [unknown[], number]>();
	const coded = new Map<string, [unknown[], number]>();
	const coding = new Map<string, [unknown[], number]>();
	const cubeCodings = new Map<string, [unknown[], number]>();
	// The chunk's own (submission, theme) and (perspective, theme) pairs before and after.
	const subBefore = new Set<string>();
	const subAfter = new Set<string>();
	const perspBefore = new Set<string>();
	const perspAfter = new Set<string>();
	for (const a of answers) {
		const before = storedOf.get(a.id) ?? [];
		const verdicts = verdictsOf.get(a.id) ?? new Map<number, SqliteVerdictRow>();
		// The writes, as writeVerdictsNet (recode.ts) makes them.
		const kept = new Set<number>();
		const officers = new Map<number, CodingRow>();
		let human = 0;
		for (const x of before) {
			const v = verdicts.get(x.theme_id);
			if (x.source === 'auto') {
				if (v && x.applies === 1 && x.confidence === v.confidence && x.user_id === null) kept.add(x.theme_id);
				else drop.push([a.id, x.theme_id]);
			} else {
				officers.set(x.theme_id, x);
				if (x.source === 'human') human = 1;
				if (!v) {
					if (x.confidence !== null) clear.push([a.id, x.theme_id]);
				} else if (x.confidence === v.confidence) kept.add(x.theme_id);
			}
		}
		for (const v of verdicts.values()) if (!kept.has(v.theme_id)) write.push([a.id, v.theme_id, v.confidence]);

		// Applying codings before and after (theme id → theme active): officers' rows keep their applies, the
		// engine's rows are its verdicts.
		const was = new Map<number, number>();
		for (const x of before) if (x.applies === 1) was.set(x.theme_id, x.active);
		const is = new Map<number, number>();
		for (const x of officers.values()) if (x.applies === 1) is.set(x.theme_id, x.active);
		for (const t of verdicts.keys()) if (!officers.has(t)) is.set(t, activeVerdictTheme.has(t) ? 1 : 0);

		let wasCoded = 0;
		let nowCoded = 0;
		for (const [t, active] of was) {
			if (active) wasCoded = 1;
			subBefore.add(`${a.sid},${t}`);
			perspBefore.add(`${a.pid},${t}`);
			if (is.has(t)) continue;
			if (a.joined) bump(theme, [t, a.g, a.d, a.ch], -1);
			bump(cubeCodings, [a.q, a.sid, t], -1);
		}
		for (const [t, active] of is) {
			if (active) nowCoded = 1;
			subAfter.add(`${a.sid},${t}`);
			perspAfter.add(`${a.pid},${t}`);
			if (was.has(t)) continue;
			if (a.joined) bump(theme, [t, a.g, a.d, a.ch], 1);
			bump(cubeCodings, [a.q, a.sid, t], 1);
		}
		if (a.joined && nowCoded !== wasCoded) bump(coded, [a.q, a.g, a.d, a.ch], nowCoded - wasCoded);
		if (a.c !== 1) {
			bump(coding, [a.q, a.v, a.r, 0, human], -1);
			bump(coding, [a.q, a.v, a.r, 1, human], 1);
		}
	}

	// The theme cube's pairs: a pair the chunk's answers gain (lose) is gained (lost) by its submission or
	// perspective only if none of its other answers has the theme.
	const pairChanges = async (before: Set<string>, after: Set<string>, column: 'submission_id' | 'perspective_id') => {
		const candidates: [string | number, number, number][] = [];
		const key = (k: string): [string, number] => {
			const comma = k.lastIndexOf(',');
			return [k.slice(0, comma), Number(k.slice(comma + 1))];
		};
		const asId = (id: string) => (column === 'perspective_id' ? Number(id) : id);
		for (const k of after) if (!before.has(k)) candidates.push([asId(key(k)[0]), key(k)[1], 1]);
		for (const k of before) if (!after.has(k)) candidates.push([asId(key(k)[0]), key(k)[1], -1]);
		if (candidates.length === 0) return null;
		const held = await all<{ id: string | number; theme_id: number }>(
			tx,
			`select ${col(0)} as id, ${col(1)} as theme_id from json_each(?)
			 where exists (select 1 from answer a2 join answer_theme y on y.answer_id = a2.id
				where a2.${column} = ${col(0)} and y.theme_id = ${col(1)} and y.applies = 1
				and a2.id not in (${IDS}))`,
			[JSON.stringify(candidates), idsJson]
		);
		const others = new Set(held.map((h) => `${h.id},${h.theme_id}`));
		const net = candidates.filter(([id, t]) => !others.has(`${id},${t}`));
		return net.length ? JSON.stringify(net) : null;
	};
	const subs = await pairChanges(subBefore, subAfter, 'submission_id');
	const persps = await pairChanges(perspBefore, perspAfter, 'perspective_id');

	const pairs = `select ${col(0)}, ${col(1)} from json_each(?)`;
	if (drop.length)
		await run(tx, `delete from answer_theme where (answer_id, theme_id) in (${pairs})`, [JSON.stringify(drop)]);
	if (clear.length)
		await run(tx, `update answer_theme set confidence = null where (answer_id, theme_id) in (${pairs})`, [
			JSON.stringify(clear)
		]);
	if (write.length)
		await run(
			tx,
			`insert into answer_theme (answer_id, theme_id, source, applies, confidence, user_id, updated_at)
			 select ${col(0)}, ${col(1)}, 'auto', 1, ${col(2)}, null, ? from json_each(?) where true
			 on conflict (answer_id, theme_id) do update set confidence = excluded.confidence`,
			[now, JSON.stringify(write)]
		);
	await run(tx, `update answer set coded_at = ? where id in (${IDS})`, [now, idsJson]);

	const th = changes(theme);
	if (th)
		await run(
			tx,
			`insert into analysis_agg_theme (theme_id, group_code, district_code, channel, n)
			 select ${col(0)}, ${col(1)}, ${col(2)}, ${col(3)}, ${col(4)} from json_each(?) where true
			 on conflict (theme_id, group_code, district_code, channel) do update set n = analysis_agg_theme.n + excluded.n`,
			[th]
		);
	const co = changes(coded);
	if (co)
		await run(
			tx,
			`insert into analysis_agg_answer (question_id, group_code, district_code, channel, n, coded)
			 select ${col(0)}, ${col(1)}, ${col(2)}, ${col(3)}, 0, ${col(4)} from json_each(?) where true
			 on conflict (question_id, group_code, district_code, channel)
			 do update set coded = analysis_agg_answer.coded + excluded.coded`,
			[co]
		);
	const cg = changes(coding);
	if (cg)
		await run(
			tx,
			`insert into analysis_agg_coding (question_id, wording_version, is_reviewed, is_coded, has_human, n)
			 select ${col(0)}, ${col(1)}, ${col(2)}, ${col(3)}, ${col(4)}, ${col(5)} from json_each(?) where true
			 on conflict (question_id, wording_version, is_reviewed, is_coded, has_human)
			 do update set n = analysis_agg_coding.n + excluded.n`,
			[cg]
		);
	if (subs) {
		const t = `select ${col(0)} as sid, ${col(1)} as theme_id, ${col(2)} as d from json_each(?)`;
		for (const s of submissionPairs(t)) await run(tx, s, [subs]);
	}
	if (persps)
		await run(
			tx,
			perspectivePairs(`select ${col(0)} as pid, ${col(1)} as theme_id, ${col(2)} as d from json_each(?)`),
			[persps]
		);
	const qc = changes(cubeCodings);
	if (qc)
		await run(
			tx,
			questionCodings(
				`select ${col(0)} as question_id, ${col(1)} as sid, ${col(2)} as theme_id, ${col(3)} as d from json_each(?)`
			),
			[qc]
		);
	await run(tx, `delete from ${BYPASS_TABLE}`, []);
	await run(tx, `update data_version set version = version + 1 where id = 1`, []);
}
