/**
 * Raising a concern (issue #10 item 4): anyone who reads an answer, in review, on the reading
 * list or while typing up a leaf, can send it straight to the safeguarding queue at the level they
 * choose, with a note. The note is kept on the concern (people's words: deleted with the answer's
 * text under retention) and never copied into the audit log.
 */
import type { Db } from '../db/connect';
import { audit } from '../audit/index';
import { nowIso } from '../util/time';
import { markRead } from './reading';
import { scheduleRankerTraining } from './ranker';
import type { ConcernInput } from '../../schemas/concern';

export class ConcernError extends Error {}

export interface RaisedConcern {
	concernId: number;
	flagId: number;
	level: 'urgent' | 'review';
}

/**
 * Records the concern and makes sure the answer is in the queue at (at least) the chosen level:
 * a new flag if it had none, raised to urgent if asked, and reopened if a lead had closed it.
 * All in one transaction, audited by ids only.
 */
export async function raiseConcern(
	db: Db,
	input: ConcernInput,
	user: { id: number },
	answerFilter?: { consultationId?: number; submissionSessionId?: number }
): Promise<RaisedConcern> {
	// Inside a caller's transaction (a leaf saved with its concern): part of it; the ranker is
	// scheduled by the caller once that transaction has committed.
	if (db.isTransaction) return raiseIn(db, input, user, answerFilter);
	const result = await db.transaction().execute((tx) => raiseIn(tx, input, user, answerFilter));
	scheduleRankerTraining();
	return result;
}

async function raiseIn(
	tx: Db,
	input: ConcernInput,
	user: { id: number },
	answerFilter?: { consultationId?: number; submissionSessionId?: number }
): Promise<RaisedConcern> {
	{
		let q = tx
			.selectFrom('answer as a')
			.innerJoin('question as q', 'q.id', 'a.question_id')
			.innerJoin('submission as s', 's.id', 'a.submission_id')
			.select(['a.id', 'a.text'])
			.where('a.id', '=', input.answerId);
		if (answerFilter?.consultationId !== undefined) q = q.where('q.consultation_id', '=', answerFilter.consultationId);
		if (answerFilter?.submissionSessionId !== undefined)
			q = q.where('s.collection_session_id', '=', answerFilter.submissionSessionId);
		const answer = await q.executeTakeFirst();
		if (!answer) throw new ConcernError('That answer does not exist here.');
		const now = nowIso();
		const { id: concernId } = await tx
			.insertInto('safeguarding_concern')
			.values({
				answer_id: answer.id,
				level: input.level,
				note: input.note,
				raised_via: input.via,
				raised_by: user.id,
				created_at: now
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		const flag = await tx
			.selectFrom('safeguarding_flag')
			.select(['id', 'level', 'status'])
			.where('answer_id', '=', answer.id)
			.executeTakeFirst();
		let flagId: number;
		let level = input.level;
		if (!flag) {
			flagId = (
				await tx
					.insertInto('safeguarding_flag')
					.values({
						answer_id: answer.id,
						level: input.level,
						matches: '[]',
						status: 'new',
						note: null,
						updated_by: user.id,
						updated_at: now,
						created_at: now
					})
					.returning('id')
					.executeTakeFirstOrThrow()
			).id;
		} else {
			flagId = flag.id;
			level = flag.level === 'urgent' || input.level === 'urgent' ? 'urgent' : 'review';
			// A closed flag goes back to "new": someone has a fresh worry a lead has not seen.
			const status = flag.status === 'referred' || flag.status === 'no_action' ? 'new' : flag.status;
			await tx
				.updateTable('safeguarding_flag')
				.set({ level, status, updated_by: user.id, updated_at: now })
				.where('id', '=', flag.id)
				.execute();
		}
		await audit(tx, {
			userId: user.id,
			action: 'safeguarding.concern',
			entity: 'safeguarding_concern',
			entityId: concernId,
			detail: {
				answerId: answer.id,
				flagId,
				level: input.level,
				via: input.via,
				hasNote: input.note !== null,
				fields: ['level', 'note']
			}
		});
		if (answer.text !== null) await markRead(tx, [answer.id], user.id, 'concern');
		return { concernId, flagId, level };
	}
}

export interface ConcernView {
	id: number;
	level: 'urgent' | 'review';
	note: string | null;
	via: string;
	by: string | null;
	at: string;
}

/** The concerns raised on these answers, for the queue. */
export async function concernsFor(db: Db, answerIds: number[]): Promise<Map<number, ConcernView[]>> {
	const out = new Map<number, ConcernView[]>();
	if (answerIds.length === 0) return out;
	const rows = await db
		.selectFrom('safeguarding_concern as c')
		.leftJoin('app_user as u', 'u.id', 'c.raised_by')
		.select(['c.id', 'c.answer_id', 'c.level', 'c.note', 'c.raised_via', 'u.email', 'c.created_at'])
		.where('c.answer_id', 'in', answerIds)
		.orderBy('c.created_at')
		.orderBy('c.id')
		.execute();
	for (const r of rows)
		out.set(r.answer_id, [
			...(out.get(r.answer_id) ?? []),
			{ id: r.id, level: r.level, note: r.note, via: r.raised_via, by: r.email, at: r.created_at }
		]);
	return out;
}
