import { describe, expect, it } from 'vitest';
import { notAskedWeekSideBounds } from './not-asked-bounds';
import { notAskedWeekDecisions, onlineWeekFloors } from './not-asked-week-side';
import { cellKey, type TableData } from './tables';

/** One column of the weeks table: each week [true count, text shown ("<5", "[c]" or the count)]. */
function column(key: string, weeks: [string, number, string][]): { table: TableData; n: (key: string) => number } {
	const table = {
		id: 'weeks',
		columns: [{ key, label: key }],
		rows: weeks.map(([k, n, text]) => ({
			key: k,
			label: `Week ${k}`,
			cells: [text === String(n) ? { n, pct: null, text } : { n: null, pct: null, text, suppressed: true }]
		}))
	} as unknown as TableData;
	const n = new Map(weeks.map(([k, v]) => [k, v]));
	return { table, n: (k) => n.get(k) ?? 0 };
}

const cats = (...keys: string[]) => keys.map((key) => ({ key }));

// Random seed 2's unfiltered "Age band by week" (weeks 1 and 3) and its weeks table (issue #11, dis59).
const counts: Record<string, number> = {
	'under-13|1': 1,
	'13-15|1': 1,
	'18-24|1': 1,
	'35-49|1': 1,
	'not_asked|1': 21,
	'under-13|3': 1,
	'left_blank|3': 1,
	'not_asked|3': 16
};
const count = (r: string, c: string) => counts[`${r}|${c}`] ?? 0;
const rows = cats('under-13', '13-15', '18-24', '35-49', 'not_asked', 'left_blank', '_total');
const weeks = cats('1', '3', '_total');
const sides = {
	online: column('online', [
		['1', 4, '<5'],
		['3', 2, '<5']
	]),
	f2f: column('f2f', [
		['1', 21, '[c]'],
		['3', 16, '[c]']
	]),
	total: column('_total', [
		['1', 25, '25'],
		['3', 18, '[c]']
	])
};

describe('notAskedWeekSideBounds (issue #11, random seed 2, dis59)', () => {
	it('bounds "Not asked" × week by the week total less its online, the online floored', () => {
		// Week 1: 25 less online "<5" (1 to 4): 21 to 24; with a floor of 4 (four "<5" in one cross-tab): 21. Week 3's
		// total is hidden: nothing.
		expect([...notAskedWeekSideBounds(rows, weeks, count, false, 'not_asked', sides, 5)]).toEqual([
			[cellKey('not_asked', '1'), [21, 24]]
		]);
		const floor = (w: string) => (w === '1' ? 4 : 2);
		expect([...notAskedWeekSideBounds(rows, weeks, count, false, 'not_asked', sides, 5, floor)]).toEqual([
			[cellKey('not_asked', '1'), [21, 21]]
		]);
	});

	it('the face-to-face cell as before where it says more; nothing where the true counts differ', () => {
		const shown = { ...sides, f2f: column('f2f', [['1', 21, '21']]) };
		expect([...notAskedWeekSideBounds(rows, weeks, count, false, 'not_asked', shown, 5)]).toEqual([
			[cellKey('not_asked', '1'), [21, 21]]
		]);
		// An orientation-like line: "Not asked" counts online children too, so it is not the face-to-face count.
		const more = (r: string, c: string) => count(r, c) + (r === 'not_asked' ? 1 : 0);
		expect(notAskedWeekSideBounds(rows, weeks, more, false, 'not_asked', sides, 5).size).toBe(0);
	});
});

describe('notAskedWeekDecisions (issue #11, random seed 5, dis59)', () => {
	it('the "Not asked" × week cells read as the face-to-face column reads them (closed-grid keys)', () => {
		const f2f = column('f2f', [
			['1', 21, '21'],
			['3', 16, '[c]']
		]);
		expect([...notAskedWeekDecisions(rows, weeks, count, false, 'not_asked', f2f)]).toEqual([
			['4,0', false],
			['4,1', 'secondary']
		]);
		// The week as the rows.
		const turned = (r: string, c: string) => count(c, r);
		expect([...notAskedWeekDecisions(weeks, rows, turned, true, 'not_asked', f2f)]).toEqual([
			['0,4', false],
			['1,4', 'secondary']
		]);
		expect(notAskedWeekDecisions(cats('yes', '_total'), weeks, count, false, 'not_asked', f2f).size).toBe(0);
	});
});

describe('onlineWeekFloors (issue #11, dis59)', () => {
	it('per week, the most any equality question shows of its answered cells: "<5" as 1, a count as itself', () => {
		const floors = onlineWeekFloors(
			[
				[
					{ category: 'under-13', week: '1', n: 1 },
					{ category: '13-15', week: '1', n: 2 },
					{ category: 'not_asked', week: '1', n: 21 },
					{ category: 'left_blank', week: '3', n: 1 }
				],
				[
					{ category: 'yes', week: '1', n: 6 },
					{ category: 'no', week: '3', n: 1 },
					{ category: 'left_blank', week: '3', n: 1 },
					{ category: '_unknown', week: '3', n: 4 }
				]
			],
			'not_asked',
			5
		);
		expect(Object.fromEntries(floors)).toEqual({ '1': 6, '3': 2 });
	});
});
