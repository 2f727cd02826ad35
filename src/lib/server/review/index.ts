/**
 * Reading and correcting the coding behind the numbers. Officers' decisions are
 * written as answer_theme rows with source = 'human' (applies 1 = has the theme,
 * 0 = removed) that recoding never changes; the engine's confidence on those rows
 * is left as it was so agreement can still be measured. Every change is audited.
 */
import { sql, type Expression, type ExpressionBuilder, type SqlBool, type Transaction } from 'kysely';
import type { Db } from '../db/connect';
import type { Database } from '../db/schema';
import { audit } from '../audit';
import { scheduleRecode } from '../coding';
import { perspectiveOf, type EngineAnswer } from '../coding/recode';
import { nowIso } from '../util/time';
import { conditions, hasNoActiveTheme, type Scope } from '../analysis/scope';
import type { ReviewFilters } from '../../analysis/filters';
import { aggregatesEnabled, dimensions as aggDimensions } from '../analysis/aggregates';
import { shownText, underSafeguardingReview } from '../safeguarding/withheld';

export const PAGE_SIZE = 20;

export interface ReviewTheme {
	id: number;
	label: string;
	applies: boolean;
	source: 'auto' | 'human' | null;
	confidence: number | null;
}

export interface ReviewAnswer {
	id: number;
	questionId: number;
	text: string;
	group: string | null;
	district: string | null;
	channel: string;
	reference: string;
	createdAt: string;
	reviewedAt: string | null;
	flagged: boolean;
	/** The language the words are in ('en', 'cy', 'pl' ...; null: from before languages were kept, English). */
	language: string | null;
	/** Not English: the engine leaves it uncoded, for a person who reads the language. */
	needsPerson: boolean;
	/** The words are withheld from this viewer: the answer is under safeguarding review. */
	withheld: boolean;
	/** The themes that apply, and those the engine proposed or an officer removed. */
	themes: ReviewTheme[];
}

export interface UserRef {
	id: number;
}

/**
 * The answers matching the scope and the review filters, their perspective joined. `submissionJoined`: their
 * submission joined too, its filters (district, channel, dates) read on the row as each answer is walked, rather
 * than as a set of the consultation's submissions built first.
 */
function answerQuery(db: Db, s: Scope, rf: Omit<ReviewFilters, 'page'>, opts: { submissionJoined?: boolean } = {}) {
	const q = db.selectFrom('answer').innerJoin('perspective', 'perspective.id', 'answer.perspective_id');
	// Typed as without the join: nothing selects from the submission, only conditions() reads it, by name.
	const from = opts.submissionJoined
		? (q.innerJoin('submission', 'submission.id', 'answer.submission_id') as unknown as typeof q)
		: q;
	return from
		.where((eb) => conditions(eb, s, 'answer', { submissionJoined: opts.submissionJoined }))
		.where((eb) => reviewConditions(eb as never, rf));
}

/** The review filters proper: not yet reviewed, no theme, an automatic coding below a confidence. */
function reviewConditions(eb: ExpressionBuilder<Database, 'answer'>, rf: Omit<ReviewFilters, 'page'>) {
	const out: Expression<SqlBool>[] = [];
	if (rf.unreviewed || rf.next) out.push(eb('answer.reviewed_at', 'is', null));
	if (rf.uncoded) out.push(hasNoActiveTheme(eb));
	if (rf.below !== undefined)
		out.push(
			eb.exists(
				eb
					.selectFrom('answer_theme as c')
					.select(sql`1`.as('one'))
					.whereRef('c.answer_id', '=', 'answer.id')
					.where('c.source', '=', 'auto')
					.where('c.confidence', '<', rf.below)
			)
		);
	return eb.and(out);
}

/** The scope's questions, key and id, that a page draws from (the question filter's one, else all). */
function scopeQuestions(s: Scope): [string, number][] {
	const q = s.filters.question;
	if (q === undefined) return [...s.questionIds];
	const id = s.questionIds.get(q);
	return id === undefined ? [] : [[q, id]];
}

/** REVIEW_AGGREGATES=off counts the reviewed answers in scope as before (the oracle in tests, the bench's A/B). */
export function reviewAggregatesEnabled(): boolean {
	return process.env.REVIEW_AGGREGATES !== 'off';
}

