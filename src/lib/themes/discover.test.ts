import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCodebook } from './codebook';
import { parseAnswersCsv } from './csv';
import { discoverThemes } from './discover';
import { stem, tokenize } from './text';

const fx = path.resolve(__dirname, '../../../tests/fixtures/themes');
const codebook = parseCodebook(fs.readFileSync(path.join(fx, 'codebook.json'), 'utf8'));
const answers = parseAnswersCsv(fs.readFileSync(path.join(fx, 'discover.csv'), 'utf8'), 'discover.csv');

describe('emerging themes', () => {
	it('proposes new themes from answers that fit no existing theme, with sizes and examples', () => {
		const c = discoverThemes(answers, { codebook });
		expect(c.map((x) => x.id)).toEqual(expect.arrayContaining(['skate-park', 'litter']));
		const skate = c.find((x) => x.id === 'skate-park')!;
		expect(skate.size).toBe(4);
		expect(skate.examples.length).toBeGreaterThan(0);
		expect(skate.examples.every((e) => /skate ?park/i.test(e))).toBe(true);
		// answers the codebook already covers are not clustered
		const covered = new Set(c.flatMap((x) => x.answerIds));
		for (const id of ['d8', 'd9', 'd10', 'd11', 'd12']) expect(covered.has(id)).toBe(false);
	});

	it('never proposes more than 30 and no two near-duplicates; deterministic', () => {
		const words = [
			'skate',
			'wifi',
			'litter',
			'library',
			'swimming',
			'cinema',
			'bowling',
			'trampoline',
			'graffiti',
			'potholes',
			'benches',
			'toilets',
			'fountain',
			'market',
			'museum',
			'theatre',
			'allotment',
			'climbing',
			'bmx',
			'archery',
			'ice',
			'rink',
			'laser',
			'tag',
			'arcade',
			'karting',
			'paintball',
			'zoo',
			'aquarium',
			'farm',
			'castle',
			'river',
			'canal',
			'boats',
			'picnic',
			'festival'
		];
		const many = [];
		let n = 0;
		for (const w of words)
			for (let k = 0; k < 6; k++)
				many.push({ id: `m${n++}`, text: `we want a ${w} ${k % 2 ? 'near us' : 'in town'} please ${w}s` });
		const a = discoverThemes(many);
		expect(a.length).toBeLessThanOrEqual(30);
		expect(a.length).toBeGreaterThan(10);
		for (let i = 0; i < a.length; i++)
			for (let j = i + 1; j < a.length; j++) {
				const si = new Set(tokenize(a[i].label).map(stem));
				expect(
					tokenize(a[j].label)
						.map(stem)
						.some((s) => si.has(s))
				).toBe(false);
			}
		expect(discoverThemes(many)).toEqual(a);
	});
});
