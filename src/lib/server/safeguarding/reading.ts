/**
 * Every answer from a child or young person is read by a person (issue #10 item 3): who read
 * what and when, the reading list (open flags first, then unread answers, riskiest first) and
 * the coverage figure. Reads are audited by answer id, never by their words.
 */
import { sql, type ExpressionBuilder } from 'kysely';
import type { Db } from '../db/connect';
import type { Database } from '../db/schema';
import { audit } from '../audit/index';
import { nowIso } from '../util/time';
import { READ_ALL_GROUPS, type Coverage } from '../../domain/reading';

export type ReadVia = 'review' | 'reading' | 'queue' | 'concern';

/**
 * Records that this person read these answers (first read per person is kept) and audits each
 * new read. Returns the ids newly marked.
 */
export async function markRead(db: Db, answerIds: number[], userId: number, via: ReadVia): Promise<number[]> {
	const ids = [...new Set(answerIds)].filter((n) => Number.isInteger(n) && n > 0);
	if (ids.length === 0) return [];
	const run = async (tx: Db) => {
		const existing = await tx.selectFrom('answer').select('id').where('id', 'in', ids).where('text', 'is not', null).execute();
		if (existing.length === 0) return [];
		const now = nowIso();
		const inserted = await tx
			.insertInto('answer_read')
			.values(existing.map((a) => ({ answer_id: a.id, user_id: userId, read_at: now })))
			.onConflict((oc) => oc.columns(['answer_id', 'user_id']).doNothing())
			.returning('answer_id')
			.execute();
		for (const r of inserted) await audit(tx, { userId, action: 'answer.read', entity: 'answer', entityId: r.answer_id, detail: { via } });
		return inserted.map((r) => r.answer_id).sort((a, b) => a - b);
	};
	return db.isTransaction ? run(db) : db.transaction().execute(run);
}

/** The reading list's order: the screen's risk and the ranker's, combined (see combinedRisk). */
export const combinedRiskSql = sql<number>`(1 - (1 - coalesce(a.risk_score, 0)) * (1 - coalesce(a.model_score, 0)))`;

const fromChildren = (eb: ExpressionBuilder<Database & { a: Database['answer']; p: Database['perspective'] }, 'a' | 'p'>) =>
	eb('p.group_code', 'in', [...READ_ALL_GROUPS]);
const isRead = (eb: ExpressionBuilder<any, any>) => eb.exists(eb.selectFrom('answer_read as r').select(sql`1`.as('one')).whereRef('r.answer_id', '=', 'a.id'));
const hasOpenFlag = (eb: ExpressionBuilder<any, any>) =>
	eb.exists(eb.selectFrom('safeguarding_flag as f2').select(sql`1`.as('one')).whereRef('f2.answer_id', '=', 'a.id').where('f2.status', 'in', ['new', 'reviewed']));

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
		eb.exists(eb.selectFrom('answer_read as r').select(sql`1`.as('one')).whereRef('r.answer_id', '=', 'a.id').where('r.user_id', '=', userId)).as('read_by_you')
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

/**
 * The reading list: answers with an open flag (urgent, then review, riskiest first), then every
 * unread answer from children and young people, whatever channel it came by, riskiest first and
 * oldest first among equals. `limit` caps the unread part, which can be long.
 */
export async function readingList(db: Db, userId: number, opts: { consultationId?: number; limit?: number } = {}): Promise<{ flagged: ReadingItem[]; unread: ReadingItem[]; unreadTotal: number }> {
	const limit = opts.limit ?? 20;
	const scoped = <Q extends ReturnType<typeof baseQuery>>(q: Q): Q => (opts.consultationId ? (q.where('c.id', '=', opts.consultationId) as Q) : q);
	const flagged = await scoped(itemQuery(db, userId))
		.where('f.status', 'in', ['new', 'reviewed'])
		.orderBy(sql`case when f.level = 'urgent' then 0 else 1 end`)
		.orderBy(combinedRiskSql, 'desc')
		.orderBy('a.id')
		.execute();
	const unreadWhere = <Q extends ReturnType<typeof baseQuery>>(q: Q): Q =>
		q.where((eb) => eb.and([fromChildren(eb as never), eb.not(isRead(eb)), eb.not(hasOpenFlag(eb))])) as Q;
	const [unread, count] = await Promise.all([
		unreadWhere(scoped(itemQuery(db, userId))).orderBy(combinedRiskSql, 'desc').orderBy('s.created_at').orderBy('a.id').limit(limit).execute(),
		unreadWhere(scoped(baseQuery(db))).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()
	]);
	return { flagged: flagged.map(toItem), unread: unread.map(toItem), unreadTotal: Number(count.n) };
}

/** How many answers from children and young people a person has read, and the oldest unread. */
export async function readingCoverage(db: Db, consultationId?: number): Promise<Coverage> {
	let q = baseQuery(db).where((eb) => fromChildren(eb as never));
	if (consultationId) q = q.where('c.id', '=', consultationId);
	const row = await q
		.select((eb) => [
			sql<number>`count(*)`.as('total'),
			sql<number>`sum(case when ${isRead(eb)} then 1 else 0 end)`.as('read'),
			sql<string | null>`min(case when ${isRead(eb)} then null else s.created_at end)`.as('oldest')
		])
		.executeTakeFirstOrThrow();
	return { total: Number(row.total), read: Number(row.read ?? 0), oldestUnreadAt: row.oldest ?? null };
}
