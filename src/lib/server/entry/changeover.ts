import type { DiscardBody } from '../../schemas/entry-changeover';
import type { Db } from '../db/connect';
import { audit } from '../audit/index';
import { syncEntries, type SyncResult } from './entries';
import { findSession, ownMatchingSession, type Actor } from './sessions';

/**
 * Staff changing over on a shared entry PC. Leaves wait in the browser for the
 * person who typed them; the next person may explicitly take them over (stored
 * as theirs, recorded as taken over from the author, audited) or discard them
 * after confirming (audited, counted). Nothing here ever happens silently.
 */
export class ChangeoverError extends Error {
	constructor(readonly errors: Record<string, string>) {
		super(Object.values(errors).join('; '));
	}
}

export interface TakeOverResult extends SyncResult {
	/** Where the leaves went: the author's session id -> the taker's own session id. */
	sessions: Record<string, number>;
}

/**
 * Stores leaves typed by `fromUserId` as the signed-in member of staff's, in
 * their own session for the same place and date (started if needed). Each leaf
 * is stored once by its UUID: one the author had already sent is a duplicate
 * and keeps its author.
 */
export async function takeOverEntries(
	db: Db,
	body: { fromUserId: number | null; entries: unknown[] },
	actor: Actor
): Promise<TakeOverResult> {
	if (body.fromUserId === actor.id)
		throw new ChangeoverError({ fromUserId: 'these responses are yours: they are sent as usual' });
	const author =
		body.fromUserId === null
			? undefined
			: await db.selectFrom('app_user').select('id').where('id', '=', body.fromUserId).executeTakeFirst();
	const sourceIds = new Set<number>();
	for (const raw of body.entries) {
		const id = raw && typeof raw === 'object' ? (raw as { sessionId?: unknown }).sessionId : undefined;
		if (typeof id === 'number' && Number.isSafeInteger(id) && id > 0) sourceIds.add(id);
	}
	const targetSession = new Map<number, number>();
	for (const id of sourceIds) {
		const source = await findSession(db, id);
		if (source) targetSession.set(id, await ownMatchingSession(db, source, actor));
	}
	const result = await syncEntries(db, body.entries, actor, {
		fromUserId: body.fromUserId,
		recordAs: author?.id ?? null,
		targetSession
	});
	return { ...result, sessions: Object.fromEntries([...targetSession].map(([from, to]) => [String(from), to])) };
}

/** Records that a device threw leaves away after the person confirmed it: ids and counts, never the words. */
export async function recordDiscard(db: Db, body: DiscardBody, actor: Actor): Promise<{ count: number }> {
	const ids = [...new Set(body.entries.map((e) => e.id))];
	const authors = [...new Set(body.entries.map((e) => e.authorId))];
	const sessionIds = [...new Set(body.entries.map((e) => e.sessionId))];
	await audit(db, {
		userId: actor.id,
		action: 'entry.discard',
		entity: 'submission',
		entityId: ids.length === 1 ? ids[0] : null,
		detail: { reason: body.reason, count: ids.length, ids, sessionIds, authors }
	});
	return { count: ids.length };
}
