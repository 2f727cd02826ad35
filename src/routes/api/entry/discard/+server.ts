import { json } from '@sveltejs/kit';
import { entryJsonRequest } from '$lib/server/entry/endpoint';
import { recordDiscard } from '$lib/server/entry/changeover';
import { discardBodySchema } from '$lib/schemas/entry-changeover';
import type { RequestHandler } from './$types';

/**
 * POST { reason: "waiting" | "rejected", entries: [{ id, sessionId, authorId }] } -> { count }.
 * The device throws the leaves away only after this is recorded, so every discard is audited and counted.
 */
export const POST: RequestHandler = async (event) => {
	const { user, body } = await entryJsonRequest(event, discardBodySchema);
	return json(await recordDiscard(event.locals.db, body, user), { headers: { 'cache-control': 'no-store' } });
};
