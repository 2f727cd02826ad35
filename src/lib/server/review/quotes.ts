/**
 * Quotes for the report: per theme, representative answers an officer can star.
 * Answers with a safeguarding flag are never suggested nor printed, and the text
 * shown is always the redacted text where personal data was found.
 */
import { PostgresAdapter, sql } from 'kysely';
import { analysisDb, type Db } from '../db/connect';
import { existsRow, type AnyExpressionBuilder } from '../db/untyped';
import { audit } from '../audit';
import { nowIso } from '../util/time';
import { ReviewError, type UserRef } from './index';
import { findSpan, pickQuotes, quoteChange, quoteWording, type QuoteChange } from '../../analysis/quotes';
import { UNKNOWN } from '../../analysis/filters';
import { aggregatesEnabled } from '../analysis/aggregates';
import { redact } from '../../privacy';

export interface Quote {
	answerId: number;
	themeId: number;
	/** The words to publish: the officer's trim or edit, else the (redacted) answer. */
	text: string;
	/** The (redacted) answer as given: kept, whatever the officer does to the quote. */
	original: string;
	/** Trimmed or edited by an officer. */
	reworded: boolean;
	/** Which of the two (a report marks an edited quote; a trimmed one shows "[…]" where words were cut). */
	change: QuoteChange;
	group: string | null;
	starred: boolean;
	/** Near-identical answers this one stands for (itself included); 1 for starred lists. */
	alike: number;
}

const notFlagged = (eb: AnyExpressionBuilder) =>
	eb.not(existsRow(eb, eb.selectFrom('safeguarding_flag as sf').whereRef('sf.answer_id', '=', 'answer.id')));
const shown = sql<string>`coalesce(answer.redacted_text, answer.text)`;

/** The quote's columns that say how it is worded for publication (see quoteWording). */
export const WORDING_COLUMNS = ['quote.span_start', 'quote.span_end', 'quote.edited_text'] as const;

type WordingRow = { span_start: number | null; span_end: number | null; edited_text: string | null };

/** A quote's publication wording from its row (no row: the answer's own words). */
export function wordingOf(original: string, r: Partial<WordingRow>) {
	const w = { spanStart: r.span_start ?? null, spanEnd: r.span_end ?? null, editedText: r.edited_text ?? null };
	const text = quoteWording(original, w);
	return { text, original, reworded: text !== original, change: quoteChange(original, w) };
}

/**
 * A quote as it is printed (the staff report and its downloads, the public page, the share link): worded as
 * the officer chose, then redacted on the way out, so an answer kept without a redacted copy (an older row, an
 * import) never prints raw, and a redacted one meets today's detector. `original` is left as stored: the
 * quotes page trims against it.
 */
export function printedWording(shown: string, r: Partial<WordingRow>) {
	const w = wordingOf(shown, r);
	return { ...w, text: redact(w.text).text };
}

/** Starred quotes of the given themes (never flagged answers), worded as the officer chose, as printed. */
export async function starredQuotes(db: Db, themeIds: number[]): Promise<Quote[]> {
	if (themeIds.length === 0) return [];
	const rows = await db
		.selectFrom('quote')
		.innerJoin('answer', 'answer.id', 'quote.answer_id')
		.innerJoin('perspective', 'perspective.id', 'answer.perspective_id')
		.select(['quote.theme_id', 'quote.answer_id', shown.as('text'), 'perspective.group_code', ...WORDING_COLUMNS])
		.where('quote.theme_id', 'in', themeIds)
		.where(shown, 'is not', null)
		.where(notFlagged)
		.orderBy('quote.theme_id')
		.orderBy('quote.starred_at')
		.execute();
	return rows.map((r) => ({
		answerId: r.answer_id,
		themeId: r.theme_id,
		...printedWording(r.text, r),
		group: r.group_code,
		starred: true,
		alike: 1
	}));
}

/** How many answers with the theme are read to choose from (the most confidently coded first). */
export const CANDIDATES = 400;

/**
 * How one theme's candidates of a group are read. `walk`: the theme's answers in the order they are chosen (index
 * answer_theme_quote_order), each looked up for its group, stopping at the limit: cheap when the group is common
 * among them, the whole theme when it is rare or absent. `group`: the group's perspectives in the consultation
 * (index perspective_group), their answers to the theme's question, those with the theme, then sorted: a cost in
 * the group's size, whatever the theme. `none`: the aggregates hold no answer of the group with the theme.
 */
export type CandidateRoute = 'walk' | 'group' | 'none' | 'kept';

