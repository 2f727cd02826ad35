/**
 * The JSON submissions API's field errors are in the respondent's language (issue #16), the id's included:
 * what submitResponse answers, read in each language as the hooks and the lean route run it (inLanguage).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../src/lib/i18n/languages';
import { inLanguage } from '../src/lib/server/i18n';
import { fieldErrors, submissionSchema } from '../src/lib/schemas/submission';

const messages = (lang: string) =>
	JSON.parse(readFileSync(new URL(`../messages/${lang}.json`, import.meta.url), 'utf8')) as Record<string, string>;

describe('the JSON API field errors', () => {
	for (const { code } of LANGUAGES)
		it(`say an id that is not a UUID is wrong, in ${code}`, () => {
			// Inside the request's language, as submitResponse reads them: zod words its issues when they are read.
			const errors = inLanguage(code, 'http://127.0.0.1', () => {
				const parsed = submissionSchema.safeParse({
					id: 'not-a-uuid',
					perspectives: [{ group: 'child', answers: { q1: 'parks' } }]
				});
				return parsed.success ? {} : fieldErrors(parsed.error);
			});
			expect(errors).toEqual({ id: messages(code).api_not_uuid });
		});
});

describe('the JSON API field errors zod would word itself', () => {
	const id = '3b241101-e2bb-4255-8caf-4136c566a962';
	const one = { group: 'child', answers: { q1: 'parks' } };
	/** A body, the field named, the message key and its values. */
	const cases: [unknown, string, string, Record<string, string>?][] = [
		[null, 'body', 'api_not_object'],
		[{ id }, 'perspectives', 'api_required'],
		[{ id, perspectives: [] }, 'perspectives', 'api_choose_group'],
		[{ id, perspectives: 'child' }, 'perspectives', 'api_not_list'],
		[{ id, perspectives: Array(6).fill(one) }, 'perspectives', 'api_too_many', { max: '5' }],
		[
			{ id, perspectives: [{ group: 'child', answers: { q: 'parks' } }] },
			'perspectives[0].answers.q',
			'api_not_question_key'
		],
		[{ id, perspectives: [{ group: 'child', answers: { q1: 5 } }] }, 'perspectives[0].answers.q1', 'api_not_text'],
		[{ id, perspectives: [{ group: '', answers: {} }] }, 'perspectives[0].group', 'api_empty'],
		[
			{ id, perspectives: [{ group: 'g'.repeat(65), answers: {} }] },
			'perspectives[0].group',
			'api_too_long',
			{ max: '64' }
		],
		[{ id, perspectives: [one], language: 'Cymraeg' }, 'language', 'api_not_language'],
		[{ id, perspectives: [one], about: { gender: 3 } }, 'about.gender', 'api_not_text'],
		[{ id, perspectives: [one], extra: 1 }, 'body', 'api_unexpected_field', { names: '"extra"' }],
		[
			{ id, perspectives: [one], a: 1, b: 1, c: 1, d: 1, e: 1, f: 1, g: 1 },
			'body',
			'api_unexpected_fields',
			{ names: `"a", "b", "c", "d", "e" ${'{and}'}` }
		]
	];
	const fill = (text: string, values: Record<string, string>) =>
		text.replace(/\{(\w+)\}/g, (_, name: string) => values[name]);

	for (const { code } of LANGUAGES)
		it(`are in the request's language too, in ${code}`, () => {
			const own = messages(code);
			for (const [body, field, key, values = {}] of cases) {
				const errors = inLanguage(code, 'http://127.0.0.1', () => {
					const parsed = submissionSchema.safeParse(body);
					return parsed.success ? {} : fieldErrors(parsed.error);
				});
				const and = fill(own.api_and_more, { count: '2' });
				const expected = fill(own[key], { ...values, names: (values.names ?? '').replace('{and}', and) });
				expect(errors[field], `${key} for ${JSON.stringify(body)}`).toBe(expected);
				if (code !== 'en') expect(own[key], `${key} is translated`).not.toBe(messages('en')[key]);
			}
		});
});
