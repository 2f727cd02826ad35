import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { screenAnswer } from './screen';

interface Sentence {
	set: 'dev' | 'heldout';
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
		['my friend told me her dad hurts her', 'review'],
		['I used to self harm when I was in year 8', 'review'],
		['my dad said he will kill me if i tell', 'urgent'],
		['my mums boyfriend touched me', 'urgent'],
		['They are making me get married in the summer', 'urgent'],
		['My son keeps going missing and comes back with money', 'review']
	] as const)('%s -> %s', (text, expected) => {
		expect(level(text)).toBe(expected);
	});
});

describe('screenAnswer: comments and ordinary talk are not flagged', () => {
	it.each([
		'there should be more help for kids who self harm',
		'bullying is a big problem in schools',
		'I have never been hurt at home',
		'i was just killing time before the bus',
		"I'm dying to go to the new skate park",
		'my mum would kill me if I got a detention',
		'I like to hit the gym after college',
		'Suicide prevention should be a priority',
		"I don't want to live in Kidderminster when I'm older",
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

	it('screens 10,000 answers in well under a second each batch', () => {
		const texts = fixture.sentences.map((s) => s.text);
		const t0 = performance.now();
		for (let i = 0; i < 10_000; i++) screenAnswer(texts[i % texts.length]);
		expect(performance.now() - t0).toBeLessThan(3000);
	});
});

function measure(set: Sentence['set']) {
	let tp = 0, fp = 0, fn = 0, urgentTotal = 0, urgentHit = 0;
	for (const s of fixture.sentences.filter((x) => x.set === set)) {
		const l = level(s.text);
		if (s.label === 'disclosure') {
			if (l) tp++;
			else fn++;
			if (s.minLevel === 'urgent') {
				urgentTotal++;
				if (l === 'urgent') urgentHit++;
			}
		} else if (l) fp++;
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

	it('held-out set (never tuned against): floors set below the measured figures', () => {
		const m = measure('heldout');
		expect(m.recall).toBeGreaterThanOrEqual(HELDOUT_FLOORS.recall);
		expect(m.precision).toBeGreaterThanOrEqual(HELDOUT_FLOORS.precision);
		expect(m.urgentRecall).toBeGreaterThanOrEqual(HELDOUT_FLOORS.urgentRecall);
	});
});

// Measured on first run of the held-out set (15 disclosures, 15 comments), engine untouched since:
// precision 0.75, recall 0.40, urgent recall 3/8. Floors sit just below so regressions show.
const HELDOUT_FLOORS = { recall: 0.35, precision: 0.7, urgentRecall: 0.35 };
