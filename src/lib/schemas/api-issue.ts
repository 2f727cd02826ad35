import type { z } from 'zod';
// Messages in the current request's language (Paraglide; English where none is set).
import { m } from '../paraglide/messages';
import { formatCount } from './answer-length';

/**
 * What a JSON API field error says where zod would use its own wording ("Invalid input: expected string,
 * received number"), which is English whatever the request's language. Given as `error` to each schema and
 * check of the JSON submission (./submission.ts), so every message a client reads is translated (issue #16).
 * A function, so the message is worded in the language of the request being checked.
 */
export function apiIssue(issue: z.core.$ZodRawIssue): string {
	switch (issue.code) {
		case 'invalid_type':
			if (issue.input === undefined) return m.api_required();
			if (issue.expected === 'string') return m.api_not_text();
			if (issue.expected === 'array') return m.api_not_list();
			if (issue.expected === 'object' || issue.expected === 'record') return m.api_not_object();
			return m.api_invalid();
		case 'too_small':
			return issue.origin === 'string' ? m.api_empty() : m.api_invalid();
		case 'too_big':
			if (issue.origin === 'string') return m.api_too_long({ max: formatCount(Number(issue.maximum)) });
			if (issue.origin === 'array') return m.api_too_many({ max: formatCount(Number(issue.maximum)) });
			return m.api_invalid();
		case 'unrecognized_keys':
			return unexpectedFields(issue.keys);
		default:
			return m.api_invalid();
	}
}

/** A field error for names the sender used that the API does not know (at most five, each shortened). */
export function unexpectedFields(keys: readonly PropertyKey[]): string {
	const names = keys.slice(0, 5).map((k) => `"${shown(k)}"`);
	const list = names.join(', ') + (keys.length > 5 ? ` ${m.api_and_more({ count: String(keys.length - 5) })}` : '');
	return keys.length === 1 ? m.api_unexpected_field({ names: list }) : m.api_unexpected_fields({ names: list });
}

/** Field names as the sender wrote them are echoed back short: a hostile 100 KB key must not come back as a 100 KB message. */
function shown(name: PropertyKey): string {
	const text = String(name);
	return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
