import { error, json } from '@sveltejs/kit';
import { requireRoleApi, ENTRY_STAFF } from '$lib/server/auth/guard';
import { syncEntries, syncBodySchema, MAX_BATCH } from '$lib/server/entry/entries';
import type { RequestHandler } from './$types';

/** 200 entries of 2,000 characters, as JSON, with room to spare. */
const MAX_BODY_BYTES = 2 * 1024 * 1024;

/**
 * POST { entries: [{ id, sessionId, questionKey, group, district, text }] }
 * -> { accepted: [ids], duplicates: [ids], rejected: [{ id, errors }] }
 */
export const POST: RequestHandler = async (event) => {
	const { request, url } = event;
	// A page on another site must not be able to send entries with our cookie.
	const origin = request.headers.get('origin');
	if ((origin !== null && origin !== url.origin) || request.headers.get('sec-fetch-site') === 'cross-site') {
		error(403, 'Entries can only be sent from this site.');
	}
	const user = requireRoleApi(event, ENTRY_STAFF);
	if (Number(request.headers.get('content-length') ?? 0) > MAX_BODY_BYTES) error(413, `Send at most ${MAX_BATCH} entries at a time.`);
	if (!(request.headers.get('content-type') ?? '').includes('application/json')) error(415, 'Send JSON (Content-Type: application/json).');
	let body: unknown;
	try {
		body = await request.json();
	} catch {
		error(400, 'The body is not valid JSON.');
	}
	const parsed = syncBodySchema.safeParse(body);
	if (!parsed.success) error(400, `Bad body: ${parsed.error.issues[0].path.join('.') || 'body'} ${parsed.error.issues[0].message}`);
	const result = await syncEntries(event.locals.db, parsed.data.entries, user);
	return json(result, { headers: { 'cache-control': 'no-store' } });
};
