/**
 * The recall-first screen, category by category: disclosures worded freshly for these tests (not
 * copied from any evaluation file), each misspelling class, and each class of hard negative.
 */
import { describe, expect, it } from 'vitest';
import { screenAnswer } from './screen';
import type { Category } from './lexicon';

const flagged: [Category, string][] = [
	['self-harm-suicide', 'honestly i just want to go to sleep and never wake up'],
	['self-harm-suicide', 'ive started burning my arms with a lighter when it gets too much'],
	['self-harm-suicide', 'My daughter (15) has been hiding razor blades in her pencil case'],
	['physical-abuse', 'my stepdad punched me in the stomach last night'],
	['physical-abuse', 'One of my pupils came in with finger-shaped bruises on his arm again'],
	['sexual-abuse', 'my uncle touches me when nobody is looking'],
	['sexual-abuse', 'he makes me keep it our little secret and gets into my bed'],
	['neglect', 'there is never any food in our house and im always hungry'],
	['neglect', 'me and my brother get left on our own all weekend'],
	['missing-running-away', 'i got kicked out and ive been sleeping in the park'],
	['threats', 'my brothers mates said they will stab me if i snitch'],
	['sexual-exploitation-grooming', 'an older guy online keeps asking me to send pics and said he would buy me stuff'],
	['criminal-exploitation', 'im 14 and these lads make me deliver drugs after school'],
	['control-coercion', 'my boyfriend checks my phone every night and doesnt let me see my friends'],
	['eating', 'i only eat one apple a day and i make myself sick if i eat more'],
	['substances', 'im 11 and me and my mates drink vodka in the park every weekend'],
	['young-carer', 'i look after my mum because she is an alcoholic and i never get to do my homework'],
	['radicalisation', 'my cousin sends me isis videos and says i should join them'],
	['forced-marriage', 'my parents are making me get married in pakistan this summer'],
	['fgm', 'my auntie says i will be cut down there when we go on holiday'],
	['fear-of-home', 'im scared to go home because of what dad does when hes drunk'],
	['domestic-abuse', 'my dad hits my mum and i hear her crying'],
	['bullying', 'i get bullied every day and they pushed me down the stairs'],
	['emotional-abuse', 'my mum calls me worthless and says she wishes i was never born']
];

describe('each category: a personal or specific anchor near a harm word is flagged', () => {
	it.each(flagged)('%s: %s', (category, text) => {
		const r = screenAnswer(text);
		expect(r.level).not.toBeNull();
		expect(r.categories).toContain(category);
		expect(r.score).toBeGreaterThanOrEqual(0.5);
	});
});

describe('levels', () => {
	it.each([
		'i want to kill myself tonight',
		'my dad strangled me and said he would do it again',
		'my mums boyfriend touched my privates',
		'they are taking me abroad next week to marry a man i have never met',
		'im 7 and mummy leaves me on my own at night'
	])('urgent: %s', (text) => {
		expect(screenAnswer(text).level).toBe('urgent');
	});

	it.each(['when i was little my dad used to hit me but we dont see him now', 'i want to die lol'])(
		'past or joke lowers to review, never drops: %s',
		(text) => {
			expect(screenAnswer(text).level).toBe('review');
		}
	);
});

describe('misspellings and slips', () => {
	it.each([
		['short words, edit distance and sound-alike key', 'i wish i was ded'],
		['short words, edit distance and sound-alike key', 'i kut my arms every nite'],
		['longer words, edit distance', 'i think about sucide evry day'],
		['longer words, edit distance', 'i have bruses all over my legs from my stepdad'],
		['sound-alike', 'im so skared of my dad'],
		['sound-alike', 'he stabed me with a pencil and it bled'],
		['real-word slip', 'my mum hart me with the belt'],
		['real-word slip', 'im not aloud out and he takes my phone and watches me'],
		['real-word slip', 'i just want to dye'],
		['merged words', 'i want to killmyself']
	])('%s: %s', (_, text) => {
		expect(screenAnswer(text).level).not.toBeNull();
	});

	it('does not read ordinary words as harm words ("bed" is not "dead", "needs" is not "nudes")', () => {
		expect(screenAnswer('i wish i was in bed').level).toBeNull();
		expect(screenAnswer('the team understood my needs').level).toBeNull();
		expect(screenAnswer('I was extremely pleased with the treatment').level).toBeNull();
	});
});

