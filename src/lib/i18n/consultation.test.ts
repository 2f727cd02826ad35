import { describe, expect, it } from 'vitest';
import { localise, untranslated, type Worded } from './consultation';
import { consultationFileSchema } from '../schemas/consultation-file';

const english: Worded = {
	title: 'Our plan',
	description: 'Tell us what matters',
	privacyNotice: 'We keep answers safe',
	groups: [
		{ code: 'child', label: 'A child', easyReadLabel: 'I am a child', description: null },
		{ code: 'parent', label: 'A parent', easyReadLabel: null, description: 'Or a carer' }
	],
	districts: [{ code: 'north', label: 'North' }],
	questions: [
		{ key: 'q1', text: 'What is good?', easyRead: 'What is good?', byGroup: { child: { text: 'What do you like?' } } },
		{ key: 'q2', text: 'What is hard?', easyRead: 'What is hard?', byGroup: {} }
	],
	content: { results: { when: 'In May', where: 'On our website' } }
};

describe('a consultation in another language', () => {
	const translations = {
		cy: {
			title: 'Ein cynllun',
			groups: { child: { label: 'Plentyn' } },
			questions: { q1: { text: "Beth sy'n dda?" } },
			results: { when: 'Ym mis Mai' }
		}
	};

	it('uses each translated part and falls back to English for every missing one', () => {
		const cy = localise(english, translations, 'cy');
		expect(cy.title).toBe('Ein cynllun');
		expect(cy.description).toBe('Tell us what matters');
		expect(cy.groups[0]).toMatchObject({ label: 'Plentyn', easyReadLabel: null });
		expect(cy.groups[1]).toMatchObject({ label: 'A parent', description: 'Or a carer' });
		expect(cy.questions[0]).toMatchObject({ text: "Beth sy'n dda?", easyRead: 'What is good?' });
		// The child's own wording is kept until it is translated: it is not replaced by the general question.
		expect(cy.questions[0].byGroup.child.text).toBe('What do you like?');
		expect(cy.questions[1].text).toBe('What is hard?');
		expect(cy.content.results).toEqual({ when: 'Ym mis Mai', where: 'On our website' });
		expect(cy.districts[0].label).toBe('North');
	});

	it('is English throughout for a language with no translation', () => {
		expect(localise(english, translations, 'pl')).toEqual(english);
	});

	it('tells the officer what is still in English, language by language', () => {
		const [cy, pl] = untranslated(english, translations, ['en', 'cy', 'pl']);
		expect(cy.language).toBe('cy');
		expect(cy.missing).toContain('description');
		expect(cy.missing).toContain('questions.q1.easyRead');
		expect(cy.missing).toContain('questions.q1.byGroup.child.text');
		expect(cy.missing).not.toContain('title');
		expect(cy.missing).not.toContain('questions.q1.text');
		expect(pl.missing).toHaveLength(pl.total);
	});

	it('is accepted in a consultation file, and a misspelt part is refused with its place', () => {
		const file = JSON.parse(
			JSON.stringify({
				slug: 'x',
				title: 'T',
				organisation: 'O',
				description: 'D',
				status: 'open',
				privacyNotice: 'P',
				groups: [{ code: 'child', label: 'Child' }],
				districts: [],
				questions: [{ key: 'q1', text: 'Q', easyRead: 'Q' }],
				translations: { cy: { title: 'Teitl', questions: { q1: { text: 'C' } } } }
			})
		);
		expect(consultationFileSchema.safeParse(file).success).toBe(true);
		file.translations.cy.titel = 'oops';
		const bad = consultationFileSchema.safeParse(file);
		expect(bad.success).toBe(false);
		expect(JSON.stringify(bad.error?.issues)).toContain('titel');
	});
});
