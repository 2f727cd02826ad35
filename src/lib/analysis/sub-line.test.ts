import { describe, expect, it } from 'vitest';
import { subLineHides } from './sub-line';

describe('subLineHides: a part of a line whose sum is published', () => {
	it("seed 284's second week: library 1 alone among the face-to-face rows hides event with it", () => {
		const part = new Map([
			['library|n', 1],
			['event|n', 14]
		]);
		expect([...subLineHides(part, 5)]).toEqual(['event|n']);
	});
	it('the smallest other count that is not zero is the partner; zeros never are', () => {
		const part = new Map([
			['library|n', 2],
			['school|n', 0],
			['event|n', 30],
			['paper|n', 9]
		]);
		expect([...subLineHides(part, 5)]).toEqual(['paper|n']);
	});
	it('nothing where two counts are small, none is, the small count is alone, or there is no threshold', () => {
		expect(
			subLineHides(
				new Map([
					['a', 1],
					['b', 3],
					['c', 20]
				]),
				5
			).size
		).toBe(0);
		expect(
			subLineHides(
				new Map([
					['a', 6],
					['b', 20]
				]),
				5
			).size
		).toBe(0);
		expect(
			subLineHides(
				new Map([
					['a', 3],
					['b', 0]
				]),
				5
			).size
		).toBe(0);
		expect(
			subLineHides(
				new Map([
					['a', 1],
					['b', 20]
				]),
				0
			).size
		).toBe(0);
	});
});
