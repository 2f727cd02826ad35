/**
 * Every answer from a child or young person is read by a person (issue #10 item 3): who read
 * what and when, the reading list (open flags first, then unread answers, riskiest first) and
 * the coverage figure. Reads are audited by answer id, never by their words.
 */
import { PostgresAdapter, sql, type Expression, type SqlBool } from 'kysely';
import { aggregatesEnabled } from '../analysis/aggregates';
import { addDays } from '../../analysis/weeks';
import { existsRow, type AnyExpressionBuilder } from '../db/untyped';
import type { Db } from '../db/connect';
import { audit } from '../audit/index';
import { nowIso } from '../util/time';
import { READ_ALL_GROUPS, type Coverage } from '../../domain/reading';

/**
 * How a read happened: `reading-opened` / `review-opened` = the page that shows the answer's full
 * words was opened (issue #10: reading an answer marks it read); the others = an explicit action
 * there (confirming a batch, coding, a queue decision, a raised concern).
 */
export type ReadVia = 'review' | 'reading' | 'queue' | 'concern' | 'reading-opened' | 'review-opened';

/**
 * Records that this person read these answers (first read per person is kept) and audits each
 * new read. Returns the ids newly marked.
 */
export async function markRead(db: Db, answerIds: number[], userId: number, via: ReadVia): Promise<number[]> {
	const ids = [...new Set(answerIds)].filter((n) => Number.isInteger(n) && n > 0);
	if (ids.length === 0) return [];
	const run = async (tx: Db) => {
		const existing = await tx
			.selectFrom('answer')
			.select('id')
			.where('id', 'in', ids)
			.where('text', 'is not', null)
			.execute();
		if (existing.length === 0) return [];
		const now = nowIso();
		const inserted = await tx
			.insertInto('answer_read')
			.values(existing.map((a) => ({ answer_id: a.id, user_id: userId, read_at: now })))
			.onConflict((oc) => oc.columns(['answer_id', 'user_id']).doNothing())
			.returning('answer_id')
			.execute();
		for (const r of inserted)
			await audit(tx, { userId, action: 'answer.read', entity: 'answer', entityId: r.answer_id, detail: { via } });
		return inserted.map((r) => r.answer_id).sort((a, b) => a - b);
	};
	return db.isTransaction ? run(db) : db.transaction().execute(run);
}

/** The reading list's order: the screen's risk and the ranker's, combined (see combinedRisk). */
export const combinedRiskSql = sql<number>`(1 - (1 - coalesce(a.risk_score, 0)) * (1 - coalesce(a.model_score, 0)))`;

const isRead = (eb: AnyExpressionBuilder) =>
	existsRow(eb, eb.selectFrom('answer_read as r').whereRef('r.answer_id', '=', 'a.id'));
const hasOpenFlag = (eb: AnyExpressionBuilder) =>
	existsRow(
		eb,
		eb
			.selectFrom('safeguarding_flag as f2')
			.whereRef('f2.answer_id', '=', 'a.id')
			.where('f2.status', 'in', ['new', 'reviewed'])
	);

export interface ReadingItem {
	answerId: number;
	/** The redacted text: the original is only ever shown in the audited admin view. */
	text: string;
	flag: { id: number; level: 'urgent' | 'review'; status: string } | null;
	risk: number;
	groupCode: string | null;
	consultationSlug: string;
	consultationTitle: string;
	questionKey: string;
	channel: string;
	submittedAt: string;
	reference: string;
	readByYou: boolean;
}

function baseQuery(db: Db) {
	return db
		.selectFrom('answer as a')
		.innerJoin('perspective as p', 'p.id', 'a.perspective_id')
		.innerJoin('submission as s', 's.id', 'a.submission_id')
		.innerJoin('question as q', 'q.id', 'a.question_id')
		.innerJoin('consultation as c', 'c.id', 'q.consultation_id')
		.leftJoin('safeguarding_flag as f', 'f.answer_id', 'a.id')
		.where('a.text', 'is not', null);
}

function itemQuery(db: Db, userId: number) {
	return baseQuery(db).select((eb) => [
		'a.id',
		'a.redacted_text',
		'a.text',
		'p.group_code',
		'c.slug',
		'c.title',
		'q.key',
		's.channel',
		's.created_at',
		's.reference',
		'f.id as flag_id',
		'f.level',
		'f.status',
		combinedRiskSql.as('risk'),
		existsRow(
			eb,
			eb.selectFrom('answer_read as r').whereRef('r.answer_id', '=', 'a.id').where('r.user_id', '=', userId)
		).as('read_by_you')
	]);
}

type ItemRow = Awaited<ReturnType<ReturnType<typeof itemQuery>['execute']>>[number];

const toItem = (r: ItemRow): ReadingItem => ({
	answerId: r.id,
	text: r.redacted_text ?? r.text ?? '',
	flag: r.flag_id ? { id: r.flag_id, level: r.level!, status: r.status! } : null,
	risk: Number(r.risk),
	groupCode: r.group_code,
	consultationSlug: r.slug,
	consultationTitle: r.title,
	questionKey: r.key,
	channel: r.channel,
	submittedAt: r.created_at,
	reference: r.reference,
	readByYou: Boolean(Number(r.read_by_you))
});

