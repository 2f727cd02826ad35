/**
 * The aggregates (issue #19): small tables kept right by SQL triggers in the same transaction as
 * every write, read by the analysis views instead of scanning answers and submissions.
 *
 * Answer level (migration 2026-12-01-0220): question × group × district × channel (× theme), read by
 * the theme tables and the answers-per-question table; a date or theme filter falls back to the
 * indexed queries in queries.ts.
 *
 * Submission level (migration 2026-12-01-0300): submissions per district × channel × location × day
 * (headline, districts, channels, locations, weeks, the method's days, cross-tabs of those; also
 * under district, channel and date filters), perspectives per group × district × channel
 * (respondent types and their cross-tabs with districts or channels; also under group, district and
 * channel filters) and submissions per combination of the equality answers (unfiltered views only).
 *
 * Coding state (migration 2026-12-01-0400): answers per question × wording version × reviewed ×
 * coded × has an officer's coding: the method statement's counts and the report's answers per
 * wording, always for the whole consultation.
 *
 * Group sets (migration 2026-12-01-0500): submissions per set of respondent types × district ×
 * channel × location × day, and × district × equality answers. A group filter counts the
 * submissions whose set contains the group (headline, districts, channels, locations, weeks and
 * their cross-tabs, also with district, channel and date filters; equality, and its cross-tabs with
 * the district, under group and / or district filters).
 * Languages (migration 2026-12-04-0200): answers with words per question × language × reviewed: the
 * dashboard's answers by language (src/lib/server/i18n/answers.ts), always for the whole consultation.
 * Answers and theme counts by day (migration 2026-12-12-0500): the answer-level tables with the day of the
 * answer's submission in the key, read by a dated view's answers per question and theme tables (queries.ts
 * fromDateFamily, or on their own for a view neither protected nor in a family); ANALYSIS_DAY_AGGREGATES=off.
 * Each reader returns null when its table cannot answer the scope, and the caller then runs the
 * query on the submissions as before.
 */
import { PostgresAdapter, sql, type Expression, type SqlBool, type Transaction } from 'kysely';
import type { Database as Schema } from '../db/schema';
import type { AnyExpressionBuilder } from '../db/untyped';
import type { Db } from '../db/connect';
import { derivedTriggers, withoutTriggers } from '../db/sqlite-bulk';
import { sqliteRebuild } from './rebuild-sqlite';
import { pgRebuild } from './rebuild-pg';
import { FACE_TO_FACE, UNKNOWN, type Filters } from '../../analysis/filters';
import { FACE_TO_FACE_CHANNELS } from '../../domain/channels';
import { memoised, memoisedInFamily, type Scope } from './scope';
import { relatedScope } from './wider';
import { cellKey } from './cell-key';
import { arrayRows } from '../db/array-rows';
import type { Dimension } from '../../analysis/dimensions';
import { pgMarginSets, pgMarginSetsEnabled } from './margins-pg';
import { COMPLETED_FIELD, EQUALITY_MARGIN_TABLE } from '../db/migrations/lib/equality-margin-sql';
import { envSwitch } from '../../analysis/switches';

/** ANALYSIS_AGGREGATES=off reads the answers as before (the oracle in tests, and for comparison in the bench). */
export function aggregatesEnabled(): boolean {
	return envSwitch('ANALYSIS_AGGREGATES') !== 'off';
}

/** The aggregates can answer this scope: no date or theme filter. */
export function aggregatable(s: Scope): boolean {
	const f = s.filters;
	return aggregatesEnabled() && !f.from && !f.to && f.theme === undefined;
}

/** Every aggregate table the triggers keep and the rebuild recomputes. */
export const AGGREGATE_TABLES = [
	'analysis_agg_answer',
	'analysis_agg_theme',
	'analysis_agg_submission',
	'analysis_agg_perspective',
	'analysis_agg_equality',
	'analysis_agg_coding',
	'analysis_agg_group_set',
	'analysis_agg_group_set_equality',
	'analysis_agg_reading',
	'analysis_agg_language',
	'analysis_agg_question_set',
	'analysis_agg_question_set_perspective',
	'analysis_agg_question_set_equality',
	'analysis_agg_review',
	'analysis_agg_group_set_channel_equality',
	'analysis_agg_theme_submission',
	'analysis_agg_theme_equality',
	'analysis_agg_theme_perspective',
	'analysis_agg_theme_question',
	'analysis_agg_group_set_equality_margin',
	'analysis_agg_quote_order',
	'analysis_agg_answer_day',
	'analysis_agg_theme_day',
	'analysis_agg_question_set_total',
	'analysis_agg_question_set_equality_total'
] as const;

/** The SQLite page cache (MB) while rebuilding; the connection's own value is put back after. */
const REBUILD_CACHE_MB = 256;

/** Sets SQLite's page cache to `mb` for this connection and returns the value it had. */
async function sqliteCacheSize(tx: Transaction<Schema>, mb: number): Promise<number> {
	const r = await sql<{ cache_size: number }>`pragma cache_size`.execute(tx);
	await sql.raw(`pragma cache_size = ${-mb * 1024}`).execute(tx);
	return Number(r.rows[0]?.cache_size ?? -2000);
}

/**
 * Recomputes every aggregate table from the base tables, in one transaction (`npm run analysis -- rebuild`).
 * `skipRowTriggers` (the bulk generator): the row triggers are off for this transaction (PostgreSQL, superuser:
 * session_replication_role = replica; SQLite: the aggregate and data-version triggers are dropped and created
 * again inside it). Filling the submissions' group sets otherwise fires
 * the submission's aggregate triggers once per submission, whose counts the rebuild then replaces
 * anyway (over 15 minutes of a 1,000,000-answer generation at load 30). The caller bumps the data
 * version: its trigger is off too. SQLite runs its own statements (rebuild-sqlite.ts: fewer passes over the
 * answers) with a larger page cache; PostgreSQL the migrations' rebuild statements but one update for both of the
 * submissions' stored sets (rebuild-pg.ts).
 */
export async function rebuildAggregates(
	db: Db,
	opts: { skipRowTriggers?: boolean } = {}
): Promise<Record<(typeof AGGREGATE_TABLES)[number], number>> {
	return db.transaction().execute(async (tx) => {
		const pg = tx.getExecutor().adapter instanceof PostgresAdapter;
		if (pg && opts.skipRowTriggers) await sql`set local session_replication_role = replica`.execute(tx);
		const triggers = !pg && opts.skipRowTriggers ? await derivedTriggers(tx) : [];
		// SQLite: a page cache large enough for the answer-level indexes during the rebuild only (the default
		// 2 MB makes nearly every lookup read its page back from the file at a million answers).
		const cache = pg ? null : await sqliteCacheSize(tx, REBUILD_CACHE_MB);
		try {
			await withoutTriggers(tx, triggers, async () => {
				const statements = pg ? pgRebuild() : sqliteRebuild();
				for (const s of statements) await sql.raw(s).execute(tx);
			});
		} finally {
			if (cache !== null) await sql.raw(`pragma cache_size = ${cache}`).execute(tx);
		}
		const count = async (t: (typeof AGGREGATE_TABLES)[number]) =>
			Number(
				(
					await tx
						.selectFrom(t)
						.select((eb) => eb.fn.countAll<number>().as('n'))
						.executeTakeFirstOrThrow()
				).n
			);
		const out = {} as Record<(typeof AGGREGATE_TABLES)[number], number>;
		for (const t of AGGREGATE_TABLES) out[t] = await count(t);
		return out;
	});
}

/** The group / district / channel filters as conditions on an aggregate table ('' = not known). */
export function dimensions(eb: AnyExpressionBuilder, s: Scope): Expression<SqlBool> {
	const f = s.filters;
	const out: Expression<SqlBool>[] = [];
	if (f.group) out.push(eb('group_code', '=', f.group === UNKNOWN ? '' : f.group));
	if (f.district) out.push(eb('district_code', '=', f.district === UNKNOWN ? '' : f.district));
	if (f.channel)
		out.push(
			f.channel === FACE_TO_FACE ? eb('channel', 'in', [...FACE_TO_FACE_CHANNELS]) : eb('channel', '=', f.channel)
		);
	return eb.and(out);
}

export const key = (v: unknown): string | null => (v === null || v === undefined || v === '' ? null : String(v));

// ---- Sibling families in one query ----

