/**
 * The survey writer's grouped commit keeps the analysis aggregates of its own inserts (issue #18: on SQLite 18 of
 * a submission's 31 row writes were aggregate and data-version triggers, one upsert per inserted row per table).
 * Inside the batch's transaction the writer switches off the insert triggers of `submission`, `perspective` and
 * `answer` (migration 2026-12-11-0200: a row in its control table, deleted again before the commit), inserts
 * the batch, then counts the batch's share of every aggregate table those triggers keep in JavaScript from the rows
 * it inserted, adds it with one multi-row upsert per table, and bumps the data version once. The shares are the
 * triggers' own expressions, grouped: after the batch the tables equal what the row triggers would have left. The
 * sets it claimed (submission.group_set and question_set, perspective.question_set) stand in for the settling
 * statements: see addBatchAggregates for why they hold, and the one case checked in SQL.
 *
 * Only the online grouped commit uses it (survey/batch-store.ts); every other write keeps the triggers. SQLite
 * only (PostgreSQL's triggers on these inserts are statement-level already). `WRITER_AGGREGATES=off` keeps the
 * triggers (the A/B switch and a way back). The path is used only if every insert trigger on the three tables
 * carries the guard: a trigger added (or created again) later without it keeps the old path, never counted twice.
 */
import { CompiledQuery, SqliteAdapter, sql, type Transaction } from 'kysely';
import type { Db } from '../db/connect';
import type { Database } from '../db/schema';
import { groupSetOf } from '../db/migrations/2026-12-01-0500-group-set-aggregates';
import { WRITER_BYPASS_TABLE, WRITER_GUARD } from '../db/migrations/2026-12-11-0200-writer-aggregates';
import {
	COMPLETED_FIELD,
	EQUALITY_MARGIN_KEY,
	EQUALITY_MARGIN_TABLE,
	MARGIN_SKIPPED
} from '../db/migrations/lib/equality-margin-sql';

type Tx = Transaction<Database>;

/** A claimed set differs from the one the triggers compute: the batch is stored again with the triggers on. */
export class ClaimedSetMismatch extends Error {
	constructor() {
		super('a claimed group set differs from the stored rows');
	}
}

/** What the writer found of the schema: whether it may keep the aggregates, and whether the day table is there. */
export interface WriterSchema {
	usable: boolean;
	/** analysis_agg_answer_day (migration 2026-12-12-0500) exists. */
	day: boolean;
	/** analysis_agg_question_set_total and _equality_total (migration 2026-12-12-0900) exist. */
	totals?: boolean;
}

/** Per database: what was found, and the schema version (SQLite's schema cookie) it was found at. */
const known = new WeakMap<Db, { version: number | null; schema: Promise<WriterSchema> }>();

const NOT_USABLE: WriterSchema = { usable: false, day: false, totals: false };

async function probe(db: Pick<Db, 'executeQuery'>): Promise<WriterSchema> {
	const table = await db.executeQuery<{ n: number }>(
		CompiledQuery.raw(`select count(*) as n from sqlite_master where type = 'table' and name = ?`, [
			WRITER_BYPASS_TABLE
		])
	);
	if (Number(table.rows[0]?.n ?? 0) === 0) return NOT_USABLE;
	const triggers = await db.executeQuery<{ sql: string }>(
		CompiledQuery.raw(`select sql from sqlite_master where type = 'trigger'
			and tbl_name in ('submission', 'perspective', 'answer')`)
	);
	const usable = triggers.rows
		.filter((t) => /\b(before|after|instead\s+of)\s+insert\s+on\b/i.test(t.sql))
		.every((t) => t.sql.includes(WRITER_GUARD));
	const day = await db.executeQuery<{ n: number }>(CompiledQuery.raw(DAY_TABLE_SQL));
	const totals = await db.executeQuery<{ n: number }>(CompiledQuery.raw(TOTALS_TABLE_SQL));
	return { usable, day: Number(day.rows[0]?.n ?? 0) > 0, totals: Number(totals.rows[0]?.n ?? 0) > 0 };
}