/**
 * The page total from the aggregates the triggers keep, when they give exactly the number the answers would (null
 * otherwise: the caller counts the answers). Answers per question × group × district × channel (all of them, or those
 * with no active theme: `n - coded`); with a theme filter, the answers the theme applies to, its question in scope.
 * Not yet reviewed: those less the reviewed ones among them, which analysis_agg_review keeps in the same cells
 * (migration 2026-12-09-0200); under a theme filter or with "no theme" (the reviewed table does not know the
 * themes) the reviewed ones are counted (the partial index answer_reviewed_at holds just them). A date filter, the
 * confidence filter and a theme filter with "no theme" count the answers.
 */
async function aggregateTotal(db: Db, s: Scope, rf: Omit<ReviewFilters, 'page'>): Promise<number | null> {
	const f = s.filters;
	if (!aggregatesEnabled() || f.from || f.to || rf.below !== undefined) return null;
	if (f.theme !== undefined && rf.uncoded) return null;
	const qids = [...scopeQuestions(s).map(([, id]) => id), -1];
	const all =
		f.theme !== undefined
			? db
					.selectFrom('analysis_agg_theme as at')
					.innerJoin('theme as t', 't.id', 'at.theme_id')
					.where('at.theme_id', '=', f.theme)
					.where('t.question_id', 'in', qids)
					.where((eb) => aggDimensions(eb, s))
					.select(sql<number>`coalesce(sum(at.n), 0)`.as('n'))
					.executeTakeFirst()
			: db
					.selectFrom('analysis_agg_answer')
					.where('question_id', 'in', qids)
					.where((eb) => aggDimensions(eb, s))
					.select((rf.uncoded ? sql<number>`coalesce(sum(n - coded), 0)` : sql<number>`coalesce(sum(n), 0)`).as('n'))
					.executeTakeFirst();
	const reviewed = !(rf.unreviewed || rf.next)
		? undefined
		: reviewAggregatesEnabled() && f.theme === undefined && !rf.uncoded
			? db
					.selectFrom('analysis_agg_review')
					.where('question_id', 'in', qids)
					.where((eb) => aggDimensions(eb, s))
					.select(sql<number>`coalesce(sum(n), 0)`.as('n'))
					.executeTakeFirst()
			: answerQuery(db, s, { uncoded: rf.uncoded, unreviewed: false, next: false })
					.where('answer.reviewed_at', 'is not', null)
					.select(sql<number>`count(*)`.as('n'))
					.executeTakeFirst();
	const [a, r] = await Promise.all([all, reviewed]);
	return Number(a?.n ?? 0) - Number(r?.n ?? 0);
}

