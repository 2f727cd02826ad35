// The sentence-aware design (screen.ts, DesignOptions): off in the shipped weights (docs/safeguarding-and-privacy.md,
// "The sentence-aware design, tried and not shipped"); these pin what turning it on for a retrain gives the models.
import { afterEach, describe, expect, it } from 'vitest';
import { screenAnswer, screenLexicon, useDesign } from './screen';

const buried = 'A better skate park and more buses. My stepdad hits me when mum is at work.';

afterEach(() => useDesign({ sentences: false, pairs: false }));

describe('the sentence-aware design', () => {
	it('is off in the shipped screen: no sentence parts and no word-order signals', () => {
		const s = screenLexicon(buried);
		expect(s.sentences).toBeUndefined();
		expect(s.signals.some((x) => /^(pa|pb|ng):/.test(x))).toBe(false);
	});

	it('gives the model each sentence of a longer answer on its own, with what the screen saw in it', () => {
		useDesign({ sentences: true, pairs: false });
		const s = screenLexicon(buried);
		expect(s.sentences?.map((p) => p.text)).toEqual([
			'A better skate park and more buses',
			'My stepdad hits me when mum is at work'
		]);
		// The harm word's signals belong to the second sentence only.
		expect(s.sentences![0].signals.some((x) => x.startsWith('c:'))).toBe(false);
		expect(s.sentences![1].signals.some((x) => x.startsWith('c:physical-abuse'))).toBe(true);
		expect(screenLexicon('My stepdad hits me.').sentences).toBeUndefined();
	});

	it("reads word order near a person and in a negation's scope", () => {
		useDesign({ sentences: false, pairs: true });
		const hits = screenLexicon('my dad hits me').signals;
		expect(hits).toEqual(expect.arrayContaining(['pa:fam:hit', 'pb:self:hit']));
		expect(hits).not.toContain('ng:hit');
		expect(screenLexicon('my dad never hits me').signals).toContain('ng:hit');
	});

	it('switched off again, the screen gives exactly what it gave before', () => {
		const before = screenAnswer(buried);
		useDesign({ sentences: true, pairs: true });
		screenAnswer(buried);
		useDesign({ sentences: false, pairs: false });
		expect(screenAnswer(buried)).toEqual(before);
	});
});
