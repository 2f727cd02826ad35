import { describe, expect, it } from 'vitest';
import { pinnedConstraints, viewFloors, type PairCounts } from './pinned-floors';

const NA = 'not_asked';
const LB = 'unknown';
const rules = {
	equality: new Set(['age', 'ethnicity', 'orientation']),
	notAsked: NA,
	online: new Map([['channel', 'online']])
};
const pair = (a: string, b: string, cells: [string, string, number][]): PairCounts => ({
	a,
	b,
	rows: cells.map(([x, y, n]) => ({ x, y, n }))
});

// Random seed 5's every-pair view, the tables of its trace (true counts).
const SEED_5 = [
	pair('age', 'week', [
		['12u', '1', 1],
		['12u', '2', 1],
		['35-49', '3', 1],
		[LB, '3', 1],
		['18-24', '1', 1],
		[NA, '1', 23],
		[NA, '2', 15],
		[NA, '3', 15]
	]),
	pair('age', 'ethnicity', [
		['12u', LB, 2],
		['35-49', LB, 1],
		[LB, LB, 1],
		['18-24', 'wb', 1],
		[NA, NA, 53]
	]),
	pair('age', 'orientation', [
		['12u', NA, 2],
		['35-49', NA, 1],
		[LB, NA, 1],
		['18-24', LB, 1],
		[NA, NA, 53]
	]),
	pair('channel', 'orientation', [
		['online', NA, 4],
		['online', LB, 1],
		['library', NA, 46],
		['school', NA, 4],
		['event', NA, 3]
	])
];

describe('viewFloors (issue #11, dis66)', () => {
	it('propagates floors: a lone cell takes its margin floor, a margin its line, the online "Not asked" its column', () => {
		const f = viewFloors(SEED_5, 5, rules);
		// 12 or under: two "<5" on its week line.
		expect(f.margin('age', '12u')).toBe(2);
		// The lone cell of 12 or under's ethnicity line is 12 or under: 2; "Left blank" ethnicity 2 + 1 + 1.
		expect(f.cell('age', 'ethnicity', '12u', LB)).toBe(2);
		expect(f.margin('ethnicity', LB)).toBe(4);
		// The answered rows of the orientation's "Not asked" column are the online count not asked it: 4.
		expect(f.cell('channel', 'orientation', 'online', NA)).toBe(4);
		// Each small cell of "Left blank" ethnicity's line is at its floor.
		expect(f.exact('ethnicity', LB)).toBe(true);
		expect(f.exact('week', '1')).toBe(false);
	});

	it('without the other lines, the labels only', () => {
		const f = viewFloors([SEED_5[3]], 5, rules);
		expect(f.cell('channel', 'orientation', 'online', NA)).toBe(1);
		expect(f.margin('age', '12u')).toBe(0);
	});
});

describe('pinnedConstraints (issue #11, dis66)', () => {
	it('bounds a "<5" at its floor below min − 1, reads one at min − 1 "[c]" free to rise, hides an exact margin', () => {
		const got = pinnedConstraints(
			[
				{ key: 'a', n: 4, floor: 4 },
				{ key: 'b', n: 3, floor: 3 },
				{ key: 'c', n: 3, floor: 2 },
				{ key: 'd', n: 1, floor: 1 },
				{ key: 'e', n: 6, floor: 6, exact: true },
				{ key: 'f', n: 6, floor: 6 }
			],
			5
		);
		expect([...got.blur]).toEqual(['a']);
		expect([...got.bounds]).toEqual([
			['a', [4, Number.POSITIVE_INFINITY]],
			['b', [3, 4]]
		]);
		expect([...got.hide]).toEqual(['e']);
	});
});
