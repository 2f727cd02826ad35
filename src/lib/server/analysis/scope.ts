/**
 * How the shared filters narrow a query, at three levels: submissions (people),
 * perspectives (a person answering as one respondent type) and answers. Built
 * with Kysely expressions only, so the same SQL runs on SQLite and PostgreSQL.
 */
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import { CHANNELS, FACE_TO_FACE_CHANNELS } from '../../domain/channels';
import { FACE_TO_FACE, UNKNOWN, parseFilters, type Filters } from '../../analysis/filters';
import { addDays, wholeWeeks } from '../../analysis/weeks';
import type { ViewConstraints } from '../../analysis/suppress';
import type { ConsultationView } from '../consultations/queries';
import type { Database } from '../db/schema';
import type { Db } from '../db/connect';
import type { AnyExpressionBuilder } from '../db/untyped';
import { envSwitch } from '../../analysis/switches';

export type Level = 'submission' | 'perspective' | 'answer';

export interface Scope {
	consultationId: number;
	/** question key -> id */
	questionIds: Map<string, number>;
	filters: Filters;
	/** Results already computed for this scope within one request (the same count feeds several tables). */
	memo?: Map<string, Promise<unknown>>;
	/** The scopes for other filters in the same request (wider views: see wider.ts), by filters. */
	family?: Map<string, Scope>;
	/** The consultation's district codes: the sibling views of a district view (siblings in wider.ts). */
	districts?: string[];
	/** Its respondent types' codes: the sibling views of a group view. */
	groups?: string[];
	/** Its opening date (the first day of week 1), when set: date filters are whole weeks from it. */
	opensAt?: string | null;
	/**
	 * A sibling view being protected together with its siblings (wider.ts): these constraints are
	 * added to its wider views' and its own siblings are not worked out again.
	 */
	siblingRound?: Map<string, ViewConstraints>;
}

/** Runs `work` once per scope and key: one page load never asks the database the same question twice. */
export function memoised<T>(s: Scope, key: string, work: () => Promise<T>): Promise<T> {
	s.memo ??= new Map();
	let p = s.memo.get(key) as Promise<T> | undefined;
	if (!p) s.memo.set(key, (p = work()));
	return p;
}

/** One memo per request's family of scopes (all the scopes relatedScope in wider.ts makes from one). */
const familyMemos = new WeakMap<Map<string, Scope>, Map<string, Promise<unknown>>>();

/**
 * Runs `work` once per request for every scope of the family (wider.ts relatedScope): for results that do
 * not depend on the filters `key` leaves out (the locations' names; collection sessions, which depend on the
 * dates only), which each of a first filtered page's scopes otherwise asked for again (64 times each for a
 * group and district dashboard).
 */
export function memoisedInFamily<T>(s: Scope, key: string, work: () => Promise<T>): Promise<T> {
	// ANALYSIS_TABLE_MEMO=off: once per scope, as before (the A of the bench; dashboard.ts builtOnce).
	if (envSwitch('ANALYSIS_TABLE_MEMO') === 'off') return memoised(s, key, work);
	s.family ??= new Map([[JSON.stringify(s.filters), s]]);
	let memo = familyMemos.get(s.family);
	if (!memo) familyMemos.set(s.family, (memo = new Map()));
	let p = memo.get(key) as Promise<T> | undefined;
	if (!p) memo.set(key, (p = work()));
	return p;
}

/**
 * ANALYSIS_DATE_FAMILY=off: each date-filtered scope the aggregates cannot answer (they have no days for answers,
 * themes and equality answers) runs its own query, and each scope of a dated family asks for the span of the
 * submissions' dates again, as before issue #19's helper dated (queries.ts fromDateFamily, wider.ts
 * siblingDimensions). Read at use.
 */
export function dateFamilyEnabled(): boolean {
	return envSwitch('ANALYSIS_DATE_FAMILY') !== 'off';
}

export function scopeOf(
	c: Pick<ConsultationView, 'id' | 'questions'> & Partial<Pick<ConsultationView, 'districts' | 'groups' | 'opensAt'>>,
	filters: Filters
): Scope {
	return {
		consultationId: c.id,
		questionIds: new Map(c.questions.map((q) => [q.key, q.id])),
		filters,
		districts: c.districts?.map((d) => d.code),
		groups: c.groups?.map((g) => g.code),
		opensAt: c.opensAt
	};
}

