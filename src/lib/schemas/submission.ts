import { z } from 'zod';
import { answerText } from './answer';
import { cleanedText } from './text';
import { m } from '../paraglide/messages';
import { apiIssue, unexpectedFields } from './api-issue';

export { MAX_ANSWER_LENGTH, answerText } from './answer';
/** The JSON endpoint refuses bodies over this many bytes with 413. */
export const MAX_SUBMISSION_BYTES = 64 * 1024;

// Every schema and check below words its errors through apiIssue or a message of its own: zod's defaults are English.
const error = apiIssue;
const questionKey = z.string({ error }).regex(/^q[1-9][0-9]?$/, { error: () => m.api_not_question_key() });
const code = z.string({ error }).min(1, { error }).max(64, { error });

const aboutValue = code.nullable().optional();

/** Equality answers; a field left out means "left blank" (the respondent saw it and skipped it). */
export const aboutSchema = z
	.object(
		{
			ageBand: aboutValue,
			gender: aboutValue,
			genderSelfDescribe: cleanedText(z.string({ error }).max(100, { error })).nullable().optional(),
			disability: aboutValue,
			ethnicity: aboutValue,
			sexualOrientation: aboutValue
		},
		{ error }
	)
	.strict();

export const perspectiveSchema = z.object(
	{
		group: code.nullable(),
		// The record's own error: a key that is not a question key is reported by the record, not by questionKey.
		answers: z.record(questionKey, answerText, {
			error: (issue) => (issue.code === 'invalid_key' ? m.api_not_question_key() : apiIssue(issue))
		})
	},
	{ error }
);

/**
 * One submission as the survey form, the JSON endpoint and the demo loader all
 * describe it. Checks against a particular consultation (its groups, districts
 * and questions) happen in submissions/validate.ts.
 */
export const submissionSchema = z
	.object(
		{
			// One id, one submission: the same UUID in capitals is the same submission.
			// A function, so the message is in the language of the request that is checked (as answerText's).
			id: z.uuid({ error: () => m.api_not_uuid() }).transform((v) => v.toLowerCase()),
			district: code.nullable().optional(),
			perspectives: z
				.array(perspectiveSchema, { error })
				.min(1, { error: () => m.api_choose_group() })
				.max(5, { error }),
			about: aboutSchema.nullable().optional(),
			/** The language the survey was shown in (a two-letter code such as "cy"); English when left out. */
			language: z
				.string({ error })
				.regex(/^[a-z]{2,3}$/, { error: () => m.api_not_language() })
				.optional()
		},
		{ error }
	)
	.strict();

export type SubmissionInput = z.infer<typeof submissionSchema>;
export type AboutInput = z.infer<typeof aboutSchema>;

export interface FieldErrors {
	[field: string]: string;
}

/** zod issues as `{ "perspectives[0].answers.q1": "message" }`, for forms and JSON alike. */
export function fieldErrors(error: z.ZodError): FieldErrors {
	const out: FieldErrors = {};
	for (const issue of error.issues) {
		const key =
			issue.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('') ||
			'body';
		out[key] ??= messageOf(issue);
	}
	return out;
}

function messageOf(issue: z.core.$ZodIssue): string {
	if (issue.code === 'unrecognized_keys') return unexpectedFields(issue.keys);
	return issue.message.length > 300 ? `${issue.message.slice(0, 300)}…` : issue.message;
}
