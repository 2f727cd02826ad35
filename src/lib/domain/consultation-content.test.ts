import { describe, expect, it } from 'vitest';
import { consultationContent, contactLine } from './consultation-content';

const source = {
	organisation: 'Cyngor Sir Enghraifft',
	title: 'T',
	opensAt: '2026-01-05',
	closesAt: '2026-03-01',
	retentionUntil: '2027-12-31',
	fields: { contact: { name: 'Tîm Plant', phone: '01234 567890', address: 'Neuadd y Sir' } }
};

describe('consultation content in the language asked for', () => {
	it('gives the privacy notice, accessibility statement and results notices in Welsh, legal references kept', () => {
		const cy = consultationContent(source, 'cy');
		const all = [...cy.privacy, ...cy.accessibility]
			.map((s) => `${s.heading} ${s.paragraphs.join(' ')}`)
			.concat(cy.results.when, cy.results.where)
			.join('\n');
		expect(cy.privacy.map((s) => s.heading)).toContain('Eich hawliau');
		expect(all).toMatch(/Erthygl 6\(1\)\(e\)/);
		// Dates in Welsh, the contact line in Welsh words.
		expect(all).toMatch(/Rhagfyr 2027/);
		expect(all).toContain('Tîm Plant, ffôn 01234 567890, neu ysgrifennwch at Neuadd y Sir');
		// None of the English defaults' words.
		for (const english of [/Your rights/, /What we collect/, /telephone/, /We will publish/, /Compliance status/])
			expect(all).not.toMatch(english);
	});

	it('stays English by default, whatever the request language', () => {
		const en = consultationContent(source);
		expect(en.privacy.map((s) => s.heading)).toContain('Your rights');
		expect(contactLine(source.fields.contact)).toBe('Tîm Plant, telephone 01234 567890, or write to Neuadd y Sir');
	});
});
