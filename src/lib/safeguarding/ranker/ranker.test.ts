import { describe, expect, it } from 'vitest';
import { canTrain, combinedRisk, MIN_LABELS, scorerFor, trainRanker, type Label } from './index';
import { rankerKernel } from './kernel';

/** Ordinary answers staff looked at and closed with "no action", as the queue produces them. */
const closed = [
	'more things to do at the weekend',
	'the buses are too expensive',
	'a bigger skate park please',
	'better wifi in the library',
	'clubs after school that are free',
	'i would like a youth club near me',
	'cheaper food in town',
	'more football pitches',
	'people should be nicer online',
	'the park needs more bins',
	'cleaner toilets at school',
	'more trips out',
	'a safe place to hang out with friends',
	'longer library opening hours',
	'teachers who listen',
	'free swimming in the holidays',
	'less homework',
	'more art clubs',
	'street lights on the way home',
	'a cinema in our town'
];

function labels(referred: string[]): Label[] {
	return [
		...closed.map((text) => ({ text, label: 0 as const })),
		...referred.map((text) => ({ text, label: 1 as const }))
	];
}

describe('learned ranker', () => {
	it('needs enough labels of both kinds before it trains', () => {
		expect(canTrain(labels([]))).toBe(false);
		expect(canTrain(labels(['he locks me out at night']).slice(-5))).toBe(false);
		expect(canTrain(labels(['he locks me out at night']))).toBe(MIN_LABELS <= closed.length + 1);
	});

	it('lifts wording like what staff referred twice above unrelated answers, misspelt or not', () => {
		const model = trainRanker(
			labels(['my uncle makes me sleep in the shed', 'we have to sleep in the shed when he is angry'])
		);
		const score = scorerFor(model);
		const like = score('sometimes i sleep in the shed');
		const misspelt = score('i slep in the shedd');
		for (const unrelated of [
			'more trees in the park',
			'i like the new playground',
			'buses at night would help',
			'better phone signal'
		]) {
			expect(like).toBeGreaterThan(score(unrelated));
			expect(misspelt).toBeGreaterThan(score(unrelated));
		}
	});

	it('is deterministic: the same labels give the same weights', () => {
		const l = labels(['my uncle makes me sleep in the shed', 'we have to sleep in the shed']);
		expect(trainRanker(l)).toEqual(trainRanker(l));
	});

	it('combines screen and model so neither lowers the other', () => {
		expect(combinedRisk(0.9, 0)).toBeCloseTo(0.9);
		expect(combinedRisk(0.05, 0.8)).toBeGreaterThan(0.8);
		expect(combinedRisk(0.6, 0.1)).toBeGreaterThan(0.6);
		expect(combinedRisk(null, null)).toBe(0);
	});

	it('runs the same when rebuilt from its own source text, as the worker thread does', () => {
		const rebuilt = new Function(`return (${rankerKernel.toString()})();`)() as ReturnType<typeof rankerKernel>;
		const l = labels(['my uncle makes me sleep in the shed', 'we have to sleep in the shed']);
		expect(rebuilt.train(l)).toEqual(rankerKernel().train(l));
	});

	it('scores with the dense weights exactly as the sorted features do (the fast request-path sum)', () => {
		const k = rankerKernel();
		const model = k.train(labels(['my uncle makes me sleep in the shed', 'we have to sleep in the shed']));
		const dense = new Float32Array(k.DIMS);
		for (const [b, w] of model.weights) dense[b] = w;
		// Repeated words and n-grams count once; extras add their own buckets; empty text has none.
		for (const [text, extra] of [
			['sleep sleep in the shed shed shed', undefined],
			['i slep in the shedd', ['x:self', 'x:neglect']],
			['Café naïve — “quotes” and 123', undefined],
			['', undefined]
		] as [string, string[] | undefined][]) {
			const { idx, val } = k.features(text, extra);
			const slow = idx.reduce((z, b, j) => z + dense[b] * val[j], 0);
			const { sum, count } = k.denseSum(dense, text, extra);
			expect(count).toBe(idx.length);
			expect(count ? sum / Math.sqrt(count) : 0).toBeCloseTo(slow, 10);
		}
		expect(k.denseSum(dense, 'sleep in the shed').sum).not.toBe(0);
	});
});
