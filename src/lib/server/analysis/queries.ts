/**
 * Aggregate queries for the analysis screens: every count is a GROUP BY in the
 * database (never rows loaded into JavaScript), the same SQL on SQLite and
 * PostgreSQL. Results are plain { key, n } lists; src/lib/analysis turns them into tables.
 */
import { PostgresAdapter, sql, type Expression, type RawBuilder } from 'kysely';
import { FACE_TO_FACE, UNKNOWN, type Filters } from '../../analysis/filters';
import { FACE_TO_FACE_CHANNELS } from '../../domain/channels';
import { addDays } from '../../analysis/weeks';
import { analysisDb, type Db } from '../db/connect';
import { conditions, dateFamilyEnabled, memoised, memoisedInFamily, type Scope } from './scope';
import type { Dimension } from '../../analysis/dimensions';
import {
	aggAnswersByQuestion,
	aggCountPerspectives,
	aggCountSubmissions,
	aggCrossCounts,
	aggDayAndChannel,
	aggGroupSetCube,
	aggEqualityCombinations,
	aggEqualityMargins,
	EQUALITY_SKIPPED,
	type EqualityFieldName,
	type EqualitySummary,
	aggPerspectivesByGroup,
	aggQuestionEquality,
	aggQuestionPerspectiveCube,
	aggQuestionSubmissionCube,
	aggregatable,
	aggregatesEnabled,
	aggSubmissionsBy,
	aggThemeCounts,
	aggDayAnswers,
	aggDayThemeGroups,
	aggDayThemes,
	dayAggregatable,
	type DayColumn,
	questionSetsEnabled,
	type GroupSetCell,
	type SubmissionColumn
} from './aggregates';
import { relatedScope } from './wider';
import { cellKey } from './cell-key';
import { arrayRows } from '../db/array-rows';
import { EQUALITY_COLUMNS as EQUALITY_ANSWER_COLUMNS } from '../db/migrations/lib/aggregate-sql';
import { envSwitch } from '../../analysis/switches';
import {
	setFamilyBy,
	setFamilyCount,
	setFamilyCross,
	setFamilyDayAndChannel,
	setFamilyEqualityMargins
} from './set-family';

export interface Count {
	key: string | null;
	n: number;
}
export interface Count2 {
	a: string | null;
	b: string | null;
	n: number;
}

const countAll = sql<number>`count(*)`;
const num = (rows: { n: unknown }[]) => rows.map((r) => ({ ...r, n: Number(r.n) }));
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

function submissions(db: Db, s: Scope) {
	return db.selectFrom('submission').where((eb) => conditions(eb, s, 'submission'));
}
function perspectives(db: Db, s: Scope) {
	return db.selectFrom('perspective').where((eb) => conditions(eb, s, 'perspective'));
}
/** Answers joined to their perspective (for the respondent group). */
function answers(db: Db, s: Scope) {
	return db
		.selectFrom('answer')
		.innerJoin('perspective', 'perspective.id', 'answer.perspective_id')
		.where((eb) => conditions(eb, s, 'answer'));
}
/** Answers alone, when neither a group filter nor the group is needed. */
function answersOnly(db: Db, s: Scope) {
	return s.filters.group ? answers(db, s) : db.selectFrom('answer').where((eb) => conditions(eb, s, 'answer'));
}
/** Submissions joined to their perspectives, for cross-tabs of a group with a submission column. */
function perspectivesWithSubmission(db: Db, s: Scope) {
	return db
		.selectFrom('submission')
		.innerJoin('perspective', 'perspective.submission_id', 'submission.id')
		.where((eb) => conditions(eb, s, 'perspective', { submissionJoined: true }));
}

/** A submission cell: district × channel × location × day (the columns of analysis_agg_submission). */
interface CubeRow {
	district_code: unknown;
	channel: unknown;
	location_id: unknown;
	day: unknown;
	n: number;
}
type CubeColumn = Exclude<keyof CubeRow, 'n'>;

/**
 * The submission cube of a scope the aggregate tables cannot answer (a question or theme filter): its
 * submissions per district × channel × location × day, the cells of analysis_agg_submission, read once per
 * scope; the submission count, the districts, channels, locations, days × channels and their cross-tabs are
 * then summed from it (issue #19: each of them was a pass of its own over the question's or theme's
 * submissions, for the view and every wider and sibling view, most of a question + theme dashboard's time).
 * The cells are few (one per district, channel, location and day used, hundreds), whatever the answers.
 * Null when the aggregates are off (the tests' oracle: one query per table, as before) or
 * ANALYSIS_SUBMISSION_CUBE=off.
 */
function submissionCube(db: Db, s: Scope): Promise<CubeRow[]> | null {
	if (!aggregatesEnabled() || envSwitch('ANALYSIS_SUBMISSION_CUBE') === 'off') return null;
	return memoised(s, 'submission-cube', async () => {
		// A question scope: the kept question sets (migration 2026-12-05-0100), no pass over the submissions.
		const kept = await aggQuestionSubmissionCube(db, s);
		if (kept) return kept;
		const family = themeFamily(s);
		if (family)
			return sliceByQuestion<CubeRow>(
				s,
				await memoised(
					family,
					'submission-cube-by-question-set',
					async () =>
						(await themePass(db, family))?.cube ??
						countsBy<CubeRow & { question_set: string }>(db, family, 'submission', SUBMISSION_CUBE_COLUMNS, true)
				),
				['district_code', 'channel', 'location_id', 'day']
			);
		return countsBy<CubeRow>(db, s, 'submission', SUBMISSION_CUBE_COLUMNS, false);
	});
}

/** The submission cube's columns (alias: expression). */
const SUBMISSION_CUBE_COLUMNS = {
	district_code: 'submission.district_code',
	channel: 'submission.channel',
	location_id: 'submission.location_id',
	day: sql<string>`substr(submission.created_at, 1, 10)`
};

/**
 * The one reader of the cubes that the aggregates cannot give: a scope's submissions (`source` 'submission') or
 * perspectives joined to their submissions ('perspective') counted per value of `columns` (alias: column or
 * expression), also per question set (that source's) when `bySet` (a theme family's cube, sliceByQuestion).
 */
async function countsBy<R>(
	db: Db,
	s: Scope,
	source: 'submission' | 'perspective',
	columns: Record<string, string | RawBuilder<unknown>>,
	bySet: boolean
): Promise<R[]> {
	const exprs = Object.entries(columns).map(([alias, e]) => [alias, typeof e === 'string' ? sql.ref(e) : e] as const);
	if (bySet) exprs.unshift(['question_set', sql.ref(`${source}.question_set`)]);
	const base = (source === 'submission' ? submissions(db, s) : perspectivesWithSubmission(db, s)) as ReturnType<
		typeof submissions
	>;
	const rows = await base
		.select([...exprs.map(([alias, e]) => e.as(alias)), countAll.as('n')] as never[])
		.groupBy(exprs.map(([, e]) => e) as never[])
		.execute();
	return rows.map((r) => ({ ...(r as object), n: Number((r as { n: unknown }).n) }) as R);
}

/**
 * A theme scope (with or without a question filter) whose cube is read for the whole question family at once:
 * the scope without its question filter, whose cube grouped by the kept question sets (migration
 * 2026-12-05-0100) also gives each question's (a question + theme dashboard protects each question's sibling
 * view with the theme, wider.ts: one pass over the theme's submissions instead of one per question). Null when
 * the sets are off (ANALYSIS_QUESTION_SETS=off: one cube per scope, as before) or without a theme filter.
 */
function themeFamily(s: Scope): Scope | null {
	if (s.filters.theme === undefined || !questionSetsEnabled()) return null;
	if (s.filters.question === undefined) return s;
	const filters = { ...s.filters };
	delete filters.question;
	return relatedScope(s, filters);
}

/**
 * ANALYSIS_FAMILY_SLICES=off: each question scope sums its cells from the family's rows in a pass of its own (before
 * code28). Read at use.
 */
export function familySlicesEnabled(): boolean {
	return envSwitch('ANALYSIS_FAMILY_SLICES') !== 'off';
}

