/**
 * The public results page of a consultation ("You said, we did"): its publishing
 * workflow (draft -> published -> withdrawn, audited), what the council is doing
 * about each theme (dated updates), quotes approved for the public, and the page's
 * data. Everything published goes through the same table builders and small-cell
 * suppression as the staff screens, at the default threshold or higher.
 */
import { sql, type ExpressionBuilder } from 'kysely';
import type { Db } from '../db/connect';
import type { ActionStatus, Database, ResultsStatus } from '../db/schema';
import { m } from '../../paraglide/messages';
import type { ConsultationView } from '../consultations/queries';
import { audit } from '../audit';
import { nowIso } from '../util/time';
import { printedWording, WORDING_COLUMNS, wordingOf } from '../review/quotes';
import { parseFilters, type Filters } from '../../analysis/filters';
import { DEFAULT_MIN_CELL } from '../../analysis/suppress';
import type { TableData } from '../../analysis/tables';
import { RESULTS_LIMITS, resultsActionForm } from '../../schemas/results';
import { formErrors } from '../../schemas/form';
import { channelTables, groupTables, headline, headlineFigures, questionThemeTables } from '../analysis/dashboard';
import { scopeOf } from '../analysis/scope';
import { cachedAnalysis } from '../analysis/cache';

export const ACTION_STATUSES: { value: ActionStatus; label: string; easy: string }[] = [
	{ value: 'planned', label: 'Planned', easy: 'We will do this' },
	{ value: 'in_progress', label: 'In progress', easy: 'We are doing this now' },
	{ value: 'done', label: 'Done', easy: 'We have done this' },
	{ value: 'not_doing', label: 'Not doing (with the reason)', easy: 'We cannot do this' }
];

export class ResultsError extends Error {
	constructor(
		message: string,
		readonly field?: string
	) {
		super(message);
	}
}

export interface UserRef {
	id: number;
}

export interface ResultsState {
	status: ResultsStatus;
	summary: string;
	publishedAt: string | null;
	withdrawnAt: string | null;
	updatedAt: string | null;
}

export async function resultsState(db: Db, consultationId: number): Promise<ResultsState> {
	const row = await db
		.selectFrom('results_page')
		.selectAll()
		.where('consultation_id', '=', consultationId)
		.executeTakeFirst();
	return {
		status: row?.status ?? 'draft',
		summary: row?.summary ?? '',
		publishedAt: row?.published_at ?? null,
		withdrawnAt: row?.withdrawn_at ?? null,
		updatedAt: row?.updated_at ?? null
	};
}

export async function isPublished(db: Db, consultationId: number): Promise<boolean> {
	return (await resultsState(db, consultationId)).status === 'published';
}

const TRANSITIONS: Record<ResultsStatus, ResultsStatus[]> = {
	draft: ['published'],
	published: ['withdrawn'],
	withdrawn: ['published']
};

/** Publishes or withdraws the page; any other move is refused. Audited. */
export async function setResultsStatus(
	db: Db,
	consultationId: number,
	to: ResultsStatus,
	user: UserRef
): Promise<ResultsState> {
	return db.transaction().execute(async (tx) => {
		const row = await tx
			.selectFrom('results_page')
			.selectAll()
			.where('consultation_id', '=', consultationId)
			.executeTakeFirst();
		const from: ResultsStatus = row?.status ?? 'draft';
		if (!TRANSITIONS[from].includes(to))
			throw new ResultsError(
				from === to
					? `The results page is already ${from}.`
					: `A ${from} results page cannot be ${to === 'draft' ? 'made a draft again' : to}.`
			);
		const now = nowIso();
		const values = {
			status: to,
			updated_at: now,
			updated_by: user.id,
			...(to === 'published' ? { published_at: now, withdrawn_at: null } : { withdrawn_at: now })
		};
		if (row) await tx.updateTable('results_page').set(values).where('consultation_id', '=', consultationId).execute();
		else
			await tx
				.insertInto('results_page')
				.values({
					consultation_id: consultationId,
					summary: null,
					published_at: null,
					...values,
					withdrawn_at: to === 'published' ? null : now
				})
				.execute();
		await audit(tx, {
			userId: user.id,
			action: to === 'published' ? 'results.publish' : 'results.withdraw',
			entity: 'consultation',
			entityId: consultationId,
			before: { status: from },
			after: { status: to }
		});
		return resultsState(tx as Db, consultationId);
	});
}

export const LIMITS = RESULTS_LIMITS;

function text(value: FormDataEntryValue | null | undefined): string {
	return typeof value === 'string' ? value.replace(/\r\n?/g, '\n').trim() : '';
}