/**
 * Whether the writer's probe of the schema is kept while SQLite's schema cookie (`pragma schema_version`, bumped by
 * every create, drop or alter) stays the same: on unless WRITER_SCHEMA_CACHE=off. Off is the path before it (the
 * twenty-sixth round, docs/deployment.md): the guards probed once per database and kept for good, and the day
 * table looked up in sqlite_master by every grouped commit, a scan of the whole schema (≈ 200 rows) that was about
 * a tenth of a grouped commit's fixed CPU.
 */
function schemaCacheOn(): boolean {
	return process.env.WRITER_SCHEMA_CACHE !== 'off';
}

/**
 * What the grouped commit may do on `db`: keep the aggregates itself (on unless WRITER_AGGREGATES=off, SQLite,
 * every insert trigger guarded) and write the day table (if it exists). Pass the batch's transaction as `tx`: the
 * schema cookie is then read inside it (one read of the database header), and the schema probed again whenever
 * it changed, so a trigger created without the guard, or the day table created or dropped, is seen by the next
 * grouped commit.
 */
export async function writerSchemaFor(db: Db, tx?: Pick<Db, 'executeQuery'>): Promise<WriterSchema> {
	if (process.env.WRITER_AGGREGATES === 'off' || !(db.getExecutor().adapter instanceof SqliteAdapter))
		return NOT_USABLE;
	const on = schemaCacheOn();
	const version = on
		? Number((await (tx ?? db).executeQuery<{ schema_version: number }>(SCHEMA_VERSION)).rows[0]?.schema_version ?? -1)
		: null;
	let entry = known.get(db);
	if (!entry || (on && entry.version !== version)) {
		entry = { version, schema: probe(tx ?? db) };
		known.set(db, entry);
		entry.schema.catch(() => known.delete(db));
	}
	const schema = await entry.schema;
	if (on || !schema.usable) return schema;
	// The path before: the day table looked up by every grouped commit.
	const day = await (tx ?? db).executeQuery<{ n: number }>(CompiledQuery.raw(DAY_TABLE_SQL));
	return { usable: true, day: Number(day.rows[0]?.n ?? 0) > 0, totals: schema.totals };
}

const SCHEMA_VERSION = CompiledQuery.raw('pragma schema_version');

/** Whether `db`'s writer may keep the aggregates itself: on (the default), SQLite, and every insert trigger guarded. */
export async function writerAggregatesFor(db: Db): Promise<boolean> {
	return (await writerSchemaFor(db)).usable;
}

/** Forget what writerSchemaFor found (tests that change the triggers). */
export function forgetWriterAggregates(db: Db) {
	known.delete(db);
}

export async function bypassInsertTriggers(tx: Tx, on: boolean) {
	await sql
		.raw(on ? `insert into ${WRITER_BYPASS_TABLE} (id) values (1)` : `delete from ${WRITER_BYPASS_TABLE}`)
		.execute(tx);
}

const IDS = '(select value from json_each(?))';

/** Submissions whose claimed group set is not what the triggers compute (0 when every claim holds). */
const CHECK_SQL = `select count(*) as n from submission where id in ${IDS}
	 and group_set <> ${groupSetOf('submission.id', false)}`;

const DAY_TABLE_SQL = `select count(*) as n from sqlite_master where type = 'table' and name = 'analysis_agg_answer_day'`;

/** Both tables of migration 2026-12-12-0900 (created together). */
const TOTALS_TABLE_SQL = `select count(*) as n from sqlite_master where type = 'table' and name = 'analysis_agg_question_set_total'`;

const EQ = ['eq_age_band', 'eq_gender', 'eq_disability', 'eq_ethnicity', 'eq_sexual_orientation'] as const;

