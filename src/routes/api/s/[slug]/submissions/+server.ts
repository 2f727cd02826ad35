import { isHttpError, json, type RequestHandler } from '@sveltejs/kit';
import { MAX_SUBMISSION_BYTES } from '$lib/schemas/submission';
import { BodyTooLargeError, BodyTooSlowError, declaredTooLarge, readCappedText } from '$lib/server/http/body';
import { bodyTimeouts, tooSlowMessage } from '$lib/server/http/body-limits';
import { limitedSubmit, REFUSAL_MESSAGE } from '$lib/server/survey/rate-limit';
import { STATUS_FOR, submitResponse } from '$lib/server/survey/submit';
import { m } from '$lib/paraglide/messages';

/**
 * POST /api/s/<slug>/submissions: the same submission as the survey's final
 * page, through the same submitResponse. 201 new, 200 replay of the same id,
 * 400 field errors, 403 cross-site, 404 unknown, 410 closed or not yet open,
 * 413 over 64 KB, 415 not JSON, 429 with Retry-After when this address has
 * sent its share of stored submissions, 503 with Retry-After when the whole
 * service is busy (see survey/rate-limit.ts). Messages are in the language
 * chosen as for a survey page (?lang=, cookie, Accept-Language; src/lib/server/i18n).
 */
export const POST: RequestHandler = async ({ request, params, locals, getClientAddress }) => {
	// Cross-site posts were refused by the hooks (http/security-headers.ts).
	if (declaredTooLarge(request)) return tooLarge();
	const type = request.headers.get('content-type') ?? '';
	if (!/^application\/([a-z.+-]*\+)?json\b/i.test(type)) return problem(415, m.api_content_type());

	let raw: unknown;
	try {
		// The hooks leave this route's body to this read (hooks.server.ts): the public size cap and time limit.
		raw = JSON.parse(await readCappedText(request, MAX_SUBMISSION_BYTES, bodyTimeouts.public()));
	} catch (error) {
		if (error instanceof BodyTooLargeError) return tooLarge();
		if (error instanceof BodyTooSlowError)
			return json({ message: tooSlowMessage() }, { status: 408, headers: { connection: 'close' } });
		if (isHttpError(error)) throw error;
		return json({ message: m.api_invalid_json(), fieldErrors: { body: m.api_not_json_field() } }, { status: 400 });
	}

	const result = await limitedSubmit(getClientAddress(), () => submitResponse(locals.db, params.slug ?? '', raw));
	if (result.kind === 'refused') {
		return json(
			{ message: REFUSAL_MESSAGE.standard, reason: result.reason },
			{ status: result.reason === 'address' ? 429 : 503, headers: { 'retry-after': String(result.retryAfter) } }
		);
	}
	const status = STATUS_FOR[result.kind];
	switch (result.kind) {
		case 'created':
		case 'replayed':
			return json({ id: result.id, reference: result.reference, status: result.kind }, { status });
		case 'invalid':
			return json({ message: m.api_has_errors(), fieldErrors: result.fieldErrors }, { status });
		case 'conflict':
			return problem(status, m.api_conflict());
		case 'closed':
			return problem(status, result.state === 'not-yet-open' ? m.api_not_open() : m.api_closed());
		case 'notFound':
			return problem(status, m.api_not_found());
	}
};

function problem(status: number, message: string) {
	return json({ message }, { status });
}

function tooLarge() {
	return json(
		{ message: m.api_too_large({ kb: MAX_SUBMISSION_BYTES / 1024 }) },
		{ status: 413, headers: { connection: 'close' } }
	);
}