/** The officer's introduction (plain text). Audited (field names only). */
export async function saveSummary(db: Db, consultationId: number, raw: string, user: UserRef): Promise<void> {
	const summary = text(raw);
	if (summary.length > LIMITS.summary)
		throw new ResultsError(`The introduction must be ${LIMITS.summary} characters or fewer.`, 'summary');
	await db.transaction().execute(async (tx) => {
		const now = nowIso();
		const exists = await tx
			.selectFrom('results_page')
			.select('consultation_id')
			.where('consultation_id', '=', consultationId)
			.executeTakeFirst();
		if (exists)
			await tx
				.updateTable('results_page')
				.set({ summary: summary || null, updated_at: now, updated_by: user.id })
				.where('consultation_id', '=', consultationId)
				.execute();
		else
			await tx
				.insertInto('results_page')
				.values({
					consultation_id: consultationId,
					status: 'draft',
					summary: summary || null,
					published_at: null,
					withdrawn_at: null,
					updated_at: now,
					updated_by: user.id
				})
				.execute();
		await audit(tx, {
			userId: user.id,
			action: 'results.summary',
			entity: 'consultation',
			entityId: consultationId,
			detail: { fields: ['summary'] }
		});
	});
}

export interface ActionInput {
	id?: number;
	themeId: number;
	action: string;
	owner: string;
	due: string;
	status: string;
	note: string;
}

export interface FieldError {
	field: string;
	message: string;
}

/**
 * Every problem with an action, in the order of the fields: the form's own schema, so an
 * action saved from elsewhere (a script, the benchmark) meets the same rules.
 */
export function checkAction(input: ActionInput): FieldError[] {
	const r = resultsActionForm.safeParse({
		id: input.id ? String(input.id) : '',
		theme: String(input.themeId),
		action: input.action,
		owner: input.owner,
		due: input.due,
		status: input.status,
		note: input.note
	});
	return r.success ? [] : Object.entries(formErrors(r.error)).map(([field, message]) => ({ field, message }));
}

/**
 * Adds or updates what the council is doing about a theme; every save adds a dated
 * update (status and note) that the public page shows. Audited; all or nothing.
 */
export async function saveAction(db: Db, consultationId: number, input: ActionInput, user: UserRef): Promise<number> {
	const errors = checkAction(input);
	if (errors.length) throw new ResultsError(errors[0].message, errors[0].field);
	return db.transaction().execute(async (tx) => {
		const theme = await tx
			.selectFrom('theme')
			.innerJoin('question', 'question.id', 'theme.question_id')
			.select('theme.id')
			.where('theme.id', '=', input.themeId)
			.where('question.consultation_id', '=', consultationId)
			.executeTakeFirst();
		if (!theme) throw new ResultsError('Select a theme of this consultation', 'theme');
		const now = nowIso();
		const values = {
			theme_id: input.themeId,
			action: input.action,
			owner: input.owner,
			due: input.due,
			status: input.status as ActionStatus,
			updated_at: now,
			updated_by: user.id
		};
		let id: number;
		if (input.id) {
			const existing = await tx
				.selectFrom('results_action')
				.select(['id', 'status'])
				.where('id', '=', input.id)
				.where('consultation_id', '=', consultationId)
				.executeTakeFirst();
			if (!existing) throw new ResultsError('That action no longer exists; reload the page');
			await tx.updateTable('results_action').set(values).where('id', '=', input.id).execute();
			id = input.id;
		} else {
			id = (
				await tx
					.insertInto('results_action')
					.values({ ...values, consultation_id: consultationId, created_at: now })
					.returning('id')
					.executeTakeFirstOrThrow()
			).id;
		}
		await tx
			.insertInto('results_action_update')
			.values({ action_id: id, at: now, status: values.status, note: input.note || null, user_id: user.id })
			.execute();
		await audit(tx, {
			userId: user.id,
			action: input.id ? 'results.action.update' : 'results.action.add',
			entity: 'results_action',
			entityId: id,
			after: { themeId: input.themeId, status: values.status },
			detail: { fields: ['action', 'owner', 'due', 'status', ...(input.note ? ['note'] : [])] }
		});
		return id;
	});
}

export async function deleteAction(db: Db, consultationId: number, id: number, user: UserRef): Promise<void> {
	await db.transaction().execute(async (tx) => {
		const r = await tx
			.deleteFrom('results_action')
			.where('id', '=', id)
			.where('consultation_id', '=', consultationId)
			.executeTakeFirst();
		if (Number(r.numDeletedRows) === 0) throw new ResultsError('That action no longer exists; reload the page');
		await audit(tx, { userId: user.id, action: 'results.action.delete', entity: 'results_action', entityId: id });
	});
}

export interface ActionView {
	id: number;
	themeId: number;
	themeLabel: string;
	questionKey: string;
	action: string;
	owner: string;
	due: string;
	status: ActionStatus;
	updatedAt: string;
	updates: { at: string; status: ActionStatus; note: string | null }[];
}

