import { describe, expect, it } from 'vitest';
import { listWithOr, startFacts, type StartSource } from './start-page';

const question = (over: Partial<StartSource['questions'][number]> = {}) => ({ required: false, byGroup: {}, ...over });

describe('what the start page tells a respondent', () => {
	it('describes a consultation built in the browser by its own groups, without areas or "About you"', () => {
		const facts = startFacts({
			groups: [{ label: 'Child (12 or under)' }, { label: 'Young person (13 to 19)' }],
			districts: [],
			aboutAsked: [],
			questions: [question(), question({ required: true }), question()]
		});
		expect(facts).toEqual({
			groups: ['Child (12 or under)', 'Young person (13 to 19)'],
			asksWhere: false,
			asksAbout: false,
			minutes: 6,
			someRequired: true,
			wordingVaries: false
		});
	});

	it('keeps the seed consultation\'s facts: five questions worded per group, areas, "About you", about 10 minutes', () => {
		const facts = startFacts({
			groups: [{ label: 'Child' }, { label: 'Parent or carer' }],
			districts: [{ code: 'redditch' }],
			aboutAsked: ['gender'],
			questions: [1, 2, 3, 4, 5].map(() => question({ byGroup: { child: { text: 'x' } } }))
		});
		expect(facts).toMatchObject({
			asksWhere: true,
			asksAbout: true,
			minutes: 10,
			someRequired: false,
			wordingVaries: true
		});
	});

	it('never promises under five minutes', () => {
		expect(startFacts({ groups: [], districts: [], aboutAsked: [], questions: [question()] }).minutes).toBe(5);
	});

	it('joins the groups with "or" in the page\'s language', () => {
		expect(listWithOr(['a child', 'a young person', 'a parent'], 'en-GB')).toBe('a child, a young person or a parent');
		expect(listWithOr(['plentyn', 'person ifanc'], 'cy')).toMatch(/^plentyn .+ person ifanc$/);
	});
});
