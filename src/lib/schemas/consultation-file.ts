import { z } from 'zod';
import { MAX_ANSWER_LENGTH } from './answer';
import { EQUALITY_FIELDS } from '../domain/equality';

const code = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'must be lower-case letters, digits, "-" or "_"');
const isoDate = z
	.string()
	.regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/, 'must be a date like 2017-05-22');

const contact = z.object({
	name: z.string().min(1),
	phone: z.string().min(1).optional(),
	email: z.email().optional(),
	address: z.string().min(1).optional(),
	web: z.string().min(1).optional()
});

const paragraph = z.string().min(1).optional();

/**
 * The parts of the privacy notice, accessibility statement and thank-you page
 * a council words for itself. Every part is optional: what is left out gets a
 * complete default (src/lib/domain/consultation-content.ts).
 */
export const consultationContentSchema = z.object({
	/** Whom respondents contact about this consultation (questions, other formats, their rights). */
	contact: contact.optional(),
	dataProtectionOfficer: contact.partial({ name: true }).optional(),
	privacy: z
		.object({
			controller: paragraph,
			collected: paragraph,
			purposes: paragraph,
			lawfulBasis: paragraph,
			sharing: paragraph,
			retention: paragraph,
			rights: paragraph,
			complaints: paragraph
		})
		.optional(),
	accessibility: z
		.object({
			compliance: paragraph,
			nonAccessible: paragraph,
			feedback: paragraph,
			enforcement: paragraph,
			preparedOn: isoDate.optional()
		})
		.optional(),
	/** When and where what people said will be published (the thank-you page). */
	results: z.object({ when: paragraph, where: paragraph }).optional(),
	/** A short address for posters, e.g. "worcestershire.gov.uk/haveyoursay"; default: this site's /s/<slug>. */
	shortLink: z.string().min(1).max(100).optional()
});

export type ConsultationContentFields = z.infer<typeof consultationContentSchema>;

const words = z.string().min(1).optional();

/**
 * The consultation's own words in one other language (see src/lib/i18n/consultation.ts).
 * Every part is optional: whatever is missing is shown in English, and the
 * officer's dashboard lists what is still untranslated.
 */
export const consultationTranslationSchema = z
	.object({
		title: words,
		description: words,
		privacyNotice: words,
		results: z.object({ when: words, where: words }).strict().optional(),
		groups: z
			.record(z.string(), z.object({ label: words, easyReadLabel: words, description: words }).strict())
			.optional(),
		districts: z.record(z.string(), z.string().min(1)).optional(),
		questions: z
			.record(
				z.string(),
				z
					.object({
						text: words,
						easyRead: words,
						byGroup: z.record(z.string(), z.object({ text: words, easyRead: words }).strict()).optional()
					})
					.strict()
			)
			.optional()
	})
	.strict();

export type ConsultationTranslation = z.infer<typeof consultationTranslationSchema>;

/** Translations by language code ("cy", "pl", "ur"): optional, additive. */
export const translationsSchema = z.record(
	z.string().regex(/^[a-z]{2,3}$/, 'must be a language code such as "cy"'),
	consultationTranslationSchema
);

const wording = z.object({
	text: z.string().min(1),
	easyRead: z.string().min(1).optional()
});