/** A filter whose values are columns of an aggregate table: one grouped query answers every value. */
type SliceKey = 'question' | 'group' | 'district' | 'channel';
const SLICE_COLUMN: Record<SliceKey, string> = {
	question: 'question_id',
	group: 'group_code',
	district: 'district_code',
	channel: 'channel'
};
/** The column holding a slice key, as the reader selects it (kept apart from the reader's own columns). */
const sliceAlias = (k: SliceKey) => `slice_${k}`;

/** ANALYSIS_FAMILY_BATCH=off runs one query per sibling view, as before (the oracle in tests). */
export function familyBatching(): boolean {
	return envSwitch('ANALYSIS_FAMILY_BATCH') !== 'off';
}

/** A slice's value as the filter names it (UNKNOWN for '' or null; a question by its id). */
function sliceValue(s: Scope, k: SliceKey): string {
	const v = s.filters[k]!;
	return k === 'question' ? String(s.questionIds.get(v) ?? -1) : v;
}
const rowSliceValue = (v: unknown): string => (v === null || v === undefined || v === '' ? UNKNOWN : String(v));

/**
 * The extra columns a sliced reader selects and groups by (none: the reader runs as it is). `members`: the
 * respondent types ('' for not known) a reader of a group-set table slices by, joined to its sets
 * (joinSetMembers); null when it does not.
 */
type Slicing = {
	select: ReturnType<typeof sql.ref>[];
	groupBy: string[];
	/** The selected slice columns' names. */
	aliases: string[];
	members: string[] | null;
};
const NO_SLICING: Slicing = { select: [], groupBy: [], aliases: [], members: null };

/** ANALYSIS_SET_SLICES=off reads each group's slice of a group-set table in its own query, as before. */
export function setSlicesEnabled(): boolean {
	return envSwitch('ANALYSIS_SET_SLICES') !== 'off';
}

/**
 * A group-set table's rows once per respondent type in their set (`members`, '' for not known), the type as
 * column `m.g`: each type's rows are those "contains G" (inSet) selects, so grouped by `m.g` one query gives
 * every group's slice. The query unchanged when the reader is not sliced by group.
 * On PostgreSQL (unless ANALYSIS_PG_SET_PAIRS=off) the members are matched against the table's distinct sets of the
 * consultation first (a handful: 7 at 1,000,001 answers) and the rows joined to those (set, member) pairs by the set,
 * a hash join, instead of testing every row against every member (6 × 16,926 `replace()` calls for the equality
 * slices of a group view). The same pairs, so the same rows. `offset 0` keeps the pairs a subquery of their own,
 * so the planner cannot move the member test up to the rows (on small tables it did).
 */
function joinSetMembers<Q>(q: Q, x: Slicing, pairsOn?: { db: Db; table: GroupSetTable; consultationId: number }): Q {
	if (!x.members) return q;
	const list = sql.join(
		x.members.map((g, i) => (i === 0 ? sql`select ${g} as g` : sql`select ${g}`)),
		sql` union all `
	);
	const join = q as unknown as { innerJoin: (t: unknown, on: (j: unknown) => unknown) => Q };
	if (pairsOn && setPairs(pairsOn.db)) {
		const pairs = sql`(select ds.group_set as gs, m0.g from (select distinct group_set from ${sql.table(pairsOn.table)}
			where consultation_id = ${pairsOn.consultationId}) as ds
			inner join (${list}) as m0 on replace(ds.group_set, '|' || m0.g || '|', '') <> ds.group_set offset 0)`;
		return join.innerJoin(pairs.as('m'), (j) => (j as { on: (e: unknown) => unknown }).on(sql`m.gs = group_set`));
	}
	return join.innerJoin(sql`(${list})`.as('m'), (j) =>
		(j as { on: (e: unknown) => unknown }).on(sql`replace(group_set, '|' || m.g || '|', '') <> group_set`)
	);
}
type GroupSetTable =
	| 'analysis_agg_group_set'
	| 'analysis_agg_group_set_equality'
	| 'analysis_agg_group_set_channel_equality'
	| 'analysis_agg_group_set_equality_margin';

