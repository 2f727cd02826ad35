import { describe, expect, it } from 'vitest';
import { detectLanguage, engineReads } from './detect';

describe('the language of an answer', () => {
	it('tells Welsh, Polish, Urdu, Romanian and English apart in a sentence', () => {
		expect(detectLanguage('Mae angen mwy o le chwarae yn y parc i blant bach a phobl ifanc')).toBe('cy');
		expect(detectLanguage('Potrzebujemy więcej miejsc do zabawy dla dzieci w parku')).toBe('pl');
		expect(detectLanguage('بچوں کے لیے پارک میں کھیلنے کی مزید جگہ ہونی چاہیے')).toBe('ur');
		expect(detectLanguage('Avem nevoie de mai multe locuri de joacă pentru copii')).toBe('ro');
		expect(detectLanguage('The bus to school is always late and too full', 'cy')).toBe('en');
	});

	it("falls back to the survey's language for a word or two", () => {
		expect(detectLanguage('more buses', 'cy')).toBe('cy');
		expect(detectLanguage('more buses')).toBe('en');
	});

	it('lets the theme engine code English only', () => {
		expect(engineReads('en')).toBe(true);
		expect(engineReads(null)).toBe(true);
		expect(engineReads('pl')).toBe(false);
	});
});
