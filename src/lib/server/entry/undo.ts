import { getConsultation } from '../consultations/queries';
import type { Db } from '../db/connect';
import { saveSubmission, type SaveMeta } from '../submissions/save';
import { audit } from '../audit/index';
import { nowIso } from '../util/time';
import { sessionFor, type Actor } from './sessions';

/**
 * "Leaf deleted — Undo": a deleted leaf is kept for a few minutes, then gone for
 * good. Kept short on purpose: it is a copy of what a young person wrote, and a
 * deletion is meant to delete. Expired rows are purged on every delete and undo.
 */
export const UNDO_MINUTES = Math.max(1, Number(process.env.ENTRY_UNDO_MINUTES ?? 15) || 15);

/** What a deleted leaf said and how it was stored, so it comes back exactly (same id). */
export interface DeletedLeaf {
	questionKey: string;
	group: string | null;
	district: string | null;
	text: string;
	enteredBy: number | null;
	takenOverFrom: number | null;
	createdAt: string;
}

/** Pass the transaction that deletes the leaf: the deletion and its undo copy commit together. */
export async function keepForUndo(
	tx: Db,
	d: { submissionId: string; sessionId: number; deletedBy: number; leaf: DeletedLeaf }
): Promise<void> {
	const now = new Date();
	await purgeExpiredUndo(tx, now);
	await tx.deleteFrom('entry_undo').where('submission_id', '=', d.submissionId).execute();
	await tx
		.insertInto('entry_undo')
		.values({
			submission_id: d.submissionId,
			collection_session_id: d.sessionId,
			deleted_by: d.deletedBy,
			deleted_at: now.toISOString(),
			expires_at: new Date(now.getTime() + UNDO_MINUTES * 60_000).toISOString(),
			snapshot: JSON.stringify(d.leaf)
		})
		.execute();
}

/** Removes undo copies past their time; returns how many. */
export async function purgeExpiredUndo(db: Db, now = new Date()): Promise<number> {
	const r = await db.deleteFrom('entry_undo').where('expires_at', '<=', now.toISOString()).executeTakeFirst();
	return Number(r.numDeletedRows ?? 0);
}

export interface UndoOffer {
	id: string;
	text: string;
	expiresAt: string;
}

/** The leaf this session's page may offer to put back, if it is still within its time. */
export async function undoOffer(db: Db, sessionId: number, submissionId: string): Promise<UndoOffer | null> {
	const row = await db
		.selectFrom('entry_undo')
		.select(['submission_id', 'snapshot', 'expires_at'])
		.where('submission_id', '=', submissionId)
		.where('collection_session_id', '=', sessionId)
		.where('expires_at', '>', nowIso())
		.executeTakeFirst();
	if (!row) return null;
	return { id: row.submission_id, text: (JSON.parse(row.snapshot) as DeletedLeaf).text, expiresAt: row.expires_at };
}

export class UndoError extends Error {
	constructor(
		readonly status: 403 | 404 | 410,
		message: string
	) {
		super(message);
	}
}

/**
 * Puts a deleted leaf back with its own id, words, group, district, who typed it
 * and when, through the same pipeline as every response (so it is screened and
 * coded again). Audited as entry.restore. Anyone who may work in the session may
 * undo; nothing is half-done: the leaf and the removal of its undo copy commit together.
 */
export async function restoreEntry(db: Db, submissionId: string, actor: Actor): Promise<{ sessionId: number }> {
	const row = await db
		.selectFrom('entry_undo')
		.selectAll()
		.where('submission_id', '=', submissionId)
		.executeTakeFirst();
	if (!row || row.expires_at <= nowIso())
		throw new UndoError(
			410,
			'This response can no longer be put back: undo is possible for ' + `${UNDO_MINUTES} minutes after deleting`
		);
	const access = await sessionFor(db, row.collection_session_id, actor);
	if (!access.ok) {
		throw access.reason === 'not-yours'
			? new UndoError(403, 'You can only put back responses in your own sessions')
			: new UndoError(404, 'There is no such collection session');
	}
	const session = access.session;
	const leaf = JSON.parse(row.snapshot) as DeletedLeaf;
	const consultation = (await getConsultation(db, session.consultationSlug))!;
	await db.transaction().execute(async (tx) => {
		await saveSubmission(
			tx,
			consultation,
			{
				id: submissionId,
				district: leaf.district,
				perspectives: [{ group: leaf.group, answers: { [leaf.questionKey]: leaf.text } }]
			},
			{
				channel: session.channel as SaveMeta['channel'],
				collectionSessionId: session.id,
				locationId: session.locationId,
				enteredBy: leaf.enteredBy,
				takenOverFrom: leaf.takenOverFrom,
				createdAt: leaf.createdAt
			}
		);
		await tx.deleteFrom('entry_undo').where('submission_id', '=', submissionId).execute();
		await audit(tx, {
			userId: actor.id,
			action: 'entry.restore',
			entity: 'submission',
			entityId: submissionId,
			detail: { sessionId: session.id }
		});
	});
	return { sessionId: session.id };
}
