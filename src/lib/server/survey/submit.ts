import type { Db } from '../db/connect';
import {
	getConsultationCached,
	openState,
	SUBMISSION_REUSE_MS,
	type ConsultationView,
	type OpenState
} from '../consultations/queries';
import { fieldErrors, submissionSchema, type FieldErrors, type SubmissionInput } from '../../schemas/submission';
import { validateForConsultation } from '../submissions/validate';
import { SubmissionConflictError } from '../submissions/save';
import { clientIdColumn } from '../submissions/client-ids';
import { referenceFor } from '../submissions/reference';
import { saveOnline } from './writer';
import { submissionStarted } from './in-flight';
import { submissionTrace } from './submit-trace';

export type SubmitResult =
	| { kind: 'created'; id: string; reference: string }
	| { kind: 'replayed'; id: string; reference: string }
	| { kind: 'invalid'; fieldErrors: FieldErrors }
	| { kind: 'conflict'; id: string }
	| { kind: 'closed'; state: Exclude<OpenState, 'open' | 'draft'> }
	| { kind: 'notFound' };

/** The HTTP status the JSON endpoint gives each result. */
export const STATUS_FOR: Record<SubmitResult['kind'], number> = {
	created: 201,
	replayed: 200,
	invalid: 400,
	conflict: 409,
	closed: 410,
	notFound: 404
};

/**
 * THE way a respondent's submission is accepted, whether it comes from the
 * survey's final "Send" button or from POST /api/s/<slug>/submissions:
 * the consultation must exist and be open today, the body must pass the shared
 * zod schema and the consultation's own checks, and it is then stored once by
 * its UUID (a resend is a replay with the same reference), via saveSubmission
 * (grouped with other submissions arriving at the same moment: see writer.ts). Counted in flight meanwhile
 * (in-flight.ts), so that an import's commit gives way to it.
 */
export async function submitResponse(
	db: Db,
	slug: string,
	raw: unknown,
	opts: { consultation?: ConsultationView | null; now?: Date } = {}
): Promise<SubmitResult> {
	const done = submissionStarted();
	try {
		return await submitNow(db, slug, raw, opts);
	} finally {
		done();
	}
}

async function submitNow(
	db: Db,
	slug: string,
	raw: unknown,
	opts: { consultation?: ConsultationView | null; now?: Date }
): Promise<SubmitResult> {
	// The cached view with no query when it says open: the writer reads the consultation's state again inside the
	// commit, once per batch. Otherwise a fresh look, so a consultation opened a moment ago takes answers at once.
	let c =
		opts.consultation !== undefined
			? opts.consultation
			: await getConsultationCached(db, slug, { reuseForMs: SUBMISSION_REUSE_MS });
	if (opts.consultation === undefined && (!c || openState(c, opts.now) !== 'open'))
		c = await getConsultationCached(db, slug);
	if (!c || c.slug !== slug || c.status === 'draft') return { kind: 'notFound' };
	const state = openState(c, opts.now);
	if (state === 'closed' || state === 'not-yet-open') return { kind: 'closed', state };
	if (state !== 'open') return { kind: 'notFound' };

	const input = parseSubmission(raw);
	if ('fieldErrors' in input) return { kind: 'invalid', fieldErrors: input.fieldErrors };
	const errors = validateForConsultation(c, input);
	if (Object.keys(errors).length > 0) return { kind: 'invalid', fieldErrors: errors };
	const tl = submissionTrace();
	if (tl) tl.validated = performance.now();
	try {
		const saved = await saveOnline(db, c, input, opts.now);
		if (saved.status === 'not-open')
			return saved.state === 'closed' || saved.state === 'not-yet-open'
				? { kind: 'closed', state: saved.state }
				: { kind: 'notFound' };
		return { kind: saved.status, id: saved.id, reference: saved.reference };
	} catch (error) {
		if (error instanceof SubmissionConflictError) return { kind: 'conflict', id: input.id };
		throw error;
	}
}

/** The body checked against the shared schema: the submission (its id lowercased), or zod's field errors. */
export function parseSubmission(raw: unknown): SubmissionInput | { fieldErrors: FieldErrors } {
	const parsed = submissionSchema.safeParse(raw);
	if (!parsed.success) return { fieldErrors: fieldErrors(parsed.error) };
	return { ...parsed.data, id: parsed.data.id.toLowerCase() };
}

/** The reference of a submission already stored for this consultation, if any (a resend after the draft is gone). */
export async function storedReference(db: Db, consultationId: number, id: string): Promise<string | null> {
	const clientId = id.toLowerCase();
	if (!(await clientIdColumn(db))) {
		const row = await db
			.selectFrom('submission')
			.select('reference')
			.where('id', '=', clientId)
			.where('consultation_id', '=', consultationId)
			.executeTakeFirst();
		return row?.reference ?? null;
	}
	// The row may be keyed by a server id (submissions/client-ids.ts): found by its reference, a hash of the
	// client's id, and checked to be that client's.
	const row = await db
		.selectFrom('submission')
		.select('reference')
		.where('reference', '=', referenceFor(clientId))
		.where((eb) => eb.or([eb('id', '=', clientId), eb('client_id', '=', clientId)]))
		.where('consultation_id', '=', consultationId)
		.executeTakeFirst();
	return row?.reference ?? null;
}
