// Messages in the current request's language (Paraglide; English where none is set).
import { m } from '../paraglide/messages';

/**
 * The one rule for the length of a free-text answer, used by the question page
 * (server and its character count), the JSON API, face-to-face entry (its
 * screen and the sync endpoint) and import.
 *
 * This module is the rule's one home and imports no zod: the browser needs it too (the question
 * page's character count, the entry screen), and zod would add about 18 KB (brotli) to every
 * question page. The zod schema built on it (`answerText`) is in ./answer.ts.
 *
 * The unit is the character a person sees and the page counts: a grapheme
 * cluster, so "é" (even as e + accent), "😀", "👍🏽", a flag, a keycap and a
 * family emoji are one character each, and a line break is one whether it
 * was sent as CRLF or LF. A person writing 1,500 emoji sees "500 characters
 * left" and every route takes the answer. (UTF-16 units would count each emoji
 * as two; code points would count a family emoji as five.)
 *
 * The clusters are found by one regular expression, in linear time, not with
 * Intl.Segmenter: V8's segment iterator costs time in proportion to the whole
 * text at every step (35,000 emoji took over 30 seconds to count), which a
 * hostile 64 KB answer must not be able to buy. The expression follows the
 * Unicode rules for what people type (combining marks, variation selectors,
 * emoji modifiers and ZWJ sequences, regional-indicator pairs, CRLF); it does
 * not join decomposed Hangul jamo or Indic conjuncts, which it counts as their
 * parts (more, never fewer, characters than a segmenter would). The request
 * body limits bound the bytes.
 */
export const MAX_ANSWER_LENGTH = 2000;

/** What attaches to the character before it: combining marks, variation selectors, emoji modifiers. */
const MARKS = '[\\p{M}\\uFE00-\\uFE0F\\p{Emoji_Modifier}]';
const CLUSTER = new RegExp(
	[
		'\\r\\n',
		// Control characters (CR, LF, tab...) stand alone.
		'[\\u0000-\\u001F\\u007F]',
		// A flag: two regional indicators.
		'\\p{Regional_Indicator}{2}',
		// An emoji with its modifiers, joined by ZWJ to the next one.
		`\\p{Extended_Pictographic}${MARKS}*(?:\\u200D\\p{Extended_Pictographic}${MARKS}*)*(?:${MARKS}|\\u200D)*`,
		// Anything else with the marks (and joiners) that follow it.
		`[\\s\\S](?:${MARKS}|\\u200D)*`
	].join('|'),
	'gu'
);

/** Characters as a person counts them (grapheme clusters, as described above). */
export function textLength(text: string): number {
	// Fast path: ASCII without CR has one character per UTF-16 unit.
	// eslint-disable-next-line no-control-regex
	if (!/[^\x00-\x0C\x0E-\x7F]/.test(text)) return text.length;
	let n = 0;
	CLUSTER.lastIndex = 0;
	while (CLUSTER.exec(text) !== null) n++;
	return n;
}

/**
 * True when an answer is over the limit (the installation's, or a question's own,
 * which is never above it). Text no longer in UTF-16 units than the limit never is.
 */
export function answerTooLong(text: string, limit: number = MAX_ANSWER_LENGTH): boolean {
	return text.length > limit && textLength(text) > limit;
}

/** A count or limit as the messages show it ("2,000"). */
export const formatCount = (v: number) => v.toLocaleString('en-GB');

/** The message for an answer over the limit, in the page's wording (easy read or standard). */
export function answerTooLongMessage(
	text: string,
	opts: { easy?: boolean; subject?: string; limit?: number } = {}
): string {
	if (opts.easy) return m.answer_too_long_easy();
	const numbers = { max: formatCount(opts.limit ?? MAX_ANSWER_LENGTH), count: formatCount(textLength(text)) };
	return opts.subject ? m.answer_too_long_subject({ subject: opts.subject, ...numbers }) : m.answer_too_long(numbers);
}

/** A question's own limit, bounded by the installation's: what every route measures an answer against. */
export function answerLimit(question: { maxLength?: number | null }): number {
	return Math.min(question.maxLength ?? MAX_ANSWER_LENGTH, MAX_ANSWER_LENGTH);
}