/**
 * `kept` (a group's candidates, unless ANALYSIS_KEPT_QUOTES=off or without the aggregates): the group's own codings
 * in the quote order from the kept table analysis_agg_quote_order (migration 2026-12-11-1100), each answer read by
 * key for its words and flags: about `limit` rows a theme, whatever the group's share of it. At 1,000,001 answers on
 * PostgreSQL the walk read ~2,000 codings (each with its answer and perspective, ~6,000 random pages) to find 400
 * children's. candidateRoute still names the cheaper of the other two (the routes without the table); `none` is
 * still read from the aggregates first.
 */
export function keptQuotesEnabled(): boolean {
	return process.env.ANALYSIS_KEPT_QUOTES !== 'off' && aggregatesEnabled();
}

/**
 * `kept` for all answers too, on PostgreSQL (unless ANALYSIS_KEPT_QUOTES_ALL=off, or the kept route is off): each
 * group's rows of the theme in the quote order from analysis_agg_quote_order's index (index only), merged into the
 * theme's order, then only those answers read by key (see keptCandidatesOfAll). The walk read each coding's
 * answer_theme row and its answer's perspective as well: at 1,000,001 answers theme 1's 400 cost 3,602 buffers by the
 * walk, 26 + 1,633 this way. SQLite keeps the walk (ANALYSIS_KEPT_QUOTES_ALL=on to read this way there too): at
 * 1,000,001 answers its unfiltered quotes page cost 221–280 ms of CPU this way against 129–182 ms by the walk (the
 * merged union about 25 ms a theme). Both engines give the same rows (tests/review-scale.test.ts forces the route).
 */
export function keptQuotesOfAllEnabled(db: Db): boolean {
	const flag = process.env.ANALYSIS_KEPT_QUOTES_ALL;
	const pg = db.getExecutor().adapter instanceof PostgresAdapter;
	return flag !== 'off' && (pg || flag === 'on') && keptQuotesEnabled();
}

/** What one walked row costs, in perspectives read on the group route (see candidateRoute). */
const WALK_STEP = 3;

/**
 * The cheaper route for a group (issue #19: at 1,000,000 answers the walk for children read every answer of the
 * four themes no child had, ~1.5 s a page), from the aggregates the triggers keep: the theme's answers (T) and the
 * group's among them (c), so the walk reads about min(T, limit × T / c) answers; the group's perspectives (P) for the
 * other. A step of the walk is three lookups (the answer, its perspective, its flags) where the group's is mostly one
 * index probe: at 1M answers a walked row cost ~3.5 times a perspective (unknown group, q1: 9,418 rows walked in
 * 283 ms, 11,515 perspectives in ~87 ms), hence WALK_STEP. Without the aggregates (ANALYSIS_AGGREGATES=off), or with
 * no group, the walk.
 */
export async function candidateRoute(
	db: Db,
	themeId: number,
	group: string | null,
	limit: number
): Promise<CandidateRoute> {
	return (await routeAndStars(db, themeId, group, limit)).route;
}

/**
 * candidateRoute, and whether the theme has a starred quote at all, in one statement: without one the starred part
 * of quoteCandidates is not read (at 1,000,001 answers on PostgreSQL that statement cost ~2 ms of planning a theme
 * for nothing, on a page of a dozen themes). ANALYSIS_PG_QUOTE_SERIAL=off: starred always read, as before.
 */
async function routeAndStars(
	db: Db,
	themeId: number,
	group: string | null,
	limit: number
): Promise<{ route: CandidateRoute; starred: boolean }> {
	const byAggregates = group !== null && aggregatesEnabled();
	const code = group === UNKNOWN ? '' : group;
	const r = await db
		.selectFrom('theme')
		.innerJoin('question', 'question.id', 'theme.question_id')
		.where('theme.id', '=', themeId)
		.select((eb) => [
			eb
				.selectFrom('analysis_agg_theme as at')
				.whereRef('at.theme_id', '=', 'theme.id')
				.select(sql<number>`coalesce(sum(at.n), 0)`.as('n'))
				.as('total'),
			eb
				.selectFrom('analysis_agg_theme as at')
				.whereRef('at.theme_id', '=', 'theme.id')
				.where('at.group_code', '=', code)
				.select(sql<number>`coalesce(sum(at.n), 0)`.as('n'))
				.as('mine'),
			eb
				.selectFrom('analysis_agg_perspective as ap')
				.whereRef('ap.consultation_id', '=', 'question.consultation_id')
				.where('ap.group_code', '=', code)
				.select(sql<number>`coalesce(sum(ap.n), 0)`.as('n'))
				.as('people'),
			existsRow(
				eb,
				eb.selectFrom('quote as sq').whereRef('sq.theme_id', '=', 'theme.id').where('sq.starred_at', 'is not', null)
			).as('starred')
		])
		.executeTakeFirst();
	const starred = !starSkipping(db) || Boolean(r?.starred);
	if (!byAggregates) return { route: 'walk', starred };
	const [total, mine, people] = [Number(r?.total ?? 0), Number(r?.mine ?? 0), Number(r?.people ?? 0)];
	if (mine === 0) return { route: 'none', starred };
	return { route: people < WALK_STEP * Math.min(total, (limit * total) / mine) ? 'group' : 'walk', starred };
}