describe('hard negatives are not flagged', () => {
	it.each([
		['policy', 'youth services have been cut'],
		['policy', 'more support for young people who self-harm'],
		['policy', 'bullying is the biggest issue'],
		['policy', 'knife crime is getting worse in town and schools should teach about county lines'],
		['game or sport', 'my brother keeps killing me in minecraft'],
		['game or sport', 'I hurt my knee at trampolining'],
		['game or sport', 'we got battered 6-0 at football on saturday'],
		['idiom', "I'd kill for a skate park"],
		['idiom', 'this homework is literally killing me'],
		['idiom', 'my mum would kill me if i got a detention'],
		['family mention', 'my step dad is really nice and takes me fishing'],
		['family mention', 'my nan died last year and i miss her'],
		['practitioner, general', 'Thresholds for early help are too high and caseloads are huge'],
		['practitioner, general', 'As a social worker I see the effects of domestic abuse on children every day'],
		['hypothetical', 'if i was being bullied i wouldnt know who to tell'],
		['hypothetical', 'if anyone ever tried to make me get married i know to call the number'],
		['negated', 'my dad never hits me, he is kind'],
		['resolved', 'i was bullied in year 7 but it got sorted and im fine now']
	])('%s: %s', (_, text) => {
		expect(screenAnswer(text).level).toBeNull();
	});
});

describe('risk score orders the reading list', () => {
	it('urgent above review above near-miss above plain answers, all within 0..1', () => {
		const urgent = screenAnswer('i want to kill myself');
		const review = screenAnswer('i get bullied at school');
		// A harm word near the speaker but not about them. (Until the ten-writer retrain of 2 Dec 2026 this was "kids who
		// self harm need more support": general talk, now scored as low as a plain answer, 0.0379 against 0.0380.)
		const nearMiss = screenAnswer('some kids at my school self harm');
		const plain = screenAnswer('more buses to the town centre please');
		for (const r of [urgent, review, nearMiss, plain]) {
			expect(r.score).toBeGreaterThanOrEqual(0);
			expect(r.score).toBeLessThanOrEqual(1);
		}
		expect(urgent.level).toBe('urgent');
		expect(review.level).toBe('review');
		expect(nearMiss.level).toBeNull();
		expect(urgent.score).toBeGreaterThan(review.score);
		expect(review.score).toBeGreaterThan(nearMiss.score);
		expect(nearMiss.score).toBeGreaterThan(plain.score);
	});

	it('puts an unflagged answer the model reads as a disclosure above general talk full of harm words', () => {
		// My own wording. A child's answer with no word of the vocabulary, and an adult's policy answer with
		// several (set aside as general talk): neither is flagged, and the child's must come first in the
		// reading list (the evidence of the set-aside words no longer outweighs the model; screen.ts, riskScore).
		const child = screenAnswer('i dont really want to go back to my house after school most days');
		const policy = screenAnswer(
			'Services for drugs, alcohol, self harm and domestic abuse in this town need more funding'
		);
		expect(child.level).toBeNull();
		expect(policy.level).toBeNull();
		expect(child.score).toBeGreaterThan(policy.score);
	});

	it('a disclosure buried in an ordinary answer is found, with an excerpt from its sentence', () => {
		const r = screenAnswer('a better park. also my mums new boyfriend pushed her down the stairs');
		expect(r.level).not.toBeNull();
		expect(r.categories).toContain('domestic-abuse');
		expect(r.matches.some((m) => m.excerpt.includes('pushed her down the stairs') && !m.excerpt.includes('park'))).toBe(
			true
		);
	});
});
