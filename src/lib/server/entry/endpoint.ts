import { error, type RequestEvent } from '@sveltejs/kit';
import type { z } from 'zod';
import { requireRoleApi, ENTRY_STAFF, type SessionUser } from '../auth/guard';
import { readCappedText, BodyTooLargeError } from '../http/body';
import { makeLimiter } from '../http/rate-limit';

/** Take-over and discard: a person's deliberate action, so a modest per-user limit. */
const limitChangeover = makeLimiter('entry-changeover', Number(process.env.ENTRY_CHANGEOVER_RATE_LIMIT ?? 60), 60);

/** 200 leaves of 2,000 characters, as JSON, with room to spare. */
const MAX_BODY_BYTES = 2 * 1024 * 1024;

/**
 * The checks every entry JSON endpoint that changes something makes, in order:
 * (after the hooks' cross-site check, http/security-headers.ts) signed in (401) with an entry role (403), size (413),
 * JSON (415), rate (429), then the body parsed with its zod schema (400).
 */
export async function entryJsonRequest<S extends z.ZodType>(
	event: RequestEvent,
	schema: S
): Promise<{ user: SessionUser; body: z.infer<S> }> {
	const { request } = event;
	const user = requireRoleApi(event, ENTRY_STAFF);
	if (!(request.headers.get('content-type') ?? '').includes('application/json'))
		error(415, 'Send JSON (Content-Type: application/json).');
	const limit = await limitChangeover(String(user.id));
	if (!limit.allowed) error(429, 'Too many requests; try again in a minute.');
	let raw: unknown;
	try {
		raw = JSON.parse(await readCappedText(request, MAX_BODY_BYTES));
	} catch (e) {
		if (e instanceof BodyTooLargeError) error(413, 'Send at most 200 responses at a time.');
		error(400, 'The body is not valid JSON.');
	}
	const parsed = schema.safeParse(raw);
	if (!parsed.success)
		error(400, `Bad body: ${parsed.error.issues[0].path.join('.') || 'body'} ${parsed.error.issues[0].message}`);
	return { user, body: parsed.data };
}
