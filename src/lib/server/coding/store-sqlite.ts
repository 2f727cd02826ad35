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
 * coding triggers are off for the chunk (the bypass row, lib/trigger-bypass); the kept quote order's coding triggers
 * (migration 2026-12-11-1100) too, by a second bypass row (migration 2026-12-12-0110), and its rows are written here
 * from the same before and after (`quoteOrderHere`; `CODING_SQLITE_QUOTE_ORDER=triggers` leaves them to the triggers).
 * Likewise the day aggregates' answer_theme triggers (migration 2026-12-12-0500), by a third bypass row (migration
 * 2026-12-12-0600): their net change is analysis_agg_theme's and "coded"'s with the submission's day in the key
 * (`dayNetHere`; `ANALYSIS_DAY_CODER_NET=off` leaves them to the triggers).
 * `CODING_SQLITE_DELTA=grouped` keeps the general path (the A of an A/B, and a way back).
 */
import { CompiledQuery, type Transaction } from 'kysely';
import type { Database } from '../db/schema';
import { envSwitch } from '../../analysis/switches';
import { sqliteHandleOf } from '../db/connect';
import type BetterSqlite from 'better-sqlite3';
import {
	BYPASS_TABLE,
	DAY_BYPASS_ID,
	QUOTE_ORDER_BYPASS_ID,
	SQLITE_DAY_GUARD
} from '../db/migrations/lib/trigger-bypass';
import { QUOTE_ORDER_TABLE } from '../db/migrations/lib/quote-order-sql';
import {
	THEME_EQUALITY_COLUMNS,
	THEME_EQUALITY_KEY,
	THEME_EQUALITY_TABLE,
	THEME_PERSPECTIVE_KEY,
	THEME_PERSPECTIVE_TABLE,
	THEME_QUESTION_KEY,
	THEME_QUESTION_TABLE,
	THEME_SUBMISSION_KEY,
	THEME_SUBMISSION_TABLE,
	perspectivePairs,
	questionCodings,
	submissionPairs
} from '../db/migrations/lib/theme-cube-sql';

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
	/** The day of its submission (what the day aggregates key on). */
	day: string | null;
}

/**
 * An answer with its cells in the theme cube's tables (read when `cubeCellsHere`): each a JSON array of the cell's
 * values, the consultation first and the theme left out (null: no submission or perspective row, so no cell, as the
 * cube's statements join them).
 */
