import { z } from 'zod';
import { cleanText } from './text';

/**
 * The one rule for the length of a free-text answer, used by the question page
 * (server and its character count), the JSON API, face-to-face entry (its
 * screen and the sync endpoint) and import.
 *
 * The unit is the character a person sees and the page counts: a grapheme
 * cluster (Intl.Segmenter), so "é", "😀", "👍🏽", a flag and a family emoji are
 * one character each, and a line break is one whether it was sent as CRLF or LF.
 * A person writing 1,500 emoji sees "500 characters left" and every route takes
 * the answer. (UTF-16 units would count each emoji as two; code points would
 * count a family emoji as five.) The request body limits bound the bytes.
 */
export const MAX_ANSWER_LENGTH = 2000;

type Segmenter = { segment(text: string): Iterable<unknown> };
const segmenter: Segmenter | null =
	typeof Intl !== 'undefined' && 'Segmenter' in Intl
		? new (Intl as unknown as { Segmenter: new (l: string, o: { granularity: 'grapheme' }) => Segmenter }).Segmenter('en', {
				granularity: 'grapheme'
			})
		: null;

/** Characters as a person counts them (grapheme clusters; code points where Intl.Segmenter is missing). */
export function textLength(text: string): number {
	// Fast path: ASCII without CR has one character per UTF-16 unit.
	// eslint-disable-next-line no-control-regex
	if (!/[^\x00-\x0C\x0E-\x7F]/.test(text)) return text.length;
	if (!segmenter) return [...text].length;
	let n = 0;
	for (const _ of segmenter.segment(text)) n++;
	return n;
}

/** True when an answer is over the limit. Text no longer in UTF-16 units than the limit never is. */
export function answerTooLong(text: string): boolean {
	return text.length > MAX_ANSWER_LENGTH && textLength(text) > MAX_ANSWER_LENGTH;
}

const n = (v: number) => v.toLocaleString('en-GB');

/** The message for an answer over the limit, in the page's wording (easy read or standard). */
export function answerTooLongMessage(text: string, opts: { easy?: boolean; subject?: string } = {}): string {
	if (opts.easy) return 'Your answer is too long. Please make it shorter.';
	return `${opts.subject ?? 'Your answer'} must be ${n(MAX_ANSWER_LENGTH)} characters or fewer (this has ${n(textLength(text))})`;
}

/** A free-text answer in a submission: at most MAX_ANSWER_LENGTH characters (as counted above), then cleaned. */
export const answerText = z
	.string()
	.refine((v) => !answerTooLong(v), {
		message: `must be ${n(MAX_ANSWER_LENGTH)} characters or fewer`,
		abort: true
	})
	.transform(cleanText);