/** A stored submission row as the writer inserted it (the columns the aggregates key on). */
export interface SubmissionRow {
	id: string;
	consultation_id: number;
	group_set: string;
	question_set: string;
	district_code: string | null;
	channel: string;
	location_id: number | null;
	created_at: string;
	is_demo: number;
	eq_age_band: string;
	eq_gender: string;
	eq_disability: string;
	eq_ethnicity: string;
	eq_sexual_orientation: string;
}

/** The batch's new rows, each with the rows it hangs from. */
export interface BatchRows {
	submissions: SubmissionRow[];
	perspectives: { id: number; s: SubmissionRow; group_code: string | null; question_set: string }[];
	answers: {
		s: SubmissionRow;
		group_code: string | null;
		question_id: number;
		wording_version: number | null;
		language: string | null;
		text: string | null;
		created_at: string;
	}[];
}

type Value = string | number;

/**
 * A cell's key as one string: its values joined by U+0001 (about 30 cells a submission; JSON.stringify of each
 * key was a measurable part of the writer's aggregates), or null when a value holds U+0001 itself (or is neither a
 * string nor a number), which only then could make two keys join alike: such a key is kept apart by its JSON
 * (Counts.add). Each table's key has a fixed number of columns and one type per column (numbers or strings), so
 * two different keys without U+0001 never join alike.
 */
export function cellKey(key: Value[]): string | null {
	let k = '';
	for (let i = 0; i < key.length; i++) {
		const v = key[i];
		if (typeof v === 'string' ? v.includes('\u0001') : typeof v !== 'number') return null;
		k += i === 0 ? v : `\u0001${v}`;
	}
	return k;
}

/** Counts by key for one table: the key's values and the sums, in the table's column order. */
class Counts {
	/** By the joined key (cellKey), and apart, by their JSON, the keys that cannot be joined. */
	readonly cells = new Map<string, [Value[], number[]]>();
	readonly odd = new Map<string, [Value[], number[]]>();
	constructor(
		readonly table: string,
		readonly keys: readonly string[],
		readonly values: readonly string[]
	) {}
	add(key: Value[], values: number[]) {
		const joined = cellKey(key);
		const map = joined === null ? this.odd : this.cells;
		const k = joined ?? JSON.stringify(key);
		const cell = map.get(k);
		if (!cell) map.set(k, [key, values]);
		else values.forEach((v, i) => (cell[1][i] += v));
	}
}

/** One multi-row upsert's SQL per table and number of rows, built once. */
const upsertSql = new Map<string, string>();
function upsert(c: Counts, rows: number): string {
	const key = `${c.table}:${rows}`;
	let text = upsertSql.get(key);
	if (text === undefined) {
		const cols = [...c.keys, ...c.values];
		const row = `(${cols.map(() => '?').join(', ')})`;
		text = `insert into ${c.table} (${cols.join(', ')}) values ${Array(rows).fill(row).join(', ')}
		 on conflict (${c.keys.join(', ')}) do update set ${c.values.map((v) => `${v} = ${c.table}.${v} + excluded.${v}`).join(', ')}`;
		upsertSql.set(key, text);
	}
	return text;
}

/** Bound parameters per statement, under SQLite's 32,766. */
const MAX_PARAMETERS = 30_000;

/**
 * A group set the database would order differently: SQLite orders the set's codes by code point (its BINARY
 * collation on UTF-8), JavaScript's sort (storeSubmissions' claim) by UTF-16 unit; the two agree unless a code
 * holds a character from U+D800 up. Only then is the claim checked against the stored rows.
 */
const mayMisorder = (set: string) => /[\uD800-\uFFFF]/.test(set);

/**
 * After the batch's inserts (with the bypass row deleted again): the batch's share of each aggregate the insert
 * triggers keep, counted from the rows as inserted, added with one multi-row upsert per table, and the data version
 * bumped once. The triggers' expressions, row by row: a new answer has no codings, reads, review or coded_at yet
 * (its id is new: AUTOINCREMENT, and foreign keys cascade), so those counts are 0. The claimed sets are what the
 * triggers compute (storeSubmissions builds them from exactly the answers and perspectives it inserts); a group set
 * that SQLite could order otherwise is checked first, and throws ClaimedSetMismatch if it differs.
 */