/** PostgreSQL, unless ANALYSIS_PG_SET_PAIRS=off: group-set slices joined through their (set, member) pairs. */
function setPairs(db: Db): boolean {
	return envSwitch('ANALYSIS_PG_SET_PAIRS') !== 'off' && db.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * Runs a reader for the whole sibling family of `s` at once. A filtered page protects each view
 * with every sibling view (each district, group, channel or question, wider.ts), and each sibling
 * would otherwise ask the same question with another value: here the reader runs once on the scope
 * without those filters, grouped by their columns as well, and each sibling reads its own rows
 * (kept in that scope's memo for the request). `keys`: the filters this reader's table can group
 * by; `ignored`: filters its query does not read at all (left out of the shared scope).
 * The rows of one slice are the rows the filtered query gives, so the tables are the same.
 */
async function sliced<R extends Record<string, unknown>>(
	s: Scope,
	kind: string,
	keys: readonly SliceKey[],
	run: (scope: Scope, slicing: Slicing) => Promise<R[]>,
	ignored: readonly SliceKey[] = [],
	opts: { groupThroughSets?: boolean } = {}
): Promise<R[]> {
	const f = s.filters;
	const batch = familyBatching() && (f.min > 0 || s.family !== undefined);
	const by = batch ? keys.filter((k) => f[k] !== undefined && !(k === 'channel' && f.channel === FACE_TO_FACE)) : [];
	// A group-set table: the group family's slices through the sets' members (joinSetMembers).
	const viaSets = batch && opts.groupThroughSets === true && f.group !== undefined && setSlicesEnabled();
	if (viaSets) by.push('group');
	const skip = batch ? ignored.filter((k) => f[k] !== undefined) : [];
	if (by.length === 0 && skip.length === 0) return run(s, NO_SLICING);
	const filters: Filters = { ...f };
	for (const k of [...by, ...skip]) delete filters[k];
	const base = relatedScope(s, filters);
	const column = (k: SliceKey) => (viaSets && k === 'group' ? 'm.g' : SLICE_COLUMN[k]);
	const members = viaSets ? [...new Set([...(s.groups ?? []), '', f.group === UNKNOWN ? '' : f.group!])] : null;
	const parts = await memoised(base, `slices:${kind}:${by.join(',')}${viaSets ? ':sets' : ''}`, async () => {
		const rows = await run(base, {
			select: by.map((k) => sql.ref(column(k)).as(sliceAlias(k)) as unknown as ReturnType<typeof sql.ref>),
			groupBy: by.map(column),
			aliases: by.map(sliceAlias),
			members
		});
		const out = new Map<string, R[]>();
		for (const r of rows) {
			const k = JSON.stringify(by.map((x) => rowSliceValue(r[sliceAlias(x)])));
			let list = out.get(k);
			if (!list) out.set(k, (list = []));
			list.push(r);
		}
		return out;
	});
	return parts.get(JSON.stringify(by.map((k) => sliceValue(s, k)))) ?? [];
}

/** Answers per question in this scope (question, group, district and channel filters). */
export async function aggAnswersByQuestion(db: Db, s: Scope): Promise<{ questionId: number; n: number }[]> {
	const rows = await sliced(s, 'answers-by-question', ['question', 'group', 'district', 'channel'], (b, x) => {
		const f = b.filters;
		const qids = f.question ? [b.questionIds.get(f.question) ?? -1] : [...b.questionIds.values(), -1];
		return db
			.selectFrom('analysis_agg_answer')
			.where((eb) => dimensions(eb, b))
			.where('question_id', 'in', qids)
			.select(['question_id as q', sql<number>`sum(n)`.as('n'), ...(x.select as never[])])
			.groupBy(['question_id', ...(x.groupBy as never[])])
			.execute();
	});
	return rows.map((r) => ({ questionId: Number(r.q), n: Number(r.n) })).filter((r) => r.n !== 0);
}

/** The theme counts of one question (same shape as queries.ts themeCounts), from the aggregates. */
export async function aggThemeCounts(db: Db, s: Scope, questionId: number) {
	// The question filter does not narrow a question's own theme table (queries.ts themeCounts).
	const keys = ['group', 'district', 'channel'] as const;
	const [groupRows, themeRows] = await Promise.all([
		sliced(
			s,
			`theme-groups:${questionId}`,
			keys,
			(b, x) =>
				db
					.selectFrom('analysis_agg_answer')
					.where((eb) => dimensions(eb, b))
					.where('question_id', '=', questionId)
					.select([
						'group_code as g',
						sql<number>`sum(n)`.as('n'),
						sql<number>`sum(n - coded)`.as('u'),
						...(x.select as never[])
					])
					.groupBy(['group_code', ...(x.groupBy as never[])])
					.execute(),
			['question']
		),
		sliced(
			s,
			`theme-themes:${questionId}`,
			keys,
			(b, x) =>
				db
					.selectFrom('analysis_agg_theme')
					.where((eb) => dimensions(eb, b))
					.where('theme_id', 'in', activeThemeIds(db, questionId))
					.select(['theme_id as t', 'group_code as g', sql<number>`sum(n)`.as('n'), ...(x.select as never[])])
					.groupBy(['theme_id', 'group_code', ...(x.groupBy as never[])])
					.execute(),
			['question']
		)
	]);
	const groups = groupRows.filter((r) => Number(r.n) !== 0);
	return {
		groups: groups.map((r) => ({ key: key(r.g), n: Number(r.n) })),
		themes: themeRows
			.filter((r) => Number(r.n) !== 0)
			.map((r) => ({ themeId: Number(r.t), group: key(r.g), n: Number(r.n) })),
		uncoded: groups.map((r) => ({ key: key(r.g), n: Number(r.u) }))
	};
}

// ---- Answer level by day (migration 2026-12-12-0500) ----

/** ANALYSIS_DAY_AGGREGATES=off reads a dated view's answers and theme counts from the answers, as before. */
export function dayAggregatesEnabled(): boolean {
	return aggregatesEnabled() && envSwitch('ANALYSIS_DAY_AGGREGATES') !== 'off';
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The day tables answer this scope: no theme filter (a question filter only where the reader allows it: the
 * answers per question), and dates, if any, of ten characters (`created_at >= from` and `< to + 1 day` are then
 * `day >= from` and `day < to + 1 day`).
 */
export function dayAggregatable(s: Scope, question: boolean): boolean {
	const f = s.filters;
	if (!dayAggregatesEnabled() || f.theme !== undefined || (f.question !== undefined && !question)) return false;
	return (f.from === undefined || ISO_DAY.test(f.from)) && (f.to === undefined || ISO_DAY.test(f.to));
}

/** The columns a date family's reader adds (queries.ts fromDateFamily), as the day tables hold them. */
export type DayColumn = 'date_day' | 'date_district' | 'date_channel';
const DAY_COLUMN: Record<DayColumn, string> = {
	date_day: 'day',
	date_district: 'district_code',
	date_channel: 'channel'
};

/**
 * Rows of a day table for a scope answered by dayAggregatable: its group, district and channel filters and its
 * dates as conditions, grouped by `columns` (alias: column) and the family's `extra` columns, cells summing to 0
 * left out, in the order of the grouping (as SQLite's GROUP BY over the answers gave them); '' back to null.
 */
async function dayRows<R>(
	db: Db,
	s: Scope,
	table: 'analysis_agg_answer_day' | 'analysis_agg_theme_day',
	where: (eb: AnyExpressionBuilder) => Expression<SqlBool>,
	columns: [string, string][],
	sums: [string, string][],
	extra: readonly DayColumn[]
): Promise<R[]> {
	const f = s.filters;
	const groups = [...columns.map(([, c]) => c), ...extra.map((e) => DAY_COLUMN[e])];
	let q = (db as unknown as Db)
		.selectFrom(table as 'analysis_agg_answer_day')
		.where((eb) => dimensions(eb, s))
		.where((eb) => where(eb as never));
	if (f.from !== undefined) q = q.where('day', '>=', f.from);
	if (f.to !== undefined) q = q.where('day', '<', nextDay(f.to));
	let grouped = q
		.select([
			...columns.map(([alias, c]) => sql.ref(c).as(alias)),
			...extra.map((e) => sql.ref(DAY_COLUMN[e]).as(e)),
			...sums.map(([alias, e]) => sql.raw(e).as(alias))
		] as never[])
		.groupBy(groups as never[])
		.having(sql.raw(`sum(n)`), '<>', 0);
	for (const g of groups) grouped = grouped.orderBy(g as never);
	const rows = await grouped.execute();
	const nullable = new Set(['g', 'date_district']);
	return (rows as Record<string, unknown>[]).map((r) => {
		for (const k of Object.keys(r)) if (nullable.has(k)) r[k] = key(r[k]);
		return r as R;
	});
}

/** The day after an ISO day. */
function nextDay(day: string): string {
	const d = new Date(`${day}T00:00:00Z`);
	d.setUTCDate(d.getUTCDate() + 1);
	return d.toISOString().slice(0, 10);
}

/** Answers per question (`q`, `n`) of a scope answered by dayAggregatable, by the family's `extra` columns. */
export function aggDayAnswers(db: Db, s: Scope, extra: readonly DayColumn[]) {
	const f = s.filters;
	const qids = f.question ? [s.questionIds.get(f.question) ?? -1] : [...s.questionIds.values(), -1];
	return dayRows<{ q: unknown; n: unknown } & Partial<Record<DayColumn, unknown>>>(
		db,
		s,
		'analysis_agg_answer_day',
		(eb) => eb('question_id', 'in', qids),
		[['q', 'question_id']],
		[['n', 'sum(n)']],
		extra
	);
}

/** A question's answers (`n`) and of those the ones with no active theme (`u`) per group (`g`), by `extra`. */
export function aggDayThemeGroups(db: Db, s: Scope, questionId: number, extra: readonly DayColumn[]) {
	return dayRows<{ g: unknown; n: unknown; u: unknown } & Partial<Record<DayColumn, unknown>>>(
		db,
		s,
		'analysis_agg_answer_day',
		(eb) => eb('question_id', '=', questionId),
		[['g', 'group_code']],
		[
			['n', 'sum(n)'],
			['u', 'sum(n - coded)']
		],
		extra
	);
}

/** The ids of a question's active themes, as a subquery (the theme counts read only those). */
function activeThemeIds(db: Db, questionId: number) {
	return db
		.selectFrom('theme')
		.select('theme.id')
		.where('theme.question_id', '=', questionId)
		.where('theme.status', '=', 'active');
}

/** Answers with each active theme of a question (`t`) per group (`g`), by `extra`. */
export function aggDayThemes(db: Db, s: Scope, questionId: number, extra: readonly DayColumn[]) {
	return dayRows<{ t: unknown; g: unknown; n: unknown } & Partial<Record<DayColumn, unknown>>>(
		db,
		s,
		'analysis_agg_theme_day',
		(eb) => eb('theme_id', 'in', activeThemeIds(db, questionId)),
		[
			['t', 'theme_id'],
			['g', 'group_code']
		],
		[['n', 'sum(n)']],
		extra
	);
}

// ---- Submission level (migration 2026-12-01-0300) ----

/** The submission tables answer this scope: no question or theme filter (districts, channels and dates they hold; a group through the group sets). */
function submissionLevel(s: Scope): boolean {
	const f = s.filters;
	return aggregatesEnabled() && !f.question && f.theme === undefined;
}

/** The perspective table answers this scope: no question, theme or date filter. */
function perspectiveLevel(s: Scope): boolean {
	const f = s.filters;
	return aggregatesEnabled() && !f.question && f.theme === undefined && !f.from && !f.to;
}

/**
 * ANALYSIS_CHANNEL_EQUALITY=off: the equality tables under a channel filter read the submissions, as before
 * (migration 2026-12-09-0300's table unread).
 */
export function channelEqualityEnabled(): boolean {
	return aggregatesEnabled() && envSwitch('ANALYSIS_CHANNEL_EQUALITY') !== 'off';
}

/**
 * The equality tables answer no filter but group, district and channel (the group-set tables hold them; the
 * channel in migration 2026-12-09-0300's table, read when channelEqualityEnabled).
 */
function equalityLevel(s: Scope): boolean {
	const f = s.filters;
	return (
		aggregatesEnabled() &&
		!f.question &&
		f.theme === undefined &&
		(!f.channel || channelEqualityEnabled()) &&
		!f.from &&
		!f.to
	);
}

/*
 * The group-set key (submission.group_set and the analysis_agg_group_set* tables), the one statement of its format.
 * Built in SQL by migration 2026-12-01-0500's groupSetOf (triggers on perspective; its header gives why) and with a
 * new submission by submissions/save.ts's groupSetKey.
 * A submission's distinct respondent types, sorted, each followed by '|' and the whole led by '|':
 * '|child|parent_carer|'. A perspective with no type contributes '' ('||child|' is "not known" and child); a
 * submission with no perspectives has ''. Unambiguous because a group code is [a-z0-9][a-z0-9_-]* (never empty, no
 * '|': schemas/consultation-file.ts). Order is only a convention: a key sorted otherwise (an old SQLite's
 * group_concat) splits a set's counts over two rows, and "contains G" and the sums stay exact. Read here by inSet
 * ("contains G") and setMembers (the members).
 */
/** Whether the set key contains the filtered group ('|G|', '||' for "not known"; the format above). */
function inSet(s: Scope) {
	const g = s.filters.group === UNKNOWN ? '' : s.filters.group!;
	const needle = `|${g}|`;
	return sql<SqlBool>`replace(group_set, ${needle}, '') <> group_set`;
}

/** The district and channel filters alone (the group goes through the set). */
function withoutGroup(s: Scope): Scope {
	return { ...s, filters: { ...s.filters, group: undefined } };
}

/**
 * A scope's filters on a set table (analysis_agg_group_set*, analysis_agg_question_set*), the one shape every set
 * reader's WHERE takes: the consultation, the district and channel as columns, the group through the set key
 * (inSet), and, when the table has a `day` column (`days`), the date range on it. The question filter is not here
 * (a question-set reader tests it, or slices by it, on its own).
 */
function whereSetScope<Q>(q: Q, s: Scope, days: boolean): Q {
	const f = s.filters;
	type Where = { where: (...a: unknown[]) => Where };
	let w = (q as unknown as Where)
		.where('consultation_id', '=', s.consultationId)
		.where((eb: unknown) => dimensions(eb as never, withoutGroup(s)));
	if (f.group) w = w.where(inSet(s));
	if (days && f.from) w = w.where('day', '>=', f.from);
	if (days && f.to) w = w.where('day', '<=', f.to);
	return w as unknown as Q;
}

/**
 * The group-set equality table a scope reads: with its channel (migration 2026-12-09-0300) under a channel filter
 * or sliced by channel, else without.
 */
function groupSetEqualityTable(s: Scope, x: Slicing) {
	return s.filters.channel || x.groupBy.includes('channel')
		? ('analysis_agg_group_set_channel_equality' as const)
		: ('analysis_agg_group_set_equality' as const);
}

/** Submissions with their equality answers in this scope: the plain table unfiltered, else the group sets. */
function equalityRows(db: Db, s: Scope, x: Slicing = NO_SLICING) {
	const f = s.filters;
	if (!f.group && !f.district && !f.channel && x.groupBy.length === 0)
		return plainEquality(db).where('consultation_id', '=', s.consultationId);
	const table = groupSetEqualityTable(s, x);
	const q = whereSetScope(
		joinSetMembers(db.selectFrom(table as 'analysis_agg_group_set_equality'), x, {
			db,
			table,
			consultationId: s.consultationId
		}),
		s,
		false
	);
	return q as unknown as ReturnType<typeof plainEquality>;
}
const plainEquality = (db: Db) => db.selectFrom('analysis_agg_equality');

/**
 * The consultation, district, channel and date filters on analysis_agg_submission, or with a group
 * filter on analysis_agg_group_set (the sets that contain the group; same columns).
 */
function submissionRows(db: Db, s: Scope, x: Slicing = NO_SLICING) {
	const f = s.filters;
	if (f.group || x.members)
		return whereSetScope(
			joinSetMembers(db.selectFrom('analysis_agg_group_set'), x, {
				db,
				table: 'analysis_agg_group_set',
				consultationId: s.consultationId
			}),
			s,
			true
		) as unknown as ReturnType<typeof plainSubmissions>;
	let q = plainSubmissions(db)
		.where('consultation_id', '=', s.consultationId)
		.where((eb) => dimensions(eb as never, s));
	if (f.from) q = q.where('day', '>=', f.from);
	if (f.to) q = q.where('day', '<=', f.to);
	return q;
}
const plainSubmissions = (db: Db) => db.selectFrom('analysis_agg_submission');

function perspectiveRows(db: Db, s: Scope) {
	return db
		.selectFrom('analysis_agg_perspective')
		.where('consultation_id', '=', s.consultationId)
		.where((eb) => dimensions(eb as never, s));
}

export const location = (v: unknown): string | null =>
	v === null || v === undefined || Number(v) === 0 ? null : String(v);

/** Submissions in this scope, or null when the aggregates cannot answer it. */
export async function aggCountSubmissions(db: Db, s: Scope): Promise<number | null> {
	if (!submissionLevel(s)) return null;
	const [r] = await sliced(
		s,
		'submissions',
		SUBMISSION_KEYS,
		(b, x) =>
			submissionRows(db, b, x)
				.select([sql<number>`sum(n)`.as('n'), ...(x.select as never[])])
				.$if(x.groupBy.length > 0, (q) => q.groupBy(x.groupBy as never[]))
				.execute(),
		[],
		SETS
	);
	return Number(r?.n ?? 0);
}

/** The filters the submission tables group by (a group filter goes through the sets: not a column). */
const SUBMISSION_KEYS = ['district', 'channel'] as const;
/** Those of the perspective table. */
const PERSPECTIVE_KEYS = ['group', 'district', 'channel'] as const;
/** Those of the equality tables (the group through the sets; the channel while its table is read). */
const equalityKeys = (): readonly SliceKey[] => (channelEqualityEnabled() ? ['district', 'channel'] : ['district']);
/** A reader of a group-set table: a group family's slices through the sets' members. */
const SETS = { groupThroughSets: true };

/** Demo submissions of a consultation (the report's note), from the aggregates. */
export async function aggDemoSubmissions(db: Db, consultationId: number): Promise<number | null> {
	if (!aggregatesEnabled()) return null;
	const r = await db
		.selectFrom('analysis_agg_submission')
		.where('consultation_id', '=', consultationId)
		.select(sql<number>`sum(demo)`.as('n'))
		.executeTakeFirst();
	return Number(r?.n ?? 0);
}

export type SubmissionColumn =
	| 'channel'
	| 'district_code'
	| 'location_id'
	| 'eq_age_band'
	| 'eq_gender'
	| 'eq_disability'
	| 'eq_ethnicity'
	| 'eq_sexual_orientation';

/** Submissions per value of a submission column, or null when the aggregates cannot answer the scope. */
export async function aggSubmissionsBy(
	db: Db,
	s: Scope,
	column: SubmissionColumn
): Promise<{ key: string | null; n: number }[] | null> {
	if (column.startsWith('eq_')) {
		if (!equalityLevel(s)) return null;
		const rows = await sliced(
			s,
			`by:${column}`,
			equalityKeys(),
			(b, x) =>
				equalityRows(db, b, x)
					.select([sql.ref(column).as('k'), sql<number>`sum(n)`.as('n'), ...(x.select as never[])])
					.groupBy([column as never, ...(x.groupBy as never[])])
					.execute(),
			[],
			SETS
		);
		return rows.filter((r) => Number(r.n) !== 0).map((r) => ({ key: key(r.k), n: Number(r.n) }));
	}
	if (!submissionLevel(s)) return null;
	const rows = await sliced(
		s,
		`by:${column}`,
		SUBMISSION_KEYS,
		(b, x) =>
			submissionRows(db, b, x)
				.select([sql.ref(column).as('k'), sql<number>`sum(n)`.as('n'), ...(x.select as never[])])
				.groupBy([column as never, ...(x.groupBy as never[])])
				.execute(),
		[],
		SETS
	);
	return rows
		.filter((r) => Number(r.n) !== 0)
		.map((r) => ({ key: column === 'location_id' ? location(r.k) : key(r.k), n: Number(r.n) }));
}

/** Submissions per day and channel, or null. */
export async function aggDayAndChannel(
	db: Db,
	s: Scope
): Promise<{ a: string | null; b: string | null; n: number }[] | null> {
	if (!submissionLevel(s)) return null;
	const rows = await sliced(
		s,
		'day-channel',
		SUBMISSION_KEYS,
		(b, x) =>
			submissionRows(db, b, x)
				.select(['day as a', 'channel as b', sql<number>`sum(n)`.as('n'), ...(x.select as never[])])
				.groupBy(['day', 'channel', ...(x.groupBy as never[])])
				.execute(),
		[],
		SETS
	);
	return rows.filter((r) => Number(r.n) !== 0).map((r) => ({ a: key(r.a), b: key(r.b), n: Number(r.n) }));
}

/** Perspectives in this scope, or null. */
export async function aggCountPerspectives(db: Db, s: Scope): Promise<number | null> {
	if (!perspectiveLevel(s)) return null;
	const [r] = await sliced(s, 'perspectives', PERSPECTIVE_KEYS, (b, x) =>
		perspectiveRows(db, b)
			.select([sql<number>`sum(n)`.as('n'), ...(x.select as never[])])
			.$if(x.groupBy.length > 0, (q) => q.groupBy(x.groupBy as never[]))
			.execute()
	);
	return Number(r?.n ?? 0);
}

/** Perspectives per group, or null. */
export async function aggPerspectivesByGroup(db: Db, s: Scope): Promise<{ key: string | null; n: number }[] | null> {
	if (!perspectiveLevel(s)) return null;
	const rows = await sliced(s, 'perspectives-by-group', PERSPECTIVE_KEYS, (b, x) =>
		perspectiveRows(db, b)
			.select(['group_code as k', sql<number>`sum(n)`.as('n'), ...(x.select as never[])])
			.groupBy(['group_code', ...(x.groupBy as never[])])
			.execute()
	);
	return rows.filter((r) => Number(r.n) !== 0).map((r) => ({ key: key(r.k), n: Number(r.n) }));
}

/** Submissions per combination of the five equality answers, or null (filtered views). */
export async function aggEqualityCombinations(db: Db, s: Scope) {
	if (!equalityLevel(s)) return null;
	const rows = await sliced(
		s,
		'equality',
		equalityKeys(),
		(b, x) =>
			equalityRows(db, b, x)
				.select([
					'eq_age_band as ageBand',
					'eq_gender as gender',
					'eq_disability as disability',
					'eq_ethnicity as ethnicity',
					'eq_sexual_orientation as sexualOrientation',
					sql<number>`sum(n)`.as('n'),
					...(x.select as never[])
				])
				.groupBy([
					'eq_age_band',
					'eq_gender',
					'eq_disability',
					'eq_ethnicity',
					'eq_sexual_orientation',
					...(x.groupBy as never[])
				])
				.execute(),
		[],
		SETS
	);
	// The slice columns stay out of the rows (the callers spread them).
	return rows
		.filter((r) => Number(r.n) !== 0)
		.map((r) => ({
			ageBand: r.ageBand,
			gender: r.gender,
			disability: r.disability,
			ethnicity: r.ethnicity,
			sexualOrientation: r.sexualOrientation,
			n: Number(r.n)
		}));
}

/** The five equality fields, as the combinations name them, and their columns. */
const EQUALITY_FIELD_COLUMNS = {
	ageBand: 'eq_age_band',
	gender: 'eq_gender',
	disability: 'eq_disability',
	ethnicity: 'eq_ethnicity',
	sexualOrientation: 'eq_sexual_orientation'
} as const;
export type EqualityFieldName = keyof typeof EQUALITY_FIELD_COLUMNS;

/**
 * What the dashboard reads of the equality combinations: each field's counts (null counted as 'left_blank') and the
 * submissions that answered at least one of the five (not all not asked, left blank or null).
 */
export interface EqualitySummary {
	margins: Record<EqualityFieldName, Map<string, number>>;
	completed: number;
}

/** A value the headline counts as not answered. */
export const EQUALITY_SKIPPED = ['not_asked', 'left_blank'] as const;

/** ANALYSIS_EQUALITY_MARGINS=off: the margins are summed in JavaScript from the five-way combinations, as before. */
export function equalityMarginsEnabled(): boolean {
	return envSwitch('ANALYSIS_EQUALITY_MARGINS') !== 'off';
}

/**
 * The equality summary from the aggregates in one statement: each field's margin grouped in SQL (a few dozen rows a
 * slice) instead of every combination of the five answers (thousands a slice at a million answers, each an object
 * for the margins to be summed from), or null when the aggregates cannot answer the scope.
 */
export async function aggEqualityMargins(db: Db, s: Scope): Promise<EqualitySummary | null> {
	if (!equalityLevel(s) || !equalityMarginsEnabled()) return null;
	const fields = Object.keys(EQUALITY_FIELD_COLUMNS) as EqualityFieldName[];
	if (keptMarginsEnabled()) return keptEqualityMargins(db, s);
	const skipped = (col: string) =>
		sql`coalesce(${sql.ref(col)}, ${EQUALITY_SKIPPED[1]}) in (${sql.join(EQUALITY_SKIPPED.map((v) => sql`${v}`))})`;
	const pg = db.getExecutor().adapter instanceof PostgresAdapter && pgMarginSetsEnabled();
	const rows = await sliced(
		s,
		'equality-margins',
		equalityKeys(),
		(b, x) => {
			if (pg)
				return pgMarginSets(
					equalityRows(db, b, x),
					fields.map((f) => [f, EQUALITY_FIELD_COLUMNS[f]] as const),
					x.select,
					x.groupBy,
					sql.join(
						Object.values(EQUALITY_FIELD_COLUMNS).map((c) => skipped(c)),
						sql` and `
					)
				);
			// The five-way combinations once (a materialized CTE: SQLite 3.35+, PostgreSQL 12+), each margin
			// grouped from them.
			const cols = Object.values(EQUALITY_FIELD_COLUMNS);
			const combos = equalityRows(db, b, x)
				.select([...cols.map((c) => sql.ref(c).as(c)), sql<number>`sum(n)`.as('n'), ...(x.select as never[])])
				.groupBy([...(cols as never[]), ...(x.groupBy as never[])]);
			const slices = x.aliases.map((a) => sql.ref(`c.${a}`).as(a));
			const from = () => db.selectFrom('c' as never);
			const parts = fields.map((f) =>
				(from() as unknown as ReturnType<typeof plainEquality>)
					.select([
						sql.lit(f).as('f'),
						sql.ref(`c.${EQUALITY_FIELD_COLUMNS[f]}`).as('v'),
						sql<number>`sum(n)`.as('n'),
						...(slices as never[])
					])
					.groupBy([`c.${EQUALITY_FIELD_COLUMNS[f]}` as never, ...(x.aliases.map((a) => `c.${a}`) as never[])])
			);
			const allSkipped = sql.join(
				cols.map((c) => skipped(`c.${c}`)),
				sql` and `
			);
			const completed = (from() as unknown as ReturnType<typeof plainEquality>)
				.select([
					sql.lit('completed').as('f'),
					sql<string>`null`.as('v'),
					sql<number>`sum(case when ${allSkipped} then 0 else n end)`.as('n'),
					...(slices as never[])
				])
				.$if(x.aliases.length > 0, (q) => q.groupBy(x.aliases.map((a) => `c.${a}`) as never[]));
			// One statement (each part a sub-select: SQLite takes no parenthesised member of a compound select).
			const all = sql.join(
				[...parts, completed].map((p, i) => sql`select * from ${p} as ${sql.ref(`p${i}`)}`),
				sql` union all `
			);
			return sql<{ f: string; v: unknown; n: unknown }>`with c as materialized ${combos} ${all}`
				.execute(db)
				.then((r) => r.rows);
		},
		[],
		SETS
	);
	return summariseMargins(
		rows,
		(f) => (f === 'completed' ? null : (f as EqualityFieldName)),
		() => true
	);
}

/**
 * The equality summary from margin rows: `f` a field (`fieldOf` names it; null: the completed row), `v` its value
 * (null read as 'left_blank'), `n` the submissions. A completed row adds its `n` where `isCompleted(v)`.
 */
export function summariseMargins(
	rows: { f: string; v: unknown; n: unknown }[],
	fieldOf: (f: string) => EqualityFieldName | null,
	isCompleted: (v: unknown) => boolean
): EqualitySummary {
	const fields = Object.keys(EQUALITY_FIELD_COLUMNS) as EqualityFieldName[];
	const margins = Object.fromEntries(fields.map((f) => [f, new Map<string, number>()])) as EqualitySummary['margins'];
	let completed = 0;
	for (const r of rows) {
		const n = Number(r.n ?? 0);
		if (n === 0) continue;
		const field = fieldOf(r.f);
		if (field === null) {
			if (isCompleted(r.v)) completed += n;
			continue;
		}
		const m = margins[field];
		const k = r.v === null || r.v === undefined ? 'left_blank' : String(r.v);
		m.set(k, (m.get(k) ?? 0) + n);
	}
	return { margins, completed };
}

/**
 * ANALYSIS_KEPT_MARGINS=off: the margins are grouped per request from the five-way combinations (above), as before
 * migration 2026-12-11-0600.
 */
export function keptMarginsEnabled(): boolean {
	return envSwitch('ANALYSIS_KEPT_MARGINS') !== 'off';
}

/** The field names of the kept margins table (its `field` column: the equality columns, and COMPLETED_FIELD). */
export const MARGIN_FIELD = new Map<string, EqualityFieldName>(
	Object.entries(EQUALITY_FIELD_COLUMNS).map(([f, c]) => [c, f as EqualityFieldName])
);

/**
 * The equality summary from the kept margins (migration 2026-12-11-0600): each field's counts summed over the
 * scope's group sets, districts and channels, a few thousand rows at a million answers (the five-way combinations
 * they replace were ~17,000, grouped again per slice). The same sums, so the same summary.
 */
async function keptEqualityMargins(db: Db, s: Scope): Promise<EqualitySummary> {
	const rows = await sliced(
		s,
		'kept-equality-margins',
		equalityKeys(),
		(b, x) =>
			whereSetScope(
				joinSetMembers(db.selectFrom(EQUALITY_MARGIN_TABLE), x, {
					db,
					table: EQUALITY_MARGIN_TABLE,
					consultationId: b.consultationId
				}),
				b,
				false
			)
				.select(['field as f', 'value as v', sql<number>`sum(n)`.as('n'), ...(x.select as never[])])
				.groupBy(['field', 'value', ...(x.groupBy as never[])])
				.execute(),
		[],
		SETS
	);
	return summariseMargins(
		rows,
		(f) => (f === COMPLETED_FIELD ? null : MARGIN_FIELD.get(f)!),
		(v) => v === '1'
	);
}

/** The aggregate column of a cross-tab dimension in each table (absent: that table cannot give it). */
export const SUBMISSION_DIM: Partial<Record<Dimension, string>> = {
	district: 'district_code',
	channel: 'channel',
	location: 'location_id',
	week: 'day'
};
const PERSPECTIVE_DIM: Partial<Record<Dimension, string>> = {
	group: 'group_code',
	district: 'district_code',
	channel: 'channel'
};
const EQUALITY_DIM: Partial<Record<Dimension, SubmissionColumn>> = {
	age: 'eq_age_band',
	gender: 'eq_gender',
	disability: 'eq_disability',
	ethnicity: 'eq_ethnicity',
	orientation: 'eq_sexual_orientation'
};

/**
 * Counts for a cross-tab of two dimensions (same shape as queries.ts crossCounts), or null when no
 * aggregate table holds both dimensions under this scope's filters.
 */
export async function aggCrossCounts(
	db: Db,
	s: Scope,
	a: Dimension,
	b: Dimension
): Promise<{ level: 'perspective' | 'submission'; rows: { a: string | null; b: string | null; n: number }[] } | null> {
	const level: 'perspective' | 'submission' = a === 'group' || b === 'group' ? 'perspective' : 'submission';
	const out = (
		rows: { a: unknown; b: unknown; n: unknown }[],
		keyOf: (d: Dimension) => (v: unknown) => string | null
	) => ({
		level,
		rows: rows.filter((r) => Number(r.n) !== 0).map((r) => ({ a: keyOf(a)(r.a), b: keyOf(b)(r.b), n: Number(r.n) }))
	});
	const same = a === b;
	if (level === 'perspective') {
		const ca = PERSPECTIVE_DIM[a];
		const cb = PERSPECTIVE_DIM[b];
		if (!ca || !cb || !perspectiveLevel(s)) return null;
		const rows = await sliced(s, `cross:${a}:${b}`, PERSPECTIVE_KEYS, (sc, x) =>
			perspectiveRows(db, sc)
				.select([sql.ref(ca).as('a'), sql.ref(cb).as('b'), sql<number>`sum(n)`.as('n'), ...(x.select as never[])])
				.groupBy([...(same ? [ca as never] : [ca as never, cb as never]), ...(x.groupBy as never[])])
				.execute()
		);
		return out(rows, () => key);
	}
	const sa = SUBMISSION_DIM[a];
	const sb = SUBMISSION_DIM[b];
	if (sa && sb) {
		if (!submissionLevel(s)) return null;
		const rows = await sliced(
			s,
			`cross:${a}:${b}`,
			SUBMISSION_KEYS,
			(sc, x) =>
				submissionRows(db, sc, x)
					.select([sql.ref(sa).as('a'), sql.ref(sb).as('b'), sql<number>`sum(n)`.as('n'), ...(x.select as never[])])
					.groupBy([...(same ? [sa as never] : [sa as never, sb as never]), ...(x.groupBy as never[])])
					.execute(),
			[],
			SETS
		);
		return out(rows, (d) => (d === 'location' ? location : key));
	}
	const ea = EQUALITY_DIM[a];
	const eb2 = EQUALITY_DIM[b];
	if (ea && eb2) {
		if (!equalityLevel(s)) return null;
		const rows = await sliced(
			s,
			`cross:${a}:${b}`,
			equalityKeys(),
			(sc, x) =>
				equalityRows(db, sc, x)
					.select([sql.ref(ea).as('a'), sql.ref(eb2).as('b'), sql<number>`sum(n)`.as('n'), ...(x.select as never[])])
					.groupBy([...(same ? [ea as never] : [ea as never, eb2 as never]), ...(x.groupBy as never[])])
					.execute(),
			[],
			SETS
		);
		return out(rows, () => key);
	}
	// District (or channel) × an equality answer: the group-set equality tables hold both (for every
	// submission), with or without a group, district or channel filter.
	const other = a === 'district' || a === 'channel' ? a : b === 'district' || b === 'channel' ? b : undefined;
	const ed = other === a ? eb2 : other === b ? ea : undefined;
	if (other && ed && equalityLevel(s) && (other === 'district' || channelEqualityEnabled())) {
		const col = other === 'district' ? 'district_code' : 'channel';
		const [ca, cb] = other === a ? [col, ed] : [ed, col];
		const rows = await sliced(
			s,
			`cross:${a}:${b}`,
			equalityKeys(),
			(sc, x) => {
				const table = other === 'channel' ? 'analysis_agg_group_set_channel_equality' : groupSetEqualityTable(sc, x);
				let q = joinSetMembers(db.selectFrom(table as 'analysis_agg_group_set_channel_equality'), x, {
					db,
					table,
					consultationId: sc.consultationId
				})
					.where('consultation_id', '=', sc.consultationId)
					.where((eb) => dimensions(eb as never, withoutGroup(sc)));
				if (sc.filters.group) q = q.where(inSet(sc));
				return q
					.select([sql.ref(ca).as('a'), sql.ref(cb).as('b'), sql<number>`sum(n)`.as('n'), ...(x.select as never[])])
					.groupBy([ca as never, cb as never, ...(x.groupBy as never[])])
					.execute();
			},
			[],
			SETS
		);
		return out(rows, () => key);
	}
	return null;
}

// ---- Coding state (migration 2026-12-01-0400) ----

/** The method statement's answer counts for these questions, or null when the aggregates are off. */
export async function aggCodingCounts(db: Db, questionIds: number[]) {
	if (!aggregatesEnabled()) return null;
	const r = await db
		.selectFrom('analysis_agg_coding')
		.where('question_id', 'in', questionIds.length ? questionIds : [-1])
		.select([
			sql<number>`sum(n)`.as('answers'),
			sql<number>`sum(case when is_reviewed = 1 then n else 0 end)`.as('reviewed'),
			sql<number>`sum(case when is_reviewed = 0 and is_coded = 1 then n else 0 end)`.as('coded'),
			sql<number>`sum(case when is_reviewed = 0 and has_human = 1 then n else 0 end)`.as('unreviewed'),
			sql<number>`sum(case when is_reviewed = 0 and is_coded = 1 and has_human = 1 then n else 0 end)`.as(
				'unreviewedCoded'
			)
		])
		.executeTakeFirst();
	return {
		answers: Number(r?.answers ?? 0),
		reviewed: Number(r?.reviewed ?? 0),
		coded: Number(r?.coded ?? 0),
		unreviewed: Number(r?.unreviewed ?? 0),
		unreviewedCoded: Number(r?.unreviewedCoded ?? 0)
	};
}

/** Answers per question and wording version (null: the aggregates are off). */
export async function aggAnswersByWording(db: Db, questionIds: number[]) {
	if (!aggregatesEnabled()) return null;
	const rows = await db
		.selectFrom('analysis_agg_coding')
		.where('question_id', 'in', questionIds.length ? questionIds : [-1])
		.select(['question_id as q', 'wording_version as v', sql<number>`sum(n)`.as('n')])
		.groupBy(['question_id', 'wording_version'])
		.execute();
	return rows
		.filter((r) => Number(r.n) !== 0)
		.map((r) => ({ questionId: Number(r.q), version: Number(r.v), n: Number(r.n) }));
}

// ---- Languages (migration 2026-12-04-0200) ----

/** Answers with words per language of a consultation, and how many are not reviewed (null: the aggregates are off). */
export async function aggAnswersByLanguage(
	db: Db,
	consultationId: number
): Promise<{ language: string; answers: number; unreviewed: number }[] | null> {
	if (!aggregatesEnabled()) return null;
	const rows = await db
		.selectFrom('analysis_agg_language')
		.where('question_id', 'in', db.selectFrom('question').select('id').where('consultation_id', '=', consultationId))
		.select([
			'language',
			sql<number>`sum(n)`.as('answers'),
			sql<number>`sum(case when is_reviewed = 0 then n else 0 end)`.as('unreviewed')
		])
		.groupBy('language')
		.execute();
	return rows
		.filter((r) => Number(r.answers) !== 0)
		.map((r) => ({ language: r.language, answers: Number(r.answers), unreviewed: Number(r.unreviewed) }));
}

// ---- Question sets (migration 2026-12-05-0100) ----

/** ANALYSIS_QUESTION_SETS=off reads a question scope's cubes from the submissions and perspectives, as before. */
export function questionSetsEnabled(): boolean {
	return aggregatesEnabled() && envSwitch('ANALYSIS_QUESTION_SETS') !== 'off';
}

/** The kept question-set tables answer this scope's cubes: a question filter and no theme filter. */
function questionSetLevel(s: Scope): boolean {
	return questionSetsEnabled() && s.filters.question !== undefined && s.filters.theme === undefined;
}

/** The question filter's id in a set key, e.g. '|12|' (null: a question this consultation does not have). */
function questionNeedle(s: Scope): string | null {
	const id = s.questionIds.get(s.filters.question!);
	return id === undefined ? null : `|${id}|`;
}
const inQuestionSet = (needle: string) => sql<SqlBool>`replace(question_set, ${needle}, '') <> question_set`;

/** A cell of a scope's submission cube (queries.ts): district × channel × location × day, null for not known. */
export interface SubmissionCell {
	district_code: string | null;
	channel: string;
	location_id: number | null;
	day: string;
	n: number;
}
/** A cell of a scope's perspective cube: group × district × channel. */
export interface PerspectiveCell {
	group_code: string | null;
	district_code: string | null;
	channel: string;
	n: number;
}

/** ANALYSIS_QUESTION_SLICES=off reads each question scope's kept question-set rows in a statement of its own, as before. */
export function questionSlicesEnabled(): boolean {
	return envSwitch('ANALYSIS_QUESTION_SLICES') !== 'off';
}

/**
 * A question scope's rows of a kept question-set table, read for the whole question family at once (issue #19).
 * A view with a question filter (question 1 + a theme: its wider view "question 1") is protected against every
 * other question's view (wider.ts), and each question's scope scanned the whole table for the sets containing
 * its question (`replace(question_set, '|id|', '')`, which no index serves): five scans of the 46,723 rows of the
 * equality table at a million answers, about 60 ms each. Here the scope without the question filter (the same
 * other filters) reads the table once grouped by the set as well, and each question takes the sets that contain
 * it (the same `|id|` test, in JavaScript), summed over the sets: the rows the filtered statement gives. Kept in
 * the family scope's memo for the request, each question's rows split out in the same pass. Under a district
 * filter the district's family is read the same way (the scope without the district as well, grouped by the
 * district too): a question + district page has a slice per question and district (48), and its district
 * scopes each read the table once before. `read` returns rows with `question_set`, the `columns`, `n`, and
 * `district_code` when asked to group by it; null (the statement per scope) when nothing batches (no threshold
 * and no family, as sliced) or the switch is off.
 */
async function byQuestionSet(
	s: Scope,
	kind: string,
	columns: readonly string[],
	read: (base: Scope, byDistrict: boolean) => Promise<unknown[][]>
): Promise<Record<string, unknown>[] | null> {
	const f = s.filters;
	if (!questionSlicesEnabled() || !familyBatching() || !(f.min > 0 || s.family !== undefined)) return null;
	const id = s.questionIds.get(f.question!);
	if (id === undefined) return null;
	// ANALYSIS_QUESTION_SLICES=question: the question family only, each district scope on its own (for an A/B).
	const byDistrict = f.district !== undefined && envSwitch('ANALYSIS_QUESTION_SLICES') !== 'question';
	const filters: Filters = { ...f };
	delete filters.question;
	if (byDistrict) delete filters.district;
	const base = relatedScope(s, filters);
	const ids = [...new Set(s.questionIds.values())];
	// A slice's key: the question's id, and the district as the table stores it ('' for not known).
	const sliceKey = (q: number, d: unknown) => (byDistrict ? `${q}|${String(d)}` : String(q));
	const slices = await memoised(base, `question-set-slices:${kind}${byDistrict ? ':district' : ''}`, async () => {
		const out = new Map<string, Map<string, Record<string, unknown> & { n: number }>>();
		// A set's slices, split once per distinct set (a few dozen) rather than each row tested against every
		// question's needle (code26's profile: 9% of the view). The family's ids only: a set may name others.
		const family = new Set(ids);
		const setSlices = new Map<string, number[]>();
		const slicesOf = (set: string) => {
			let qs = setSlices.get(set);
			if (!qs) {
				qs = set === '' ? [] : [...new Set(set.slice(1, -1).split('|').map(Number))].filter((q) => family.has(q));
				setSlices.set(set, qs);
			}
			return qs;
		};
		// The read's rows as arrays (db/array-rows.ts): question_set, the columns, n, then district_code if asked.
		const at = columns.map((_, i) => i + 1);
		const nAt = columns.length + 1;
		// A slice's district: the cube's own column, else the one selected after n (byDistrict).
		const dAt = columns.includes('district_code') ? columns.indexOf('district_code') + 1 : nAt + 1;
		for (const r of await read(base, byDistrict)) {
			const qs = slicesOf(String(r[0]));
			if (qs.length === 0) continue;
			const n = Number(r[nAt]);
			const k = cellKey(at, r as unknown as Record<number, unknown>);
			for (const q of qs) {
				const key = sliceKey(q, r[dAt]);
				let cells = out.get(key);
				if (!cells) out.set(key, (cells = new Map()));
				const cell = cells.get(k);
				if (cell) cell.n += n;
				else {
					// The columns, then n: the statement's rows as the per-question statement gives them.
					const row = {} as Record<string, unknown> & { n: number };
					for (let i = 0; i < columns.length; i++) row[columns[i]] = r[i + 1];
					row.n = n;
					cells.set(k, row);
				}
			}
		}
		return new Map([...out].map(([at, cells]) => [at, [...cells.values()]]));
	});
	return slices.get(sliceKey(id, f.district === UNKNOWN ? '' : f.district)) ?? [];
}

/**
 * ANALYSIS_QUESTION_SET_TOTALS=off reads the question family's rows by set from the tables with the group set
 * (grouped by the set in the statement), as before migration 2026-12-12-0900.
 */
export function questionSetTotalsEnabled(): boolean {
	return envSwitch('ANALYSIS_QUESTION_SET_TOTALS') !== 'off';
}

/**
 * A question scope's submissions per district × channel × location × day from the kept question sets (the sets
 * containing the question; a group filter through the group sets; district, channel and dates as columns), or
 * null when the sets cannot answer the scope (no question filter, a theme filter, the sets off).
 */
export async function aggQuestionSubmissionCube(db: Db, s: Scope): Promise<SubmissionCell[] | null> {
	if (!questionSetLevel(s)) return null;
	const needle = questionNeedle(s);
	if (needle === null) return [];
	const columns = ['district_code', 'channel', 'location_id', 'day'] as const;
	const query = (b: Scope) => whereSetScope(db.selectFrom('analysis_agg_question_set'), b, true);
	const rows =
		((await byQuestionSet(s, 'submission-cube', columns, (b) =>
			// Without a group filter, the kept sums over the group set (migration 2026-12-12-0900): one row a cell.
			!b.filters.group && questionSetTotalsEnabled()
				? arrayRows(
						db,
						whereSetScope(db.selectFrom('analysis_agg_question_set_total'), b, true).select([
							'question_set',
							...columns,
							'n'
						])
					)
				: arrayRows(
						db,
						query(b)
							.select(['question_set', ...columns, sql<number>`sum(n)`.as('n')])
							.groupBy(['question_set', ...columns])
					)
		)) as { district_code: string; channel: string; location_id: number; day: string; n: number }[] | null) ??
		(await query(s)
			.where(inQuestionSet(needle))
			.select([...columns, sql<number>`sum(n)`.as('n')])
			.groupBy([...columns])
			.execute());
	return rows
		.filter((r) => Number(r.n) !== 0)
		.map((r) => ({
			district_code: r.district_code === '' ? null : r.district_code,
			channel: r.channel,
			location_id: Number(r.location_id) === 0 ? null : Number(r.location_id),
			day: r.day,
			n: Number(r.n)
		}));
}

/** A question scope's perspectives per group × district × channel from the kept sets, or null (also under a date filter). */
export async function aggQuestionPerspectiveCube(db: Db, s: Scope): Promise<PerspectiveCell[] | null> {
	if (!questionSetLevel(s) || s.filters.from || s.filters.to) return null;
	const needle = questionNeedle(s);
	if (needle === null) return [];
	const columns = ['group_code', 'district_code', 'channel'] as const;
	const query = (b: Scope) =>
		db
			.selectFrom('analysis_agg_question_set_perspective')
			.where('consultation_id', '=', b.consultationId)
			.where((eb) => dimensions(eb as never, b));
	const rows =
		((await byQuestionSet(s, 'perspective-cube', columns, (b) =>
			arrayRows(
				db,
				query(b)
					.select(['question_set', ...columns, sql<number>`sum(n)`.as('n')])
					.groupBy(['question_set', ...columns])
			)
		)) as { group_code: string; district_code: string; channel: string; n: number }[] | null) ??
		(await query(s)
			.where(inQuestionSet(needle))
			.select([...columns, sql<number>`sum(n)`.as('n')])
			.groupBy([...columns])
			.execute());
	return rows
		.filter((r) => Number(r.n) !== 0)
		.map((r) => ({
			group_code: r.group_code === '' ? null : r.group_code,
			district_code: r.district_code === '' ? null : r.district_code,
			channel: r.channel,
			n: Number(r.n)
		}));
}

/**
 * A question scope's submissions per combination of the five equality answers from the kept question sets
 * (migration 2026-12-05-0110), also with a group and / or district filter; null otherwise (a channel or date
 * filter, a theme filter, no question filter, the sets off).
 */
export async function aggQuestionEquality(db: Db, s: Scope) {
	const f = s.filters;
	if (!questionSetLevel(s) || f.channel || f.from || f.to) return null;
	const needle = questionNeedle(s);
	if (needle === null) return [];
	const query = (b: Scope) => whereSetScope(db.selectFrom('analysis_agg_question_set_equality'), b, false);
	const select = [
		'eq_age_band as ageBand',
		'eq_gender as gender',
		'eq_disability as disability',
		'eq_ethnicity as ethnicity',
		'eq_sexual_orientation as sexualOrientation'
	] as const;
	const groupBy = ['eq_age_band', 'eq_gender', 'eq_disability', 'eq_ethnicity', 'eq_sexual_orientation'] as const;
	type Row = {
		ageBand: string;
		gender: string;
		disability: string;
		ethnicity: string;
		sexualOrientation: string;
		n: number;
	};
	const rows =
		((await byQuestionSet(
			s,
			'equality',
			['ageBand', 'gender', 'disability', 'ethnicity', 'sexualOrientation'],
			(b, byDistrict) =>
				// Without a group or district filter and not by district, the kept sums over the group set and district
				// (migration 2026-12-12-0900): one row a cell.
				!byDistrict && !b.filters.group && !b.filters.district && questionSetTotalsEnabled()
					? arrayRows(
							db,
							db
								.selectFrom('analysis_agg_question_set_equality_total')
								.where('consultation_id', '=', b.consultationId)
								.select(['question_set', ...select, 'n'])
						)
					: arrayRows(
							db,
							query(b)
								.select(['question_set', ...select, sql<number>`sum(n)`.as('n')])
								.$if(byDistrict, (q) => q.select('district_code').groupBy('district_code'))
								.groupBy(['question_set', ...groupBy])
						)
		)) as Row[] | null) ??
		(await query(s)
			.where(inQuestionSet(needle))
			.select([...select, sql<number>`sum(n)`.as('n')])
			.groupBy([...groupBy])
			.execute());
	return rows.filter((r) => Number(r.n) !== 0).map((r) => ({ ...r, n: Number(r.n) }));
}

// ---- Perspectives from the group sets (no migration: analysis_agg_group_set, 2026-12-01-0500) ----

/** A perspective cell from the group sets: group × district × channel × location × day (null for not known). */
export interface GroupSetCell {
	group_code: string | null;
	district_code: string | null;
	channel: string;
	location_id: number | null;
	day: string;
	n: number;
}

/** The respondent types of a group-set key (format above inSet; '' in the key is "not known", null here). */
export function setMembers(set: string): (string | null)[] {
	if (set === '') return [];
	return set
		.slice(1, -1)
		.split('|')
		.map((g) => (g === '' ? null : g));
}

/**
 * Whether the group sets count this consultation's perspectives exactly: a submission counts once under
 * each type in its set, which is its perspectives when no submission answers twice as one type. True when the
 * sets' members, summed over the submissions, are the perspectives (each submission gives at most as many
 * members as perspectives, so equal sums mean equal for every submission). Read once per request.
 */
async function groupSetsCountPerspectives(db: Db, consultationId: number): Promise<boolean> {
	const [sets, perspectives] = await Promise.all([
		db
			.selectFrom('analysis_agg_group_set')
			.where('consultation_id', '=', consultationId)
			.select(['group_set', sql<number>`sum(n)`.as('n')])
			.groupBy('group_set')
			.execute(),
		db
			.selectFrom('analysis_agg_perspective')
			.where('consultation_id', '=', consultationId)
			.select(sql<number>`sum(n)`.as('n'))
			.executeTakeFirst()
	]);
	const members = sets.reduce((t, r) => t + Number(r.n) * setMembers(r.group_set).length, 0);
	return members === Number(perspectives?.n ?? 0);
}

/**
 * A scope's perspectives per group × district × channel × location × day, from the group sets: each set's
 * submissions counted once under each of its types (only the filter's type under a group filter); district,
 * channel and dates as columns. Answers the perspective-level tables the perspective table cannot (a group by
 * location or week, anything under a date filter) without a pass over the perspectives joined to the
 * submissions (issue #19: "Respondent group by location", which a group view's locations table is a line of,
 * was most of a group-filtered dashboard's time at a million answers). Null when the sets cannot answer the
 * scope (a question or theme filter, the aggregates off, ANALYSIS_GROUP_CUBE=off) or do not count its
 * consultation's perspectives (a submission answering twice as one type).
 */
export async function aggGroupSetCube(db: Db, s: Scope): Promise<GroupSetCell[] | null> {
	const f = s.filters;
	if (!submissionLevel(s) || envSwitch('ANALYSIS_GROUP_CUBE') === 'off') return null;
	const exact = await memoisedInFamily(s, 'group-sets-count-perspectives', () =>
		groupSetsCountPerspectives(db, s.consultationId)
	);
	if (!exact) return null;
	const rows = await whereSetScope(db.selectFrom('analysis_agg_group_set'), s, true)
		.select(['group_set', 'district_code', 'channel', 'location_id', 'day', sql<number>`sum(n)`.as('n')])
		.groupBy(['group_set', 'district_code', 'channel', 'location_id', 'day'])
		.execute();
	const only = f.group === undefined ? undefined : f.group === UNKNOWN ? null : f.group;
	const out: GroupSetCell[] = [];
	for (const r of rows) {
		const n = Number(r.n);
		if (n === 0) continue;
		for (const g of setMembers(r.group_set)) {
			if (only !== undefined && g !== only) continue;
			out.push({
				group_code: g,
				district_code: r.district_code === '' ? null : r.district_code,
				channel: r.channel,
				location_id: Number(r.location_id) === 0 ? null : Number(r.location_id),
				day: r.day,
				n
			});
		}
	}
	return out;
}