/** Each question's slice of a family's rows (by the rows read: the family memo's array), made in one pass. */
const familySlices = new WeakMap<object[], Map<number, object[]>>();

/** The cells of a family's cube (grouped by question set too) whose set has the scope's question, summed over the sets. */
function sliceByQuestion<R extends { n: number }>(
	s: Scope,
	rows: (R & { question_set: string })[],
	columns: Exclude<keyof R, 'n'>[]
): R[] {
	const q = s.filters.question;
	const id = q === undefined ? undefined : s.questionIds.get(q);
	if (q !== undefined && id === undefined) return [];
	if (id !== undefined && familySlicesEnabled()) {
		// A question + theme page slices the family's rows for each question's scope (the question's own and every
		// other question's sibling view, seven scopes a table at a million; code28's profile: 14% of the view's CPU):
		// every question's slice in one pass, each row's cell key made once. Shared by the scopes: read only.
		let slices = familySlices.get(rows);
		if (!slices) familySlices.set(rows, (slices = slicesOfFamily(rows, columns, [...s.questionIds.values()])));
		return (slices.get(id) ?? []) as R[];
	}
	return sliceOne(q === undefined ? undefined : id, rows, columns);
}

/**
 * The rows of every question in `ids` at once, each as sliceOne gives it: the cells of the sets holding the question
 * (the same `|id|` test, once per distinct set and question), in order of first appearance, summed; each cell a new
 * object with the row's columns in the row's order and `n`.
 */
function slicesOfFamily<R extends { n: number }>(
	rows: (R & { question_set: string })[],
	columns: Exclude<keyof R, 'n'>[],
	ids: number[]
): Map<number, object[]> {
	const unique = [...new Set(ids)];
	const cells = new Map<number, Map<string, R>>(unique.map((i) => [i, new Map()]));
	const holders = new Map<string, Map<string, R>[]>();
	for (const r of rows) {
		let hold = holders.get(r.question_set);
		if (!hold) {
			hold = unique.filter((i) => r.question_set.includes(`|${i}|`)).map((i) => cells.get(i)!);
			holders.set(r.question_set, hold);
		}
		if (hold.length === 0) continue;
		const k = cellKey(columns, r);
		for (const out of hold) {
			const cell = out.get(k);
			if (cell) cell.n += r.n;
			else out.set(k, withoutSet(r));
		}
	}
	return new Map([...cells].map(([i, m]) => [i, [...m.values()]]));
}

/** A row without its question_set, the other keys in their order (as `{ ...rest, n }` of the row gives). */
function withoutSet<R extends { n: number }>(r: R & { question_set: string }): R {
	const { question_set: _, ...rest } = r;
	return { ...(rest as unknown as R), n: r.n };
}

/** One scope's slice of a family's rows: the question `id`'s cells (every row's when undefined). */
function sliceOne<R extends { n: number }>(
	id: number | undefined,
	rows: (R & { question_set: string })[],
	columns: Exclude<keyof R, 'n'>[]
): R[] {
	const q = id;
	const needle = `|${id}|`;
	// Whether a set holds the question, tested once per distinct set (a few dozen) rather than per row.
	const holds = new Map<string, boolean>();
	const out = new Map<string, R>();
	for (const r of rows) {
		if (q !== undefined) {
			let h = holds.get(r.question_set);
			if (h === undefined) holds.set(r.question_set, (h = r.question_set.includes(needle)));
			if (!h) continue;
		}
		const k = cellKey(columns, r);
		const cell = out.get(k);
		if (cell) cell.n += r.n;
		else out.set(k, withoutSet(r));
	}
	return [...out.values()];
}

/** The four tables a theme family's one pass gives (themePass), each grouped by question set as the family cubes. */
interface ThemePass {
	cube: (CubeRow & { question_set: string })[];
	equality: (EqualityRow & { question_set: string })[];
	perspectives: (PerspectiveCubeRow & { question_set: string })[];
	answers: { questionId: number; n: number }[];
}

/**
 * A theme family's submission cube, equality combinations, perspective cube and answers per question from ONE walk
 * over the theme's answers (issue #19). Each of the four was a pass of its own over the same answers
 * (answer_theme → answer → submission or perspective): at 1,000,001 answers on SQLite about 44,000 random row
 * look-ups each, nearly all of a question + theme dashboard's time. Here the theme's answers are joined to their
 * perspective and submission once (a materialised CTE) and the four groupings are made from those rows in the
 * database. Exact: each submission and perspective falls in exactly one cell of its grouping (every grouped column
 * is its own), so counting distinct ids per cell counts each once, as the IN (sub-select) of the separate passes
 * did; each answer has one answer_theme row per theme (the primary key), so the answers are counted once.
 * Null (the separate passes) without a theme filter, with a group filter (there a submission's group and theme may
 * come from different perspectives, which rows of one perspective cannot tell), or with ANALYSIS_THEME_PASS=off.
 */
function themePass(db: Db, family: Scope): Promise<ThemePass> | null {
	const f = family.filters;
	if (f.theme === undefined || f.group !== undefined || f.question !== undefined) return null;
	const kept = keptThemeCube(db, family);
	if (kept) return kept;
	if (envSwitch('ANALYSIS_THEME_PASS') === 'off') return null;
	return memoised(family, 'theme-pass', async () => {
		const pg = probesByArray(db);
		const joined = pg
			? // PostgreSQL: the theme's answer ids as an array the answers are looked up by (see probesByArray).
				db
					.selectFrom('answer')
					.innerJoin('perspective', 'perspective.id', 'answer.perspective_id')
					.innerJoin('submission', 'submission.id', 'answer.submission_id')
					.where(
						sql<boolean>`answer.id = any(array(${db
							.selectFrom('answer_theme as ft')
							.select('ft.answer_id')
							.where('ft.theme_id', '=', f.theme!)
							.where('ft.applies', '=', 1)}))`
					)
			: db
					.selectFrom('answer_theme as ft')
					.innerJoin('answer', 'answer.id', 'ft.answer_id')
					.innerJoin('perspective', 'perspective.id', 'answer.perspective_id')
					.innerJoin('submission', 'submission.id', 'answer.submission_id')
					.where('ft.theme_id', '=', f.theme!)
					.where('ft.applies', '=', 1)
					// Names the third column of answer_theme (theme_id, applies, answer_id), so that SQLite walks the theme's
					// answers in id order (near rows together) rather than through the quotes' index in confidence order.
					.where('ft.answer_id', '>', 0);
		const rows = joined
			.where((eb) => conditions(eb, family, 'submission', { skip: ['theme'] }))
			.select([
				'answer.question_id as q',
				'answer.submission_id as sid',
				'perspective.id as pid',
				'perspective.group_code',
				'perspective.question_set as pqs',
				'submission.question_set as sqs',
				'submission.district_code',
				'submission.channel',
				'submission.location_id',
				sql<string>`substr(submission.created_at, 1, 10)`.as('day'),
				'submission.eq_age_band',
				'submission.eq_gender',
				'submission.eq_disability',
				'submission.eq_ethnicity',
				'submission.eq_sexual_orientation'
			]);
		const questionIds = [...family.questionIds.values(), -1];
		// One statement, four groupings of the same rows, told apart by `kind`; each leaves the others' columns null
		// (PostgreSQL types a union's column from its first rows: hence the cast of the question's null there).
		const result = await (
			pg
				? pgGroupings(rows, questionIds)
				: sql<Record<string, unknown>>`with theme_rows as materialized ${rows}
select 'cube' as kind, sqs as question_set, null as group_code, district_code, channel, location_id, day,
       null as eq_age_band, null as eq_gender, null as eq_disability, null as eq_ethnicity, null as eq_sexual_orientation,
       cast(null as integer) as q, count(distinct sid) as n
  from theme_rows group by sqs, district_code, channel, location_id, day
union all
select 'equality', sqs, null, null, null, null, null, eq_age_band, eq_gender, eq_disability, eq_ethnicity,
       eq_sexual_orientation, null, count(distinct sid)
  from theme_rows group by sqs, eq_age_band, eq_gender, eq_disability, eq_ethnicity, eq_sexual_orientation
union all
select 'perspective', pqs, group_code, district_code, channel, null, null, null, null, null, null, null, null,
       count(distinct pid)
  from theme_rows group by pqs, group_code, district_code, channel
union all
select 'answers', null, null, null, null, null, null, null, null, null, null, null, q, count(*)
  from theme_rows where q in (${sql.join(questionIds)}) group by q`
		).execute(db);
		const out: ThemePass = { cube: [], equality: [], perspectives: [], answers: [] };
		for (const r of result.rows) {
			const n = Number(r.n);
			const question_set = String(r.question_set);
			if (r.kind === 'cube')
				out.cube.push({
					question_set,
					district_code: r.district_code,
					channel: r.channel,
					location_id: r.location_id,
					day: r.day,
					n
				});
			else if (r.kind === 'equality')
				out.equality.push({
					question_set,
					ageBand: str(r.eq_age_band),
					gender: str(r.eq_gender),
					disability: str(r.eq_disability),
					ethnicity: str(r.eq_ethnicity),
					sexualOrientation: str(r.eq_sexual_orientation),
					n
				});
			else if (r.kind === 'perspective')
				out.perspectives.push({
					question_set,
					group_code: r.group_code,
					district_code: r.district_code,
					channel: r.channel,
					n
				});
			else out.answers.push({ questionId: Number(r.q), n });
		}
		return out;
	});
}