/**
 * The answers a theme's quotes are chosen from (of one group: a code, UNKNOWN, or null for all), at most `limit`,
 * in the order they are chosen: starred first, then the most confident (a coding without a confidence counts as 1),
 * then by answer. Read in two parts, starred (few) and the rest, so that on the walk the rest is read in that order
 * from the answer_theme_quote_order index, stopping at limit, rather than sorting every answer with the theme (a
 * million answers: hundreds of thousands a theme). `route` is for tests: both routes give the same rows.
 */
export async function quoteCandidates(
	db: Db,
	themeId: number,
	group: string | null,
	limit = CANDIDATES,
	route?: Exclude<CandidateRoute, 'none'>
) {
	const chosen = await routeAndStars(db, themeId, group, limit);
	const kept = group === null ? keptQuotesOfAllEnabled(db) : keptQuotesEnabled();
	const how = route ?? (chosen.route !== 'none' && kept ? 'kept' : chosen.route);
	if (how === 'none') return [];
	if (!serialWalks(db)) return readCandidates(db, themeId, group, limit, how, chosen.starred);
	// PostgreSQL: one process per walk (see serialWalks).
	return db.transaction().execute(async (tx) => {
		await sql`set local max_parallel_workers_per_gather = 0`.execute(tx);
		return readCandidates(tx, themeId, group, limit, how, chosen.starred);
	});
}

/**
 * PostgreSQL, unless ANALYSIS_PG_QUOTE_SERIAL=off: a theme's candidates are read in one process. The walk stops after a
 * few thousand codings, but PostgreSQL estimates the theme's tens of thousands and plans a Gather Merge over two
 * parallel workers, which read past the limit in every process (at 1,000,001 answers, theme 1 for children: ~60 ms
 * of CPU in three processes against ~28 ms in one, for the same rows); the quotes page asks for every theme of the
 * question at once, so the workers only add CPU on a shared server (issue #19).
 */
function serialWalks(db: Db): boolean {
	return process.env.ANALYSIS_PG_QUOTE_SERIAL !== 'off' && db.getExecutor().adapter instanceof PostgresAdapter;
}

/** Whether the starred part is skipped for a theme without starred quotes (both engines; the same switch for A/B). */
function starSkipping(db: Db): boolean {
	return process.env.ANALYSIS_PG_QUOTE_SERIAL !== 'off' || !(db.getExecutor().adapter instanceof PostgresAdapter);
}

