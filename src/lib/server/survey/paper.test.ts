import { describe, expect, it } from 'vitest';
import { paperVersion, posterFor } from './paper';
import type { ConsultationView } from '../consultations/queries';

/** A consultation as the builder makes one: its own groups, no areas, one required question. */
function builtConsultation(): ConsultationView {
	const question = (key: string, required: boolean) => ({
		key,
		text: `Question ${key}`,
		easyRead: null,
		byGroup: {},
		required,
		wordingToConfirm: false
	});
	return {
		slug: 'youth-club-2027',
		title: 'Youth club survey 2027',
		organisation: 'Anytown Council',
		description: 'Tell us about the youth club.',
		closesAt: null,
		content: { contact: { name: 'The youth team', email: 'youth@example.gov.uk' }, shortLink: null },
		districts: [],
		aboutAsked: [],
		groups: [
			{ code: 'child', label: 'Child (12 or under)', easyReadLabel: null },
			{ code: 'young_person', label: 'Young person (13 to 19)', easyReadLabel: null }
		],
		questions: [question('q1', true), question('q2', false), question('q3', false)]
	} as unknown as ConsultationView;
}

describe('the paper survey and poster describe the consultation they print', () => {
	it("names the consultation's own groups and its length on the poster, not the seed consultation's", async () => {
		const poster = await posterFor(builtConsultation(), 'https://example.gov.uk');
		expect(poster.groups).toBe('Child (12 or under) and Young person (13 to 19)');
		expect(poster.minutes).toBe(6);
	});

	it('marks required questions and leaves out "where do you live" when the consultation has no areas', () => {
		const paper = paperVersion(builtConsultation(), false);
		expect(paper.facts).toMatchObject({ someRequired: true, asksWhere: false });
		expect(paper.groups[0].questions.map((q) => q.required)).toEqual([true, false, false]);
	});
});
