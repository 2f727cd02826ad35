import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { LANGUAGES } from '../src/lib/i18n/languages';

/** The translation files a translator edits (messages/<lang>.json) and the context notes beside them. */
const read = (name: string) =>
	JSON.parse(readFileSync(new URL(`../messages/${name}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;
const keysOf = (file: Record<string, unknown>) => Object.keys(file).filter((k) => !k.startsWith('$'));
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

const english = read('en');
const context = read('context');

describe('translation files', () => {
	it('give every English message a context note for translators, and no note without a message', () => {
		expect(keysOf(context).sort()).toEqual(keysOf(english).sort());
		for (const key of keysOf(context)) expect(String(context[key]).length, key).toBeGreaterThan(5);
	});

	for (const lang of LANGUAGES.filter((l) => l.code !== 'en')) {
		const file = read(lang.code);
		it(`${lang.english}: ${lang.complete ? 'has every key' : 'has only known keys'}, each keeping the English placeholders`, () => {
			const unknown = keysOf(file).filter((k) => !(k in english));
			expect(unknown).toEqual([]);
			if (lang.complete) {
				const missing = keysOf(english).filter((k) => !(k in file));
				expect(missing).toEqual([]);
			}
			for (const key of keysOf(file)) {
				expect(typeof file[key], key).toBe('string');
				expect(String(file[key]).trim(), key).not.toBe('');
				expect(placeholders(String(file[key])), `${lang.code}.${key}`).toEqual(placeholders(String(english[key])));
			}
		});

		it(`${lang.english}: says it was machine-drafted and needs a translator's review`, () => {
			expect(String(file.translator_note)).toMatch(/machine-drafted, needs review by a translator/i);
		});
	}
});

describe('the last-resort error page (src/error.html)', () => {
	// SvelteKit shows it when the error page itself fails, before any language is known: it carries the same
	// few words in every language, each marked with its language (and direction) so a screen reader says it right.
	const html = readFileSync(new URL('../src/error.html', import.meta.url), 'utf8');
	for (const lang of LANGUAGES) {
		it(`says there is a problem, to try later and how to go home in ${lang.english}`, () => {
			const file = lang.code === 'en' ? english : read(lang.code);
			for (const key of ['error_service', 'error_try_later', 'error_back_home'])
				expect(html, `${lang.code}.${key}`).toContain(String(file[key]));
			if (lang.code !== 'en') {
				const dir = lang.dir === 'rtl' ? ' dir="rtl"' : '';
				expect(html).toContain(`<section lang="${lang.code}"${dir}>`);
			}
		});
	}
});