/** How many answers match the filters: from the aggregates where they hold the same number, else counted. */
export async function reviewTotal(db: Db, s: Scope, rf: Omit<ReviewFilters, 'page'>): Promise<number> {
	const agg = await aggregateTotal(db, s, rf);
	if (agg !== null) return agg;
	const row = await answerQuery(db, s, rf)
		.select(sql<number>`count(*)`.as('n'))
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

/** REVIEW_KEYSET=off reads every page by offset, as before (the oracle in tests, the bench's A/B). */
export function keysetPaging(): boolean {
	return process.env.REVIEW_KEYSET !== 'off';
}

/**
 * The ids of one page of answers matching the filters, in id order. Each question's answers are read in id order
 * from its (question_id, id) index, as many as the page needs, and merged: no sort of every matching answer (one
 * ordered read over several questions' index ranges is not something either engine plans).
 *
 * Keyset paging (the Next / Previous links): `after` = the last id of the page before, `before` = the first id of
 * the page after; each question's index range is entered at that id and read for one page only, whatever the
 * page number. Without them (a page number typed or bookmarked, code next) the page is read by offset: each
 * question's first offset + page-size answers, which grows with the page (page 500 of a million: 1.2 s).
 */
async function pageIds(db: Db, s: Scope, rf: ReviewFilters, pageSize: number): Promise<number[]> {
	let questions = scopeQuestions(s);
	const f = s.filters;
	// A theme belongs to one question: only that question's answers can have it.
	if (f.theme !== undefined) {
		const t = await db.selectFrom('theme').select('question_id').where('id', '=', f.theme).executeTakeFirst();
		questions = questions.filter(([, id]) => id === t?.question_id);
	}
	if (questions.length === 0) return [];
	const keyset = keysetPaging() && (rf.after !== undefined || rf.before !== undefined);
	const backwards = keyset && rf.after === undefined;
	const direction = backwards ? 'desc' : 'asc';
	const offset = keyset ? 0 : (rf.page - 1) * pageSize;
	// A district, channel or date filter is read on each answer's submission as the question's answers are walked
	// in id order, rather than as a set of the consultation's submissions built first.
	const bySubmission = Boolean(f.district || f.channel || f.from || f.to);
	const branch = (key: string) => {
		let q = answerQuery(
			db,
			{ consultationId: s.consultationId, questionIds: s.questionIds, filters: { ...s.filters, question: key } },
			rf,
			{ submissionJoined: bySubmission }
		).select('answer.id');
		if (keyset && rf.after !== undefined) q = q.where('answer.id', '>', rf.after);
		if (keyset && rf.before !== undefined) q = q.where('answer.id', '<', rf.before);
		return q.orderBy('answer.id', direction);
	};
	const inOrder = (ids: number[]) => (backwards ? ids.reverse() : ids);
	if (questions.length === 1) {
		const rows = await branch(questions[0][0]).limit(pageSize).offset(offset).execute();
		return inOrder(rows.map((r) => r.id));
	}
	const parts = questions.map(([key], i) =>
		db
			.selectFrom(
				branch(key)
					.limit(offset + pageSize)
					.as(`b${i}`)
			)
			.select(`b${i}.id as id` as never)
	);
	const union = parts.slice(1).reduce((u, p) => u.unionAll(p), parts[0]);
	const rows = (await db
		.selectFrom(union.as('u'))
		.select('u.id' as never)
		.orderBy('u.id' as never, direction)
		.limit(pageSize)
		.offset(offset)
		.execute()) as { id: number }[];
	return inOrder(rows.map((r) => Number(r.id)));
}

/**
 * One page of answers matching the filters, with their themes. Text is the redacted text where
 * there is one, and withheld for answers under safeguarding review unless the viewer may read them
 * (withheld by default: a caller must say the viewer has the permission).
 */
export async function listAnswers(
	db: Db,
	s: Scope,
	rf: ReviewFilters,
	pageSize = PAGE_SIZE,
	viewer: { mayReadFlagged: boolean } = { mayReadFlagged: false },
	order: number[] | null = null
): Promise<{ total: number; answers: ReviewAnswer[] }> {
	// With an order ("code next"), the page is that slice of the ordered ids; else the page's ids in id order.
	const [total, ids] = await Promise.all([
		order ? order.length : reviewTotal(db, s, rf),
		order ? order.slice((rf.page - 1) * pageSize, rf.page * pageSize) : pageIds(db, s, rf, pageSize)
	]);
	// The page's ids match the filters already; code next's order is filtered here (as it always was).
	const details = order
		? answerQuery(db, s, rf)
		: db.selectFrom('answer').innerJoin('perspective', 'perspective.id', 'answer.perspective_id');
	const unordered = ids.length
		? await details
				.where('answer.id', 'in', ids)
				.innerJoin('submission', 'submission.id', 'answer.submission_id')
				.select([
					'answer.id',
					'answer.question_id',
					'answer.text',
					'answer.redacted_text',
					'answer.reviewed_at',
					'answer.language',
					'perspective.group_code',
					'submission.district_code',
					'submission.channel',
					'submission.reference',
					'submission.created_at'
				])
				.select((eb) =>
					eb
						.exists(
							eb
								.selectFrom('safeguarding_flag as sf')
								.select(sql`1`.as('one'))
								.whereRef('sf.answer_id', '=', 'answer.id')
						)
						.as('flagged')
				)
				.select((eb) => underSafeguardingReview(eb, 'answer.id').as('under_review'))
				.orderBy('answer.id')
				.execute()
		: [];
	const position = new Map(ids.map((id, i) => [id, i]));
	const rows = order ? [...unordered].sort((a, b) => position.get(a.id)! - position.get(b.id)!) : unordered;
	const themeRows = ids.length
		? await db
				.selectFrom('answer_theme')
				.innerJoin('theme', 'theme.id', 'answer_theme.theme_id')
				.select([
					'answer_theme.answer_id',
					'answer_theme.theme_id',
					'answer_theme.applies',
					'answer_theme.source',
					'answer_theme.confidence',
					'theme.label'
				])
				.where('answer_theme.answer_id', 'in', ids)
				.where('theme.status', '=', 'active')
				.orderBy('theme.position')
				.orderBy('theme.id')
				.execute()
		: [];
	return {
		total,
		answers: rows.map((r) => ({
			id: r.id,
			questionId: r.question_id,
			text: shownText(
				r.redacted_text ?? r.text ?? '(text deleted under the retention policy)',
				Boolean(Number(r.under_review)),
				viewer.mayReadFlagged
			),
			withheld: Boolean(Number(r.under_review)) && !viewer.mayReadFlagged,
			group: r.group_code,
			district: r.district_code,
			channel: r.channel,
			reference: r.reference,
			createdAt: r.created_at,
			reviewedAt: r.reviewed_at,
			flagged: Boolean(Number(r.flagged)),
			language: r.language,
			needsPerson: r.language !== null && r.language !== 'en',
			themes: themeRows
				.filter((t) => t.answer_id === r.id)
				.map((t) => ({
					id: t.theme_id,
					label: t.label,
					applies: t.applies === 1,
					source: t.source,
					confidence: t.confidence === null ? null : Number(t.confidence)
				}))
		}))
	};
}

/**
 * The not-yet-reviewed answers (with words) matching the filters, id and text, for the "code next"
 * queue to order (the words the coder learns from, as recoding uses them). Answers under
 * safeguarding review are left out: they cannot be coded yet.
 */
export async function codeNextPool(db: Db, s: Scope, rf: ReviewFilters): Promise<EngineAnswer[]> {
	const rows = await answerQuery(db, s, { ...rf, next: true })
		.select(['answer.id', 'answer.text'])
		.select(perspectiveOf)
		.where('answer.text', 'is not', null)
		.where((eb) => eb.not(underSafeguardingReview(eb, 'answer.id')))
		.orderBy('answer.id')
		.execute();
	return rows.map((r) => ({ id: r.id, text: r.text ?? '', perspective: r.perspective }));
}

export class ReviewError extends Error {
	/** The form field the refusal is about, when there is one. */
	constructor(
		message: string,
		readonly field?: string
	) {
		super(message);
	}
}

async function answerInConsultation(tx: Transaction<Database>, consultationId: number, answerId: number) {
	const a = await tx
		.selectFrom('answer')
		.innerJoin('question', 'question.id', 'answer.question_id')
		.select(['answer.id', 'answer.question_id', 'answer.reviewed_at'])
		.where('answer.id', '=', answerId)
		.where('question.consultation_id', '=', consultationId)
		.executeTakeFirst();
	if (!a) throw new ReviewError('That answer is not in this consultation.');
	return a;
}

async function appliedCodes(tx: Transaction<Database>, answerId: number): Promise<{ id: number; label: string }[]> {
	return tx
		.selectFrom('answer_theme')
		.innerJoin('theme', 'theme.id', 'answer_theme.theme_id')
		.select(['theme.id', 'theme.label'])
		.where('answer_theme.answer_id', '=', answerId)
		.where('answer_theme.applies', '=', 1)
		.where('theme.status', '=', 'active')
		.orderBy('theme.position')
		.orderBy('theme.id')
		.execute();
}

/** Records an officer's decision on one (answer, theme): keeps the engine's confidence. */
async function decide(
	tx: Transaction<Database>,
	answerId: number,
	themeId: number,
	applies: 0 | 1,
	userId: number,
	at: string
) {
	await tx
		.insertInto('answer_theme')
		.values({
			answer_id: answerId,
			theme_id: themeId,
			source: 'human',
			applies,
			confidence: null,
			user_id: userId,
			updated_at: at
		})
		.onConflict((oc) =>
			oc.columns(['answer_id', 'theme_id']).doUpdateSet({ source: 'human', applies, user_id: userId, updated_at: at })
		)
		.execute();
}

/**
 * An officer's final coding of one answer: exactly `themeIds` apply. Themes kept
 * or added become human decisions (applies 1), themes taken away human removals
 * (applies 0); the answer is marked reviewed. Audited with before and after.
 */
export async function setAnswerThemes(
	db: Db,
	consultationId: number,
	answerId: number,
	themeIds: number[],
	user: UserRef
): Promise<{ before: string[]; after: string[] }> {
	const result = await db
		.transaction()
		.execute((tx) => setAnswerThemesIn(tx, consultationId, answerId, themeIds, user));
	scheduleRecode(db, consultationId, result.questionId);
	return { before: result.before, after: result.after };
}

/** The same inside the caller's transaction (the caller schedules the recode). */
export async function setAnswerThemesIn(
	tx: Transaction<Database>,
	consultationId: number,
	answerId: number,
	themeIds: number[],
	user: UserRef
): Promise<{ before: string[]; after: string[]; questionId: number }> {
	const at = nowIso();
	{
		const answer = await answerInConsultation(tx, consultationId, answerId);
		const valid = await tx
			.selectFrom('theme')
			.select(['id'])
			.where('question_id', '=', answer.question_id)
			.where('status', '=', 'active')
			.execute();
		const validIds = new Set(valid.map((t) => t.id));
		const wanted = new Set(themeIds.filter((id) => validIds.has(id)));
		if (wanted.size !== new Set(themeIds).size)
			throw new ReviewError('One of those themes does not belong to this question.');
		const before = await appliedCodes(tx, answerId);
		const beforeIds = new Set(before.map((t) => t.id));
		for (const id of wanted) await decide(tx, answerId, id, 1, user.id, at);
		for (const id of beforeIds) if (!wanted.has(id)) await decide(tx, answerId, id, 0, user.id, at);
		await tx
			.updateTable('answer')
			.set({ reviewed_at: at, reviewed_by: user.id, updated_at: at })
			.where('id', '=', answerId)
			.execute();
		const after = await appliedCodes(tx, answerId);
		await audit(tx, {
			userId: user.id,
			action: 'coding.review',
			entity: 'answer',
			entityId: answerId,
			before: { themes: before.map((t) => t.id), reviewed: answer.reviewed_at !== null },
			after: { themes: after.map((t) => t.id), reviewed: true }
		});
		return { before: before.map((t) => t.label), after: after.map((t) => t.label), questionId: answer.question_id };
	}
}

/**
 * The same decision for many answers at once: add a theme to them all ('apply'),
 * take it away ('remove'), or accept each answer's current coding as it stands ('accept').
 */
export async function bulkCode(
	db: Db,
	consultationId: number,
	answerIds: number[],
	action: 'apply' | 'remove' | 'accept',
	themeId: number | null,
	user: UserRef
): Promise<number> {
	if (answerIds.length === 0) return 0;
	const at = nowIso();
	const questions = new Set<number>();
	await db.transaction().execute(async (tx) => {
		let theme: { id: number; question_id: number; label: string } | undefined;
		if (action !== 'accept') {
			if (themeId === null) throw new ReviewError('Choose a theme.');
			theme = await tx
				.selectFrom('theme')
				.select(['id', 'question_id', 'label'])
				.where('id', '=', themeId)
				.where('status', '=', 'active')
				.executeTakeFirst();
			if (!theme) throw new ReviewError('That theme does not exist.');
		}
		for (const answerId of answerIds) {
			const answer = await answerInConsultation(tx, consultationId, answerId);
			if (theme && theme.question_id !== answer.question_id)
				throw new ReviewError(`Answer ${answerId} is to another question than the theme "${theme.label}".`);
			const before = await appliedCodes(tx, answerId);
			if (action === 'apply') await decide(tx, answerId, theme!.id, 1, user.id, at);
			else if (action === 'remove') await decide(tx, answerId, theme!.id, 0, user.id, at);
			else {
				for (const t of before) await decide(tx, answerId, t.id, 1, user.id, at);
				await tx
					.updateTable('answer')
					.set({ reviewed_at: at, reviewed_by: user.id, updated_at: at })
					.where('id', '=', answerId)
					.execute();
			}
			const after = await appliedCodes(tx, answerId);
			await audit(tx, {
				userId: user.id,
				action: `coding.${action}`,
				entity: 'answer',
				entityId: answerId,
				before: { themes: before.map((t) => t.id) },
				after: { themes: after.map((t) => t.id) },
				detail: theme ? { themeId: theme.id, bulk: answerIds.length } : { bulk: answerIds.length }
			});
			questions.add(answer.question_id);
		}
	});
	for (const q of questions) scheduleRecode(db, consultationId, q);
	return answerIds.length;
}