/**
 * The first day of week 1: the opening date, else the day of the first submission (today when
 * there is none). Date filters snap to these weeks, and the "Responses by week" table uses them.
 */
export async function weekOne(db: Db, c: { id: number; opensAt?: string | null }): Promise<string> {
	if (c.opensAt) return c.opensAt.slice(0, 10);
	const row = await db
		.selectFrom('submission')
		.select((e) => e.fn.min('created_at').as('first'))
		.where('consultation_id', '=', c.id)
		.executeTakeFirst();
	return row?.first ? String(row.first).slice(0, 10) : new Date().toISOString().slice(0, 10);
}

/**
 * The filters of an analysis request, as the pages, exports and report read them: parsed from the
 * query string and, while suppression is on, with dates widened to whole weeks (wholeWeeks in
 * weeks.ts; docs/analysis.md, "Dates"), so that two date ranges never differ by a few days.
 */
export async function analysisFilters(
	db: Db,
	c: { id: number; opensAt?: string | null } & Partial<Pick<ConsultationView, 'groups' | 'districts' | 'questions'>>,
	params: URLSearchParams
): Promise<Filters> {
	const f = knownCodesOnly(parseFilters(params), c);
	if (f.theme !== undefined && c.questions && !(await isThemeOf(db, f.theme, c.questions))) delete f.theme;
	if (f.min <= 0 || (!f.from && !f.to)) return f;
	return wholeWeeks(f, await weekOne(db, c));
}

/**
 * Whether a theme id (from `?theme=`) is one of this consultation's questions' themes, retired ones included (their
 * codings still count). An id from another consultation or none at all is dropped like an unknown code (below), so
 * the page shows the unfiltered figures rather than zeros. One lookup by primary key.
 */
async function isThemeOf(
	db: Db,
	theme: number,
	questions: readonly Pick<ConsultationView['questions'][number], 'id'>[]
) {
	if (questions.length === 0) return false;
	const row = await db
		.selectFrom('theme')
		.select('id')
		.where('id', '=', theme)
		.where(
			'question_id',
			'in',
			questions.map((q) => q.id)
		)
		.executeTakeFirst();
	return row !== undefined;
}

/**
 * A well-formed code the consultation does not have (a group, district, question or channel from an old link or a
 * typing slip, e.g. `group=young-person` for `young_person`) is dropped like a malformed one, so the page shows the
 * figures without that filter (its menu reads "All …") rather than zeros under "These figures are filtered".
 * Only the lists the caller knows are checked.
 */
export function knownCodesOnly(
	f: Filters,
	c: Partial<Pick<ConsultationView, 'groups' | 'districts' | 'questions'>>
): Filters {
	const out = { ...f };
	const drop = (key: 'group' | 'district' | 'question' | 'channel', known: readonly string[] | undefined) => {
		if (out[key] !== undefined && known && !known.includes(out[key]!)) delete out[key];
	};
	drop('group', c.groups && [...c.groups.map((g) => g.code), UNKNOWN]);
	drop('district', c.districts && [...c.districts.map((d) => d.code), UNKNOWN]);
	drop(
		'question',
		c.questions?.map((q) => q.key)
	);
	drop('channel', [...CHANNELS, FACE_TO_FACE]);
	return out;
}

type Eb = AnyExpressionBuilder;

const FALSE = sql<SqlBool>`1 = 0`;

/**
 * The WHERE conditions for a query over `submission` (level 'submission'),
 * `perspective` ('perspective'), or `answer` joined to `perspective` ('answer').
 * Perspectives and answers are narrowed to the consultation's submissions with
 * `submission_id IN (SELECT id FROM submission WHERE ...)`, and answers are scoped
 * by their question ids, so no per-row join to submission is needed.
 */
