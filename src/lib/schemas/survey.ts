import { z } from 'zod';
import { PREFER_NOT } from '../domain/equality';
import { answerLimit, answerText, answerTooLong, answerTooLongMessage } from './answer';
// Schemas are made per request, so messages come in the page's language (English where none is set).
import { m } from '../paraglide/messages';

/**
 * The survey's pages, one form each. Messages come in the page's words
 * (standard or easy read), so each schema is made for the page being shown;
 * the choices a consultation offers (its groups, districts, options) are
 * passed in.
 */

/** The start page: begin, continue the answers on this device, or start again. */
export const startForm = z.object({ choice: z.string().optional().default('') });

/** "Who are you answering as?": at least one of the consultation's groups. */
export const whoForm = (groups: string[], easy: boolean) =>
	z.object({
		groups: z
			.array(z.string())
			.transform((picked) => groups.filter((g) => picked.includes(g)))
			.refine((v) => v.length > 0, easy ? m.who_error_easy() : m.who_error())
	});

/** The respondent's district: optional, "don't know", or one of the consultation's. */
export const DONT_KNOW = 'dont-know';
export const whereForm = (districts: string[]) =>
	z.object({
		district: z
			.string()
			.optional()
			.transform((v): string | null | undefined =>
				v === DONT_KNOW ? null : v && districts.includes(v) ? v : undefined
			)
	});

/**
 * One question's answer: at most the question's limit (never above the
 * installation's 2,000) as the page counts them (schemas/answer-length.ts), and not
 * blank when the question is required.
 */
export const questionForm = (easy: boolean, question: { maxLength?: number; required?: boolean } = {}) =>
	z.object({
		answer: z
			.string()
			.optional()
			.default('')
			.transform((v) => v.replace(/\r\n?/g, '\n'))
			.superRefine((v, ctx) => {
				const limit = answerLimit(question);
				if (!answerText.safeParse(v).success || answerTooLong(v, limit))
					ctx.addIssue({ code: 'custom', message: answerTooLongMessage(v, { easy, limit }) });
				else if (question.required && v.trim() === '')
					ctx.addIssue({
						code: 'custom',
						message: easy ? m.q_error_required_easy() : m.q_error_required()
					});
			})
	});

/** "Do you want to answer questions about yourself?" */
export const aboutWantedForm = (easy: boolean) =>
	z.object({
		wanted: z.enum(['yes', 'no'], {
			message: easy ? m.ay_error_wanted_easy() : m.ay_error_wanted()
		})
	});

export const SELF_DESCRIBE_MAX = 100;

/** One "About you" question: one of its options, "Prefer not to say" or nothing; for gender, words of their own. */
export const aboutAnswerForm = (options: string[], easy: boolean) =>
	z.object({
		answer: z
			.string()
			.optional()
			.default('')
			.refine((v) => v === '' || v === PREFER_NOT || options.includes(v), m.ay_error_option()),
		genderSelfDescribe: z
			.string()
			.optional()
			.default('')
			.transform((v) => v.trim())
			.refine(
				(v) => [...v].length <= SELF_DESCRIBE_MAX,
				easy ? m.ay_error_self_long_easy({ max: SELF_DESCRIBE_MAX }) : m.ay_error_self_long({ max: SELF_DESCRIBE_MAX })
			)
	});

/** "Check your answers": the submission's id (to answer a second send), and the field only bots fill in. */
export const checkForm = (honeypot: string) =>
	z.object({
		submission: z.string().optional().default(''),
		[honeypot]: z.string().optional().default('')
	});
