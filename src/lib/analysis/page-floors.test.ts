import { describe, expect, it } from 'vitest';
import { lineFloors, pageFloorBounds } from './margin-floors';
import { cellKey } from './tables';

describe('pageFloorBounds (issue #11, dis64: the every-pair unfiltered view, random seed 15)', () => {
	// "Respondent types": child 3 and other 3 "<5", the rest shown; the group's lines by channel and by district.
	const items = [
		{ key: 'child', n: 3 },
		{ key: 'young', n: 12 },
		{ key: 'other', n: 3 }
	];
	const floors = lineFloors(
		[
			[
				{ key: 'child', other: 'online', n: 1 },
				{ key: 'child', other: 'library', n: 1 },
				{ key: 'child', other: 'school', n: 1 },
				{ key: 'young', other: 'library', n: 12 },
				{ key: 'other', other: 'school', n: 1 },
				{ key: 'other', other: 'event', n: 2 }
			],
			[
				{ key: 'child', other: 'redditch', n: 2 },
				{ key: 'child', other: 'wyre', n: 1 },
				{ key: 'other', other: 'malvern', n: 1 },
				{ key: 'other', other: 'wyre', n: 1 },
				{ key: 'other', other: 'outside', n: 1 }
			]
		],
		5
	);

	it("bounds each small row from its dimension's highest line floor to min − 1, keyed as a one-way table", () => {
		const b = pageFloorBounds(items, floors, 5);
		expect(b.get(cellKey('child', 'n'))).toEqual([3, 4]);
		expect(b.get(cellKey('other', 'n'))).toEqual([3, 4]);
		expect(b.size).toBe(2);
	});

	it('leaves out floors of 1, at min − 1 or above the count, and rows of min or more or zero', () => {
		const b = pageFloorBounds(
			[
				{ key: 'a', n: 2 },
				{ key: 'b', n: 4 },
				{ key: 'c', n: 2 },
				{ key: 'd', n: 0 },
				{ key: 'e', n: 7 }
			],
			new Map([
				['a', 1],
				['b', 4],
				['c', 3],
				['d', 2],
				['e', 3]
			]),
			5
		);
		expect(b.size).toBe(0);
		expect(pageFloorBounds(items, undefined, 5).size).toBe(0);
	});
});
