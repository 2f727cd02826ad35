import { error, json } from '@sveltejs/kit';
import { entryJsonRequest } from '$lib/server/entry/endpoint';
import { takeOverEntries, ChangeoverError } from '$lib/server/entry/changeover';
import { takeOverBodySchema } from '$lib/schemas/entry-changeover';
import type { RequestHandler } from './$types';

/**
 * POST { fromUserId, entries: [{ id, sessionId, questionKey, group, district, text, authorId }] }
 * -> { accepted, duplicates, rejected, sessions }: leaves another member of staff typed on this
 * computer, stored now as the signed-in user's (recorded as taken over from the author).
 */
export const POST: RequestHandler = async (event) => {
	const { user, body } = await entryJsonRequest(event, takeOverBodySchema);
	try {
		return json(await takeOverEntries(event.locals.db, body, user), { headers: { 'cache-control': 'no-store' } });
	} catch (e) {
		if (e instanceof ChangeoverError) error(400, Object.values(e.errors)[0]);
		throw e;
	}
};
