import { z } from 'zod';
import { cleanText } from './text';
// Messages in the current request's language (Paraglide; English where none is set).
import { m } from '../paraglide/messages';
import { MAX_ANSWER_LENGTH, answerTooLong, formatCount } from './answer-length';
import { apiIssue } from './api-issue';

/**
 * The zod side of the one answer-length rule. The rule itself (the unit, the limit, the count and the
 * message) lives in ./answer-length.ts, which has no zod so that client code can import it; it is
 * re-exported here for server code.
 */
export { MAX_ANSWER_LENGTH, answerLimit, answerTooLong, answerTooLongMessage, textLength } from './answer-length';

/** A free-text answer in a submission: at most MAX_ANSWER_LENGTH characters (as counted above), then cleaned. */
export const answerText = z
	// Not text (a number, a list): worded as the JSON API's other field errors, in the request's language.
	.string({ error: apiIssue })
	.refine((v) => !answerTooLong(v), {
		// A function, so the message is in the language of the request that is checked.
		error: () => m.api_too_long({ max: formatCount(MAX_ANSWER_LENGTH) }),
		abort: true
	})
	.transform(cleanText);