async function readCandidates(
	db: Db,
	themeId: number,
	group: string | null,
	limit: number,
	how: Exclude<CandidateRoute, 'none'>,
	anyStarred: boolean
) {
	const base = () => {
		let q =
			how === 'group'
				? // The group's perspectives first, then (index only) their answers to the theme's question and those
					// answers' coding with the theme, and only then the answers' rows: `cross join` keeps SQLite to that
					// order (left to itself it walks the theme); PostgreSQL plans it as the inner joins it is.
					db
						.selectFrom('perspective')
						.crossJoin('answer as ai')
						.crossJoin('answer_theme')
						.crossJoin('answer')
						.whereRef('ai.perspective_id', '=', 'perspective.id')
						.where('ai.question_id', '=', (eb) =>
							eb.selectFrom('theme').select('theme.question_id').where('theme.id', '=', themeId)
						)
						.whereRef('answer_theme.answer_id', '=', 'ai.id')
						.whereRef('answer.id', '=', 'answer_theme.answer_id')
				: db
						.selectFrom('answer_theme')
						.innerJoin('answer', 'answer.id', 'answer_theme.answer_id')
						.innerJoin('perspective', 'perspective.id', 'answer.perspective_id');
		q = q
			.where('answer_theme.theme_id', '=', themeId)
			.where('answer_theme.applies', '=', 1)
			.where(shown, 'is not', null)
			.where(notFlagged);
		if (group === UNKNOWN) q = q.where('perspective.group_code', 'is', null);
		else if (group) q = q.where('perspective.group_code', '=', group);
		return q;
	};
	const confidence = sql`coalesce(answer_theme.confidence, 1)`;
	const starred = !anyStarred
		? []
		: await base()
				.innerJoin('quote', (j) => j.onRef('quote.answer_id', '=', 'answer.id').on('quote.theme_id', '=', themeId))
				.select([
					'answer.id',
					shown.as('text'),
					'perspective.group_code',
					'quote.starred_at',
					'answer_theme.confidence',
					'answer_theme.source',
					...WORDING_COLUMNS
				])
				.where('quote.starred_at', 'is not', null)
				.orderBy(confidence, 'desc')
				.orderBy('answer_theme.answer_id')
				.limit(limit)
				.execute();
	const notStarred = (eb: AnyExpressionBuilder, answerId: string) =>
		eb.not(
			existsRow(
				eb,
				eb
					.selectFrom('quote as sq')
					.whereRef('sq.answer_id', '=', answerId as never)
					.where('sq.theme_id', '=', themeId)
					.where('sq.starred_at', 'is not', null)
			)
		);
	if (how === 'kept' && group === null) {
		if (starred.length >= limit) return starred;
		return [...starred, ...(await keptCandidatesOfAll(db, themeId, limit - starred.length))];
	}
	if (how === 'kept') {
		if (starred.length >= limit) return starred;
		const rows = await db
			.selectFrom('analysis_agg_quote_order as k')
			.innerJoin('answer', 'answer.id', 'k.answer_id')
			.select([
				'answer.id',
				shown.as('text'),
				'k.group_code',
				sql<string | null>`null`.as('starred_at'),
				'k.confidence',
				'k.source',
				sql<number | null>`null`.as('span_start'),
				sql<number | null>`null`.as('span_end'),
				sql<string | null>`null`.as('edited_text')
			])
			.where('k.theme_id', '=', themeId)
			.where('k.group_code', '=', group === UNKNOWN ? '' : group)
			.where(shown, 'is not', null)
			.where(notFlagged)
			.where((eb) => notStarred(eb, 'k.answer_id'))
			.orderBy('k.conf', 'desc')
			.orderBy('k.answer_id')
			.limit(limit - starred.length)
			.execute();
		// The perspective's group as the other routes read it: null when not known.
		return [...starred, ...rows.map((r) => ({ ...r, group_code: r.group_code === '' ? null : r.group_code }))];
	}
	const rest =
		starred.length < limit
			? await base()
					.select([
						'answer.id',
						shown.as('text'),
						'perspective.group_code',
						sql<string | null>`null`.as('starred_at'),
						'answer_theme.confidence',
						'answer_theme.source',
						sql<number | null>`null`.as('span_start'),
						sql<number | null>`null`.as('span_end'),
						sql<string | null>`null`.as('edited_text')
					])
					.where((eb) => notStarred(eb, 'answer_theme.answer_id'))
					.orderBy(confidence, 'desc')
					.orderBy('answer_theme.answer_id')
					.limit(limit - starred.length)
					.execute()
			: [];
	return [...starred, ...rest];
}

/** A theme's candidate answer as quoteCandidates reads it. */
type Candidate = {
	id: number;
	text: string;
	group_code: string | null;
	starred_at: string | null;
	confidence: number | null;
	source: string;
	span_start: number | null;
	span_end: number | null;
	edited_text: string | null;
};

/** A row of the kept quote order (analysis_agg_quote_order), as keptCandidatesOfAll reads it. */
type KeptRow = { answer_id: number; group_code: string; conf: number; confidence: number | null; source: string };

/** A kept quote-order row as a candidate, with its answer's words: not starred, no wording of its own yet. */
function keptCandidate(
	p: { answer_id: number; group_code: string; confidence: number | null; source: string },
	text: string
): Candidate {
	return {
		id: p.answer_id,
		text,
		// The perspective's group as the walk reads it: null when not known ('' in the kept table).
		group_code: p.group_code === '' ? null : p.group_code,
		starred_at: null,
		confidence: p.confidence,
		source: p.source,
		span_start: null,
		span_end: null,
		edited_text: null
	};
}

/** Rows read past the need in each prefix of keptCandidatesOfAll, so that a few answers left out still fill it. */
const PREFIX_SLACK = 8;

