import { describe, expect, it } from 'vitest';
import {
	allocateStrata,
	bootstrapF1,
	countPairs,
	drawSample,
	formatWithInterval,
	quantile,
	sampleAgreement,
	wilson
} from './sample-check';
import { seededRandom } from '../util/random';

describe('Wilson score interval (hand-computed with z = 1.959964)', () => {
	it('8 of 10: centre 0.992073/1.384146 = 0.716740, half-width 1.416009 × √0.0256036 = 0.226578', () => {
		const ci = wilson(8, 10)!;
		expect(ci.lo).toBeCloseTo(0.490162, 5);
		expect(ci.hi).toBeCloseTo(0.943318, 5);
	});
	it('0 of 10 and 10 of 10 are clipped to [0, 0.2775] and [0.7225, 1]', () => {
		const none = wilson(0, 10)!;
		expect(none.lo).toBeCloseTo(0, 6);
		expect(none.hi).toBeCloseTo(0.277533, 5);
		const all = wilson(10, 10)!;
		expect(all.lo).toBeCloseTo(0.722467, 5);
		expect(all.hi).toBe(1);
	});
	it('45 of 50: [0.7864, 0.9565]', () => {
		// p = 0.9, z²/n = 0.0768292; centre = (0.9 + 0.0384146)/1.0768292 = 0.871483;
		// half = (1.959964/1.0768292) × √(0.0018 + 0.00038415) = 1.820130 × 0.046733 = 0.085060
		const ci = wilson(45, 50)!;
		expect(ci.lo).toBeCloseTo(0.786423, 4);
		expect(ci.hi).toBeCloseTo(0.956543, 4);
	});
	it('no trials: no interval; impossible counts are refused', () => {
		expect(wilson(0, 0)).toBeNull();
		expect(() => wilson(3, 2)).toThrow(RangeError);
	});
});

describe('agreement on a checked sample', () => {
	const items = [
		{ machine: ['a', 'b'], officer: ['a', 'b'] }, // tp 2
		{ machine: ['a'], officer: ['a', 'c'] }, // tp 1, fn 1
		{ machine: ['b'], officer: [] }, // fp 1
		{ machine: [], officer: [] } // nothing: agrees, counts as an answer
	];
	it('counts pairs, exact answers, precision, recall and F1 by hand', () => {
		expect(countPairs(items)).toEqual({ tp: 3, fp: 1, fn: 1 });
		const a = sampleAgreement(items);
		expect(a.answers).toBe(4);
		expect(a.exact).toBe(2);
		expect(a.precision).toBeCloseTo(0.75, 10);
		expect(a.recall).toBeCloseTo(0.75, 10);
		expect(a.f1).toBeCloseTo(6 / 8, 10);
		expect(a.precisionCi).toEqual(wilson(3, 4));
		expect(a.recallCi).toEqual(wilson(3, 4));
		// Wilson 3 of 4 by hand: centre (0.75 + 0.480182)/1.960365 = 0.627528, half 0.999779 × √(0.046875 + 0.060030) = 0.326847
		expect(a.precisionCi!.lo).toBeCloseTo(0.300682, 4);
		expect(a.precisionCi!.hi).toBeCloseTo(0.954402, 4);
		expect(a.f1Ci!.lo).toBeLessThanOrEqual(a.f1!);
		expect(a.f1Ci!.hi).toBeGreaterThanOrEqual(a.f1!);
	});
	it('F1 bootstrap on two answers matches the exact resampling distribution', () => {
		// A: tp 1; B: fp 1. Resamples of two answers: AA (F1 1, p 1/4), AB (2/3, p 1/2), BB (0, p 1/4).
		// So the 2.5% and 97.5% percentiles are 0 and 1, and the three values appear in those shares.
		const two = [
			{ machine: ['x'], officer: ['x'] },
			{ machine: ['y'], officer: [] }
		];
		expect(bootstrapF1(two)).toEqual({ lo: 0, hi: 1 });
		// 80% interval: the 10th percentile is 0 (25% of mass at 0), the 90th is 1
		expect(bootstrapF1(two, { level: 0.4 })).toEqual({ lo: 2 / 3, hi: 2 / 3 });
	});
	it('perfect agreement has the interval [1, 1]; nothing to compare has none', () => {
		expect(
			bootstrapF1([
				{ machine: [1], officer: [1] },
				{ machine: [2, 3], officer: [3, 2] }
			])
		).toEqual({ lo: 1, hi: 1 });
		expect(bootstrapF1([{ machine: [], officer: [] }])).toBeNull();
		expect(sampleAgreement([]).f1).toBeNull();
		expect(formatWithInterval(null, null)).toBe('–');
		expect(formatWithInterval(0.8, { lo: 0.49, hi: 0.943 })).toBe('0.80 (95% interval 0.49 to 0.94)');
	});
	it('is repeatable: same seed, same interval; the interval narrows with a bigger sample', () => {
		const mk = (n: number) =>
			Array.from({ length: n }, (_, i) =>
				i % 5 === 0 ? { machine: ['a'], officer: ['b'] } : { machine: ['a'], officer: ['a'] }
			);
		expect(bootstrapF1(mk(40))).toEqual(bootstrapF1(mk(40)));
		const small = bootstrapF1(mk(20))!;
		const big = bootstrapF1(mk(400))!;
		expect(big.hi - big.lo).toBeLessThan(small.hi - small.lo);
		// true F1 here is 0.8: the big sample's interval contains it
		expect(big.lo).toBeLessThan(0.8);
		expect(big.hi).toBeGreaterThan(0.8);
	});
	it('quantile uses the type-1 (inverse empirical distribution) rule', () => {
		expect(quantile([1, 2, 3, 4], 0.25)).toBe(1);
		expect(quantile([1, 2, 3, 4], 0.26)).toBe(2);
		expect(quantile([1, 2, 3, 4], 1)).toBe(4);
	});
});

describe('drawing a stratified sample', () => {
	it('allocates proportionally by largest remainder, at least one per non-empty question', () => {
		expect(allocateStrata([500, 300, 200], 100)).toEqual([50, 30, 20]);
		expect(allocateStrata([1000, 10, 0], 100)).toEqual([99, 1, 0]);
		expect(allocateStrata([2, 3], 100)).toEqual([2, 3]);
		expect(allocateStrata([334, 333, 333], 100)).toEqual([34, 33, 33]);
		expect(allocateStrata([0, 0], 10)).toEqual([0, 0]);
		const a = allocateStrata([2594, 1900, 1500, 800, 40], 100);
		expect(a.reduce((s, n) => s + n, 0)).toBe(100);
		expect(a[4]).toBeGreaterThanOrEqual(1);
	});
	it('draws the same sample from the same seed, without repeats', () => {
		const ids = Array.from({ length: 50 }, (_, i) => i + 1);
		const a = drawSample(ids, 10, seededRandom(7).next);
		expect(drawSample(ids, 10, seededRandom(7).next)).toEqual(a);
		expect(new Set(a).size).toBe(10);
		expect(drawSample(ids, 10, seededRandom(8).next)).not.toEqual(a);
		expect(drawSample(ids, 80, seededRandom(7).next)).toHaveLength(50);
	});
});