/** ANALYSIS_THEME_CUBE=off walks the theme's answers (themePass) instead of reading the kept theme cube. */
export function themeCubeEnabled(): boolean {
	return envSwitch('ANALYSIS_THEME_CUBE') !== 'off';
}

/**
 * themePass's four tables from the kept theme cube (migration 2026-12-11-0300, issue #19): the theme's rows of four
 * small tables kept by triggers and by the coder (per theme: submissions by question set × district × channel ×
 * location × day, by question set × equality answers, perspectives by question set × group × district × channel,
 * codings by question × district × channel), instead of a walk over the theme's answers (~45,000 at a million
 * answers, each joined to its perspective and submission). The same rows as the pass (tests/analysis-theme-pass.test.ts): each submission (perspective) with an applying coding of the theme counted once in its cell. Null (the
 * pass) when the family has a date, district or channel filter (the equality table has neither days nor districts
 * nor channels; a theme alone, with or without a question, is the family this is for), the aggregates are off, or
 * ANALYSIS_THEME_CUBE=off.
 */
function keptThemeCube(db: Db, family: Scope): Promise<ThemePass> | null {
	const f = family.filters;
	if (!aggregatesEnabled() || !themeCubeEnabled() || f.from || f.to || f.district || f.channel) return null;
	return memoised(family, 'theme-cube', async () => {
		const theme = f.theme!;
		// The four tables share these columns.
		type Where = { where: (...a: unknown[]) => Where };
		const scoped = <Q>(q: Q): Q =>
			(q as unknown as Where)
				.where('consultation_id', '=', family.consultationId)
				.where('theme_id', '=', theme) as unknown as Q;
		const sum = sql<number>`sum(n)`.as('n');
		const cubeCols = ['question_set', 'district_code', 'channel', 'location_id', 'day'] as const;
		const eqCols = ['question_set', ...EQUALITY_ANSWER_COLUMNS] as const;
		const perspCols = ['question_set', 'group_code', 'district_code', 'channel'] as const;
		const cubeQuery = scoped(db.selectFrom('analysis_agg_theme_submission'))
			.select([...cubeCols, sum])
			.groupBy([...cubeCols])
			.orderBy(sql.raw(cubeCols.join(', ')));
		const eqQuery = scoped(db.selectFrom('analysis_agg_theme_equality'))
			.select([...eqCols, sum])
			.groupBy([...eqCols])
			.orderBy(sql.raw(eqCols.join(', ')));
		// ANALYSIS_THEME_CUBE_ARRAYS=off: the two large reads (~5,000 and ~4,300 rows for a theme at a million
		// answers) as objects, as before; on, as arrays (db/array-rows.ts) made into the family's rows directly.
		// SQLite only: PostgreSQL's driver makes objects anyway, which arrayRows would only copy into arrays.
		const arrays =
			envSwitch('ANALYSIS_THEME_CUBE_ARRAYS') !== 'off' && !(db.getExecutor().adapter instanceof PostgresAdapter);
		const blank = (v: unknown) => (v === '' ? null : v);
		const live = <R extends { n: unknown }>(rows: R[]) => rows.filter((r) => Number(r.n) !== 0);
		const cubeRow = (
			question_set: unknown,
			district_code: unknown,
			channel: unknown,
			location_id: unknown,
			day: unknown,
			n: unknown
		) => ({
			question_set,
			district_code: blank(district_code),
			channel,
			location_id: Number(location_id) === 0 ? null : Number(location_id),
			day,
			n: Number(n)
		});
		const equalityRow = (r: readonly unknown[]) => ({
			question_set: r[0],
			ageBand: str(r[1]),
			gender: str(r[2]),
			disability: str(r[3]),
			ethnicity: str(r[4]),
			sexualOrientation: str(r[5]),
			n: Number(r[6])
		});
		const [cube, equality, perspectives, answers] = await Promise.all([
			arrays
				? arrayRows(db, cubeQuery).then((rows) =>
						rows.filter((r) => Number(r[5]) !== 0).map((r) => cubeRow(r[0], r[1], r[2], r[3], r[4], r[5]))
					)
				: cubeQuery
						.execute()
						.then((rows) =>
							live(rows).map((r) => cubeRow(r.question_set, r.district_code, r.channel, r.location_id, r.day, r.n))
						),
			arrays
				? arrayRows(db, eqQuery).then((rows) => rows.filter((r) => Number(r[6]) !== 0).map(equalityRow))
				: eqQuery.execute().then((rows) =>
						live(rows).map((r) => ({
							question_set: r.question_set,
							ageBand: str(r.eq_age_band),
							gender: str(r.eq_gender),
							disability: str(r.eq_disability),
							ethnicity: str(r.eq_ethnicity),
							sexualOrientation: str(r.eq_sexual_orientation),
							n: Number(r.n)
						}))
					),
			scoped(db.selectFrom('analysis_agg_theme_perspective'))
				.select([...perspCols, sum])
				.groupBy([...perspCols])
				.orderBy(sql.raw(perspCols.join(', ')))
				.execute(),
			scoped(db.selectFrom('analysis_agg_theme_question'))
				.where('question_id', 'in', [...family.questionIds.values(), -1])
				.select(['question_id', sum])
				.groupBy('question_id')
				.orderBy('question_id')
				.execute()
		]);
		return {
			cube: cube as ThemePass['cube'],
			equality: equality as ThemePass['equality'],
			perspectives: live(perspectives).map((r) => ({
				question_set: r.question_set,
				group_code: blank(r.group_code),
				district_code: blank(r.district_code),
				channel: r.channel,
				n: Number(r.n)
			})),
			answers: live(answers).map((r) => ({ questionId: Number(r.question_id), n: Number(r.n) }))
		};
	});
}

/**
 * Whether themePass reads the theme's answers through `answer.id = any(array(…))` and groups distinct rows first:
 * PostgreSQL, unless ANALYSIS_PG_THEME_PROBES=off (the join as on SQLite, for A/B). At 1,000,001 answers
 * PostgreSQL planned the join of a theme's 44,751 codings to `answer` as a parallel hash join over a sequential scan
 * of the whole table (72,000 pages, 1,000,001 rows, in three processes), JIT-compiled in each (cost 131,660 >
 * jit_above_cost), and its `count(distinct …)` groupings as sorts spilled to disk (work_mem 4 MB): ~1.8–2.0 s of
 * CPU for the statement. The array hides the theme's size from the planner, so it probes answer, perspective and
 * submission by their keys, one process, no JIT; the distinct rows first make the counts hash aggregates.
 */