/**
 * All answers' candidates of a theme that are not starred, at most `need`, in the quote order, from the kept table:
 * the theme's groups (a skip over the index's (theme, group) prefix), each group's first rows in the order (index
 * only on PostgreSQL), merged and cut to a prefix of the theme's order; then the prefix's answers read by key, those
 * without words, flagged or starred left out. A prefix that leaves fewer than `need` is followed by the next one,
 * after its last row, until the theme's rows run out. The same rows as the walk (tests/review-scale.test.ts).
 */
async function keptCandidatesOfAll(
	db: Db,
	themeId: number,
	need: number,
	start?: { out: Candidate[]; after: KeptRow }
): Promise<Candidate[]> {
	const one = db.getExecutor().adapter instanceof PostgresAdapter && process.env.ANALYSIS_PG_QUOTE_ONE !== 'off';
	const groups = one
		? []
		: (
				await sql<{ code: string }>`with recursive g(code) as (
			select min(group_code) from analysis_agg_quote_order where theme_id = ${themeId}
			union all
			select (select min(k.group_code) from analysis_agg_quote_order k where k.theme_id = ${themeId} and k.group_code > g.code)
			from g where g.code is not null
		) select code from g where code is not null`.execute(db)
			).rows.map((r) => r.code);
	type Row = KeptRow;
	const out: Candidate[] = start ? [...start.out] : [];
	if (groups.length === 0 && !one) return out;
	let after: Row | undefined = start?.after;
	while (out.length < need) {
		const size = need - out.length + PREFIX_SLACK;
		if (one) {
			// PostgreSQL: the groups, the merged prefix and its answers in one statement (three cost the server ~3 ms
			// more a theme); an answer left out comes back without its id.
			const cursor = after
				? sql`and k.conf <= ${after.conf} and (k.conf < ${after.conf} or k.answer_id > ${after.answer_id})`
				: sql``;
			const rows = (
				await sql<Row & { ok: number | null; text: string | null }>`with recursive g(code) as (
					select min(group_code) from analysis_agg_quote_order where theme_id = ${themeId}
					union all
					select (select min(k.group_code) from analysis_agg_quote_order k where k.theme_id = ${themeId} and k.group_code > g.code)
					from g where g.code is not null
				), u as (
					select k.* from g cross join lateral (
						select k.answer_id, k.group_code, k.conf, k.confidence, k.source from analysis_agg_quote_order k
						where k.theme_id = ${themeId} and k.group_code = g.code ${cursor}
						order by k.conf desc, k.answer_id limit ${size}
					) k where g.code is not null order by k.conf desc, k.answer_id limit ${size}
				)
				select u.answer_id, u.group_code, u.conf, u.confidence, u.source, answer.id as ok, ${shown} as text
				from u left join answer on answer.id = u.answer_id and ${shown} is not null
					and not exists (select 1 from safeguarding_flag sf where sf.answer_id = answer.id)
					and not exists (select 1 from quote sq where sq.answer_id = answer.id and sq.theme_id = ${themeId}
						and sq.starred_at is not null)
				order by u.conf desc, u.answer_id`.execute(db)
			).rows;
			if (rows.length === 0) break;
			for (const p of rows) {
				if (p.ok === null || p.text === null) continue;
				out.push(keptCandidate(p, p.text));
				if (out.length === need) break;
			}
			if (rows.length < size) break;
			after = rows[rows.length - 1];
			continue;
		}
		const branch = (code: string) => {
			let q = db
				.selectFrom('analysis_agg_quote_order as k')
				.select(['k.answer_id', 'k.group_code', 'k.conf', 'k.confidence', 'k.source'])
				.where('k.theme_id', '=', themeId)
				.where('k.group_code', '=', code);
			if (after) {
				const { conf, answer_id } = after;
				q = q
					.where('k.conf', '<=', conf)
					.where((eb) => eb.or([eb('k.conf', '<', conf), eb('k.answer_id', '>', answer_id)]));
			}
			// Wrapped: SQLite takes no order or limit on a compound's parts.
			return db
				.selectFrom(q.orderBy('k.conf', 'desc').orderBy('k.answer_id').limit(size).as('b'))
				.select(['b.answer_id', 'b.group_code', 'b.conf', 'b.confidence', 'b.source']);
		};
		const merged = groups.slice(1).reduce((u, code) => u.unionAll(branch(code)), branch(groups[0]));
		const prefix: Row[] = await db
			.selectFrom(merged.as('u'))
			.select(['u.answer_id', 'u.group_code', 'u.conf', 'u.confidence', 'u.source'])
			.orderBy('u.conf', 'desc')
			.orderBy('u.answer_id')
			.limit(size)
			.execute();
		if (prefix.length === 0) break;
		const texts = new Map(
			(
				await db
					.selectFrom('answer')
					.select(['answer.id', shown.as('text')])
					.where((eb) => {
						const ids = prefix.map((p) => p.answer_id);
						// PostgreSQL: the ids as one array parameter (a list of 400 parameters cost the server more to build,
						// send and parse); SQLite takes the list.
						return db.getExecutor().adapter instanceof PostgresAdapter
							? sql<boolean>`answer.id = any(${ids}::integer[])`
							: eb('answer.id', 'in', ids);
					})
					.where(shown, 'is not', null)
					.where(notFlagged)
					.where((eb) =>
						eb.not(
							existsRow(
								eb,
								eb
									.selectFrom('quote as sq')
									.whereRef('sq.answer_id', '=', 'answer.id')
									.where('sq.theme_id', '=', themeId)
									.where('sq.starred_at', 'is not', null)
							)
						)
					)
					.execute()
			).map((r) => [r.id, r.text])
		);
		for (const p of prefix) {
			const text = texts.get(p.answer_id);
			if (text === undefined) continue;
			out.push(keptCandidate(p, text));
			if (out.length === need) break;
		}
		if (prefix.length < size) break;
		after = prefix[prefix.length - 1];
	}
	return out;
}