interface CubeAnswerRow extends AnswerRow {
	/** Submission cube: consultation, question set, district, channel, location (0: none), day. */
	sc: string | null;
	/** Equality table: consultation, question set, the five equality answers. */
	ec: string | null;
	/** Perspective cube: consultation, the perspective's question set, group, district, channel. */
	pc: string | null;
	/** Question cube: consultation, the answer's question, district, channel. */
	qc: string | null;
	/** 1 when its perspective's submission is its own (always, as answers are written), else 0. */
	pown: number;
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

/**
 * Whether the theme cube's cells are worked out here from the chunk's answer read (default), or by the cube's own
 * grouped statements joining each pair's submission (`CODING_SQLITE_CUBE=sql`, the A of an A/B, and a way back).
 */
export const cubeCellsHere = () => process.env.CODING_SQLITE_CUBE !== 'sql';

/**
 * Whether the chunk's rows of the kept quote order are written here, one statement per kind of change, with its
 * coding triggers off (default), or by those row triggers, a call with an answer and a perspective lookup per coding
 * written (`CODING_SQLITE_QUOTE_ORDER=triggers`, the A of an A/B, and a way back). Read at use.
 */
export const quoteOrderHere = () => process.env.CODING_SQLITE_QUOTE_ORDER !== 'triggers';

/** The day aggregates' answer_theme triggers, guarded by their own bypass row (migration 2026-12-12-0600). */
const DAY_TRIGGERS = ['agg_day_answer_theme_insert', 'agg_day_answer_theme_delete', 'agg_day_answer_theme_update'];

/**
 * Whether the chunk's net change of the day aggregates (analysis_agg_theme_day, analysis_agg_answer_day) is written
 * here, with their answer_theme row triggers off for the chunk (default), or left to those triggers, up to four
 * statements per coding row written (`ANALYSIS_DAY_CODER_NET=off`, the A of an A/B, and a way back; read at use).
 * Also needs the triggers' guard (a database without migration 2026-12-12-0600, or without the day tables, keeps
 * the triggers): one look at the schema per chunk.
 */
async function dayNetHere(tx: Tx): Promise<boolean> {
	if (envSwitch('ANALYSIS_DAY_CODER_NET') === 'off') return false;
	const [r] = await all<{ n: number }>(
		tx,
		`select count(*) as n from sqlite_master where type = 'trigger' and name in (${DAY_TRIGGERS.map(() => '?').join(', ')})
			and instr(sql, ?) > 0`,
		[...DAY_TRIGGERS, SQLITE_DAY_GUARD]
	);
	return r.n === DAY_TRIGGERS.length;
}

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
	// Numbers alone (analysis_agg_coding's key) joined by commas; else as JSON (which starts with "[", so the two
	// kinds of key never meet).
	const k = key.every((v) => typeof v === 'number') ? key.join(',') : JSON.stringify(key);
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
 * Counts by cell (a JSON array of the cell's values, the consultation first and the theme left out, as the answer
 * read gives it) and theme. Keyed by the cell's string as read (its hash computed once per string) and then the theme
 * id, so that no key is built per count.
 */
type Cells = Map<string, Map<number, number>>;

/** Adds `by` to theme `t`'s count in `cell` (a JSON array of the cell's other values) of `m`. */
function addCell(m: Cells, cell: string, t: number, by: number) {
	let themes = m.get(cell);
	if (!themes) m.set(cell, (themes = new Map()));
	themes.set(t, (themes.get(t) ?? 0) + by);
}

/**
 * The non-zero counts of `m` as one JSON array of rows, or null when none: each row the cell's values with the theme
 * put at `at` (0: first; 1: after the first value, which is then a number: the cube's consultation), then n. Written
 * as text from the cells' own JSON, not parsed and written again.
 */
function cellChanges(m: Cells, at: 0 | 1): string | null {
	const out: string[] = [];
	for (const [cell, themes] of m) {
		const inner = cell.slice(1, -1);
		const comma = at === 1 ? inner.indexOf(',') : -1;
		for (const [t, n] of themes)
			if (n !== 0)
				out.push(
					at === 0
						? `[${t},${inner},${n}]`
						: comma < 0
							? `[${inner},${t},${n}]`
							: `[${inner.slice(0, comma)},${t},${inner.slice(comma + 1)},${n}]`
				);
	}
	return out.length ? `[${out.join(',')}]` : null;
}

/** (id, theme) pairs: the themes of each submission or perspective. */
type Pairs<K> = Map<K, Set<number>>;
function addPair<K>(m: Pairs<K>, id: K, t: number) {
	const themes = m.get(id);
	if (themes) themes.add(t);
	else m.set(id, new Set([t]));
}
const hasPair = <K>(m: Pairs<K>, id: K, t: number) => m.get(id)?.has(t) ?? false;

/** The pairs gained (d = 1) and lost (d = -1) between `before` and `after`, as [id, theme, d]. */
function pairCandidates<K>(before: Pairs<K>, after: Pairs<K>): [K, number, number][] {
	const out: [K, number, number][] = [];
	for (const [id, themes] of after) for (const t of themes) if (!hasPair(before, id, t)) out.push([id, t, 1]);
	for (const [id, themes] of before) for (const t of themes) if (!hasPair(after, id, t)) out.push([id, t, -1]);
	return out;
}

/** Adds rows (the key's columns, then n) of one JSON parameter to a cube table's counts. */
const cellUpsert = (table: string, key: readonly string[]) =>
	`insert into ${table} (${key.join(', ')}, n)
	 select ${key.map((_, i) => col(i)).join(', ')}, ${col(key.length)} from json_each(?) where true
	 on conflict (${key.join(', ')}) do update set n = ${table}.n + excluded.n`;
const SUBMISSION_CELLS = cellUpsert(THEME_SUBMISSION_TABLE, THEME_SUBMISSION_KEY);
const EQUALITY_CELLS = cellUpsert(THEME_EQUALITY_TABLE, THEME_EQUALITY_KEY);
const PERSPECTIVE_CELLS = cellUpsert(THEME_PERSPECTIVE_TABLE, THEME_PERSPECTIVE_KEY);
const QUESTION_CELLS = cellUpsert(THEME_QUESTION_TABLE, THEME_QUESTION_KEY);

/**
 * The applying codings of themes (5th parameter) of answers not in the chunk (6th) of some submissions (1st, again
 * 3rd) or perspectives (2nd, again 4th). The answers are found through the perspectives, the submissions' own
 * (perspective_unique) and the ones named, by answer_unique (answer_submission dropped by migration 2026-12-12-0400),
 * and still kept to those of the submissions or perspectives named. The themes filter each answer's few applying
 * codings (`+`: not one index probe per answer and theme).
 */
const HELD_READ = `select a2.submission_id as sid, a2.perspective_id as pid, y.theme_id
	 from answer a2 join answer_theme y on y.answer_id = a2.id
	 where a2.perspective_id in (select hp.id from perspective hp where hp.submission_id in (${IDS}) union ${IDS})
		and (+a2.submission_id in (${IDS}) or +a2.perspective_id in (${IDS}))
		and y.applies = 1 and +y.theme_id in (${IDS}) and a2.id not in (${IDS})`;

const ANSWERS = `select a.id, a.question_id as q, coalesce(a.wording_version, 1) as v,
			case when a.reviewed_at is not null then 1 else 0 end as r,
			case when a.coded_at is not null then 1 else 0 end as c,
			a.submission_id as sid, a.perspective_id as pid,
			case when p.id is not null and s.id is not null then 1 else 0 end as joined,
			coalesce(p.group_code, '') as g, coalesce(s.district_code, '') as d, s.channel as ch,
			substr(s.created_at, 1, 10) as day`;
const FROM_ANSWERS = `from answer a left join perspective p on p.id = a.perspective_id left join submission s on s.id = a.submission_id
		 where a.id in (${IDS})`;
/** The chunk's answers, with (`cubeCellsHere`) their submission's and perspective's cube cells. */
const ANSWERS_READ = `${ANSWERS} ${FROM_ANSWERS}`;
const ANSWERS_CUBE_READ = `${ANSWERS},
			case when s.id is not null then json_array(s.consultation_id, s.question_set, coalesce(s.district_code, ''),
				s.channel, coalesce(s.location_id, 0), substr(s.created_at, 1, 10)) end as sc,
			case when s.id is not null then json_array(s.consultation_id, s.question_set,
				${THEME_EQUALITY_COLUMNS.map((c) => `s.${c}`).join(', ')}) end as ec,
			case when s.id is not null and p.id is not null then json_array(s.consultation_id, p.question_set,
				coalesce(p.group_code, ''), coalesce(s.district_code, ''), s.channel) end as pc,
			case when s.id is not null then json_array(s.consultation_id, a.question_id, coalesce(s.district_code, ''),
				s.channel) end as qc,
			p.submission_id is a.submission_id as pown
		 ${FROM_ANSWERS}`;

/**
 * Whether the chunk's writes run as prepared statements, one run per row, on the connection's better-sqlite3 handle
 * inside the transaction Kysely holds (default), or as one statement per write whose rows are one JSON parameter
 * read through json_each (`CODING_SQLITE_ROWS=off`, the before; read at use, once a chunk). Each JSON row's columns
 * were parsed again by json_extract, one call per column: about half of an upsert's CPU (issue #19, helper code38;
 * docs/analysis.md). A database without the handle (not opened by db/connect.ts) writes as before.
 */
export const rowWrites = () => envSwitch('CODING_SQLITE_ROWS') !== 'off';

/** Upserts one row: the key's columns, then the count added to `column` (n) of the row with that key. */
const rowUpsert = (table: string, key: readonly string[], column = 'n', others = '') =>
	`insert into ${table} (${key.join(', ')}, ${others}${column}) values (${key.map(() => '?').join(', ')}, ${others ? '0, ' : ''}?)
	 on conflict (${key.join(', ')}) do update set ${column} = ${table}.${column} + excluded.${column}`;

/** The per-row statements (CODING_SQLITE_ROWS), each prepared once by the connection's statement cache. */
const ROW = {
	drop: `delete from answer_theme where answer_id = ? and theme_id = ?`,
	clear: `update answer_theme set confidence = null where answer_id = ? and theme_id = ?`,
	write: `insert into answer_theme (answer_id, theme_id, source, applies, confidence, user_id, updated_at)
	 values (?, ?, 'auto', 1, ?, null, ?) on conflict (answer_id, theme_id) do update set confidence = excluded.confidence`,
	qoDrop: `delete from ${QUOTE_ORDER_TABLE} where answer_id = ? and theme_id = ?`,
	qoUpdate: `update ${QUOTE_ORDER_TABLE} set conf = coalesce(?, 1), confidence = ? where answer_id = ? and theme_id = ?`,
	qoInsert: `insert into ${QUOTE_ORDER_TABLE} (answer_id, theme_id, group_code, conf, confidence, source)
	 values (?, ?, ?, coalesce(?, 1), ?, 'auto')`,
	/** A re-scored engine row's quote-order row, whether or not it had one (CODING_SQLITE_IN_PLACE). */
	qoReplace: `insert into ${QUOTE_ORDER_TABLE} (answer_id, theme_id, group_code, conf, confidence, source)
	 values (?, ?, ?, coalesce(?, 1), ?, 'auto') on conflict (answer_id, theme_id) do update set
	 group_code = excluded.group_code, conf = excluded.conf, confidence = excluded.confidence, source = excluded.source`,
	/**
	 * The quote-order row of a re-scored engine row that applied, as the coding triggers left it (its answer's
	 * respondent type, source 'auto'): only its confidence changes. No row changed (a row not there, or not so): the
	 * upsert above.
	 */
	qoRescore: `update ${QUOTE_ORDER_TABLE} set conf = coalesce(?, 1), confidence = ?
	 where answer_id = ? and theme_id = ? and group_code = ? and source = 'auto'`,
	codedAt: `update answer set coded_at = ? where id = ?`,
	theme: rowUpsert('analysis_agg_theme', ['theme_id', 'group_code', 'district_code', 'channel']),
	coded: rowUpsert('analysis_agg_answer', ['question_id', 'group_code', 'district_code', 'channel'], 'coded', 'n, '),
	themeDay: rowUpsert('analysis_agg_theme_day', ['theme_id', 'group_code', 'district_code', 'channel', 'day']),
	codedDay: rowUpsert(
		'analysis_agg_answer_day',
		['question_id', 'group_code', 'district_code', 'channel', 'day'],
		'coded',
		'n, '
	),
	coding: rowUpsert('analysis_agg_coding', ['question_id', 'wording_version', 'is_reviewed', 'is_coded', 'has_human']),
	cells: [
		rowUpsert(THEME_SUBMISSION_TABLE, THEME_SUBMISSION_KEY),
		rowUpsert(THEME_EQUALITY_TABLE, THEME_EQUALITY_KEY),
		rowUpsert(THEME_PERSPECTIVE_TABLE, THEME_PERSPECTIVE_KEY),
		rowUpsert(THEME_QUESTION_TABLE, THEME_QUESTION_KEY)
	]
};

/** (answer_id, theme_id) pairs of a JSON parameter. */
const PAIRS = `select ${col(0)}, ${col(1)} from json_each(?)`;

/**
 * The writes to tables with row triggers (answer_theme, answer), each one statement a chunk whose rows are one JSON
 * parameter: the JSON path's own statements, and (`triggeredSet`) the per-row path's for these tables.
 */
const SET = {
	drop: `delete from answer_theme where (answer_id, theme_id) in (${PAIRS})`,
	clear: `update answer_theme set confidence = null where (answer_id, theme_id) in (${PAIRS})`,
	write: `insert into answer_theme (answer_id, theme_id, source, applies, confidence, user_id, updated_at)
	 select ${col(0)}, ${col(1)}, 'auto', 1, ${col(2)}, null, ? from json_each(?) where true
	 on conflict (answer_id, theme_id) do update set confidence = excluded.confidence`,
	codedAt: `update answer set coded_at = ? where id in (${IDS})`,
	/**
	 * Re-scored engine rows (CODING_SQLITE_IN_PLACE): [answer, theme, confidence], `updated_at` the first parameter.
	 * `rescore`: rows that applied with no user, so only the confidence and `updated_at` change (and only the triggers
	 * on those columns run their WHEN); `replace`: the others (applies or user_id changes too).
	 */
	rescore: `update answer_theme set confidence = j.c, updated_at = ?
	 from (select ${col(0)} as a, ${col(1)} as t, ${col(2)} as c from json_each(?)) j
	 where answer_id = j.a and theme_id = j.t`,
	replace: `update answer_theme set source = 'auto', applies = 1, confidence = j.c, user_id = null, updated_at = ?
	 from (select ${col(0)} as a, ${col(1)} as t, ${col(2)} as c from json_each(?)) j
	 where answer_id = j.a and theme_id = j.t`
};

/**
 * Whether, on the per-row path (CODING_SQLITE_ROWS), the writes to the two tables with row triggers (answer_theme's
 * codings dropped, confidences cleared and verdicts upserted; answer's `coded_at`) run as one statement each per
 * chunk (default), or once per row like the rest (`CODING_SQLITE_TRIGGERED_SET=off`, code38's path; read at use,
 * once a chunk). Every trigger of those tables is compiled into the statement as a sub-program; SQLite gives a
 * sub-program its frame (its registers, a few hundred for the theme cube's bodies) at the first row that calls it in
 * a statement's run and frees it when the statement is reset, so a statement run once per row set up and tore down
 * the frame of every trigger (six on an insert into answer_theme) for each row only to find the coder's bypass row in
 * its WHEN: about 30 µs a coding row, three times the insert itself (issue #19, helper code39, docs/analysis.md).
 * One statement a chunk sets each frame up once. The other tables the coder writes have no triggers and stay per row.
 */
export const triggeredSet = () => envSwitch('CODING_SQLITE_TRIGGERED_SET') !== 'off';

/**
 * Whether, on the per-row path (CODING_SQLITE_ROWS) with the quote order written here, an engine row the chunk's
 * verdicts keep the theme of but re-score (another confidence, or not applying, or with a user) is updated where it
 * stands (default): answer_theme's row by one statement a chunk, its quote-order row by an upsert; or dropped and
 * inserted again, as before (`CODING_SQLITE_IN_PLACE=off`; read at use, once a chunk). The rows end up the same
 * (source 'auto', applies 1, the new confidence, no user, `updated_at` now; the quote-order row with the answer's
 * respondent type, or none when the answer has no perspective or submission row). Coding answers whose engine rows
 * were written by another coder (the generator's keyword rows; a recode after retraining) re-scores nearly every
 * row: a delete and an insert into answer_theme (six indexes) and into the quote order (two) each, where an update
 * touches the confidence's indexes only (issue #19, helper code40, docs/analysis.md).
 */
export const inPlace = () => envSwitch('CODING_SQLITE_IN_PLACE') !== 'off';

/** The non-zero counts of `m` as rows (key columns, then n). */
function changeRows(m: Map<string, [unknown[], number]>): unknown[][] {
	const out: unknown[][] = [];
	for (const [key, n] of m.values()) if (n !== 0) out.push([...key, n]);
	return out;
}

/** The non-zero counts of `m` as rows, the theme put at `at` as in `cellChanges`, then n. */
function cellRows(m: Cells, at: 0 | 1): unknown[][] {
	const out: unknown[][] = [];
	for (const [cell, themes] of m) {
		let values: unknown[] | null = null;
		for (const [t, n] of themes) {
			if (n === 0) continue;
			values ??= JSON.parse(cell) as unknown[];
			out.push(at === 0 ? [t, ...values, n] : [values[0], t, ...values.slice(1), n]);
		}
	}
	return out;
}

/** What `storeVerdictsSqlite` writes of a chunk, worked out before its writes. */
interface ChunkWrites {
	drop: [number, number][];
	/**
	 * Engine rows re-scored in place (CODING_SQLITE_IN_PLACE): [answer, theme, confidence]; `rescore` those that
	 * applied with no user (only the confidence changes), `replace` the others.
	 */
	rescore: [number, number, number][];
	replace: [number, number, number][];
	/**
	 * Their quote-order rows, [answer, theme, group, confidence]: `qoRescore` of rows that applied (updated, else
	 * upserted), `qoReplace` upserted; with no perspective or submission row, deleted (`qoReplaceDrop`).
	 */
	qoRescore: [number, number, string, number][];
	qoReplace: [number, number, string, number][];
	qoReplaceDrop: [number, number][];
	clear: [number, number][];
	write: [number, number, number][];
	qoHere: boolean;
	qoUpdate: [number, number, number | null][];
	qoInsert: [number, number, string, number][];
	theme: Cells;
	coded: Map<string, [unknown[], number]>;
	themeDay: Cells;
	codedDay: Map<string, [unknown[], number]>;
	coding: Map<string, [unknown[], number]>;
}

/**
 * The chunk's writes (CODING_SQLITE_ROWS), each a prepared statement run once per row, in the order of the JSON
 * statements they replace: codings, the quote order, `coded_at`, the aggregates, the theme cube's cells (submission,
 * equality, perspective, question).
 */
function writeRows(
	handle: BetterSqlite.Database,
	now: string,
	answerIds: number[],
	w: ChunkWrites,
	cubeCells: [Cells, Cells, Cells, Cells]
): void {
	const each = (text: string, rows: unknown[][]) => {
		if (rows.length === 0) return;
		const st = handle.prepare(text);
		for (const r of rows) st.run(r);
	};
	const set = triggeredSet();
	if (set) {
		// answer_theme: one statement per kind of change (its triggers' frames set up once, see triggeredSet).
		if (w.drop.length) handle.prepare(SET.drop).run(JSON.stringify(w.drop));
		if (w.clear.length) handle.prepare(SET.clear).run(JSON.stringify(w.clear));
		if (w.rescore.length) handle.prepare(SET.rescore).run(now, JSON.stringify(w.rescore));
		if (w.replace.length) handle.prepare(SET.replace).run(now, JSON.stringify(w.replace));
		if (w.write.length) handle.prepare(SET.write).run(now, JSON.stringify(w.write));
	} else {
		each(ROW.drop, w.drop);
		each(ROW.clear, w.clear);
		if (w.rescore.length) handle.prepare(SET.rescore).run(now, JSON.stringify(w.rescore));
		if (w.replace.length) handle.prepare(SET.replace).run(now, JSON.stringify(w.replace));
		if (w.write.length) {
			const st = handle.prepare(ROW.write);
			for (const [a, t, c] of w.write) st.run(a, t, c, now);
		}
	}
	if (w.qoHere) {
		each(ROW.qoDrop, w.drop);
		each(ROW.qoDrop, w.qoReplaceDrop);
		if (w.qoRescore.length || w.qoReplace.length) {
			const upsert = handle.prepare(ROW.qoReplace);
			const update = handle.prepare(ROW.qoRescore);
			for (const [a, t, g, c] of w.qoRescore) if (update.run(c, c, a, t, g).changes === 0) upsert.run(a, t, g, c, c);
			for (const [a, t, g, c] of w.qoReplace) upsert.run(a, t, g, c, c);
		}
		if (w.qoUpdate.length) {
			const st = handle.prepare(ROW.qoUpdate);
			for (const [a, t, c] of w.qoUpdate) st.run(c, c, a, t);
		}
		if (w.qoInsert.length) {
			const st = handle.prepare(ROW.qoInsert);
			for (const [a, t, g, c] of w.qoInsert) st.run(a, t, g, c, c);
		}
	}
	if (set) handle.prepare(SET.codedAt).run(now, JSON.stringify(answerIds));
	else {
		const codedAt = handle.prepare(ROW.codedAt);
		for (const id of answerIds) codedAt.run(now, id);
	}
	each(ROW.theme, cellRows(w.theme, 0));
	each(ROW.coded, changeRows(w.coded));
	each(ROW.themeDay, cellRows(w.themeDay, 0));
	each(ROW.codedDay, changeRows(w.codedDay));
	each(ROW.coding, changeRows(w.coding));
	cubeCells.forEach((cells, i) => each(ROW.cells[i], cellRows(cells, 1)));
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
	const qoHere = quoteOrderHere();
	const dayHere = await dayNetHere(tx);
	await run(
		tx,
		`insert into ${BYPASS_TABLE} (id) values (1)${qoHere ? `, (${QUOTE_ORDER_BYPASS_ID})` : ''}${
			dayHere ? `, (${DAY_BYPASS_ID})` : ''
		}`,
		[]
	);
	const here = cubeCellsHere();
	const answers = await all<AnswerRow>(tx, here ? ANSWERS_CUBE_READ : ANSWERS_READ, [idsJson]);
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

	// CODING_SQLITE_ROWS (default): each write a prepared statement run once per row on the connection's handle.
	const handle = rowWrites() ? sqliteHandleOf(tx) : null;
	// CODING_SQLITE_IN_PLACE (default): re-scored engine rows updated where they stand (per-row path, quote order here).
	const replacing = handle !== null && qoHere && inPlace();
	const drop: [number, number][] = [];
	const clear: [number, number][] = [];
	const write: [number, number, number][] = [];
	const rescore: [number, number, number][] = [];
	const replace: [number, number, number][] = [];
	const qoRescore: [number, number, string, number][] = [];
	const qoReplace: [number, number, string, number][] = [];
	const qoReplaceDrop: [number, number][] = [];
	// The kept quote order's changes (qoHere), as its triggers would make them: rows of the written codings that
	// are new (answer, theme, group, confidence), and the confidence of officers' applying rows (answer, theme,
	// confidence). The dropped engine rows' are deleted by `drop`'s keys.
	const qoInsert: [number, number, string, number][] = [];
	const qoUpdate: [number, number, number | null][] = [];
	// analysis_agg_theme by (group, district, channel) as a JSON array, then theme.
	const theme: Cells = new Map();
	const coded = new Map<string, [unknown[], number]>();
	// `dayHere`: the same two changes with the submission's day in the key (analysis_agg_theme_day by (group,
	// district, channel, day) as a JSON array, then theme; analysis_agg_answer_day's "coded").
	const themeDay: Cells = new Map();
	const codedDay = new Map<string, [unknown[], number]>();
	const coding = new Map<string, [unknown[], number]>();
	const cubeCodings = new Map<string, [unknown[], number]>();
	// `cubeCellsHere`: the cube's cells, keyed by theme and the JSON of the cell's other values.
	const subCells: Cells = new Map();
	const eqCells: Cells = new Map();
	const perspCells: Cells = new Map();
	const questionCells: Cells = new Map();
	const codingCell = here
		? (a: AnswerRow, t: number, by: number) => {
				const qc = (a as CubeAnswerRow).qc;
				if (qc !== null) addCell(questionCells, qc, t, by);
			}
		: (a: AnswerRow, t: number, by: number) => bump(cubeCodings, [a.q, a.sid, t], by);
	// The chunk's own (submission, theme) and (perspective, theme) pairs before and after.
	const subBefore: Pairs<string> = new Map();
	const subAfter: Pairs<string> = new Map();
	const perspBefore: Pairs<number> = new Map();
	const perspAfter: Pairs<number> = new Map();
	for (const a of answers) {
		let cell: string | null = null;
		const themeCell = () => (cell ??= JSON.stringify([a.g, a.d, a.ch]));
		let dayCell: string | null = null;
		const themeAdd = (t: number, by: number) => {
			addCell(theme, themeCell(), t, by);
			if (dayHere) addCell(themeDay, (dayCell ??= JSON.stringify([a.g, a.d, a.ch, a.day])), t, by);
		};
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
				else if (v && replacing) {
					// Re-scored where it stands: the row the drop and the insert below would leave, and its quote-order row.
					kept.add(x.theme_id);
					const applied = x.applies === 1 && x.user_id === null;
					(applied ? rescore : replace).push([a.id, x.theme_id, v.confidence]);
					if (a.joined) (x.applies === 1 ? qoRescore : qoReplace).push([a.id, x.theme_id, a.g, v.confidence]);
					else qoReplaceDrop.push([a.id, x.theme_id]);
				} else drop.push([a.id, x.theme_id]);
			} else {
				officers.set(x.theme_id, x);
				if (x.source === 'human') human = 1;
				if (!v) {
					if (x.confidence !== null) {
						clear.push([a.id, x.theme_id]);
						if (x.applies === 1) qoUpdate.push([a.id, x.theme_id, null]);
					}
				} else if (x.confidence === v.confidence) kept.add(x.theme_id);
			}
		}
		for (const v of verdicts.values()) {
			if (kept.has(v.theme_id)) continue;
			write.push([a.id, v.theme_id, v.confidence]);
			// An officer's row takes the confidence (its quote-order row, if it applies); else the row is new (an engine
			// row not kept was dropped above), with the answer's respondent type (its perspective's, read with it).
			const officer = officers.get(v.theme_id);
			if (officer) {
				if (officer.applies === 1) qoUpdate.push([a.id, v.theme_id, v.confidence]);
			} else if (a.joined) qoInsert.push([a.id, v.theme_id, a.g, v.confidence]);
		}

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
			addPair(subBefore, a.sid, t);
			addPair(perspBefore, a.pid, t);
			if (is.has(t)) continue;
			if (a.joined) themeAdd(t, -1);
			codingCell(a, t, -1);
		}
		for (const [t, active] of is) {
			if (active) nowCoded = 1;
			addPair(subAfter, a.sid, t);
			addPair(perspAfter, a.pid, t);
			if (was.has(t)) continue;
			if (a.joined) themeAdd(t, 1);
			codingCell(a, t, 1);
		}
		if (a.joined && nowCoded !== wasCoded) {
			bump(coded, [a.q, a.g, a.d, a.ch], nowCoded - wasCoded);
			if (dayHere) bump(codedDay, [a.q, a.g, a.d, a.ch, a.day], nowCoded - wasCoded);
		}
		if (a.c !== 1) {
			bump(coding, [a.q, a.v, a.r, 0, human], -1);
			bump(coding, [a.q, a.v, a.r, 1, human], 1);
		}
	}

	// The theme cube's pairs: a pair the chunk's answers gain (lose) is gained (lost) by its submission or
	// perspective only if none of its other answers has the theme.
	const subCandidates = pairCandidates(subBefore, subAfter);
	const perspCandidates = pairCandidates(perspBefore, perspAfter);
	let subs: string | null = null;
	let persps: string | null = null;
	if (!here) {
		const pairChanges = async (candidates: [string | number, number, number][], column: string) => {
			if (candidates.length === 0) return null;
			const held = await all<{ id: string | number; theme_id: number }>(
				tx,
				`select ${col(0)} as id, ${col(1)} as theme_id from json_each(?)
				 where exists (select 1 from answer a2 join answer_theme y on y.answer_id = a2.id
					where ${
						column === 'submission_id'
							? // Through the submission's perspectives (answer_submission dropped by migration 2026-12-12-0400).
								`a2.perspective_id in (select hp.id from perspective hp where hp.submission_id = ${col(0)}) and +`
							: ''
					}a2.${column} = ${col(0)} and y.theme_id = ${col(1)} and y.applies = 1
					and a2.id not in (${IDS}))`,
				[JSON.stringify(candidates), idsJson]
			);
			const others = new Set(held.map((h) => `${h.id},${h.theme_id}`));
			const net = candidates.filter(([id, t]) => !others.has(`${id},${t}`));
			return net.length ? JSON.stringify(net) : null;
		};
		subs = await pairChanges(subCandidates, 'submission_id');
		persps = await pairChanges(perspCandidates, 'perspective_id');
	} else if (subCandidates.length || perspCandidates.length) {
		// Both sides in one read: the applying codings of the candidates' themes held by the other answers of the
		// candidates' submissions or perspectives.
		const subIds = JSON.stringify([...new Set(subCandidates.map((c) => c[0]))]);
		const perspIds = JSON.stringify([...new Set(perspCandidates.map((c) => c[0]))]);
		const held = await all<{ sid: string; pid: number; theme_id: number }>(tx, HELD_READ, [
			subIds,
			perspIds,
			subIds,
			perspIds,
			JSON.stringify([...new Set([...subCandidates, ...perspCandidates].map((c) => c[1]))]),
			idsJson
		]);
		const subHeld: Pairs<string> = new Map();
		const perspHeld: Pairs<number> = new Map();
		for (const h of held) {
			addPair(subHeld, h.sid, h.theme_id);
			addPair(perspHeld, h.pid, h.theme_id);
		}
		// Each pair's cells, from an answer of the chunk with its submission (perspective): the same row for all.
		const bySubmission = new Map<string, CubeAnswerRow>();
		const byPerspective = new Map<number, CubeAnswerRow>();
		// The perspective cube takes the district and channel of the perspective's own submission: from this read
		// when it is the answer's (always, as answers are written); else the cube's own statement joins it.
		let perspectiveOwnSubmission = true;
		for (const a of answers as CubeAnswerRow[]) {
			if (!bySubmission.has(a.sid)) bySubmission.set(a.sid, a);
			if (!byPerspective.has(a.pid)) byPerspective.set(a.pid, a);
			if (a.pown !== 1) perspectiveOwnSubmission = false;
		}
		for (const [sid, t, d] of subCandidates) {
			if (hasPair(subHeld, sid, t)) continue;
			const a = bySubmission.get(sid)!;
			if (a.sc !== null) addCell(subCells, a.sc, t, d);
			if (a.ec !== null) addCell(eqCells, a.ec, t, d);
		}
		const netPersps: [string | number, number, number][] = [];
		for (const [pid, t, d] of perspCandidates) {
			if (hasPair(perspHeld, pid, t)) continue;
			if (!perspectiveOwnSubmission) netPersps.push([pid, t, d]);
			else {
				const pc = byPerspective.get(pid)!.pc;
				if (pc !== null) addCell(perspCells, pc, t, d);
			}
		}
		if (netPersps.length) persps = JSON.stringify(netPersps);
	}

	if (handle)
		writeRows(
			handle,
			now,
			answerIds,
			{
				drop,
				rescore,
				replace,
				qoRescore,
				qoReplace,
				qoReplaceDrop,
				clear,
				write,
				qoHere,
				qoUpdate,
				qoInsert,
				theme,
				coded,
				themeDay,
				codedDay,
				coding
			},
			[subCells, eqCells, perspCells, questionCells]
		);
	else {
		const dropJson = JSON.stringify(drop);
		if (drop.length) await run(tx, SET.drop, [dropJson]);
		if (clear.length) await run(tx, SET.clear, [JSON.stringify(clear)]);
		if (write.length) await run(tx, SET.write, [now, JSON.stringify(write)]);
		if (qoHere) {
			if (drop.length)
				await run(tx, `delete from ${QUOTE_ORDER_TABLE} where (answer_id, theme_id) in (${PAIRS})`, [dropJson]);
			if (qoUpdate.length)
				await run(
					tx,
					`update ${QUOTE_ORDER_TABLE} set conf = coalesce(j.c, 1), confidence = j.c
					 from (select ${col(0)} as a, ${col(1)} as t, ${col(2)} as c from json_each(?)) j
					 where answer_id = j.a and theme_id = j.t`,
					[JSON.stringify(qoUpdate)]
				);
			if (qoInsert.length)
				await run(
					tx,
					`insert into ${QUOTE_ORDER_TABLE} (answer_id, theme_id, group_code, conf, confidence, source)
					 select ${col(0)}, ${col(1)}, ${col(2)}, coalesce(${col(3)}, 1), ${col(3)}, 'auto' from json_each(?)`,
					[JSON.stringify(qoInsert)]
				);
		}
		await run(tx, SET.codedAt, [now, idsJson]);

		const th = cellChanges(theme, 0);
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
		const thd = cellChanges(themeDay, 0);
		if (thd)
			await run(
				tx,
				`insert into analysis_agg_theme_day (theme_id, group_code, district_code, channel, day, n)
				 select ${col(0)}, ${col(1)}, ${col(2)}, ${col(3)}, ${col(4)}, ${col(5)} from json_each(?) where true
				 on conflict (theme_id, group_code, district_code, channel, day)
				 do update set n = analysis_agg_theme_day.n + excluded.n`,
				[thd]
			);
		const cod = changes(codedDay);
		if (cod)
			await run(
				tx,
				`insert into analysis_agg_answer_day (question_id, group_code, district_code, channel, day, n, coded)
				 select ${col(0)}, ${col(1)}, ${col(2)}, ${col(3)}, ${col(4)}, 0, ${col(5)} from json_each(?) where true
				 on conflict (question_id, group_code, district_code, channel, day)
				 do update set coded = analysis_agg_answer_day.coded + excluded.coded`,
				[cod]
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
	}
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
	if (!handle)
		for (const [text, cells] of [
			[SUBMISSION_CELLS, subCells],
			[EQUALITY_CELLS, eqCells],
			[PERSPECTIVE_CELLS, perspCells],
			[QUESTION_CELLS, questionCells]
		] as const) {
			const rowsJson = cellChanges(cells, 1);
			if (rowsJson) await run(tx, text, [rowsJson]);
		}
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
