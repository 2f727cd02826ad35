import { describe, expect, it } from 'vitest';
import { presenceTight } from './slice-floors';

describe('presenceTight', () => {
	it("seed 417's online column: three small weeks, each one submission per district", () => {
		expect(
			presenceTight(
				[
					{ n: 2, present: 2 },
					{ n: 1, present: 1 },
					{ n: 2, present: 2 }
				],
				5
			)
		).toBe(true);
	});
	it('room where a week holds more than one submission of a district', () => {
		expect(
			presenceTight(
				[
					{ n: 2, present: 1 },
					{ n: 1, present: 1 },
					{ n: 2, present: 2 }
				],
				5
			)
		).toBe(false);
	});
	it('one small week: its partner, the smallest other week, gives room unless it too is pinned', () => {
		expect(
			presenceTight(
				[
					{ n: 1, present: 1 },
					{ n: 6, present: 3 }
				],
				5
			)
		).toBe(false);
		expect(
			presenceTight(
				[
					{ n: 1, present: 1 },
					{ n: 6, present: 6 }
				],
				5
			)
		).toBe(true);
	});
	it('nothing to do for a small total, no small week, or no threshold', () => {
		expect(
			presenceTight(
				[
					{ n: 2, present: 2 },
					{ n: 1, present: 1 }
				],
				5
			)
		).toBe(false);
		expect(
			presenceTight(
				[
					{ n: 7, present: 7 },
					{ n: 5, present: 5 }
				],
				5
			)
		).toBe(false);
		expect(
			presenceTight(
				[
					{ n: 2, present: 2 },
					{ n: 3, present: 3 }
				],
				0
			)
		).toBe(false);
	});
});
