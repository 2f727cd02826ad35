import { z } from 'zod';

/**
 * The "check a sample" forms (issue #12, item 6): drawing a sample and an officer's verdict on
 * one answer of it. Rules that need the sample itself (the position exists, the themes belong to
 * the answer's question) are checked by the domain functions, whose refusals come back the same way.
 */

export const DEFAULT_SAMPLE_SIZE = 100;
export const MAX_SAMPLE_SIZE = 1000;
export const MAX_SEED = 2_147_483_647;

const n = (x: number) => x.toLocaleString('en-GB');
const SIZE_MESSAGE = `Enter how many answers to check, a whole number from 1 to ${n(MAX_SAMPLE_SIZE)}`;
const SEED_MESSAGE = `The seed must be a whole number from 1 to ${n(MAX_SEED)}, or left empty`;

/** Optional text of digits only, between min and max; empty gives `empty`. */
const wholeNumber = <E extends number | null>(min: number, max: number, empty: E, message: string) =>
	z
		.string()
		.optional()
		.transform((v) => (v ?? '').trim())
		.refine((v) => v === '' || (/^\d+$/.test(v) && Number(v) >= min && Number(v) <= max), message)
		.transform((v): number | E => (v === '' ? empty : Number(v)));

/** Start a sample check: size 1..1000 (empty = 100), seed 1..2147483647 or empty (a new random draw). */
export const sampleStartForm = z.object({
	size: wholeNumber(1, MAX_SAMPLE_SIZE, DEFAULT_SAMPLE_SIZE, SIZE_MESSAGE),
	seed: wholeNumber(1, MAX_SEED, null, SEED_MESSAGE)
});
export type SampleStart = z.output<typeof sampleStartForm>;

const POSITION_MESSAGE = 'Choose an answer of this sample.';
const THEME_MESSAGE = 'One of those themes does not belong to this question.';

/**
 * An officer's verdict on one answer of a sample: its position (a hidden field) and, for a
 * correction, the ticked theme ids. Both messages are shown on the themes (the field a person
 * sees; the error summary links to it), hence the `themes` key.
 */
export const sampleVerdictForm = z
	.object({
		position: z.string().optional().default(''),
		theme: z.array(z.string()).optional().default([])
	})
	.transform((v, ctx) => {
		const position = /^\d+$/.test(v.position.trim()) ? Number(v.position) : NaN;
		const themes = v.theme.map((t) => (/^\d+$/.test(t.trim()) ? Number(t) : NaN));
		if (!Number.isSafeInteger(position)) ctx.addIssue({ code: 'custom', message: POSITION_MESSAGE, path: ['themes'] });
		else if (themes.some((t) => !Number.isSafeInteger(t) || t <= 0))
			ctx.addIssue({ code: 'custom', message: THEME_MESSAGE, path: ['themes'] });
		return { position, themes };
	});
export type SampleVerdict = z.output<typeof sampleVerdictForm>;