/**
 * Suggested quotes for a theme, optionally of one respondent group: answers with the theme,
 * never flagged for safeguarding, chosen by pickQuotes (near-identical answers once with a
 * count, short and vivid first, groups in turn, starred ones always). Duplicates are counted
 * among the CANDIDATES answers read, not the whole theme. Each quote's `text` is worded and
 * redacted as printedWording prints it; `original` stays as stored, for trimming against.
 */
export async function suggestQuotes(
	db: Db,
	themeId: number,
	limit = 5,
	options: { group?: string | null } = {}
): Promise<Quote[]> {
	// The quotes page asks for every theme at once: through the analysis lane, so on PostgreSQL they wait
	// their turn rather than time out on the pool (at 1,000,000 answers it failed with "timeout exceeded").
	db = analysisDb(db);
	return quotesOf(themeId, await quoteCandidates(db, themeId, options.group ?? null), limit);
}

/** A theme's suggested quotes from its candidates (see suggestQuotes). */
function quotesOf(themeId: number, rows: Candidate[], limit: number): Quote[] {
	const byId = new Map(rows.map((r) => [r.id, r]));
	const picked = pickQuotes(
		rows.map((r) => ({
			answerId: r.id,
			text: r.text,
			group: r.group_code,
			starred: r.starred_at !== null,
			// An officer's own coding is certain.
			confidence: r.source === 'human' ? 1 : (r.confidence ?? 1)
		})),
		limit
	);
	return picked.map((p) => {
		const r = byId.get(p.answerId)!;
		return {
			answerId: p.answerId,
			themeId,
			// Redacted on the way out, as printed: an answer kept without a redacted copy never shows raw here either.
			...printedWording(r.text, r.starred_at !== null ? r : {}),
			group: p.group,
			starred: p.starred,
			alike: p.alike
		};
	});
}

/**
 * Suggested quotes of several themes (the quotes page: every theme of a question), each as suggestQuotes gives it.
 * On PostgreSQL, for all answers from the kept quote order (unless ANALYSIS_PG_QUOTES_BATCH=off), the themes are
 * read together (candidatesOfThemes) instead of a few statements a theme, each planned afresh: at 1,000,001
 * answers question 1's 13 themes were ~65 statements (docs/analysis.md, code25 and code26).
 */
export async function suggestQuotesOfThemes(
	db: Db,
	themeIds: number[],
	limit = 5,
	options: { group?: string | null } = {}
): Promise<Quote[][]> {
	const group = options.group ?? null;
	db = analysisDb(db);
	if (group !== null || !themesBatched(db))
		return Promise.all(themeIds.map((id) => suggestQuotes(db, id, limit, options)));
	const candidates = await candidatesOfThemes(db, themeIds);
	return themeIds.map((id) => quotesOf(id, candidates.get(id)!, limit));
}

