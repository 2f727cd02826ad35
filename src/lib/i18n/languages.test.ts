import { describe, expect, it } from 'vitest';
import { chooseLanguage, directionOf, languageHref } from './languages';

describe('choosing the language of a survey page', () => {
	it('takes a language link (?lang=) over the remembered choice, and that over the browser', () => {
		expect(chooseLanguage({ query: 'cy', cookie: 'pl', acceptLanguage: 'ur' })).toBe('cy');
		expect(chooseLanguage({ query: null, cookie: 'pl', acceptLanguage: 'ur' })).toBe('pl');
		expect(chooseLanguage({ query: null, cookie: undefined, acceptLanguage: 'ur-PK,ur;q=0.9,en;q=0.8' })).toBe('ur');
	});

	it("uses the browser's most preferred language that the survey has, else English", () => {
		expect(chooseLanguage({ query: null, cookie: undefined, acceptLanguage: 'de-DE,de;q=0.9,cy;q=0.5' })).toBe('cy');
		expect(chooseLanguage({ query: null, cookie: undefined, acceptLanguage: 'en;q=0.4,pl;q=0.8' })).toBe('pl');
		expect(chooseLanguage({ query: null, cookie: undefined, acceptLanguage: 'de,fr' })).toBe('en');
		expect(chooseLanguage({ query: null, cookie: undefined, acceptLanguage: null })).toBe('en');
	});

	it('ignores a language it does not offer, wherever it comes from', () => {
		expect(chooseLanguage({ query: 'xx', cookie: '<script>', acceptLanguage: 'cy' })).toBe('cy');
	});

	it('writes Urdu right to left, the others left to right', () => {
		expect(directionOf('ur')).toBe('rtl');
		expect(directionOf('cy')).toBe('ltr');
	});

	it('keeps the other parameters of the page in a language link', () => {
		expect(languageHref(new URL('http://x/s/a/who?easy=1&change=1'), 'cy')).toBe('/s/a/who?easy=1&change=1&lang=cy');
	});
});