export function conditions(
	eb: Eb,
	s: Scope,
	level: Level,
	opts: { skip?: (keyof Filters)[]; submissionJoined?: boolean } = {}
): Expression<SqlBool> {
	const f = s.filters;
	const skip = new Set(opts.skip ?? []);
	const out: Expression<SqlBool>[] = [];
	const submissionLevel = (e: Eb, table: string): Expression<SqlBool>[] => {
		const c: Expression<SqlBool>[] = [e(`${table}.consultation_id`, '=', s.consultationId)];
		if (f.district && !skip.has('district'))
			c.push(
				f.district === UNKNOWN ? e(`${table}.district_code`, 'is', null) : e(`${table}.district_code`, '=', f.district)
			);
		if (f.channel && !skip.has('channel'))
			c.push(
				f.channel === FACE_TO_FACE
					? e(`${table}.channel`, 'in', [...FACE_TO_FACE_CHANNELS])
					: e(`${table}.channel`, '=', f.channel)
			);
		if (f.from && !skip.has('from')) c.push(e(`${table}.created_at`, '>=', f.from));
		if (f.to && !skip.has('to')) c.push(e(`${table}.created_at`, '<', addDays(f.to, 1)));
		return c;
	};
	const narrowsSubmissions = ['district', 'channel', 'from', 'to'].some(
		(k) => f[k as keyof Filters] !== undefined && !skip.has(k as keyof Filters)
	);
	if (level === 'submission' || opts.submissionJoined) out.push(...submissionLevel(eb, 'submission'));
	else if (level === 'perspective' || narrowsSubmissions) {
		const col = level === 'perspective' ? 'perspective.submission_id' : 'answer.submission_id';
		out.push(
			eb(
				col,
				'in',
				eb
					.selectFrom('submission as fs')
					.select('fs.id')
					.where((e: Eb) => e.and(submissionLevel(e, 'fs')))
			)
		);
	}
	if (level === 'answer' && !(f.question && !skip.has('question')))
		out.push(eb('answer.question_id', 'in', [...s.questionIds.values(), -1]));
	// Group, question and theme filters narrow submissions and perspectives through
	// IN (sub-select) driven by an index on the filtered column, never a probe per row.
	if (f.group && !skip.has('group')) {
		if (level === 'submission')
			out.push(
				eb(
					'submission.id',
					'in',
					eb
						.selectFrom('perspective as gp')
						.select('gp.submission_id')
						.where((e: Eb) =>
							f.group === UNKNOWN ? e('gp.group_code', 'is', null) : e('gp.group_code', '=', f.group!)
						)
				)
			);
		else
			out.push(
				f.group === UNKNOWN ? eb('perspective.group_code', 'is', null) : eb('perspective.group_code', '=', f.group)
			);
	}
	if (f.question && !skip.has('question')) {
		const qid = s.questionIds.get(f.question);
		if (qid === undefined) out.push(FALSE);
		else if (level === 'answer') out.push(eb('answer.question_id', '=', qid));
		else if (level === 'submission')
			out.push(
				eb(
					'submission.id',
					'in',
					eb.selectFrom('answer as qa').select('qa.submission_id').where('qa.question_id', '=', qid)
				)
			);
		else
			out.push(
				eb(
					'perspective.id',
					'in',
					eb.selectFrom('answer as qa').select('qa.perspective_id').where('qa.question_id', '=', qid)
				)
			);
	}
	if (f.theme && !skip.has('theme')) {
		const withTheme = eb
			.selectFrom('answer_theme as ft')
			.where('ft.theme_id', '=', f.theme)
			.where('ft.applies', '=', 1);
		if (level === 'answer') out.push(eb('answer.id', 'in', withTheme.select('ft.answer_id')));
		else {
			const viaAnswer = withTheme.innerJoin('answer as ta', 'ta.id', 'ft.answer_id');
			if (level === 'submission') out.push(eb('submission.id', 'in', viaAnswer.select('ta.submission_id')));
			else out.push(eb('perspective.id', 'in', viaAnswer.select('ta.perspective_id')));
		}
	}
	return eb.and(out);
}

/**
 * The answer (joined as `answer`) has no active theme at all: "uncoded" in
 * review, and the pool emerging themes are discovered from.
 */
export function hasNoActiveTheme(eb: ExpressionBuilder<Database, 'answer'>): Expression<SqlBool> {
	return eb.not(
		eb.exists(
			eb
				.selectFrom('answer_theme as u')
				.innerJoin('theme as ut', 'ut.id', 'u.theme_id')
				.select(sql`1`.as('one'))
				.whereRef('u.answer_id', '=', 'answer.id')
				.where('u.applies', '=', 1)
				.where('ut.status', '=', 'active')
		)
	);
}
