import { z } from 'zod';

/**
 * The public results page's staff forms (issue #14): introduction, "You said, we did"
 * actions, quote approval, share links. Rules that need the database (the theme belongs
 * to this consultation, the action still exists, a share link's date range from today)
 * stay in src/lib/server/results, whose refusals come back on the same field.
 */

export const RESULTS_LIMITS = { summary: 2000, action: 1000, owner: 200, due: 100, note: 500 };
export const ACTION_STATUS_VALUES = ['planned', 'in_progress', 'done', 'not_doing'] as const;

/** Typed text: line endings made one, spaces trimmed; absent is empty. */
const typed = z
	.string()
	.optional()
	.transform((v) => (v ?? '').replace(/\r\n?/g, '\n').trim());

const required = (empty: string, max: number, long: string) => typed.pipe(z.string().min(1, empty).max(max, long));

const positiveId = (message: string) =>
	z
		.string()
		.optional()
		.transform((v) => Number((v ?? '').trim()))
		.pipe(z.number({ message }).int(message).positive(message));

export const resultsSummaryForm = z.object({
	summary: typed.pipe(
		z.string().max(RESULTS_LIMITS.summary, `The introduction must be ${RESULTS_LIMITS.summary} characters or fewer`)
	)
});

export const resultsActionForm = z.object({
	/** Empty for a new action. */
	id: z
		.string()
		.optional()
		.transform((v) => {
			const n = Number((v ?? '').trim());
			return Number.isInteger(n) && n > 0 ? n : undefined;
		}),
	theme: positiveId('Select the theme this action answers'),
	action: required(
		'Enter what the council is doing',
		RESULTS_LIMITS.action,
		`What the council is doing must be ${RESULTS_LIMITS.action} characters or fewer`
	),
	owner: required(
		'Enter who is doing it (a team or role, not a person’s name)',
		RESULTS_LIMITS.owner,
		`Who is doing it must be ${RESULTS_LIMITS.owner} characters or fewer`
	),
	due: required(
		'Enter when, for example “by March 2018”',
		RESULTS_LIMITS.due,
		`When must be ${RESULTS_LIMITS.due} characters or fewer`
	),
	status: z.enum(ACTION_STATUS_VALUES, { message: 'Select the status' }),
	note: typed.pipe(
		z.string().max(RESULTS_LIMITS.note, `The update note must be ${RESULTS_LIMITS.note} characters or fewer`)
	)
});

export const shareLinkForm = z.object({
	label: required(
		'Enter who the link is for, for example “Partnership board, March”',
		100,
		'Who the link is for must be 100 characters or fewer'
	),
	expires: typed.pipe(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter the expiry date as a real date'))
});

/** A form that names one row (remove an action, revoke a link). */
export const rowForm = z.object({ id: positiveId('That item no longer exists; reload the page') });

/** Publish or withdraw the public results page. */
export const resultsStatusForm = z.object({
	status: z.enum(['published', 'withdrawn'], { message: 'Choose whether to publish or withdraw the results page' })
});

export const quotePublicForm = z.object({
	theme: positiveId('That quote no longer exists; reload the page'),
	answer: positiveId('That quote no longer exists; reload the page'),
	public: z.enum(['0', '1'], { message: 'Choose whether the quote goes on the public page' })
});