/** Unread answers from children and young people with no open flag: only the columns the filter needs. */
function unreadQuery(db: Db, consultationId?: number) {
	let q = db
		.selectFrom('answer as a')
		.innerJoin('perspective as p', 'p.id', 'a.perspective_id')
		.where('a.text', 'is not', null)
		.where('p.group_code', 'in', [...READ_ALL_GROUPS])
		.where((eb) => eb.not(isRead(eb)))
		.where((eb) => eb.not(hasOpenFlag(eb)));
	if (consultationId)
		q = q.where('a.question_id', 'in', (eb) =>
			eb.selectFrom('question').select('id').where('consultation_id', '=', consultationId)
		);
	return q;
}

/**
 * The reading list: answers with an open flag (urgent, then review, riskiest first), then every
 * unread answer from children and young people, whatever channel it came by, riskiest first and
 * oldest first among equals. `limit` caps the unread part, which can be long. The order is found
 * on the answer and perspective rows alone; only the page shown is joined to its details.
 */
export async function readingList(
	db: Db,
	userId: number,
	opts: { consultationId?: number; limit?: number } = {}
): Promise<{ flagged: ReadingItem[]; unread: ReadingItem[]; unreadTotal: number }> {
	const limit = opts.limit ?? 20;
	let flaggedQ = itemQuery(db, userId).where('f.status', 'in', ['new', 'reviewed']);
	if (opts.consultationId) flaggedQ = flaggedQ.where('c.id', '=', opts.consultationId);
	const [flagged, page, count] = await Promise.all([
		flaggedQ
			.orderBy(sql`case when f.level = 'urgent' then 0 else 1 end`)
			.orderBy(combinedRiskSql, 'desc')
			.orderBy('a.id')
			.execute(),
		unreadQuery(db, opts.consultationId)
			.select('a.id')
			.orderBy(combinedRiskSql, 'desc')
			.orderBy('a.created_at')
			.orderBy('a.id')
			.limit(limit)
			.execute(),
		unreadQuery(db, opts.consultationId)
			.select(sql<number>`count(*)`.as('n'))
			.executeTakeFirstOrThrow()
	]);
	const ids = page.map((r) => r.id);
	const rows = ids.length ? await itemQuery(db, userId).where('a.id', 'in', ids).execute() : [];
	const byId = new Map(rows.map((r) => [r.id, toItem(r)]));
	return {
		flagged: flagged.map(toItem),
		unread: ids.map((id) => byId.get(id)!).filter(Boolean),
		unreadTotal: Number(count.n)
	};
}

/**
 * How many answers from children and young people a person has read, and when the oldest unread
 * one arrived (answers carry their submission's time). From the counts kept by triggers per
 * question and day (migration 2026-12-02-0200), so the dashboard shows it without reading every
 * answer: the oldest unread is looked for among the answers of the first day with one unread only.
 * ANALYSIS_AGGREGATES=off counts the answers as before (the tests' oracle).
 */
export async function readingCoverage(db: Db, consultationId?: number): Promise<Coverage> {
	if (!aggregatesEnabled()) return readingCoverageFromAnswers(db, consultationId);
	const inConsultation = (eb: AnyExpressionBuilder, column: string) =>
		eb(column, 'in', eb.selectFrom('question').select('id').where('consultation_id', '=', consultationId!));
	let counts = db.selectFrom('analysis_agg_reading');
	if (consultationId) counts = counts.where((eb) => inConsultation(eb, 'question_id'));
	const [sums, unread] = await Promise.all([
		counts.select([sql<number>`sum(n)`.as('total'), sql<number>`sum(n_read)`.as('read')]).executeTakeFirstOrThrow(),
		// The questions with an unread answer on the first day that has one.
		counts
			.where(sql<SqlBool>`n_read < n`)
			.where('day', '=', (eb) =>
				(consultationId
					? eb.selectFrom('analysis_agg_reading as d').where((e) => inConsultation(e, 'd.question_id'))
					: eb.selectFrom('analysis_agg_reading as d')
				)
					.where(sql<SqlBool>`d.n_read < d.n`)
					.select(sql<string>`min(d.day)`.as('day'))
			)
			.select(['question_id', 'day'])
			.execute()
	]);
	const total = Number(sums.total ?? 0);
	const read = Number(sums.read ?? 0);
	if (unread.length === 0) return { total, read, oldestUnreadAt: null };
	// That day's answers of those questions only (index answer (question_id, created_at)), each checked by key.
	const day = unread[0].day;
	const questionIds = unread.map((r) => r.question_id);
	// `question`: the question condition, first (SQLite's statement as it was).
	const unreadOfDay = (eb: AnyExpressionBuilder, question: (e: AnyExpressionBuilder) => Expression<SqlBool>) =>
		eb
			.selectFrom('answer as a')
			.where(question)
			.where('a.created_at', '>=', day)
			.where('a.created_at', '<', addDays(day, 1))
			.where('a.text', 'is not', null)
			.where((e: AnyExpressionBuilder) =>
				existsRow(
					e,
					e
						.selectFrom('perspective as p')
						.whereRef('p.id', '=', 'a.perspective_id')
						.where('p.group_code', 'in', [...READ_ALL_GROUPS])
				)
			)
			.where((e: AnyExpressionBuilder) => e.not(isRead(e)));
	const row = oldestByQuestion(db)
		? // PostgreSQL: each question's first unread answer of the day in the index's order, stopping there.
			await db
				.selectFrom(sql`(select unnest(${questionIds}::integer[]) as id)`.as('q'))
				.innerJoinLateral(
					(eb) =>
						unreadOfDay(eb as unknown as AnyExpressionBuilder, (e) => e('a.question_id', '=', sql.ref('q.id')))
							.select('a.created_at')
							.orderBy('a.created_at')
							.limit(1)
							.as('x'),
					(j) => j.onTrue()
				)
				.select(sql<string | null>`min(x.created_at)`.as('oldest'))
				.executeTakeFirst()
		: await unreadOfDay(db as unknown as AnyExpressionBuilder, (e) => e('a.question_id', 'in', questionIds))
				.select(sql<string | null>`min(a.created_at)`.as('oldest'))
				.executeTakeFirst();
	return { total, read, oldestUnreadAt: (row?.oldest as string | null | undefined) ?? null };
}