/** Actions on the consultation's active themes, with their dated updates (newest first). */
export async function listActions(db: Db, consultationId: number): Promise<ActionView[]> {
	const rows = await db
		.selectFrom('results_action')
		.innerJoin('theme', 'theme.id', 'results_action.theme_id')
		.innerJoin('question', 'question.id', 'theme.question_id')
		.select([
			'results_action.id',
			'results_action.theme_id',
			'theme.label',
			'question.key',
			'question.position',
			'theme.position as tpos',
			'results_action.action',
			'results_action.owner',
			'results_action.due',
			'results_action.status',
			'results_action.updated_at'
		])
		.where('results_action.consultation_id', '=', consultationId)
		.where('theme.status', '=', 'active')
		.orderBy('question.position')
		.orderBy('theme.position')
		.orderBy('results_action.id')
		.execute();
	const updates = rows.length
		? await db
				.selectFrom('results_action_update')
				.select(['action_id', 'at', 'status', 'note'])
				.where(
					'action_id',
					'in',
					rows.map((r) => r.id)
				)
				.orderBy('at', 'desc')
				.orderBy('id', 'desc')
				.execute()
		: [];
	return rows.map((r) => ({
		id: r.id,
		themeId: r.theme_id,
		themeLabel: r.label,
		questionKey: r.key,
		action: r.action,
		owner: r.owner,
		due: r.due,
		status: r.status,
		updatedAt: r.updated_at,
		updates: updates.filter((u) => u.action_id === r.id).map((u) => ({ at: u.at, status: u.status, note: u.note }))
	}));
}

const notFlagged = (eb: ExpressionBuilder<Database, 'answer'>) =>
	eb.not(
		eb.exists(
			eb
				.selectFrom('safeguarding_flag as sf')
				.select(sql`1`.as('one'))
				.whereRef('sf.answer_id', '=', 'answer.id')
		)
	);
const shown = sql<string>`coalesce(answer.redacted_text, answer.text)`;

export interface PublicQuote {
	themeId: number;
	answerId: number;
	text: string;
	/** Trimmed or edited by an officer for publication. */
	reworded: boolean;
	group: string | null;
	public: boolean;
}

/**
 * Starred quotes of the consultation (never flagged, active themes only), with whether
 * each is approved for the public page. `onlyPublic` gives what the public page shows,
 * every text redacted once more on the way out (printedWording, as the staff report prints it).
 */
export async function resultsQuotes(db: Db, consultationId: number, onlyPublic: boolean): Promise<PublicQuote[]> {
	let query = db
		.selectFrom('quote')
		.innerJoin('theme', 'theme.id', 'quote.theme_id')
		.innerJoin('question', 'question.id', 'theme.question_id')
		.innerJoin('answer', 'answer.id', 'quote.answer_id')
		.innerJoin('perspective', 'perspective.id', 'answer.perspective_id')
		.select([
			'quote.theme_id',
			'quote.answer_id',
			'quote.public_at',
			shown.as('text'),
			'perspective.group_code',
			...WORDING_COLUMNS
		])
		.where('question.consultation_id', '=', consultationId)
		.where('theme.status', '=', 'active')
		.where(shown, 'is not', null)
		.where(notFlagged);
	if (onlyPublic) query = query.where('quote.public_at', 'is not', null);
	const rows = await query.orderBy('quote.theme_id').orderBy('quote.starred_at').orderBy('quote.answer_id').execute();
	return rows.map((r) => {
		// Trimmed or edited as the officer chose (the answer itself is kept as given).
		const { text, reworded } = onlyPublic ? printedWording(r.text, r) : wordingOf(r.text, r);
		return {
			themeId: r.theme_id,
			answerId: r.answer_id,
			text,
			reworded,
			group: r.group_code,
			public: r.public_at !== null
		};
	});
}

/** Approves (or takes back) a starred, unflagged quote for the public page. Audited. */
export async function setQuotePublic(
	db: Db,
	consultationId: number,
	themeId: number,
	answerId: number,
	on: boolean,
	user: UserRef
): Promise<void> {
	await db.transaction().execute(async (tx) => {
		const ok = await tx
			.selectFrom('quote')
			.innerJoin('theme', 'theme.id', 'quote.theme_id')
			.innerJoin('question', 'question.id', 'theme.question_id')
			.innerJoin('answer', 'answer.id', 'quote.answer_id')
			.select('quote.answer_id')
			.where('quote.theme_id', '=', themeId)
			.where('quote.answer_id', '=', answerId)
			.where('question.consultation_id', '=', consultationId)
			.where(notFlagged)
			.executeTakeFirst();
		if (!ok && on) throw new ResultsError('Only a starred quote with no safeguarding flag can go on the public page.');
		await tx
			.updateTable('quote')
			.set(on ? { public_at: nowIso(), public_by: user.id } : { public_at: null, public_by: null })
			.where('theme_id', '=', themeId)
			.where('answer_id', '=', answerId)
			.execute();
		await audit(tx, {
			userId: user.id,
			action: on ? 'results.quote.approve' : 'results.quote.withdraw',
			entity: 'answer',
			entityId: answerId,
			detail: { themeId }
		});
	});
}

