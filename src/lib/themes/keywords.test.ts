import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCodebook, CodebookError } from './codebook';
import { trainCoder } from './coder';
import { keywordPredicate } from './keywords';
import { SHIPPED_CODEBOOK_DIR } from '../domain/shipped-consultation';

const dir = path.resolve(__dirname, '../../..', SHIPPED_CODEBOOK_DIR);
const load = (q: string) => parseCodebook(fs.readFileSync(path.join(dir, `${q}.json`), 'utf8'));
const ids = (coder: ReturnType<typeof trainCoder>, text: string) => coder.code(text).map((t) => t.id);

describe('Worcestershire codebooks', () => {
	it('ship q1–q5, valid, with the consultation themes', () => {
		const q1 = load('q1').themes.map((t) => t.id);
		for (const id of [
			'family',
			'friends',
			'pets',
			'sports-activity',
			'education',
			'employment',
			'safety',
			'activities',
			'support-services'
		])
			expect(q1).toContain(id);
		expect(load('q2').themes.length).toBeGreaterThanOrEqual(7);
		expect(load('q3').themes.map((t) => t.id)).toContain('less-bullying-more-friends');
		expect(load('q4').themes.map((t) => t.id)).toContain('parks-green-spaces');
		expect(load('q5').themes.map((t) => t.id)).toContain('youth-councils-forums');
		for (const q of ['q1', 'q2', 'q3', 'q4', 'q5'])
			for (const t of load(q).themes) expect(t.keywords!.length).toBeGreaterThan(3);
	});
});

describe('parseCodebook', () => {
	it('rejects bad ids, duplicates and unknown parents with the JSON path', () => {
		expect(() => parseCodebook({ themes: [{ id: 'Bad Id', label: 'x' }] })).toThrow(/themes\[0\]\.id/);
		expect(() =>
			parseCodebook({
				themes: [
					{ id: 'a', label: 'x' },
					{ id: 'a', label: 'y' }
				]
			})
		).toThrow(/duplicate theme id "a"/);
		expect(() => parseCodebook({ themes: [{ id: 'a', label: 'x', parent: 'b' }] })).toThrow(/unknown parent/);
		expect(() => parseCodebook('{"themes": [')).toThrow(CodebookError);
		expect(() => parseCodebook({ themes: [] })).toThrow(/no themes/);
	});
});

describe('codebook matching (no training data)', () => {
	const q1 = trainCoder(load('q1'));
	const q2 = trainCoder(load('q2'));
	it('matches keywords despite misspellings', () => {
		expect(ids(q1, 'my frends and famly')).toEqual(expect.arrayContaining(['friends', 'family']));
		expect(ids(q1, 'skool')).toEqual(['education']);
		expect(ids(q2, 'bulying on snapchat')).toContain('social-media-bullying');
	});
	it('matches the way children say things', () => {
		expect(ids(q1, 'playing footy with my mates')).toEqual(expect.arrayContaining(['sports-activity', 'friends']));
		expect(ids(q1, 'my dog Max')).toEqual(['pets']);
		expect(ids(q1, 'My Mum and my Nan')).toEqual(['family']);
	});
	it('gives "other" (no theme) when nothing fits', () => {
		expect(q1.code('I like pizza')).toEqual([]);
		expect(q1.code('')).toEqual([]);
	});
	it('confidences are in 0..1, most confident first', () => {
		const r = q1.code('my family, my friends and my dog');
		expect(r.length).toBe(3);
		for (const t of r) {
			expect(t.confidence).toBeGreaterThan(0);
			expect(t.confidence).toBeLessThanOrEqual(1);
		}
		expect([...r].sort((a, b) => b.confidence - a.confidence)).toEqual(r);
	});
});

