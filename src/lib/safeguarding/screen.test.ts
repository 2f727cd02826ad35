import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { screenAnswer, screenAnswerWith } from './screen';

interface Sentence {
	set: 'dev' | 'heldout' | 'heldout2' | 'heldout3';
	voice: string;
	label: 'disclosure' | 'comment';
	minLevel?: 'urgent' | 'review';
	text: string;
}
const fixture = JSON.parse(
	fs.readFileSync(path.resolve(__dirname, '../../../tests/fixtures/safeguarding/sentences.json'), 'utf8')
) as { sentences: Sentence[] };

function level(text: string) {
	return screenAnswer(text).level;
}

describe('screenAnswer: disclosures from the brief', () => {
	it.each([
		['I want to hurt myself', 'urgent'],
		['my step dad hits me', 'urgent'],
		["I get bullied every day and I don't want to live", 'urgent'],
		['i want to kil myself', 'urgent'],
		['i think about sucide every night', 'urgent'],
		['I have been self-harming for a year', 'urgent'],
		['i selfharm when im sad', 'urgent'],
		['self harm is something I do when things get bad', 'urgent'],
		['I get bullied at school', 'review'],
		// Ongoing abuse of a named child: the urgent model raises the lexicon's review (calibrated level, 1 Dec 2026).
		['my friend told me her dad hurts her', 'urgent'],
		['I used to self harm when I was in year 8', 'review'],
		['my dad said he will kill me if i tell', 'urgent'],
		['my mums boyfriend touched me', 'urgent'],
		['They are making me get married in the summer', 'urgent'],
		// Going missing and coming back with money are signs of current exploitation: urgent since the recall-first screen (issue #10).
		['My son keeps going missing and comes back with money', 'urgent']
	] as const)('%s -> %s', (text, expected) => {
		expect(level(text)).toBe(expected);
	});
});

describe('screenAnswer: comments and ordinary talk are not flagged', () => {
	it.each([
		'there should be more help for kids who self harm',
		'bullying is a big problem in schools',
		'i was just killing time before the bus',
		"I'm dying to go to the new skate park",
		'my mum would kill me if I got a detention',
		'I like to hit the gym after college',
		'Suicide prevention should be a priority',
		'I want to die my hair blue',
		'The ball hit me in the face at football',
		'my dad never hits me, he is kind',
		'i was amused by the play',
		'my teacher teaches me maths',
		'',
		'   '
	])('%s -> null', (text) => {
		expect(level(text)).toBeNull();
	});
	// The recall-first built-in model (review at probability 0.6, chosen leave-one-writer-out over four
	// writers; docs/safeguarding-and-privacy.md section 1) reads these for review; the lexicon's rules
	// still set them aside. Kept visible so a change shows.
	it.each(["I don't want to live in Kidderminster when I'm older", 'I have never been hurt at home'])(
		'%s -> review from the model only',
		(text) => {
			expect(screenAnswerWith(text, null).level).toBeNull();
			expect(level(text)).toBe('review');
		}
	);
});

describe('screenAnswer: output', () => {
	it('reports phrase, category and an excerpt from the original text', () => {
		const r = screenAnswer('The youth club is good. But my step dad hits me when mum is out. Buses are bad.');
		expect(r.level).toBe('urgent');
		expect(r.matches.length).toBeGreaterThan(0);
		const m = r.matches[0];
		expect(m.category).toBe('physical-abuse');
		expect(m.phrase).toBeTruthy();
		expect(m.excerpt).toContain('my step dad hits me');
		expect(m.excerpt).not.toContain('Buses');
	});

	it('is deterministic', () => {
		const text = 'i want to kil myself and nobody would care';
		expect(screenAnswer(text)).toEqual(screenAnswer(text));
	});

	it('copes with odd input', () => {
		for (const t of ['...', ',,,', '\n\n', '😀😀', 'a'.repeat(20000), "'''", '123 456']) {
			expect(() => screenAnswer(t)).not.toThrow();
		}
	});

	// Not a benchmark (npm run bench measures speed): a guard against a pattern that
	// backtracks catastrophically, with room for a busy CI machine.
	it('screens 10,000 answers without any pathological slowdown', () => {
		const texts = fixture.sentences.map((s) => s.text);
		const t0 = performance.now();
		for (let i = 0; i < 10_000; i++) screenAnswer(texts[i % texts.length]);
		expect(performance.now() - t0).toBeLessThan(20_000);
	});
});

