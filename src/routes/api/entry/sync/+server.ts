import { error, json } from '@sveltejs/kit';
import { requireRoleApi, ENTRY_STAFF } from '$lib/server/auth/guard';
import { syncEntries, syncBodySchema, MAX_BATCH } from '$lib/server/entry/entries';
import { readCappedText, BodyTooLargeError } from '$lib/server/http/body';
import { makeLimiter } from '$lib/server/http/rate-limit';
import type { RequestHandler } from './$types';

/**
 * Per signed-in user: generous for a device catching up after being offline
 * (batches of 50), but a runaway script cannot flood the database.
 */
const limitSync = makeLimiter('entry-sync', Number(process.env.ENTRY_SYNC_RATE_LIMIT ?? 120), 60);

/** 200 entries of 2,000 characters, as JSON, with room to spare. */
const MAX_BODY_BYTES = 2 * 1024 * 1024;

/**
 * POST { entries: [{ id, sessionId, questionKey, group, district, text }] }
 * -> { accepted: [ids], duplicates: [ids], rejected: [{ id, errors }] }
 */
export const POST: RequestHandler = async (event) => {
	const { request } = event;
	// A page on another site cannot send entries with our cookie: the hooks refuse cross-site writes.
	const user = requireRoleApi(event, ENTRY_STAFF);
	if (Number(request.headers.get('content-length') ?? 0) > MAX_BODY_BYTES)
		error(413, `Send at most ${MAX_BATCH} entries at a time.`);
	if (!(request.headers.get('content-type') ?? '').includes('application/json'))
		error(415, 'Send JSON (Content-Type: application/json).');
	const limit = await limitSync(String(user.id));
	if (!limit.allowed) {
		return json(
			{ message: 'Too many sends; the device will try again shortly.' },
			{ status: 429, headers: { 'retry-after': String(limit.retryAfter) } }
		);
	}
	let body: unknown;
	try {
		// Read at most MAX_BODY_BYTES even when no Content-Length was sent.
		body = JSON.parse(await readCappedText(request, MAX_BODY_BYTES));
	} catch (e) {
		if (e instanceof BodyTooLargeError) error(413, `Send at most ${MAX_BATCH} entries at a time.`);
		error(400, 'The body is not valid JSON.');
	}
	const parsed = syncBodySchema.safeParse(body);
	if (!parsed.success)
		error(400, `Bad body: ${parsed.error.issues[0].path.join('.') || 'body'} ${parsed.error.issues[0].message}`);
	const result = await syncEntries(event.locals.db, parsed.data.entries, user);
	return json(result, { headers: { 'cache-control': 'no-store' } });
};