/**
 * Whether candidatesOfThemes reads the themes of all answers together: PostgreSQL with the kept order for all
 * answers read in one statement a theme (keptQuotesOfAllEnabled, ANALYSIS_PG_QUOTE_ONE) and the starred part
 * skipped for themes without stars (starSkipping, which also keeps the walk in one process), unless
 * ANALYSIS_PG_QUOTES_BATCH=off.
 */
function themesBatched(db: Db): boolean {
	return (
		process.env.ANALYSIS_PG_QUOTES_BATCH !== 'off' &&
		process.env.ANALYSIS_PG_QUOTE_ONE !== 'off' &&
		serialWalks(db) &&
		keptQuotesOfAllEnabled(db)
	);
}

/**
 * Each theme's candidates of all answers, as quoteCandidates(db, theme, null, need) reads them, for PostgreSQL with the
 * kept order (themesBatched). Which themes have starred quotes, in one statement; those (few) are read theme by
 * theme as before. The others' first prefixes (keptCandidatesOfAll's one statement) in one statement for all of
 * them, in one process (see serialWalks); a theme whose prefix leaves too few goes on theme by theme after its last
 * row, as keptCandidatesOfAll would. Elsewhere (SQLite, a switch off) theme by theme.
 */
export async function candidatesOfThemes(
	db: Db,
	themeIds: number[],
	need = CANDIDATES
): Promise<Map<number, Candidate[]>> {
	const out = new Map<number, Candidate[]>();
	const ids = [...new Set(themeIds)];
	if (!themesBatched(db)) {
		for (const id of ids) out.set(id, await quoteCandidates(db, id, null, need));
		return out;
	}
	if (ids.length === 0) return out;
	const starred = new Set(
		(
			await sql<{ theme_id: number }>`select distinct theme_id from quote
				where theme_id = any(${ids}::integer[]) and starred_at is not null`.execute(db)
		).rows.map((r) => r.theme_id)
	);
	const plain = ids.filter((id) => !starred.has(id));
	const size = need + PREFIX_SLACK;
	const rows = plain.length
		? await db.transaction().execute(async (tx) => {
				await sql`set local max_parallel_workers_per_gather = 0`.execute(tx);
				return (
					await sql<KeptRow & { theme_id: number; ok: number | null; text: string | null }>`with recursive
					t(theme_id) as (select unnest(${plain}::integer[])),
					g(theme_id, code) as (
						select t.theme_id, (select min(group_code) from analysis_agg_quote_order where theme_id = t.theme_id) from t
						union all
						select g.theme_id, (select min(k.group_code) from analysis_agg_quote_order k
							where k.theme_id = g.theme_id and k.group_code > g.code)
						from g where g.code is not null
					), u as (
						select t.theme_id, p.* from t cross join lateral (
							select k.* from g cross join lateral (
								select k.answer_id, k.group_code, k.conf, k.confidence, k.source from analysis_agg_quote_order k
								where k.theme_id = g.theme_id and k.group_code = g.code
								order by k.conf desc, k.answer_id limit ${size}
							) k where g.theme_id = t.theme_id and g.code is not null order by k.conf desc, k.answer_id limit ${size}
						) p
					)
					select u.theme_id, u.answer_id, u.group_code, u.conf, u.confidence, u.source, answer.id as ok, ${shown} as text
					from u left join answer on answer.id = u.answer_id and ${shown} is not null
						and not exists (select 1 from safeguarding_flag sf where sf.answer_id = answer.id)
						and not exists (select 1 from quote sq where sq.answer_id = answer.id and sq.theme_id = u.theme_id
							and sq.starred_at is not null)
					order by u.theme_id, u.conf desc, u.answer_id`.execute(tx)
				).rows;
			})
		: [];
	const prefixes = new Map<number, typeof rows>(plain.map((id) => [id, []]));
	for (const r of rows) prefixes.get(r.theme_id)!.push(r);
	const rest: Promise<void>[] = [];
	for (const [themeId, prefix] of prefixes) {
		// keptCandidatesOfAll's first round, on this prefix.
		const got: Candidate[] = [];
		for (const p of prefix) {
			if (p.ok === null || p.text === null) continue;
			got.push(keptCandidate(p, p.text));
			if (got.length === need) break;
		}
		out.set(themeId, got);
		if (got.length < need && prefix.length === size) {
			const after = prefix[prefix.length - 1];
			rest.push(
				db
					.transaction()
					.execute(async (tx) => {
						await sql`set local max_parallel_workers_per_gather = 0`.execute(tx);
						return keptCandidatesOfAll(tx, themeId, need, { out: got, after });
					})
					.then((all) => void out.set(themeId, all))
			);
		}
	}
	for (const id of starred) rest.push(quoteCandidates(db, id, null, need).then((all) => void out.set(id, all)));
	await Promise.all(rest);
	return out;
}