function probesByArray(db: Db): boolean {
	return envSwitch('ANALYSIS_PG_THEME_PROBES') !== 'off' && db.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * themePass's four groupings on PostgreSQL: the same rows and counts as the shared statement, with each distinct
 * submission and perspective taken once first (every grouped column is the submission's or the perspective's own,
 * so a cell's distinct ids are its rows there) and then counted with count(*), which PostgreSQL hashes, where
 * `count(distinct …)` per cell makes it sort all the rows once per grouping.
 */
function pgGroupings(rows: Expression<unknown>, questionIds: number[]) {
	return sql<Record<string, unknown>>`with theme_rows as materialized ${rows},
subs as materialized (select distinct sid, sqs, district_code, channel, location_id, day, eq_age_band, eq_gender,
       eq_disability, eq_ethnicity, eq_sexual_orientation from theme_rows),
persp as (select distinct pid, pqs, group_code, district_code, channel from theme_rows)
select 'cube' as kind, sqs as question_set, null as group_code, district_code, channel, location_id, day,
       null as eq_age_band, null as eq_gender, null as eq_disability, null as eq_ethnicity, null as eq_sexual_orientation,
       cast(null as integer) as q, count(*) as n
  from subs group by sqs, district_code, channel, location_id, day
union all
select 'equality', sqs, null, null, null, null, null, eq_age_band, eq_gender, eq_disability, eq_ethnicity,
       eq_sexual_orientation, null, count(*)
  from subs group by sqs, eq_age_band, eq_gender, eq_disability, eq_ethnicity, eq_sexual_orientation
union all
select 'perspective', pqs, group_code, district_code, channel, null, null, null, null, null, null, null, null, count(*)
  from persp group by pqs, group_code, district_code, channel
union all
select 'answers', null, null, null, null, null, null, null, null, null, null, null, q, count(*)
  from theme_rows where q in (${sql.join(questionIds)}) group by q`;
}

/** The cube's counts per value of `a` (and `b`): the rows a GROUP BY of those columns gives. */
function cubeBy<R extends { n: number }>(cube: R[], a: keyof R, b?: keyof R): Count2[] {
	const out = new Map<string, Count2>();
	for (const r of cube) {
		const ka = str(r[a]);
		const kb = b ? str(r[b]) : null;
		const k = JSON.stringify([ka, kb]);
		const cell = out.get(k);
		if (cell) cell.n += r.n;
		else out.set(k, { a: ka, b: kb, n: r.n });
	}
	return [...out.values()];
}

/** The cube column of a submission dimension (absent: not in the cube). */
const CUBE_DIMENSION: Partial<Record<Dimension, CubeColumn>> = {
	district: 'district_code',
	channel: 'channel',
	location: 'location_id',
	week: 'day'
};
const CUBE_COLUMN: Partial<Record<SubmissionColumn, CubeColumn>> = {
	district_code: 'district_code',
	channel: 'channel',
	location_id: 'location_id'
};

/** A perspective cell: group × district × channel (the columns of analysis_agg_perspective). */
interface PerspectiveCubeRow {
	group_code: unknown;
	district_code: unknown;
	channel: unknown;
	n: number;
}

/**
 * The perspective cube of such a scope: its perspectives per group × district × channel, read once per scope;
 * the perspective count, the respondent types and their cross-tabs with the district or channel are summed from
 * it. Null as submissionCube.
 */
function perspectiveCube(db: Db, s: Scope): Promise<PerspectiveCubeRow[]> | null {
	if (!aggregatesEnabled() || envSwitch('ANALYSIS_SUBMISSION_CUBE') === 'off') return null;
	return memoised(s, 'perspective-cube', async () => {
		const kept = (await aggQuestionPerspectiveCube(db, s)) ?? (await groupCube(db, s));
		if (kept) return kept;
		const family = themeFamily(s);
		if (family)
			return sliceByQuestion<PerspectiveCubeRow>(
				s,
				await memoised(
					family,
					'perspective-cube-by-question-set',
					async () =>
						(await themePass(db, family))?.perspectives ??
						countsBy<PerspectiveCubeRow & { question_set: string }>(
							db,
							family,
							'perspective',
							PERSPECTIVE_CUBE_COLUMNS,
							true
						)
				),
				['group_code', 'district_code', 'channel']
			);
		// A dated question scope (no kept table has both a question and a day for perspectives): the date family's
		// rows, one pass over the question's perspectives for every week × channel (× district) slice.
		const dated = datedPerspectivesEnabled()
			? await fromDateFamily<PerspectiveCubeRow & Record<string, unknown>>(
					s,
					'perspective-cube',
					({ base, extra, set }) =>
						countsBy(db, base, 'perspective', familyRead(PERSPECTIVE_CUBE_COLUMNS, extra, set), false),
					['group_code', 'district_code', 'channel'],
					['n'],
					{ sets: 'perspective' }
				)
			: null;
		if (dated) return dated;
		return countsBy<PerspectiveCubeRow>(db, s, 'perspective', PERSPECTIVE_CUBE_COLUMNS, false);
	});
}

/**
 * ANALYSIS_DATED_PERSPECTIVES=off: a dated question scope's perspective cube is a statement of its own, as before
 * issue #19's dash35 (weeks 3–4 + online + question 2: 292 such statements, ~10 s of a 19 s dashboard at 100,000
 * answers). Read at use.
 */
export function datedPerspectivesEnabled(): boolean {
	return envSwitch('ANALYSIS_DATED_PERSPECTIVES') !== 'off';
}
/** The perspective cube's columns. */
const PERSPECTIVE_CUBE_COLUMNS = {
	group_code: 'perspective.group_code',
	district_code: 'submission.district_code',
	channel: 'submission.channel'
};

/**
 * A scope's perspectives per group × district × channel × location × day from the group sets
 * (aggregates.ts aggGroupSetCube), read once per scope: a group by location or week, and the perspective
 * tables under a date filter, summed from it. Null when the sets cannot answer the scope.
 */
function groupCube(db: Db, s: Scope): Promise<GroupSetCell[] | null> {
	return memoised(s, 'group-cube', () => aggGroupSetCube(db, s));
}
const GROUP_CUBE_DIMENSION: Partial<Record<Dimension, keyof GroupSetCell>> = {
	group: 'group_code',
	district: 'district_code',
	channel: 'channel',
	location: 'location_id',
	week: 'day'
};
const PERSPECTIVE_CUBE_DIMENSION: Partial<Record<Dimension, keyof PerspectiveCubeRow>> = {
	group: 'group_code',
	district: 'district_code',
	channel: 'channel'
};

export function countSubmissions(db: Db, s: Scope): Promise<number> {
	db = analysisDb(db);
	return memoised(s, 'submissions', async () => {
		// A group scope of a protected view or family: from the request's one read of the group sets (set-family.ts).
		const fromSets = await setFamilyCount(db, s);
		if (fromSets !== null) return fromSets;
		const agg = await aggCountSubmissions(db, s);
		if (agg !== null) return agg;
		const cube = submissionCube(db, s);
		if (cube) return (await cube).reduce((t, r) => t + r.n, 0);
		return Number((await submissions(db, s).select(countAll.as('n')).executeTakeFirstOrThrow()).n);
	});
}

export function countPerspectives(db: Db, s: Scope): Promise<number> {
	db = analysisDb(db);
	return memoised(s, 'perspectives', async () => {
		const agg = await aggCountPerspectives(db, s);
		if (agg !== null) return agg;
		const cube = perspectiveCube(db, s);
		if (cube) return (await cube).reduce((t, r) => t + r.n, 0);
		return Number((await perspectives(db, s).select(countAll.as('n')).executeTakeFirstOrThrow()).n);
	});
}

/** Submissions per value of a submission column. */
export async function submissionsBy(db: Db, s: Scope, column: SubmissionColumn): Promise<Count[]> {
	db = analysisDb(db);
	return memoised(s, `by:${column}`, async () => {
		const fromSets =
			column === 'channel' || column === 'district_code' || column === 'location_id'
				? await setFamilyBy(db, s, column)
				: null;
		if (fromSets) return fromSets;
		const agg = await aggSubmissionsBy(db, s, column);
		if (agg) return agg;
		const cube = CUBE_COLUMN[column] ? submissionCube(db, s) : null;
		if (cube) return cubeBy(await cube, CUBE_COLUMN[column]!).map((r) => ({ key: r.a, n: r.n }));
		const rows = await submissions(db, s)
			.select([sql.ref(`submission.${column}`).as('key'), countAll.as('n')])
			.groupBy(`submission.${column}`)
			.execute();
		return rows.map((r) => ({ key: str(r.key), n: Number(r.n) }));
	});
}

/** Submissions per day (YYYY-MM-DD of created_at) and channel: weeks are made from days in JS. */
export async function submissionsByDayAndChannel(db: Db, s: Scope): Promise<Count2[]> {
	db = analysisDb(db);
	return memoised(s, 'day-channel', async () => {
		const fromSets = await setFamilyDayAndChannel(db, s);
		if (fromSets) return fromSets;
		const agg = await aggDayAndChannel(db, s);
		if (agg) return agg;
		const cube = submissionCube(db, s);
		if (cube) return cubeBy(await cube, 'day', 'channel');
		const day = sql<string>`substr(submission.created_at, 1, 10)`;
		const rows = await submissions(db, s)
			.select([day.as('a'), 'submission.channel as b', countAll.as('n')])
			.groupBy([day, 'submission.channel'])
			.execute();
		return rows.map((r) => ({ a: str(r.a), b: str(r.b), n: Number(r.n) }));
	});
}

/** Perspectives (a submission counts once per respondent type it answered as) per group. */
export async function perspectivesByGroup(db: Db, s: Scope): Promise<Count[]> {
	db = analysisDb(db);
	return memoised(s, 'perspectives-by-group', async () => {
		const agg = await aggPerspectivesByGroup(db, s);
		if (agg) return agg;
		const cube = perspectiveCube(db, s);
		if (cube) return cubeBy(await cube, 'group_code').map((r) => ({ key: r.a, n: r.n }));
		const rows = await perspectives(db, s)
			.select(['perspective.group_code as key', countAll.as('n')])
			.groupBy('perspective.group_code')
			.execute();
		return rows.map((r) => ({ key: str(r.key), n: Number(r.n) }));
	});
}

/** Submissions per combination of the five equality answers (grouped in the database; margins are summed by the caller). */
export function equalityCombinations(db: Db, s: Scope): Promise<EqualityRow[]> {
	db = analysisDb(db);
	return memoised(s, 'equality', async () => {
		const agg = (await aggEqualityCombinations(db, s)) ?? (await aggQuestionEquality(db, s));
		if (agg) return agg;
		// A theme scope: the question family's combinations once, by question set (as its cubes).
		const family = themeFamily(s);
		if (family)
			return sliceByQuestion(
				s,
				await memoised(
					family,
					'equality-by-question-set',
					async () =>
						(await themePass(db, family))?.equality ??
						countsBy<EqualityRow & { question_set: string }>(db, family, 'submission', EQUALITY_COLUMNS, true)
				),
				['ageBand', 'gender', 'disability', 'ethnicity', 'sexualOrientation']
			);
		// A dated scope: the date family's combinations (fromDateFamily); also a channel scope without dates (a
		// channel + question view: the kept question-set equality table has no channel), which then shares the
		// family's rows with its dated slices (weeks 3–4 + online + question 2: 40 statements of their own before).
		const dated = await fromDateFamily<EqualityRow>(
			s,
			'equality',
			({ base, extra, set }) =>
				countsBy<EqualityRow>(db, base, 'submission', familyRead(EQUALITY_COLUMNS, extra, set), false),
			['ageBand', 'gender', 'disability', 'ethnicity', 'sexualOrientation'],
			['n'],
			{ undatedChannel: envSwitch('ANALYSIS_CHANNEL_EQUALITY') !== 'off', sets: 'submission' }
		);
		if (dated) return dated;
		return countsBy<EqualityRow>(db, s, 'submission', EQUALITY_COLUMNS, false);
	});
}

/**
 * Each equality field's counts and the submissions that answered any of the five (the dashboard's equality tables
 * and headline): from the aggregates' margins in SQL when they answer the scope, else summed from the combinations.
 */
export function equalitySummary(db: Db, s: Scope): Promise<EqualitySummary> {
	db = analysisDb(db);
	return memoised(s, 'equality-summary', async () => {
		const agg = (await setFamilyEqualityMargins(db, s)) ?? (await aggEqualityMargins(db, s));
		if (agg) return agg;
		return summaryOf(await equalityCombinations(db, s));
	});
}

/** The summary of a scope's combinations (the margins in the combinations' order of first appearance). */
function summaryOf(combos: EqualityRow[]): EqualitySummary {
	const fields: EqualityFieldName[] = ['ageBand', 'gender', 'disability', 'ethnicity', 'sexualOrientation'];
	const margins = Object.fromEntries(fields.map((f) => [f, new Map<string, number>()])) as EqualitySummary['margins'];
	// Each field's map and the skipped values looked up once, not per row (a question + theme page sums a few
	// thousand combinations for each of its scopes).
	const maps = fields.map((f) => margins[f]);
	const skipped = new Set<string | null | undefined>([null, ...EQUALITY_SKIPPED]);
	let completed = 0;
	for (const r of combos) {
		let answered = false;
		for (let i = 0; i < fields.length; i++) {
			const v = r[fields[i]];
			const key = v ?? 'left_blank';
			const m = maps[i];
			m.set(key, (m.get(key) ?? 0) + r.n);
			if (!answered && !skipped.has(v)) answered = true;
		}
		if (answered) completed += r.n;
	}
	return { margins, completed };
}

type EqualityRow = { n: number } & Record<
	'ageBand' | 'gender' | 'disability' | 'ethnicity' | 'sexualOrientation',
	string | null
>;
const EQUALITY_COLUMNS = {
	ageBand: 'submission.eq_age_band',
	gender: 'submission.eq_gender',
	disability: 'submission.eq_disability',
	ethnicity: 'submission.eq_ethnicity',
	sexualOrientation: 'submission.eq_sexual_orientation'
};

/** Answers per question. */
export async function answersByQuestion(db: Db, s: Scope): Promise<{ questionId: number; n: number }[]> {
	db = analysisDb(db);
	return memoised(s, 'answers-by-question', async () => {
		if (aggregatable(s)) return aggAnswersByQuestion(db, s);
		// A theme scope with a question: its question's row of the family's counts (one query for every sibling).
		const family = themeFamily(s);
		if (family && family !== s) {
			const id = s.questionIds.get(s.filters.question!);
			return (await answersByQuestion(db, family)).filter((r) => r.questionId === id);
		}
		const pass = family ? themePass(db, family) : null;
		if (pass) return (await pass).answers;
		// A dated scope: the date family's rows (fromDateFamily), from the day aggregates when they answer it.
		const dated = await fromDateFamily(
			s,
			'answers-by-question',
			({ base: b, extra }) =>
				dayAggregatable(b, true)
					? aggDayAnswers(
							db,
							b,
							extra.map(([alias]) => alias)
						)
					: ((answersOnly(db, b) as ReturnType<typeof answers>)
							.innerJoin('submission', 'submission.id', 'answer.submission_id')
							.select([
								'answer.question_id as q',
								...extra.map(([alias, e]) => e.as(alias)),
								countAll.as('n')
							] as never[])
							.groupBy([sql.ref('answer.question_id'), ...extra.map(([, e]) => e)] as never[])
							.execute() as Promise<{ q: unknown; n: unknown }[]>),
			['q'],
			['n']
		);
		if (dated) return dated.map((r) => ({ questionId: Number(r.q), n: Number(r.n) }));
		// A dated scope on its own (not protected, not in a family): its days of the day aggregates.
		if (!family && dayAggregatable(s, true))
			return (await aggDayAnswers(db, s, [])).map((r) => ({ questionId: Number(r.q), n: Number(r.n) }));
		const rows = await (answersOnly(db, s) as ReturnType<typeof answers>)
			.select(['answer.question_id as q', countAll.as('n')])
			.groupBy('answer.question_id')
			.execute();
		return rows.map((r) => ({ questionId: Number(r.q), n: Number(r.n) }));
	});
}

/** Collection sessions held per location, within the date filter. */
export async function sessionsByLocation(db: Db, s: Scope): Promise<Count[]> {
	db = analysisDb(db);
	// Only the dates narrow the sessions: one query per date range for the whole family of scopes.
	return memoisedInFamily(s, `sessions-by-location:${s.filters.from ?? ''}:${s.filters.to ?? ''}`, async () => {
		let q = db
			.selectFrom('collection_session')
			.select(['collection_session.location_id as key', countAll.as('n')])
			.where('collection_session.consultation_id', '=', s.consultationId);
		if (s.filters.from) q = q.where('collection_session.session_date', '>=', s.filters.from);
		if (s.filters.to) q = q.where('collection_session.session_date', '<=', s.filters.to);
		const rows = await q.groupBy('collection_session.location_id').execute();
		return rows.map((r) => ({ key: str(r.key), n: Number(r.n) }));
	});
}

const DIMENSION_SQL: Record<Dimension, string> = {
	group: 'perspective.group_code',
	district: 'submission.district_code',
	channel: 'submission.channel',
	location: 'submission.location_id',
	gender: 'submission.eq_gender',
	disability: 'submission.eq_disability',
	age: 'submission.eq_age_band',
	ethnicity: 'submission.eq_ethnicity',
	orientation: 'submission.eq_sexual_orientation',
	week: 'week'
};

function dimensionExpr(d: Dimension) {
	return d === 'week' ? sql`substr(submission.created_at, 1, 10)` : sql.ref(DIMENSION_SQL[d]);
}

/**
 * Counts for a cross-tab of two dimensions. Counted per perspective when either
 * dimension is the respondent group (one submission can be two types), else per submission.
 * "week" comes back as a day, to be bucketed by the caller.
 */
export async function crossCounts(
	db: Db,
	s: Scope,
	a: Dimension,
	b: Dimension
): Promise<{ level: 'perspective' | 'submission'; rows: Count2[] }> {
	db = analysisDb(db);
	return memoised(s, `cross:${a}:${b}`, async () => {
		const agg = (await setFamilyCross(db, s, a, b)) ?? (await aggCrossCounts(db, s, a, b));
		if (agg) return agg;
		if (a === 'group' || b === 'group') {
			// A group by location or week (which the perspective table has not), or under a date filter: the group sets.
			const ga = GROUP_CUBE_DIMENSION[a];
			const gb = GROUP_CUBE_DIMENSION[b];
			const fromSets = ga && gb ? await groupCube(db, s) : null;
			if (fromSets) return { level: 'perspective' as const, rows: cubeBy(fromSets, ga!, gb) };
			const pa = PERSPECTIVE_CUBE_DIMENSION[a];
			const pb = PERSPECTIVE_CUBE_DIMENSION[b];
			const cube = pa && pb ? perspectiveCube(db, s) : null;
			if (cube) return { level: 'perspective' as const, rows: cubeBy(await cube, pa!, pb) };
		} else {
			const ca = CUBE_DIMENSION[a];
			const cb = CUBE_DIMENSION[b];
			const cube = ca && cb ? submissionCube(db, s) : null;
			if (cube) return { level: 'submission' as const, rows: cubeBy(await cube, ca!, cb) };
		}
		const ea = dimensionExpr(a);
		const eb2 = dimensionExpr(b);
		const level = a === 'group' || b === 'group' ? 'perspective' : 'submission';
		const base =
			level === 'perspective'
				? a === 'group' && b === 'group'
					? perspectives(db, s)
					: perspectivesWithSubmission(db, s)
				: submissions(db, s);
		const rows = await (base as ReturnType<typeof submissions>)
			.select([ea.as('a'), eb2.as('b'), countAll.as('n')])
			.groupBy([ea, eb2])
			.execute();
		return { level, rows: rows.map((r) => ({ a: str(r.a), b: str(r.b), n: Number(r.n) })) };
	});
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The columns a date family's query adds (and groups by) so that each scope can pick its rows. */
const DATE_FAMILY_COLUMNS: Record<DayColumn, RawBuilder<unknown>> = {
	date_day: sql<string>`substr(submission.created_at, 1, 10)`,
	date_district: sql.ref('submission.district_code'),
	date_channel: sql.ref('submission.channel')
};

/**
 * The table whose kept question set (migration 2026-12-05-0100) a date family's read by question set groups by
 * (fromDateFamily's `sets`): the submission's for counts of submissions, the perspective's for perspectives.
 */
type SetSource = 'submission' | 'perspective';

/** How a date family's reader is asked for its rows (fromDateFamily's `run`). */
interface FamilyRead {
	/** The family's scope: the scope without its dates, district and channel (and question, when by set). */
	base: Scope;
	/** The day aggregate columns to select and group by after the reader's own (alias: expression). */
	extra: [DayColumn, RawBuilder<unknown>][];
	/**
	 * When the read is by question set: the kept set to select as `date_set` and group by LAST (after `extra`), so
	 * that the rows stay ordered by the reader's keys first. Null otherwise (a reader without `sets` gets null only).
	 */
	set: RawBuilder<unknown> | null;
}

/**
 * A countsBy reader's columns for a date family's read: its own, then the day aggregate columns, then the question
 * set as `date_set` when the read is by set.
 */
function familyRead(
	own: Record<string, string>,
	extra: FamilyRead['extra'],
	set: FamilyRead['set']
): Record<string, string | RawBuilder<unknown>> {
	const columns: Record<string, string | RawBuilder<unknown>> = { ...own, ...Object.fromEntries(extra) };
	if (set) columns.date_set = set;
	return columns;
}

/** What a date family's reader can be asked for besides its rows (fromDateFamily). */
interface FamilyOptions {
	/** Filters the reader does not read, left out of the family's scope. */
	drop?: readonly (keyof Filters)[];
	/** A channel scope without dates is read from the same family too (all its days). */
	undatedChannel?: boolean;
	/** The reader can group by this table's kept question set (datedQuestionSets). */
	sets?: SetSource;
}

/**
 * ANALYSIS_DATED_QUESTION_SETS=off: a dated question scope's family (its equality combinations, its perspective cube)
 * is read per question, as before issue #19's dash38. Read at use.
 */
export function datedQuestionSetsEnabled(): boolean {
	return questionSetsEnabled() && envSwitch('ANALYSIS_DATED_QUESTION_SETS') !== 'off';
}

/**
 * Whether a dated scope's family read is the read by question set (issue #19, dash36's change 2 redone by dash38):
 * the scope without its question, grouped by the kept question set as well, whose rows each question's scope
 * takes for the sets that hold the question (a submission's set is the questions it answered, so a set holding
 * `|id|` is exactly `submission.id in (select submission_id from answer where question_id = id)`; a perspective's
 * likewise). Weeks 3–4 + online + question 2 is protected with every question's week × channel slices: the five
 * questions' families were five reads of the consultation's submissions with the question's as an IN list (2 s of
 * CPU each at a million answers for the equality combinations, as much again for the perspectives), where one
 * read by set is one pass. A scope without a question takes every set's rows when the request's page has a
 * question (its family's read by set is made anyway; without a question on the page, the plain read is smaller).
 * Only readers that can group by set (`sets`), with the question sets kept (questionSetsEnabled).
 */
function datedQuestionSets(s: Scope, sets: SetSource | undefined): boolean {
	if (sets === undefined || !datedQuestionSetsEnabled()) return false;
	if (s.filters.question !== undefined) return true;
	const page = s.family?.values().next().value as Scope | undefined;
	return page?.filters.question !== undefined;
}

/**
 * The rows of a date-filtered scope from ONE query for its whole family (issue #19, helper dated). A dated view
 * with a district (weeks 3–4 + Redditch) is protected with every week × district slice (wider.ts siblingFamily:
 * 10 weeks × 8 districts = 80 scopes), and the aggregates have no days for answers, themes or equality answers,
 * so each slice ran its own scans of the answers: 355 + 355 theme statements for one request's theme tables,
 * ~17 s of the 20 s of CPU at 100,000 answers. Here the reader runs once on the scope without its dates,
 * district and channel (and the filters in `drop`, which the reader does not read), grouped by the day of
 * `created_at` and by the district and channel the scope filters on as well, and each scope sums the rows of its
 * days, district and channel: the same rows its own WHERE selects (`created_at >= from` and `< to + 1 day` are
 * `day >= from` and `day < to + 1 day` for dates of ten characters, checked; `district_code is null` for
 * UNKNOWN; the face-to-face channels for FACE_TO_FACE), so the same counts. Rows are summed per `keys` in the
 * order of their first appearance in the family's rows, which on SQLite is the order the scope's own GROUP BY
 * gave (the family's rows are grouped by `keys` first). Null (the scope's own query) when the scope has no
 * date filter, a theme filter (the theme families: themeFamily), dates not of ten characters, when it is neither
 * protected nor within a family (one query for one view, as before) or ANALYSIS_DATE_FAMILY=off.
 * `run` gets the family's scope and the extra columns (FamilyRead). `undatedChannel`: a channel scope without
 * dates is read from the same family too (all its days; ANALYSIS_CHANNEL_EQUALITY=off: not). `sets`: the family
 * is read by question set when datedQuestionSets says so (the scope's question left out of the family's scope,
 * each scope summing the rows of the sets holding its question, or of every set without one).
 */
async function fromDateFamily<R extends Record<string, unknown>>(
	s: Scope,
	kind: string,
	run: (read: FamilyRead) => Promise<R[]>,
	keys: readonly (keyof R & string)[],
	sums: readonly (keyof R & string)[],
	options: FamilyOptions = {}
): Promise<R[] | null> {
	const { drop = [], undatedChannel = false } = options;
	const f = s.filters;
	const undated = f.from === undefined && f.to === undefined;
	if (!dateFamilyEnabled() || f.theme !== undefined || (undated && !(undatedChannel && f.channel !== undefined)))
		return null;
	if (!(f.min > 0 || s.family !== undefined)) return null;
	if ((f.from !== undefined && !ISO_DAY.test(f.from)) || (f.to !== undefined && !ISO_DAY.test(f.to))) return null;
	const bySet = datedQuestionSets(s, options.sets);
	const own = (['district', 'channel'] as const).filter((k) => f[k] !== undefined);
	const filters: Filters = { ...f };
	const left: (keyof Filters)[] = ['from', 'to', ...own, ...drop];
	if (bySet) left.push('question');
	for (const k of left) delete filters[k];
	const base = relatedScope(s, filters);
	const read = `date-family:${kind}${bySet ? ':sets' : ''}`;
	const by = familyColumns(s, base, read, own);
	const extra: [DayColumn, RawBuilder<unknown>][] = [
		['date_day', DATE_FAMILY_COLUMNS.date_day],
		...by.map((k): [DayColumn, RawBuilder<unknown>] => {
			const alias: DayColumn = k === 'district' ? 'date_district' : 'date_channel';
			return [alias, DATE_FAMILY_COLUMNS[alias]];
		})
	];
	const set = bySet ? sql.ref(`${options.sets}.question_set`) : null;
	const rows = await memoised(base, `${read}:${by.join(',')}`, () => run({ base, extra, set }));
	// The sets holding the scope's question (by set with a question), tested once per distinct set.
	const question = bySet && f.question !== undefined ? s.questionIds.get(f.question) : undefined;
	if (bySet && f.question !== undefined && question === undefined) return [];
	const needle = `|${question}|`;
	const holds = new Map<unknown, boolean>();
	const from = f.from;
	const before = f.to === undefined ? undefined : addDays(f.to, 1);
	const district = f.district;
	const channels =
		f.channel === undefined
			? undefined
			: new Set<unknown>(f.channel === FACE_TO_FACE ? FACE_TO_FACE_CHANNELS : [f.channel]);
	const out = new Map<string, R>();
	for (const r of rows) {
		const day = r.date_day as string | null;
		if (from !== undefined && (day === null || day < from)) continue;
		if (before !== undefined && (day === null || day >= before)) continue;
		if (district !== undefined) {
			const d = r.date_district;
			if (district === UNKNOWN ? d !== null && d !== undefined : d !== district) continue;
		}
		if (channels && !channels.has(r.date_channel)) continue;
		if (question !== undefined) {
			let h = holds.get(r.date_set);
			if (h === undefined) holds.set(r.date_set, (h = String(r.date_set).includes(needle)));
			if (!h) continue;
		}
		const k = cellKey(keys, r);
		const cell = out.get(k);
		if (cell) for (const c of sums) (cell as Record<string, unknown>)[c] = Number(cell[c]) + Number(r[c]);
		else {
			const fresh: Record<string, unknown> = {};
			for (const c of keys) fresh[c] = r[c];
			for (const c of sums) fresh[c] = Number(r[c]);
			out.set(k, fresh as R);
		}
	}
	return [...out.values()];
}

/**
 * The district and channel columns a date family's rows are grouped by (fromDateFamily): those the scope filters on
 * (`own`), and also, since rows grouped by more columns sum to the same counts, those of the request's first scope
 * (the page: its family's slices filter on them, so its family reads them anyway) and those of any read of the family
 * already made (`read`: the memo key's prefix, fromDateFamily), so that one read serves the family's scopes with and
 * without the district or channel. Weeks 3–4 + online + question 2 read each question's equality combinations and
 * perspectives twice, by day and by day × channel (~2 s of CPU each at a million answers; issue #19, dash36).
 * ANALYSIS_FAMILY_COLUMNS=off: the scope's own columns only, a read per set of columns, as before. Read at use.
 */
function familyColumns(
	s: Scope,
	base: Scope,
	read: string,
	own: ('district' | 'channel')[]
): ('district' | 'channel')[] {
	if (envSwitch('ANALYSIS_FAMILY_COLUMNS') === 'off') return own;
	const page = s.family?.values().next().value as Scope | undefined;
	const want = (k: 'district' | 'channel') => own.includes(k) || page?.filters[k] !== undefined;
	const wide = (['district', 'channel'] as const).filter(want);
	// A read with more columns already asked for (in the memo of the family's scope): that one.
	const made = (cols: readonly string[]) => base.memo?.has(`${read}:${cols.join(',')}`) ?? false;
	for (const cols of [['district', 'channel'], ['district'], ['channel']] as ('district' | 'channel')[][])
		if (wide.every((k) => cols.includes(k)) && made(cols)) return cols;
	return wide;
}

/** Theme counts for one question: answers per group, answers with each active theme per group, uncoded answers per group. */
export async function themeCounts(db: Db, s: Scope, questionId: number) {
	db = analysisDb(db);
	return memoised(s, `themes:${questionId}`, async () => {
		// The question filter does not narrow a question's own theme table.
		if (aggregatable(s)) return aggThemeCounts(db, s, questionId);
		const scoped: Scope = { ...s, filters: { ...s.filters, question: undefined } };
		const base = () => answers(db, scoped).where('answer.question_id', '=', questionId);
		const coded = sql`answer.id in (select ut.answer_id from answer_theme ut where ut.applies = 1 and ut.theme_id in (select uth.id from theme uth where uth.question_id = ${questionId} and uth.status = 'active'))`;
		// A dated scope: the date family's rows, one query per question for every week and district slice.
		const familyAnswers = (b: Scope) =>
			answers(db, b)
				.innerJoin('submission', 'submission.id', 'answer.submission_id')
				.where('answer.question_id', '=', questionId);
		const [familyGroups, familyThemes] = await Promise.all([
			fromDateFamily(
				s,
				`theme-groups:${questionId}`,
				({ base: b, extra }) =>
					dayAggregatable(b, false)
						? aggDayThemeGroups(
								db,
								b,
								questionId,
								extra.map(([alias]) => alias)
							)
						: (familyAnswers(b)
								.select([
									'perspective.group_code as g',
									...extra.map(([alias, e]) => e.as(alias)),
									countAll.as('n'),
									sql<number>`sum(case when ${coded} then 0 else 1 end)`.as('u')
								] as never[])
								.groupBy([sql.ref('perspective.group_code'), ...extra.map(([, e]) => e)] as never[])
								.execute() as Promise<{ g: unknown; n: unknown; u: unknown }[]>),
				['g'],
				['n', 'u'],
				{ drop: ['question'] }
			),
			fromDateFamily(
				s,
				`theme-themes:${questionId}`,
				({ base: b, extra }) =>
					dayAggregatable(b, false)
						? aggDayThemes(
								db,
								b,
								questionId,
								extra.map(([alias]) => alias)
							)
						: (familyAnswers(b)
								.innerJoin('answer_theme', 'answer_theme.answer_id', 'answer.id')
								.innerJoin('theme', 'theme.id', 'answer_theme.theme_id')
								.where('answer_theme.applies', '=', 1)
								.where('theme.status', '=', 'active')
								.where('theme.question_id', '=', questionId)
								.select([
									'answer_theme.theme_id as t',
									'perspective.group_code as g',
									...extra.map(([alias, e]) => e.as(alias)),
									countAll.as('n')
								] as never[])
								.groupBy([
									sql.ref('answer_theme.theme_id'),
									sql.ref('perspective.group_code'),
									...extra.map(([, e]) => e)
								] as never[])
								.execute() as Promise<{ t: unknown; g: unknown; n: unknown }[]>),
				['t', 'g'],
				['n'],
				{ drop: ['question'] }
			)
		]);
		if (familyGroups && familyThemes)
			return {
				groups: familyGroups.map((r) => ({ key: str(r.g), n: Number(r.n) })),
				themes: familyThemes.map((r) => ({ themeId: Number(r.t), group: str(r.g), n: Number(r.n) })),
				uncoded: familyGroups.map((r) => ({ key: str(r.g), n: Number(r.u) }))
			};
		// A dated scope on its own (not protected, not in a family): its days of the day aggregates.
		if (dayAggregatable(scoped, false)) {
			const [groupRows, themeRows] = await Promise.all([
				aggDayThemeGroups(db, scoped, questionId, []),
				aggDayThemes(db, scoped, questionId, [])
			]);
			return {
				groups: groupRows.map((r) => ({ key: str(r.g), n: Number(r.n) })),
				themes: themeRows.map((r) => ({ themeId: Number(r.t), group: str(r.g), n: Number(r.n) })),
				uncoded: groupRows.map((r) => ({ key: str(r.g), n: Number(r.u) }))
			};
		}
		// One pass for the answers per group and, of those, the ones with no active theme.
		const [groupRows, themeRows] = await Promise.all([
			base()
				.select([
					'perspective.group_code as g',
					countAll.as('n'),
					sql<number>`sum(case when ${coded} then 0 else 1 end)`.as('u')
				])
				.groupBy('perspective.group_code')
				.execute(),
			base()
				.innerJoin('answer_theme', 'answer_theme.answer_id', 'answer.id')
				.innerJoin('theme', 'theme.id', 'answer_theme.theme_id')
				.where('answer_theme.applies', '=', 1)
				.where('theme.status', '=', 'active')
				// Naming the question on the theme too lets the planner start from this question's themes only.
				.where('theme.question_id', '=', questionId)
				.select(['answer_theme.theme_id as t', 'perspective.group_code as g', countAll.as('n')])
				.groupBy(['answer_theme.theme_id', 'perspective.group_code'])
				.execute()
		]);
		const uncodedRows = groupRows.map((r) => ({ g: r.g, n: r.u }));
		return {
			groups: groupRows.map((r) => ({ key: str(r.g), n: Number(r.n) })),
			themes: themeRows.map((r) => ({ themeId: Number(r.t), group: str(r.g), n: Number(r.n) })),
			uncoded: uncodedRows.map((r) => ({ key: str(r.g), n: Number(r.n) }))
		};
	});
}

/** Active themes of a consultation's questions, in codebook order. */
export async function activeThemes(db: Db, questionIds: number[]) {
	db = analysisDb(db);
	if (questionIds.length === 0) return [];
	const rows = await db
		.selectFrom('theme')
		.select(['id', 'question_id', 'code', 'label', 'description', 'keywords', 'parent_id', 'position'])
		.where('question_id', 'in', questionIds)
		.where('status', '=', 'active')
		.orderBy('question_id')
		.orderBy('position')
		.orderBy('id')
		.execute();
	return rows;
}

/**
 * The agreement page's counts of answers and of reviewed answers per question from the aggregates (their `n` summed
 * over the question's cells: analysis_agg_answer holds every answer, analysis_agg_review the reviewed ones), unless
 * ANALYSIS_AGREEMENT_KEPT=off or without the aggregates. Counting the answers themselves read every answer of the
 * consultation: at 1,000,001 answers on PostgreSQL ~0.2–0.5 s of database CPU a page (issue #19).
 */
export function agreementKeptEnabled(): boolean {
	return envSwitch('ANALYSIS_AGREEMENT_KEPT') !== 'off' && aggregatesEnabled();
}

/**
 * Agreement between automatic and final coding on reviewed answers, per question:
 * tp = proposed by the engine (confidence not null) and applying; fp = proposed but
 * removed; fn = applying but not proposed. Plus the number of reviewed answers.
 */
export async function agreementCounts(db: Db, s: Scope) {
	db = analysisDb(db);
	const qids = [...s.questionIds.values()];
	if (qids.length === 0) return [];
	const proposed = sql`answer_theme.confidence is not null`;
	const kept = agreementKeptEnabled();
	const [pairs, reviewed, totals] = await Promise.all([
		db
			.selectFrom('answer')
			.innerJoin('answer_theme', 'answer_theme.answer_id', 'answer.id')
			.innerJoin('theme', 'theme.id', 'answer_theme.theme_id')
			.where('answer.question_id', 'in', qids)
			.where('answer.reviewed_at', 'is not', null)
			.where('theme.status', '=', 'active')
			.select([
				'answer.question_id as q',
				sql<number>`sum(case when ${proposed} and answer_theme.applies = 1 then 1 else 0 end)`.as('tp'),
				sql<number>`sum(case when ${proposed} and answer_theme.applies = 0 then 1 else 0 end)`.as('fp'),
				sql<number>`sum(case when answer_theme.confidence is null and answer_theme.applies = 1 then 1 else 0 end)`.as(
					'fn'
				)
			])
			.groupBy('answer.question_id')
			.execute(),
		kept
			? db
					.selectFrom('analysis_agg_review as ar')
					.where('ar.question_id', 'in', qids)
					.select(['ar.question_id as q', sql<number>`sum(ar.n)`.as('n')])
					.groupBy('ar.question_id')
					.execute()
			: db
					.selectFrom('answer')
					.where('answer.question_id', 'in', qids)
					.where('answer.reviewed_at', 'is not', null)
					.select(['answer.question_id as q', countAll.as('n')])
					.groupBy('answer.question_id')
					.execute(),
		kept
			? db
					.selectFrom('analysis_agg_answer as aa')
					.where('aa.question_id', 'in', qids)
					.select(['aa.question_id as q', sql<number>`sum(aa.n)`.as('n')])
					.groupBy('aa.question_id')
					.execute()
			: db
					.selectFrom('answer')
					.where('answer.question_id', 'in', qids)
					.select(['answer.question_id as q', countAll.as('n')])
					.groupBy('answer.question_id')
					.execute()
	]);
	return qids.map((q) => {
		const p = pairs.find((r) => Number(r.q) === q);
		return {
			questionId: q,
			tp: Number(p?.tp ?? 0),
			fp: Number(p?.fp ?? 0),
			fn: Number(p?.fn ?? 0),
			reviewed: Number(reviewed.find((r) => Number(r.q) === q)?.n ?? 0),
			answers: Number(totals.find((r) => Number(r.q) === q)?.n ?? 0)
		};
	});
}

export { num };
