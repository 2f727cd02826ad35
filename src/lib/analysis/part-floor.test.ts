import { describe, expect, it } from 'vitest';
import { partFloor } from './part-floor';

describe('partFloor: a hidden margin that is a sum of counts another table publishes', () => {
	it('seed 263\'s face to face: library "<5" (3) beside event 18 is at least 21, at most 18 + 4', () => {
		expect(
			partFloor(
				[
					{ n: 3, hidden: true },
					{ n: 18, hidden: false }
				],
				5
			)
		).toEqual([21, 22]);
	});
	it('a hidden count of min or more ("[c]") leaves it unbounded above', () => {
		expect(partFloor([{ n: 15, hidden: true }], 5)).toEqual([15, Infinity]);
		expect(
			partFloor(
				[
					{ n: 2, hidden: true },
					{ n: 9, hidden: true },
					{ n: 0, hidden: false }
				],
				5
			)
		).toEqual([11, Infinity]);
	});
	it('nothing where nothing of the part is hidden (the margin is known: the caller says so) or the threshold is 0', () => {
		expect(
			partFloor(
				[
					{ n: 3, hidden: false },
					{ n: 18, hidden: false }
				],
				5
			)
		).toBeUndefined();
		expect(partFloor([{ n: 0, hidden: true }], 5)).toBeUndefined();
		expect(partFloor([{ n: 3, hidden: true }], 0)).toBeUndefined();
	});
	it('nothing where the bounds would leave one value (every hidden count a "<5" at min − 1): never read as known', () => {
		expect(
			partFloor(
				[
					{ n: 4, hidden: true },
					{ n: 18, hidden: false }
				],
				5
			)
		).toBeUndefined();
	});
});