function measure(set: Sentence['set']) {
	let tp = 0,
		fp = 0,
		fn = 0,
		urgentTotal = 0,
		urgentHit = 0;
	for (const s of fixture.sentences.filter((x) => x.set === set)) {
		const l = level(s.text);
		if (s.label === 'disclosure') {
			if (l) tp++;
			else fn++;
			if (s.minLevel === 'urgent') {
				urgentTotal++;
				if (l === 'urgent') urgentHit++;
			}
		} else if (screenAnswerWith(s.text, null).level) fp++;
	}
	return { precision: tp / (tp + fp), recall: tp / (tp + fn), urgentRecall: urgentHit / urgentTotal };
}

describe('fixture quality floors', () => {
	it('fixture is balanced and big enough', () => {
		const dev = fixture.sentences.filter((s) => s.set === 'dev');
		expect(fixture.sentences.length).toBeGreaterThanOrEqual(150);
		expect(dev.filter((s) => s.label === 'disclosure').length).toBeGreaterThanOrEqual(60);
		expect(dev.filter((s) => s.label === 'comment').length).toBeGreaterThanOrEqual(60);
	});

	it('dev set (tuned against): precision, recall and urgent recall stay above floors', () => {
		const m = measure('dev');
		expect(m.recall).toBeGreaterThanOrEqual(0.95);
		expect(m.precision).toBeGreaterThanOrEqual(0.95);
		expect(m.urgentRecall).toBeGreaterThanOrEqual(0.95);
	});

	it('later sets are balanced and big enough', () => {
		for (const [set, min] of [
			['heldout2', 50],
			['heldout3', 20]
		] as const) {
			const sub = fixture.sentences.filter((s) => s.set === set);
			expect(sub.filter((s) => s.label === 'disclosure').length).toBeGreaterThanOrEqual(min);
			expect(sub.filter((s) => s.label === 'comment').length).toBeGreaterThanOrEqual(min);
		}
	});

	it.each(Object.entries(FLOORS))('%s: precision, recall and urgent recall stay above floors', (set, floor) => {
		const m = measure(set as Sentence['set']);
		expect(m.recall).toBeGreaterThanOrEqual(floor.recall);
		expect(m.precision).toBeGreaterThanOrEqual(floor.precision);
		expect(m.urgentRecall).toBeGreaterThanOrEqual(floor.urgentRecall);
	});
});

// Floors sit just below the figures measured after the second round of changes, so regressions show.
// Precision is the lexicon's own (its context rules); recall and urgent recall are the whole screen's. Since
// 1 December 2026 the recall-first built-in model adds review flags to some of these comment sentences (16 over
// the four sets, e.g. "My grandad died and I miss him"); tests/safeguarding-model.test.ts bounds that number.
// With the recall-first screen (issue #10) the same sets measure: dev precision 0.986 recall 0.986 urgent
// 1.000; heldout 1.000 / 1.000 / 1.000; heldout2 1.000 / 0.962 / 1.000; heldout3 0.889 / 0.762 / 0.900
// (heldout3's misses and false flags were looked at in that round, so it is no longer unseen either; the
// independent set in tests/fixtures/safeguarding/eval/ is what `npm run bench -- safeguarding` reports).
// dev, heldout and heldout2 were all seen while tuning (heldout's misses were listed in the round-2 brief,
// heldout2 was written for round 2 and measured before changes, then tuned on), so their 1.000s are not
// estimates of real performance. heldout3 was written after round 2 and never tuned on:
// measured precision 0.750 (9/12), recall 0.429 (9/21), urgent recall 0.300 (3/10).
const FLOORS: Record<Sentence['set'], { recall: number; precision: number; urgentRecall: number }> = {
	dev: { recall: 0.95, precision: 0.95, urgentRecall: 0.95 },
	heldout: { recall: 0.9, precision: 0.9, urgentRecall: 0.85 },
	heldout2: { recall: 0.95, precision: 0.95, urgentRecall: 0.9 },
	heldout3: { recall: 0.7, precision: 0.85, urgentRecall: 0.85 }
};
