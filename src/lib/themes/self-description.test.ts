import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCodebook } from './codebook';
import { trainCoder } from './coder';
import { analyse } from './keywords';
import { findSelfDescriptions } from './self-description';
import { normalise } from './text';
import { SHIPPED_CODEBOOK_DIR } from '../domain/shipped-consultation';

const dir = path.resolve(__dirname, '../../..', SHIPPED_CODEBOOK_DIR);
const coderFor = (q: string) => trainCoder(parseCodebook(fs.readFileSync(path.join(dir, `${q}.json`), 'utf8')));
const found = (text: string) => findSelfDescriptions(normalise(text));

describe('self-description detection', () => {
	it('finds how respondents describe themselves, up to the comma or "and"', () => {
		expect(found('As a parent, more buses')).toEqual(['as a parent']);
		expect(found("I'm a mum of two and I think safe parks matter most")).toEqual(["i'm a mum of two and"]);
		expect(found('Speaking as a youth worker, the kids need somewhere to go')).toEqual(['speaking as a youth worker']);
		expect(found('as a foster carer more support')).toEqual(['as a foster carer']);
		expect(found('As a teacher, less pressure')).toEqual(['as a teacher']);
		expect(found('I am a single parent of three young children and we need buses')).toEqual([
			'i am a single parent of three young children and'
		]);
		expect(found('As a parent and a teacher, smaller classes')).toEqual(['as a parent and a teacher']);
	});

	it('leaves answers about family, and ordinary "as" and "I\'m", alone', () => {
		for (const t of [
			'my family is most important to me',
			'such as people to talk to',
			'as well as friends',
			"I'm a bit worried",
			'being a teenager is hard',
			'more support for parents'
		])
			expect(found(t)).toEqual([]);
	});

	it('stops at punctuation and does not swallow the answer after "and"', () => {
		expect(analyse('As a parent, staff were lovely').tokens).toEqual(['staff', 'were', 'lovely']);
		expect(analyse("I'm a mum of two and staff were lovely").tokens).toEqual(['staff', 'were', 'lovely']);
		expect(analyse("I'm a youth worker and the kids need somewhere to go").tokens).toEqual([
			'the',
			'kids',
			'need',
			'somewhere',
			'to',
			'go'
		]);
	});
});

/** Theme ids that mean family in each shipped codebook. */
const FAMILY: Record<string, string[]> = {
	q1: ['family'],
	q2: ['family-problems'], // about problems at home: "my family is most important" is not one
	q3: ['time-friends-family', 'family-support'],
	q4: ['family-friends'],
	q5: []
};
const PLACES: Record<string, string> = {
	q1: 'activities',
	q2: 'nowhere-safe-to-go',
	q3: 'affordable-activities',
	q4: 'things-to-do'
};
const ids = (coder: ReturnType<typeof trainCoder>, text: string) =>
	coder
		.code(text)
		.map((t) => t.id)
		.sort();

describe('self-description is context, not content, in all five Worcestershire codebooks', () => {
	for (const q of ['q1', 'q2', 'q3', 'q4', 'q5']) {
		const coder = coderFor(q);
		it(`${q}: a self-description neither adds nor changes themes`, () => {
			const answers = [
				'more buses',
				'the kids need somewhere to go',
				'less pressure from exams',
				'safe parks matter most',
				'listen to us and ask us what we think'
			];
			const prefixes = [
				'As a parent, ',
				"I'm a mum of two and ",
				'Speaking as a youth worker, ',
				'As a foster carer, ',
				'As a teacher, '
			];
			for (const a of answers)
				for (const p of prefixes) expect(ids(coder, p + a), `${q}: "${p}${a}"`).toEqual(ids(coder, a));
			for (const p of prefixes) for (const f of FAMILY[q]) expect(ids(coder, p + 'more buses')).not.toContain(f);
		});
		if (q !== 'q1' && q !== 'q5')
			it(`${q}: "As a parent, more buses" is transport only`, () => {
				expect(ids(coder, 'As a parent, more buses')).toEqual(['transport']);
			});
		if (PLACES[q])
			it(`${q}: "I'm a youth worker and the kids need somewhere to go" is places/activities, not family`, () => {
				const got = ids(coder, "I'm a youth worker and the kids need somewhere to go");
				expect(got).toContain(PLACES[q]);
				for (const f of FAMILY[q]) expect(got).not.toContain(f);
			});
		if (FAMILY[q].length && q !== 'q2')
			it(`${q}: an answer about family still gets family`, () => {
				// q3 asks how lives could be improved: there a child's family answer is about time with them
				// (bare "family" is not a q3 keyword, so that "more support for families" is not also "more time with family")
				const got = ids(coder, q === 'q3' ? 'more time with my family' : 'my family is most important to me');
				expect(got.some((id) => FAMILY[q].includes(id))).toBe(true);
			});
	}
});

describe('self-description and the learner', () => {
	it('a coder trained on answers with self-descriptions does not learn them as a theme', () => {
		const codebook = {
			themes: [
				{ id: 'transport', label: 'Transport', keywords: ['bus'] },
				{ id: 'family', label: 'Family', keywords: ['family'] }
			]
		};
		const coded = [];
		for (let i = 0; i < 12; i++) {
			coded.push({ id: `p${i}`, text: `As a parent, more buses please ${i}`, themes: ['transport'] });
			coded.push({ id: `f${i}`, text: `my family and my nan matter ${i}`, themes: ['family'] });
			coded.push({ id: `m${i}`, text: `As a parent, my family and home life ${i}`, themes: ['family'] });
		}
		const coder = trainCoder(codebook, coded);
		// Half the family answers began "As a parent": the learner must not have tied "parent" to family.
		for (const t of ['the trains', 'more buses please', 'a bus to town'])
			expect(ids(coder, `As a parent, ${t}`), t).toEqual(ids(coder, t));
		expect(ids(coder, 'As a parent, more buses please')).toEqual(['transport']);
		expect(ids(coder, 'my family')).toContain('family');
	});
});
