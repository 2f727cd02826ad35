import { z } from 'zod';
import { answerText } from './answer';
import { cleanedText } from './text';
import { m } from '../paraglide/messages';

export { MAX_ANSWER_LENGTH, answerText } from './answer';
/** The JSON endpoint refuses bodies over this many bytes with 413. */
export const MAX_SUBMISSION_BYTES = 64 * 1024;

const questionKey = z.string().regex(/^q[1-9][0-9]?$/, 'must be a question key such as q1');
const code = z.string().min(1).max(64);

const aboutValue = z.string().min(1).max(64).nullable().optional();

/** Equality answers; a field left out means "left blank" (the respondent saw it and skipped it). */
export const aboutSchema = z
	.object({
		ageBand: aboutValue,
		gender: aboutValue,
		genderSelfDescribe: cleanedText(z.string().max(100)).nullable().optional(),
		disability: aboutValue,
		ethnicity: aboutValue,
		sexualOrientation: aboutValue
	})
	.strict();

export const perspectiveSchema = z.object({
	group: code.nullable(),
	answers: z.record(questionKey, answerText)
});

/**
 * One submission as the survey form, the JSON endpoint and the demo loader all
 * describe it. Checks against a particular consultation (its groups, districts
 * and questions) happen in submissions/validate.ts.
 */
export const submissionSchema = z
	.object({
		// One id, one submission: the same UUID in capitals is the same submission.
		// A function, so the message is in the language of the request that is checked (as answerText's).
		id: z.uuid({ error: () => m.api_not_uuid() }).transform((v) => v.toLowerCase()),
		district: code.nullable().optional(),
		perspectives: z.array(perspectiveSchema).min(1, 'choose at least one group to answer as').max(5),
		about: aboutSchema.nullable().optional(),
		/** The language the survey was shown in (a two-letter code such as "cy"); English when left out. */
		language: z
			.string()
			.regex(/^[a-z]{2,3}$/, 'must be a language code such as "en" or "cy"')
			.optional()
	})
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

/** Field names as the sender wrote them are echoed back short: a hostile 100 KB key must not come back as a 100 KB message. */
const shown = (name: PropertyKey) => {
	const text = String(name);
	return text.length > 40 ? `${text.slice(0, 40)}…` : text;
};

function messageOf(issue: z.core.$ZodIssue): string {
	if (issue.code === 'unrecognized_keys') {
		const names = issue.keys.slice(0, 5).map((k) => `"${shown(k)}"`);
		const more = issue.keys.length > 5 ? ` and ${issue.keys.length - 5} more` : '';
		return `unexpected field${issue.keys.length === 1 ? '' : 's'}: ${names.join(', ')}${more}`;
	}
	return issue.message.length > 300 ? `${issue.message.slice(0, 300)}…` : issue.message;
}