export async function addBatchAggregates(tx: Tx, rows: BatchRows, withDay: boolean, withTotals = false): Promise<void> {
	if (rows.submissions.length === 0) return;
	const odd = rows.submissions.filter((s) => mayMisorder(s.group_set)).map((s) => s.id);
	if (odd.length > 0) {
		const wrong = await tx.executeQuery<{ n: number }>(CompiledQuery.raw(CHECK_SQL, [JSON.stringify(odd)]));
		if (Number(wrong.rows[0]?.n ?? 0) !== 0) throw new ClaimedSetMismatch();
	}
	const district = (s: SubmissionRow) => s.district_code ?? '';
	const location = (s: SubmissionRow) => s.location_id ?? 0;
	const day = (at: string) => at.slice(0, 10);
	const eq = (s: SubmissionRow) => EQ.map((c) => s[c]);
	const submission = new Counts(
		'analysis_agg_submission',
		['consultation_id', 'district_code', 'channel', 'location_id', 'day'],
		['n', 'demo']
	);
	const equality = new Counts('analysis_agg_equality', ['consultation_id', ...EQ], ['n']);
	const groupSet = new Counts(
		'analysis_agg_group_set',
		['consultation_id', 'group_set', 'district_code', 'channel', 'location_id', 'day'],
		['n']
	);
	const groupSetEquality = new Counts(
		'analysis_agg_group_set_equality',
		['consultation_id', 'group_set', 'district_code', ...EQ],
		['n']
	);
	const groupSetChannelEquality = new Counts(
		'analysis_agg_group_set_channel_equality',
		['consultation_id', 'group_set', 'district_code', 'channel', ...EQ],
		['n']
	);
	// Six cells a submission: each equality field's answer, and whether any was given (lib/equality-margin-sql.ts).
	const equalityMargin = new Counts(EQUALITY_MARGIN_TABLE, [...EQUALITY_MARGIN_KEY], ['n']);
	const questionSet = new Counts(
		'analysis_agg_question_set',
		['consultation_id', 'question_set', 'group_set', 'district_code', 'channel', 'location_id', 'day'],
		['n']
	);
	const questionSetEquality = new Counts(
		'analysis_agg_question_set_equality',
		['consultation_id', 'question_set', 'group_set', 'district_code', ...EQ],
		['n']
	);
	// Migration 2026-12-12-0900's tables: the question sets without the group set (and district, for the equality).
	const questionSetTotal = new Counts(
		'analysis_agg_question_set_total',
		['consultation_id', 'question_set', 'district_code', 'channel', 'location_id', 'day'],
		['n']
	);
	const questionSetEqualityTotal = new Counts(
		'analysis_agg_question_set_equality_total',
		['consultation_id', 'question_set', ...EQ],
		['n']
	);
	for (const s of rows.submissions) {
		const d = district(s);
		submission.add([s.consultation_id, d, s.channel, location(s), day(s.created_at)], [1, s.is_demo === 1 ? 1 : 0]);
		equality.add([s.consultation_id, ...eq(s)], [1]);
		groupSet.add([s.consultation_id, s.group_set, d, s.channel, location(s), day(s.created_at)], [1]);
		groupSetEquality.add([s.consultation_id, s.group_set, d, ...eq(s)], [1]);
		groupSetChannelEquality.add([s.consultation_id, s.group_set, d, s.channel, ...eq(s)], [1]);
		for (const c of EQ) equalityMargin.add([s.consultation_id, s.group_set, d, s.channel, c, s[c]], [1]);
		const given = EQ.some((c) => !(MARGIN_SKIPPED as readonly string[]).includes(s[c] ?? 'left_blank'));
		equalityMargin.add([s.consultation_id, s.group_set, d, s.channel, COMPLETED_FIELD, given ? '1' : '0'], [1]);
		questionSet.add(
			[s.consultation_id, s.question_set, s.group_set, d, s.channel, location(s), day(s.created_at)],
			[1]
		);
		questionSetEquality.add([s.consultation_id, s.question_set, s.group_set, d, ...eq(s)], [1]);
		if (withTotals) {
			questionSetTotal.add([s.consultation_id, s.question_set, d, s.channel, location(s), day(s.created_at)], [1]);
			questionSetEqualityTotal.add([s.consultation_id, s.question_set, ...eq(s)], [1]);
		}
	}
	const perspective = new Counts(
		'analysis_agg_perspective',
		['consultation_id', 'group_code', 'district_code', 'channel'],
		['n']
	);
	const questionSetPerspective = new Counts(
		'analysis_agg_question_set_perspective',
		['consultation_id', 'question_set', 'group_code', 'district_code', 'channel'],
		['n']
	);
	for (const p of rows.perspectives) {
		const g = p.group_code ?? '';
		perspective.add([p.s.consultation_id, g, district(p.s), p.s.channel], [1]);
		questionSetPerspective.add([p.s.consultation_id, p.question_set, g, district(p.s), p.s.channel], [1]);
	}
	const answer = new Counts(
		'analysis_agg_answer',
		['question_id', 'group_code', 'district_code', 'channel'],
		['n', 'coded']
	);
	const answerDay = new Counts(
		'analysis_agg_answer_day',
		['question_id', 'group_code', 'district_code', 'channel', 'day'],
		['n', 'coded']
	);
	const coding = new Counts(
		'analysis_agg_coding',
		['question_id', 'wording_version', 'is_reviewed', 'is_coded', 'has_human'],
		['n']
	);
	const language = new Counts('analysis_agg_language', ['question_id', 'language', 'is_reviewed'], ['n']);
	const reading = new Counts('analysis_agg_reading', ['question_id', 'day'], ['n', 'n_read']);
	for (const a of rows.answers) {
		answer.add([a.question_id, a.group_code ?? '', district(a.s), a.s.channel], [1, 0]);
		answerDay.add([a.question_id, a.group_code ?? '', district(a.s), a.s.channel, day(a.s.created_at)], [1, 0]);
		coding.add([a.question_id, a.wording_version ?? 1, 0, 0, 0], [1]);
		if (a.text === null) continue;
		language.add([a.question_id, a.language ?? 'en', 0], [1]);
		if (a.group_code === 'child' || a.group_code === 'young_person')
			reading.add([a.question_id, day(a.created_at)], [1, 0]);
	}
	// The day table of migration 2026-12-12-0500 only where it exists (a database migrated down past it, as the
	// submission A/B's AB_DOWN does, has none and no trigger keeping it): writerSchemaFor found out.
	for (const c of [
		submission,
		equality,
		groupSet,
		groupSetEquality,
		groupSetChannelEquality,
		equalityMargin,
		questionSet,
		questionSetEquality,
		perspective,
		questionSetPerspective,
		answer,
		...(withDay ? [answerDay] : []),
		...(withTotals ? [questionSetTotal, questionSetEqualityTotal] : []),
		coding,
		language,
		reading
	]) {
		const cells = [...c.cells.values(), ...c.odd.values()];
		const size = Math.max(1, Math.floor(MAX_PARAMETERS / (c.keys.length + c.values.length)));
		for (let i = 0; i < cells.length; i += size) {
			const chunk = cells.slice(i, i + size);
			await tx.executeQuery(
				CompiledQuery.raw(
					upsert(c, chunk.length),
					chunk.flatMap(([k, v]) => [...k, ...v])
				)
			);
		}
	}
	await sql`update data_version set version = version + 1 where id = 1`.execute(tx);
}