export const consultationFileSchema = z
	.object({
		slug: code,
		title: z.string().min(1),
		organisation: z.string().min(1),
		description: z.string().min(1),
		status: z.enum(['draft', 'open', 'closed']),
		opensAt: isoDate.nullable().optional(),
		closesAt: isoDate.nullable().optional(),
		retentionUntil: isoDate.nullable().optional(),
		privacyNotice: z.string().min(1),
		accessibilityStatement: z.string().min(1).optional(),
		...consultationContentSchema.shape,
		/**
		 * The "About you" (equality) questions: whether they are asked and which
		 * (left out: all of them, as before). `asked: []` asks none.
		 */
		about: z
			.object({ asked: z.array(z.enum(EQUALITY_FIELDS)) })
			.strict()
			.optional(),
		/** The survey's words in other languages: { "cy": { "title": ..., "questions": { "q1": { "text": ... } } } }. */
		translations: translationsSchema.optional(),
		/**
		 * Folder of per-question codebooks (q1.json ...), relative to this file and
		 * inside its folder: a file must not make the loader read elsewhere on the server.
		 */
		codebooks: z
			.string()
			.min(1)
			.refine((p) => !/^(?:[\\/]|[A-Za-z]:)/.test(p) && !p.split(/[\\/]/).includes('..'), {
				message:
					'must be a folder inside the consultation file\'s folder, such as "codebooks/my-consultation" (no "../" and no absolute path)'
			})
			.optional(),
		groups: z
			.array(
				z.object({
					code,
					label: z.string().min(1),
					easyReadLabel: z.string().min(1).optional(),
					description: z.string().min(1).optional(),
					ageMin: z.number().int().min(0).nullable().optional(),
					ageMax: z.number().int().min(0).nullable().optional(),
					/** Not offered to new respondents: a group with answers is hidden, never removed. */
					hidden: z.boolean().optional()
				})
			)
			.min(1),
		districts: z.array(z.object({ code, label: z.string().min(1) })),
		questions: z
			.array(
				z.object({
					key: z.string().regex(/^q[1-9][0-9]?$/, 'must be q1, q2, ...'),
					text: z.string().min(1),
					easyRead: z.string().min(1),
					/** Shown under the question, in both readings (optional). */
					hint: z.string().min(1).optional(),
					wordingToConfirm: z.boolean().optional(),
					note: z.string().optional(),
					byGroup: z.record(z.string(), wording).optional(),
					/** Not asked of new respondents: a question with answers is hidden, never removed. */
					hidden: z.boolean().optional(),
					/**
					 * The most characters an answer may have (counted by the one answerText rule in
					 * schemas/answer-length.ts); left out: the installation's maximum. Never above it.
					 */
					maxLength: z
						.number()
						.int()
						.min(1, 'must be at least 1')
						.max(MAX_ANSWER_LENGTH, `must be ${MAX_ANSWER_LENGTH.toLocaleString('en-GB')} or fewer`)
						.optional(),
					/** A respondent must answer it (left out: optional, as every question was before). */
					required: z.boolean().optional()
				})
			)
			.min(1, 'must have at least one question')
			.max(10, 'can have at most 10 questions')
	})
	.superRefine((file, ctx) => {
		const unique = (values: string[], where: string) => {
			const seen = new Set<string>();
			values.forEach((v, i) => {
				if (seen.has(v)) ctx.addIssue({ code: 'custom', path: [where, i], message: `duplicate "${v}"` });
				seen.add(v);
			});
		};
		unique(
			file.groups.map((g) => g.code),
			'groups'
		);
		unique(
			file.districts.map((d) => d.code),
			'districts'
		);
		unique(
			file.questions.map((q) => q.key),
			'questions'
		);
		const groups = new Set(file.groups.map((g) => g.code));
		file.questions.forEach((q, i) => {
			for (const g of Object.keys(q.byGroup ?? {})) {
				if (!groups.has(g))
					ctx.addIssue({ code: 'custom', path: ['questions', i, 'byGroup', g], message: `unknown group "${g}"` });
			}
		});
		if (file.opensAt && file.closesAt && file.closesAt < file.opensAt)
			ctx.addIssue({ code: 'custom', path: ['closesAt'], message: 'is before opensAt' });
	});

export type ConsultationFile = z.infer<typeof consultationFileSchema>;

/** Turns zod issues into lines that name the field, e.g. `questions[2].text: Required`. */
export function describeIssues(error: z.ZodError): string {
	return error.issues
		.map((issue) => {
			const where = issue.path
				.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
				.join('');
			return `${where || '(top level)'}: ${issue.message}`;
		})
		.join('; ');
}