/**
 * Whether the oldest unread answer is looked for question by question (PostgreSQL, unless
 * ANALYSIS_PG_OLDEST_PROBES=off): the day's first unread answer of each question in the order of the index answer
 * (question_id, created_at), stopping at the first one, instead of min() over all the day's answers. At 1,000,001
 * answers the first day held 15,426 answers of the five questions; PostgreSQL joined them to a parallel sequential
 * scan of every perspective (~250 ms wall in three processes on every dashboard, whatever its filters), where this
 * reads a few answers and perspectives per question by key (~2 ms). The same minimum: each question's first unread
 * answer of the day is its earliest, and the least of those is the day's. SQLite keeps the one statement (it
 * probes the perspectives by key already).
 */
function oldestByQuestion(db: Db): boolean {
	return process.env.ANALYSIS_PG_OLDEST_PROBES !== 'off' && db.getExecutor().adapter instanceof PostgresAdapter;
}

/** The same figures counted from the answers and the reading log (the aggregates off). */
async function readingCoverageFromAnswers(db: Db, consultationId?: number): Promise<Coverage> {
	let q = db
		.selectFrom('answer as a')
		.innerJoin('perspective as p', 'p.id', 'a.perspective_id')
		.leftJoin(
			(eb) => eb.selectFrom('answer_read').select('answer_id').distinct().as('r'),
			(j) => j.onRef('r.answer_id', '=', 'a.id')
		)
		.where('a.text', 'is not', null)
		.where('p.group_code', 'in', [...READ_ALL_GROUPS]);
	if (consultationId)
		q = q.where('a.question_id', 'in', (eb) =>
			eb.selectFrom('question').select('id').where('consultation_id', '=', consultationId)
		);
	const row = await q
		.select([
			sql<number>`count(*)`.as('total'),
			sql<number>`count(r.answer_id)`.as('read'),
			sql<string | null>`min(case when r.answer_id is null then a.created_at end)`.as('oldest')
		])
		.executeTakeFirstOrThrow();
	return { total: Number(row.total), read: Number(row.read ?? 0), oldestUnreadAt: row.oldest ?? null };
}

/**
 * Opening the reading list: the list, and every answer whose words it shows (the open flags and
 * the batch of unread answers) is now read by this person: recorded once per person (who, when)
 * and audited once, so reloading records and audits nothing new. Only for a person with the
 * safeguarding permission (the route checks it). Reloading shows the next unread batch.
 */
export async function openReadingList(
	db: Db,
	userId: number,
	opts: { consultationId?: number; limit?: number } = {}
): Promise<{ flagged: ReadingItem[]; unread: ReadingItem[]; unreadTotal: number; openedNow: number[] }> {
	const list = await readingList(db, userId, opts);
	const shown = [...list.flagged, ...list.unread].map((i) => i.answerId);
	const openedNow = await markRead(db, shown, userId, 'reading-opened');
	const mark = new Set(shown);
	for (const i of [...list.flagged, ...list.unread]) if (mark.has(i.answerId)) i.readByYou = true;
	return { ...list, openedNow };
}

/**
 * Opening the review page: every answer on the page whose words were shown to this person (not
 * withheld under safeguarding review) is read by them, recorded and audited once per person.
 */
export async function markOpenedInReview(
	db: Db,
	shown: { id: number; withheld?: boolean; text?: string | null }[],
	userId: number
): Promise<number[]> {
	return markRead(
		db,
		shown.filter((a) => !a.withheld).map((a) => a.id),
		userId,
		'review-opened'
	);
}
