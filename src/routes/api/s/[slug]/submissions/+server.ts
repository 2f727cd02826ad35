import { json, type RequestHandler } from '@sveltejs/kit';
import { MAX_SUBMISSION_BYTES } from '$lib/schemas/submission';
import { declaredTooLarge, readCappedText } from '$lib/server/http/body';
import { bodyTimeouts } from '$lib/server/http/body-limits';
import { submissionsPost } from '$lib/server/survey/api';

/**
 * POST /api/s/<slug>/submissions (the statuses and messages: survey/api.ts, submissionsPost). Most requests are
 * answered before they reach SvelteKit, by the lean node:http route (survey/lean-http.ts) with the same function;
 * this route answers the rest (a query string such as ?lang=, a cross-site post, a body over the gate's 64 KB,
 * requests during start-up, or a server started without the lean route).
 */
export const POST: RequestHandler = async ({ request, params, locals, getClientAddress }) => {
	// Cross-site posts were refused by the hooks (http/security-headers.ts).
	const reply = await submissionsPost({
		db: locals.db,
		slug: params.slug ?? '',
		contentType: request.headers.get('content-type') ?? '',
		declaredTooLarge: declaredTooLarge(request),
		// The hooks leave this route's body to this read (hooks.server.ts): the public size cap and time limit.
		readBody: () => readCappedText(request, MAX_SUBMISSION_BYTES, bodyTimeouts.public()),
		address: getClientAddress
	});
	return json(reply.body, { status: reply.status, headers: reply.headers });
};
