/**
 * Dates as people read them, from the one formatter (src/lib/i18n/format.ts): the privacy notice's retention month
 * and the results page's "when" in each language, and a date near midnight read as the day it was in the UK.
 */
import { describe, expect, it } from 'vitest';
import { consultationContent } from '../src/lib/domain/consultation-content';
import { longDate, monthYear } from '../src/lib/i18n/format';

const src = {
	organisation: 'Anytown Council',
	title: 'T',
	opensAt: '2026-01-05',
	closesAt: '2026-03-01',
	retentionUntil: '2027-12-31',
	fields: {}
};

describe('dates shown to respondents', () => {
	const expected = {
		en: ['1 March 2026', 'December 2027'],
		cy: ['1 Mawrth 2026', 'Rhagfyr 2027'],
		pl: ['1 marca 2026', 'grudzień 2027'],
		ur: ['1 مارچ، 2026', 'دسمبر 2027']
	} as const;
	for (const [lang, [closes, retention]] of Object.entries(expected))
		it(`the results page says when, and the privacy notice until when, in ${lang}`, () => {
			const content = consultationContent(src, lang as keyof typeof expected);
			expect(content.results.when).toContain(closes);
			const privacy = content.privacy.flatMap((s) => s.paragraphs).join('\n');
			expect(privacy).toContain(retention);
		});

	it('reads a moment as the day and month it was in the UK, and a date alone as that day', () => {
		// 23:30 UTC on 30 June is 00:30 on 1 July in the UK (summer time).
		expect(longDate('2026-06-30T23:30:00Z', 'en-GB')).toBe('1 July 2026');
		expect(monthYear('2026-06-30T23:30:00Z', 'en-GB')).toBe('July 2026');
		expect(longDate('2026-12-31', 'en-GB')).toBe('31 December 2026');
		expect(monthYear('2026-01-01', 'cy')).toBe('Ionawr 2026');
	});
});
