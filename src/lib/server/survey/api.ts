import { isHttpError } from '@sveltejs/kit';
import { MAX_SUBMISSION_BYTES } from '../../schemas/submission';
import type { Db } from '../db/connect';
import { BodyTooLargeError, BodyTooSlowError } from '../http/body';
import { tooSlowMessage } from '../http/body-limits';
import { limitedSubmit, REFUSAL_MESSAGE, type Refusal } from './rate-limit';
import { STATUS_FOR, submitResponse, type SubmitResult } from './submit';
import { m } from '../../paraglide/messages';

/** What the JSON endpoint answers: a status, a JSON body and any extra headers. */
export interface ApiReply {
	status: number;
	body: unknown;
	headers?: Record<string, string>;
}

/** The parts of a POST /api/s/<slug>/submissions that the endpoint reads, whichever server layer received it. */
export interface SubmissionPost {
	db: Db;
	slug: string;
	/** The Content-Type header ('' when absent). */
	contentType: string;
	/** True when the declared Content-Length is already over the cap (nothing read yet). */
	declaredTooLarge: boolean;
	/** The body as text, within the public cap and time limit (throws BodyTooLargeError / BodyTooSlowError). */
	readBody: () => Promise<string>;
	/** The client's address, for the per-address limit. */
	address: () => string;
}

const JSON_TYPE = /^application\/([a-z.+-]*\+)?json\b/i;

/**
 * POST /api/s/<slug>/submissions: the same submission as the survey's final
 * page, through the same submitResponse. 201 new, 200 replay of the same id,
 * 400 field errors, 403 cross-site, 404 unknown, 410 closed or not yet open,
 * 413 over 64 KB, 415 not JSON, 429 with Retry-After when this address has
 * sent its share of stored submissions, 503 with Retry-After when the whole
 * service is busy (see survey/rate-limit.ts). Messages are in the language
 * chosen as for a survey page (?lang=, cookie, Accept-Language; src/lib/server/i18n),
 * which the caller has set for this request.
 *
 * The one implementation of the endpoint: the SvelteKit route (routes/api/s/[slug]/submissions) and the lean
 * node:http route in front of SvelteKit (survey/lean-http.ts) both answer with what this returns. The cross-site
 * check is the caller's (the hooks' securityHeaders; the lean route hands such requests to SvelteKit).
 */
export async function submissionsPost(req: SubmissionPost): Promise<ApiReply> {
	if (req.declaredTooLarge) return tooLarge();
	if (!JSON_TYPE.test(req.contentType)) return problem(415, m.api_content_type());

	let raw: unknown;
	try {
		raw = JSON.parse(await req.readBody());
	} catch (error) {
		if (error instanceof BodyTooLargeError) return tooLarge();
		if (error instanceof BodyTooSlowError)
			return { status: 408, body: { message: tooSlowMessage() }, headers: { connection: 'close' } };
		if (isHttpError(error)) throw error;
		return { status: 400, body: { message: m.api_invalid_json(), fieldErrors: { body: m.api_not_json_field() } } };
	}

	const result: SubmitResult | Refusal = await limitedSubmit(req.address(), () =>
		submitResponse(req.db, req.slug, raw)
	);
	if (result.kind === 'refused') {
		return {
			status: result.reason === 'address' ? 429 : 503,
			body: { message: REFUSAL_MESSAGE.standard, reason: result.reason },
			headers: { 'retry-after': String(result.retryAfter) }
		};
	}
	const status = STATUS_FOR[result.kind];
	switch (result.kind) {
		case 'created':
		case 'replayed':
			return { status, body: { id: result.id, reference: result.reference, status: result.kind } };
		case 'invalid':
			return { status, body: { message: m.api_has_errors(), fieldErrors: result.fieldErrors } };
		case 'conflict':
			return problem(status, m.api_conflict());
		case 'closed':
			return problem(status, result.state === 'not-yet-open' ? m.api_not_open() : m.api_closed());
		case 'notFound':
			return problem(status, m.api_not_found());
	}
}

function problem(status: number, message: string): ApiReply {
	return { status, body: { message } };
}

function tooLarge(): ApiReply {
	return {
		status: 413,
		body: { message: m.api_too_large({ kb: MAX_SUBMISSION_BYTES / 1024 }) },
		headers: { connection: 'close' }
	};
}