describe('negation and context', () => {
	const q1 = trainCoder(load('q1'));
	const q2 = trainCoder(load('q2'));
	it('lack of something still signals the theme', () => {
		expect(ids(q2, 'there is nothing to do')).toContain('lack-of-activities');
		expect(ids(q2, 'Not enough safe places to go')).toContain('nowhere-safe-to-go');
		expect(ids(q2, 'there are no buses')).toContain('transport');
	});
	it('negated possession or dismissal does not', () => {
		expect(ids(q1, "I don't have a pet")).not.toContain('pets');
		expect(ids(q1, 'pets are not important to me')).not.toContain('pets');
		expect(ids(q1, 'I love my pets')).toContain('pets');
	});
	it('a negated attribute is still about the theme', () => {
		expect(ids(q2, "the park isn't safe")).toContain('nowhere-safe-to-go');
	});
});

describe("keywordPredicate: the one keyword matcher (splitting themes uses the engine's)", () => {
	it('matches inflections, plurals and misspellings the literal matcher missed', () => {
		const bully = keywordPredicate(['bully']);
		expect(bully('I was bullied at school')).toBe(true);
		expect(bully('stop the bullying')).toBe(true);
		expect(bully('a buly on the bus')).toBe(true);
		expect(bully('more parks')).toBe(false);
		const park = keywordPredicate(['park']);
		expect(park('better parks and play areas')).toBe(true);
		expect(park('the Park near us')).toBe(true);
		expect(park('more buses')).toBe(false);
	});

	it('matches phrases with small gaps and agrees with the coder', () => {
		const nothing = keywordPredicate(['nothing to do']);
		expect(nothing('there is nothing for us to do')).toBe(true);
		expect(nothing('to do list')).toBe(false);
		const q1 = load('q1');
		const coder = trainCoder(q1);
		const pets = keywordPredicate(q1.themes.find((t) => t.id === 'pets')!.keywords!);
		for (const t of ['my doggy and cats', 'our hamsters', 'homework'])
			expect(pets(t), t).toBe(ids(coder, t).includes('pets'));
	});

	it("ignores the respondent's self-description, like coding does", () => {
		expect(keywordPredicate(['parent'])('As a parent, more buses')).toBe(false);
		expect(keywordPredicate(['parents'])('more support for parents')).toBe(true);
	});
});

describe("children's text-speak in the shipped codebooks (codebook only, nobody has coded yet)", () => {
	it('understands text-speak a keyword would otherwise miss', () => {
		expect(ids(trainCoder(load('q1')), 'my fam innit')).toContain('family');
		expect(ids(trainCoder(load('q1')), 'me n my bestie')).toContain('friends');
		expect(ids(trainCoder(load('q2')), 'theres nuffin 2 do round here lol')).toContain('lack-of-activities');
		expect(ids(trainCoder(load('q2')), 'ppl r gonna get bullied online')).toContain('social-media-bullying');
		expect(ids(trainCoder(load('q3')), 'less homework at skool pls')).toContain('better-schools');
		expect(ids(trainCoder(load('q4')), 'more parks n stuff 4 kids 2 go 2')).toContain('parks-green-spaces');
	});
});

describe('longest keyword wins across themes', () => {
	const q1 = trainCoder(load('q1'));
	it('a phrase of another theme claims its words: "family support" is support, "stable family" is safety', () => {
		expect(ids(q1, 'early years support and family support services')).not.toContain('family');
		expect(ids(q1, 'early years support and family support services')).toContain('support-services');
		expect(ids(q1, 'support for families when they struggle')).toEqual(['support-services']);
		expect(ids(q1, 'a safe family environment')).toEqual(['safety']);
		expect(ids(q1, 'secure attachment to a stable family')).toEqual(['safety']);
		// "a safe and supportive home life" is the home, not support services
		expect(ids(q1, 'a safe and supportive home life')).not.toContain('support-services');
	});
	it('the same word on its own, or only loosely near the phrase, still counts for its theme', () => {
		expect(ids(q1, 'my family')).toEqual(['family']);
		expect(ids(q1, 'my family and family support')).toEqual(expect.arrayContaining(['family', 'support-services']));
		// "a family that supports you": not the phrase "family support", so it is family
		expect(ids(q1, 'having a family that supports you')).toContain('family');
		// a later "activities" counts even though "physical activity" claimed the first one
		expect(ids(q1, 'physical activity and positive activities outside school')).toEqual(
			expect.arrayContaining(['sports-activity', 'activities'])
		);
	});
});