/** A table for the public: no links to staff pages. */
function publicTable(t: TableData): TableData {
	return { ...t, rows: t.rows.map((r) => ({ ...r, cells: r.cells.map(({ href: _href, ...c }) => c) })) };
}

export interface PublicQuestion {
	key: string;
	text: string;
	/** The theme x group table, cut to the most raised themes (rows only removed, never figures added). */
	table: TableData;
	quotes: { themeLabel: string; text: string; group: string }[];
}

export interface PublicResults {
	summary: string;
	publishedAt: string | null;
	submissions: string;
	tables: TableData[];
	questions: PublicQuestion[];
	actions: ActionView[];
}

/** How many themes per question the public page shows. */
export const TOP_THEMES = 5;

/**
 * Everything the public page shows, or null when the page is not published. `min`
 * is the small-cell threshold: never below the default, whatever is asked.
 */
export async function publicResults(
	db: Db,
	c: ConsultationView,
	opts: { min?: number; evenUnpublished?: boolean } = {}
): Promise<PublicResults | null> {
	const state = await resultsState(db, c.id);
	if (state.status !== 'published' && !opts.evenUnpublished) return null;
	const filters = parseFilters(new URLSearchParams());
	filters.min = Math.max(DEFAULT_MIN_CELL, opts.min ?? DEFAULT_MIN_CELL);
	// The tables come through the analysis cache (the aggregate queries are the page's whole
	// cost at 100,000 answers); what officers change on this page (state, actions, quote
	// approvals) is read fresh on every request, so a change shows at once.
	const [figures, actions, quotes] = await Promise.all([
		cachedAnalysis(db, c.id, `public-results|min=${filters.min}`, () => publicTables(db, c, filters)),
		listActions(db, c.id),
		resultsQuotes(db, c.id, true)
	]);
	const groupLabel = (code: string | null) => c.groups.find((g) => g.code === code)?.label ?? m.res_quote_someone();
	const questions: PublicQuestion[] = figures.questions.map((q) => ({
		key: q.key,
		text: q.text,
		table: q.table,
		quotes: quotes
			.filter((x) => q.themes.some((th) => th.id === x.themeId))
			.map((x) => ({
				themeLabel: q.themes.find((th) => th.id === x.themeId)!.label,
				text: x.text,
				group: groupLabel(x.group)
			}))
	}));
	return {
		summary: state.summary,
		publishedAt: state.publishedAt,
		submissions: figures.submissions,
		tables: figures.tables,
		questions,
		actions
	};
}

/** The public page's tables: who took part, and each question's most raised themes. */
async function publicTables(db: Db, c: ConsultationView, filters: Filters) {
	const scope = scopeOf(c, filters);
	const links = { base: '', filters };
	const [head, groups, channels] = await Promise.all([
		headline(db, scope),
		groupTables(db, c, scope, links),
		channelTables(db, c, scope, links)
	]);
	const figures = headlineFigures(head, [...groups, ...channels], filters.min);
	const questions: { key: string; text: string; table: TableData; themes: { id: number; label: string }[] }[] = [];
	for (const q of c.questions) {
		const t = await questionThemeTables(db, c, scope, q.key, { top: TOP_THEMES, minPct: 0 }, links, {
			includeUnknownGroup: false
		});
		if (!t || t.themes.length === 0) continue;
		const all = t.counts.columns.length - 1;
		const themeRows = t.counts.rows.filter((r) => !r.key.startsWith('_') && (r.cells[all].n ?? 0) > 0);
		// Ranked by the figure shown in "All groups"; a hidden figure ranks last and is never used to rank.
		const top = [...themeRows].sort((a, b) => (b.cells[all].n ?? -1) - (a.cells[all].n ?? -1)).slice(0, TOP_THEMES);
		if (top.length === 0) continue;
		const answersRow = t.counts.rows.find((r) => r.key === '_answers');
		const table = publicTable({
			...t.counts,
			rows: [...top, ...(answersRow ? [answersRow] : [])],
			caption: `${q.key.toUpperCase()}: the themes raised most`
		});
		table.anySuppressed = table.rows.some((r) => r.cells.some((cell) => cell.suppressed || cell.n === null));
		questions.push({
			key: q.key,
			text: t.question.text,
			table,
			themes: t.themes.map((th) => ({ id: th.id, label: th.label }))
		});
	}
	return {
		submissions: figures.submissions,
		tables: [groups[0], groups[1], channels[0]].map(publicTable),
		questions
	};
}