/** Stars (or unstars) an answer as a quote for a theme it has. Flagged answers cannot be starred. */
export async function setStar(
	db: Db,
	consultationId: number,
	themeId: number,
	answerId: number,
	starred: boolean,
	user: UserRef
): Promise<void> {
	await db.transaction().execute(async (tx) => {
		const ok = await tx
			.selectFrom('answer_theme')
			.innerJoin('theme', 'theme.id', 'answer_theme.theme_id')
			.innerJoin('question', 'question.id', 'theme.question_id')
			.innerJoin('answer', 'answer.id', 'answer_theme.answer_id')
			.select(['answer.id'])
			.where('answer_theme.theme_id', '=', themeId)
			.where('answer_theme.answer_id', '=', answerId)
			.where('answer_theme.applies', '=', 1)
			.where('question.consultation_id', '=', consultationId)
			.where(notFlagged)
			.executeTakeFirst();
		if (starred && !ok)
			throw new ReviewError('Only an answer with this theme, and no safeguarding flag, can be a quote.');
		if (starred)
			await tx
				.insertInto('quote')
				.values({ theme_id: themeId, answer_id: answerId, starred_by: user.id, starred_at: nowIso() })
				.onConflict((oc) => oc.columns(['theme_id', 'answer_id']).doNothing())
				.execute();
		else await tx.deleteFrom('quote').where('theme_id', '=', themeId).where('answer_id', '=', answerId).execute();
		await audit(tx, {
			userId: user.id,
			action: starred ? 'quote.star' : 'quote.unstar',
			entity: 'answer',
			entityId: answerId,
			detail: { themeId }
		});
	});
}

export type WordingChange = { kind: 'trim'; part: string } | { kind: 'edit'; text: string } | { kind: 'restore' };

/**
 * Trims a starred quote to a part of the answer, rewords it, or restores the answer's own words.
 * The answer is never changed: the wording sits on the quote, so restoring is always possible.
 * A trim must be a part of the (redacted) answer; an edit is redacted again before it is kept,
 * so a name typed in by mistake never reaches a page. Flagged answers cannot be worded (they are
 * never quotes). Audited with ids and field names only, never the words.
 */
export async function setQuoteWording(
	db: Db,
	consultationId: number,
	themeId: number,
	answerId: number,
	change: WordingChange,
	user: UserRef
): Promise<{ redacted: boolean }> {
	return db.transaction().execute(async (tx) => {
		const row = await tx
			.selectFrom('quote')
			.innerJoin('theme', 'theme.id', 'quote.theme_id')
			.innerJoin('question', 'question.id', 'theme.question_id')
			.innerJoin('answer', 'answer.id', 'quote.answer_id')
			.select([shown.as('text')])
			.where('quote.theme_id', '=', themeId)
			.where('quote.answer_id', '=', answerId)
			.where('question.consultation_id', '=', consultationId)
			.where(notFlagged)
			.executeTakeFirst();
		if (!row?.text) throw new ReviewError('Only a starred quote with no safeguarding flag can be trimmed or edited.');
		let set: { span_start: number | null; span_end: number | null; edited_text: string | null };
		let redacted = false;
		if (change.kind === 'trim') {
			const span = findSpan(row.text, change.part);
			if (!span)
				throw new ReviewError(
					'Keep only words from the answer, in the same order, to trim it; to change its words, edit the wording.',
					'part'
				);
			set = { span_start: span.start, span_end: span.end, edited_text: null };
		} else if (change.kind === 'edit') {
			const r = redact(change.text.trim());
			redacted = r.found.length > 0;
			set = { span_start: null, span_end: null, edited_text: r.text };
		} else set = { span_start: null, span_end: null, edited_text: null };
		await tx
			.updateTable('quote')
			.set({ ...set, edited_by: user.id, edited_at: nowIso() })
			.where('theme_id', '=', themeId)
			.where('answer_id', '=', answerId)
			.execute();
		await audit(tx, {
			userId: user.id,
			action: `quote.${change.kind}`,
			entity: 'answer',
			entityId: answerId,
			detail: {
				themeId,
				fields: change.kind === 'trim' ? ['span_start', 'span_end'] : ['edited_text', 'span_start', 'span_end']
			}
		});
		return { redacted };
	});
}
