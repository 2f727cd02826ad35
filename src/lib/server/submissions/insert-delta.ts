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

/** A submission row as the batch inserted it (the columns the aggregates key on). */
export interface InsertedSubmission {
	id: string;
	consultation_id: number;
	district_code: string | null;
	channel: string;
	location_id: number | null;
	is_demo: number;
	created_at: string;
	group_set: string;
	question_set: string;
	eq_age_band: string;
	eq_gender: string;
	eq_disability: string;
	eq_ethnicity: string;
	eq_sexual_orientation: string;
}

/** The rows a batch inserted (only new rows: replays insert nothing). */
export interface InsertedRows {
	submissions: InsertedSubmission[];
	perspectives: { submission_id: string; group_code: string | null; question_set: string }[];
	answers: {
		submission_id: string;
		group_code: string | null;
		question_id: number;
		wording_version: number | null;
		language: string | null;
		text: string | null;
		created_at: string;
	}[];
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

/** Cells of one aggregate table: key values → summed counts. */
class Cells {
	readonly rows = new Map<string, { key: unknown[]; sums: number[] }>();
	constructor(
		readonly table: string,
		readonly keyCols: string[],
		readonly sumCols: string[]
	) {}
	add(key: unknown[], sums: number[]) {
		const k = JSON.stringify(key);
		const cell = this.rows.get(k);
		if (!cell) this.rows.set(k, { key, sums: [...sums] });
		else sums.forEach((v, i) => (cell.sums[i] += v));
	}
	/** One multi-row upsert adding every cell (SQL text per table and row count: reused from the statement cache). */
	query(): CompiledQuery | null {
		if (this.rows.size === 0) return null;
		const cols = [...this.keyCols, ...this.sumCols];
		const one = `(${cols.map(() => '?').join(', ')})`;
		const text = `insert into ${this.table} (${cols.join(', ')}) values ${[...this.rows.values()].map(() => one).join(', ')}
			on conflict (${this.keyCols.join(', ')}) do update set ${this.sumCols
				.map((c) => `${c} = ${this.table}.${c} + excluded.${c}`)
				.join(', ')}`;
		return CompiledQuery.raw(
			text,
			[...this.rows.values()].flatMap((c) => [...c.key, ...c.sums])
		);
	}
}

const EQ = ['eq_age_band', 'eq_gender', 'eq_disability', 'eq_ethnicity', 'eq_sexual_orientation'] as const;
/** The groups whose answers are read in full (migration 2026-12-02-0200's READ_ALL). */
const READ_ALL = new Set(['child', 'young_person']);

/**
 * Each aggregate table's cells for the inserted rows, counted exactly as the insert triggers count one row each
 * (migrations 0220, 0300, 0400, 0500, 2026-12-02-0200, 2026-12-04-0200, 2026-12-05-0100 and 0110: the same
 * coalesces and keys). New answers have no codings, no review, no reads and no `coded_at` yet (the foreign keys
 * cascade, so no coding or read can name an answer id before the answer exists): their `coded`, `has_human`,
 * `is_reviewed`, `is_coded` and `n_read` are 0.
 */
export function insertedCells(rows: InsertedRows): Cells[] {
	const sub = new Cells(
		'analysis_agg_submission',
		['consultation_id', 'district_code', 'channel', 'location_id', 'day'],
		['n', 'demo']
	);
	const equality = new Cells('analysis_agg_equality', ['consultation_id', ...EQ], ['n']);
	const gs = new Cells(
		'analysis_agg_group_set',
		['consultation_id', 'group_set', 'district_code', 'channel', 'location_id', 'day'],
		['n']
	);
	const gse = new Cells(
		'analysis_agg_group_set_equality',
		['consultation_id', 'group_set', 'district_code', ...EQ],
		['n']
	);
	const qs = new Cells(
		'analysis_agg_question_set',
		['consultation_id', 'question_set', 'group_set', 'district_code', 'channel', 'location_id', 'day'],
		['n']
	);
	const qse = new Cells(
		'analysis_agg_question_set_equality',
		['consultation_id', 'question_set', 'group_set', 'district_code', ...EQ],
		['n']
	);
	const persp = new Cells(
		'analysis_agg_perspective',
		['consultation_id', 'group_code', 'district_code', 'channel'],
		['n']
	);
	const qsp = new Cells(
		'analysis_agg_question_set_perspective',
		['consultation_id', 'question_set', 'group_code', 'district_code', 'channel'],
		['n']
	);
	const answer = new Cells(
		'analysis_agg_answer',
		['question_id', 'group_code', 'district_code', 'channel'],
		['n', 'coded']
	);
	const coding = new Cells(
		'analysis_agg_coding',
		['question_id', 'wording_version', 'is_reviewed', 'is_coded', 'has_human'],
		['n']
	);
	const language = new Cells('analysis_agg_language', ['question_id', 'language', 'is_reviewed'], ['n']);
	const reading = new Cells('analysis_agg_reading', ['question_id', 'day'], ['n', 'n_read']);

	const byId = new Map<string, InsertedSubmission>();
	for (const s of rows.submissions) {
		byId.set(s.id, s);
		const d = s.district_code ?? '';
		const loc = s.location_id ?? 0;
		const day = s.created_at.slice(0, 10);
		const eq = EQ.map((c) => s[c]);
		sub.add([s.consultation_id, d, s.channel, loc, day], [1, s.is_demo === 1 ? 1 : 0]);
		equality.add([s.consultation_id, ...eq], [1]);
		gs.add([s.consultation_id, s.group_set, d, s.channel, loc, day], [1]);
		gse.add([s.consultation_id, s.group_set, d, ...eq], [1]);
		qs.add([s.consultation_id, s.question_set, s.group_set, d, s.channel, loc, day], [1]);
		qse.add([s.consultation_id, s.question_set, s.group_set, d, ...eq], [1]);
	}
	for (const p of rows.perspectives) {
		const s = byId.get(p.submission_id)!;
		const d = s.district_code ?? '';
		persp.add([s.consultation_id, p.group_code ?? '', d, s.channel], [1]);
		qsp.add([s.consultation_id, p.question_set, p.group_code ?? '', d, s.channel], [1]);
	}
	for (const a of rows.answers) {
		const s = byId.get(a.submission_id)!;
		answer.add([a.question_id, a.group_code ?? '', s.district_code ?? '', s.channel], [1, 0]);
		coding.add([a.question_id, a.wording_version ?? 1, 0, 0, 0], [1]);
		if (a.text !== null) {
			language.add([a.question_id, a.language ?? 'en', 0], [1]);
			if (a.group_code !== null && READ_ALL.has(a.group_code))
				reading.add([a.question_id, a.created_at.slice(0, 10)], [1, 0]);
		}
	}
	return [sub, equality, gs, gse, qs, qse, persp, qsp, answer, coding, language, reading];
}

/** Switches the listed insert triggers off for the rest of `tx` (the bypass row; gone again at `countInserted`). */
export async function bypassInsertTriggers(tx: Transaction<Database>): Promise<void> {
	await tx.executeQuery(CompiledQuery.raw(`insert into ${BYPASS_TABLE} (id) values (1)`, []));
}

/**
 * Switches the triggers back on, adds the inserted rows' share to every aggregate table with one multi-row upsert
 * each (one row per distinct cell of the batch), and moves the data version once.
 */
export async function countInserted(tx: Transaction<Database>, rows: InsertedRows): Promise<void> {
	await tx.executeQuery(CompiledQuery.raw(`delete from ${BYPASS_TABLE}`, []));
	if (rows.submissions.length === 0) return;
	for (const cells of insertedCells(rows)) {
		const q = cells.query();
		if (q) await tx.executeQuery(q);
	}
	await tx.executeQuery(CompiledQuery.raw(`update data_version set version = version + 1 where id = 1`, []));
}
