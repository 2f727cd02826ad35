import { describe, expect, it } from 'vitest';
import { notAskedWeekBounds } from './not-asked-bounds';
import { cellKey, type TableData } from './tables';

/** The weeks table's face-to-face column: each week [true count, text shown ("<5", "[c]" or the count)]. */
function f2fColumn(weeks: [string, number, string][]): { table: TableData; n: (key: string) => number } {
	const table = {
		id: 'weeks',
		columns: [{ key: 'f2f', label: 'Face to face and other' }],
		rows: weeks.map(([key, n, text]) => ({
			key,
			label: `Week ${key}`,
			cells: [text === String(n) ? { n, pct: null, text } : { n: null, pct: null, text, suppressed: true }]
		}))
	} as unknown as TableData;
	const n = new Map(weeks.map(([k, v]) => [k, v]));
	return { table, n: (k) => n.get(k) ?? 0 };
}

const cats = (...keys: string[]) => keys.map((key) => ({ key }));

describe('notAskedWeekBounds (issue #11, week seed 24, dis58)', () => {
	// Seed 24's unfiltered "Disability by week": "Not asked" × week 2 is 7, the weeks table shows week 2's face to face 7.
	const counts: Record<string, number> = { 'not_asked|1': 3, 'not_asked|2': 7, 'not_asked|3': 2, 'yes|2': 3 };
	const count = (r: string, c: string) => counts[`${r}|${c}`] ?? 0;
	const rows = cats('yes', 'no', 'not_asked', '_total');
	const weeks = cats('1', '2', '3', '_total');

	it('bounds each "Not asked" × week cell by the face-to-face cell: shown [n, n], "<5" [1, 4], "[c]" nothing', () => {
		const f2f = f2fColumn([
			['1', 3, '<5'],
			['2', 7, '7'],
			['3', 2, '[c]']
		]);
		const out = notAskedWeekBounds(rows, weeks, count, false, 'not_asked', f2f, 5);
		expect([...out]).toEqual([
			[cellKey('not_asked', '1'), [1, 4]],
			[cellKey('not_asked', '2'), [7, 7]]
		]);
	});

	it('the week as the rows; nothing where the true counts differ or there is no "Not asked"', () => {
		const turned = (r: string, c: string) => count(c, r);
		const f2f = f2fColumn([
			['1', 4, '<5'],
			['2', 7, '7']
		]);
		expect([...notAskedWeekBounds(weeks, rows, turned, true, 'not_asked', f2f, 5)]).toEqual([
			[cellKey('2', 'not_asked'), [7, 7]]
		]);
		expect(notAskedWeekBounds(cats('yes', '_total'), weeks, count, false, 'not_asked', f2f, 5).size).toBe(0);
	});
});
