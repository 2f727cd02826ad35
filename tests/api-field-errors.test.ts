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
