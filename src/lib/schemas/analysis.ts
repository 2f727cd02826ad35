import { z } from 'zod';

/**
 * The analysis screens' forms: the codebook (themes and candidates), review
 * (coding one answer, or many at once) and starred quotes. Rules that need the
 * codebook itself (a name already used, a theme of another question) are
 * checked by the domain functions, whose refusals come back the same way.
 */

const id = (message: string) => z.coerce.number({ message }).int(message).positive(message);
const text = z.string().optional().default('');
/** Ids from checkboxes or repeated fields; anything that is not one is dropped. */
const ids = z
	.array(z.string())
	.optional()
	.default([])
	.transform((v) => v.map(Number).filter((n) => Number.isInteger(n) && n > 0));

export const themeAddForm = z.object({
	question: id('Choose a question'),
	label: text,
	description: text,
	keywords: text
});
export const themeUpdateForm = z.object({
	theme: id('Choose a theme'),
	label: text,
	description: text,
	keywords: text
});
export const themeMergeForm = z.object({
	from: id('Choose both themes to merge.'),
	into: id('Choose both themes to merge.')
});
/** Retire or restore one theme. */
export const themeRetireForm = z.object({ theme: id('Choose a theme') });
export const themeSplitForm = z.object({
	theme: id('Choose a theme'),
	label1: text,
	keywords1: text,
	label2: text,
	keywords2: text,
	label3: text,
	keywords3: text
});
export const discoverForm = z.object({ question: id('Choose a question') });
export const candidateForm = z.object({ candidate: id('Choose a candidate theme'), label: text });

export const codeAnswerForm = z.object({ answer: id('Choose an answer to save.'), theme: ids });
export const bulkCodeForm = z
	.object({
		selected: ids.refine((v) => v.length > 0, 'Select at least one answer first.'),
		bulkAction: z.enum(['apply', 'remove', 'accept'], { message: 'Choose what to do with the selected answers.' }),
		bulkTheme: z
			.string()
			.optional()
			.transform((v) => (v ? Number(v) : null))
	})
	.refine(
		(v) => v.bulkAction === 'accept' || (v.bulkTheme !== null && Number.isInteger(v.bulkTheme) && v.bulkTheme > 0),
		{
			message: 'Choose a theme to add or remove.',
			path: ['bulkTheme']
		}
	);

export const starForm = z.object({
	theme: id('Choose a theme'),
	answer: id('Choose an answer'),
	star: z
		.string()
		.optional()
		.transform((v) => v === '1')
});

/** Longest wording an officer may give a quote for publication, in characters. */
export const QUOTE_WORDING_MAX = 600;
const typed = z
	.string()
	.optional()
	.transform((v) => (v ?? '').replace(/\r\n?/g, '\n').trim());
const quoteRef = {
	theme: id('That quote no longer exists; reload the page'),
	answer: id('That quote no longer exists; reload the page')
};

/** Trim a starred quote: the part of the answer to keep. */
export const quoteTrimForm = z.object({
	...quoteRef,
	part: typed.pipe(
		z
			.string()
			.min(1, 'Enter the part of the answer to keep')
			.max(QUOTE_WORDING_MAX, `The part to keep must be ${QUOTE_WORDING_MAX} characters or fewer`)
	)
});
/** Reword a starred quote for publication. */
export const quoteEditForm = z.object({
	...quoteRef,
	wording: typed.pipe(
		z
			.string()
			.min(1, 'Enter the wording to publish')
			.max(QUOTE_WORDING_MAX, `The wording must be ${QUOTE_WORDING_MAX} characters or fewer`)
	)
});
/** Go back to the answer's own words. */
export const quoteRestoreForm = z.object(quoteRef);

/** Marking answers on the reading list as read. */
export const markReadForm = z.object({
	answer: ids.refine((v) => v.length > 0, 'There were no answers to mark as read.')
});
