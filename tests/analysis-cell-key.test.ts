import { describe, expect, it } from 'vitest';
import { cellKey } from '../src/lib/server/analysis/cell-key';

// The question-set slices sum rows per cell by this key (issue #19): two rows share a cell exactly when every
// column's value is the same, type included, as the JSON.stringify key it replaced.
describe('cellKey', () => {
	const cols = ['a', 'b'] as const;
	const key = (a: unknown, b: unknown) => cellKey(cols, { a, b });

	it('gives equal rows one key', () => {
		expect(key('x', 1)).toBe(key('x', 1));
		expect(key(null, '')).toBe(key(null, ''));
	});

	it('keeps apart what JSON.stringify kept apart', () => {
		const pairs: [unknown, unknown][] = [
			['1', 1],
			[null, ''],
			[null, 'null'],
			['', 0],
			['a', 'a\u0000sb']
		];
		for (const [x, y] of pairs) {
			expect(JSON.stringify([x, 'z'])).not.toBe(JSON.stringify([y, 'z']));
			expect(key(x, 'z')).not.toBe(key(y, 'z'));
		}
		// Values split differently across the columns.
		expect(key('ab', 'c')).not.toBe(key('a', 'bc'));
		expect(key('', 'x')).not.toBe(key('x', ''));
	});
});
