import { describe, expect, it } from 'vitest';
import { lineFloors, marginFloorBounds } from './margin-floors';
import { cellKey } from './tables';

describe('lineFloors (issue #11, dis62)', () => {
	it('takes each non-zero cell as 1 if small, else its count, and the highest line', () => {
		const floors = lineFloors(
			[
				// District by week: Wyre Forest has two small cells; the same week's days add up first.
				[
					{ key: 'wf', other: '1', n: 1 },
					{ key: 'wf', other: '2', n: 1 },
					{ key: 'mh', other: '1', n: 3 },
					{ key: 'mh', other: '1', n: 4 },
					{ key: 'mh', other: '_total', n: 7 }
				],
				// District by gender: Wyre Forest on one cell.
				[
					{ key: 'wf', other: 'male', n: 2 },
					{ key: 'mh', other: 'male', n: 0 }
				]
			],
			5
		);
		expect(floors.get('wf')).toBe(2);
		expect(floors.get('mh')).toBe(7);
	});
});

describe('marginFloorBounds (issue #11, dis62)', () => {
	const rows = [{ key: 'wf' }, { key: 'mh' }];
	const columns = [{ key: 'male' }, { key: 'female' }];
	const counts: Record<string, number> = { 'wf|male': 2, 'mh|male': 1, 'mh|female': 20 };
	const count = (r: string, c: string) => counts[`${r}|${c}`] ?? 0;

	it('bounds a small margin from its floor to min − 1', () => {
		const b = marginFloorBounds(rows, columns, count, new Map([['wf', 2]]), new Map([['male', 3]]), 5);
		expect(b.get(cellKey('wf', '_total'))).toEqual([2, 4]);
		expect(b.get(cellKey('_total', 'male'))).toEqual([3, 4]);
		expect(b.size).toBe(2);
	});

	it('leaves out floors of 1, above the count, at min − 1, and margins of min or more', () => {
		const b = marginFloorBounds(
			rows,
			columns,
			count,
			new Map([
				['wf', 3],
				['mh', 4]
			]),
			new Map([['male', 1]]),
			5
		);
		expect(b.size).toBe(0);
		const c = marginFloorBounds([{ key: 'x' }], [{ key: 'y' }], () => 4, new Map([['x', 4]]), undefined, 5);
		expect(c.size).toBe(0);
	});
});
