import { sql } from 'kysely';
import type { Db } from '../db/connect';

import { nowIso } from '../util/time';
import { combinedRisk } from '../../safeguarding/ranker/index';
import { redact } from '../../privacy/index';

export { FLAG_STATUSES, STATUS_LABELS, NEXT_STATUS, type FlagStatus } from '../../domain/safeguarding';
import { NEXT_STATUS, STATUS_LABELS, type FlagStatus } from '../../domain/safeguarding';

export interface FlagListItem {
	id: number;
	level: 'urgent' | 'review';
	status: FlagStatus;
	matches: { phrase: string; category: string; excerpt: string }[];
	answerId: number;
	/** The redacted text: the original is shown only in the audited admin view. */
	text: string | null;
	/** Screen and ranker combined (0..1): orders flags within a level. */
	risk: number;
	questionKey: string;
	groupCode: string | null;
	consultationSlug: string;
	channel: string;
	locationName: string | null;
	sessionDate: string | null;
	reference: string;
	submittedAt: string;
	note: string | null;
	updatedAt: string;
	updatedBy: string | null;
}

/**
 * The queue, urgent and new first. Shows the context a safeguarding lead needs
 * to act (channel, place, session, time, the reference the child was given) and
 * never a network address: none is stored.
 */
export async function listFlags(db: Db, opts: { status?: FlagStatus | 'open' | 'all' } = {}): Promise<FlagListItem[]> {
	let q = db
		.selectFrom('safeguarding_flag as f')
		.innerJoin('answer as a', 'a.id', 'f.answer_id')
		.innerJoin('question as q', 'q.id', 'a.question_id')
		.innerJoin('consultation as c', 'c.id', 'q.consultation_id')
		.innerJoin('perspective as p', 'p.id', 'a.perspective_id')
		.innerJoin('submission as s', 's.id', 'a.submission_id')
		.leftJoin('location as l', 'l.id', 's.location_id')
		.leftJoin('collection_session as cs', 'cs.id', 's.collection_session_id')
		.leftJoin('app_user as u', 'u.id', 'f.updated_by')
		.select([
			'f.id',
			'f.level',
			'f.status',
			'f.matches',
			'f.note',
			'f.updated_at',
			'u.email as updated_by_email',
			'a.id as answer_id',
			'a.text',
			'a.redacted_text',
			'a.risk_score',
			'a.model_score',
			'q.key as question_key',
			'p.group_code',
			'c.slug',
			's.channel',
			'l.name as location_name',
			'cs.session_date',
			's.reference',
			's.created_at'
		]);
	const status = opts.status ?? 'open';
	if (status === 'open') q = q.where('f.status', 'in', ['new', 'reviewed']);
	else if (status !== 'all') q = q.where('f.status', '=', status);
	const rows = await q
		.orderBy((eb) => eb.case().when('f.level', '=', 'urgent').then(0).else(1).end())
		.orderBy((eb) => eb.case().when('f.status', '=', 'new').then(0).else(1).end())
		.orderBy(sql`(1 - (1 - coalesce(a.risk_score, 0)) * (1 - coalesce(a.model_score, 0)))`, 'desc')
		.orderBy('s.created_at', 'desc')
		.orderBy('f.id')
		.execute();
	return rows.map((r) => ({
		id: r.id,
		level: r.level,
		status: r.status,
		// Excerpts were cut from the original words: show them redacted, like the answer.
		matches: (JSON.parse(r.matches) as FlagListItem['matches']).map((m) => ({ ...m, excerpt: redact(m.excerpt).text })),
		answerId: r.answer_id,
		text: r.text === null ? null : (r.redacted_text ?? r.text),
		risk: combinedRisk(r.risk_score, r.model_score),
		questionKey: r.question_key,
		groupCode: r.group_code,
		consultationSlug: r.slug,
		channel: r.channel,
		locationName: r.location_name,
		sessionDate: r.session_date,
		reference: r.reference,
		submittedAt: r.created_at,
		note: r.note,
		updatedAt: r.updated_at,
		updatedBy: r.updated_by_email
	}));
}

export class FlagTransitionError extends Error {}

/** Moves a flag on, with a note; returns before/after for the audit log. */
export async function updateFlag(
	db: Db,
	id: number,
	change: { status: FlagStatus; note: string | null },
	userId: number
) {
	return db.transaction().execute(async (tx) => {
		const flag = await tx
			.selectFrom('safeguarding_flag')
			.select(['id', 'status', 'note', 'answer_id'])
			.where('id', '=', id)
			.executeTakeFirst();
		if (!flag) throw new FlagTransitionError('That flag does not exist.');
		if (change.status !== flag.status && !NEXT_STATUS[flag.status].includes(change.status)) {
			throw new FlagTransitionError(
				`A ${STATUS_LABELS[flag.status].toLowerCase()} flag cannot become ${STATUS_LABELS[change.status].toLowerCase()}.`
			);
		}
		await tx
			.updateTable('safeguarding_flag')
			.set({ status: change.status, note: change.note, updated_by: userId, updated_at: nowIso() })
			.where('id', '=', id)
			.execute();
		return { answerId: flag.answer_id, before: { status: flag.status, note: flag.note }, after: change };
	});
}
