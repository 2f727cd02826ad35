import { describe, expect, it } from 'vitest';
import { datedWeekSide } from './dated-week-side';
import { pageShownBounds } from './page-hides';
import { cellKey, type TableData } from './tables';

/** A cross-tab "X by week" from its rows: each cell [true count, hidden]. */
function weekTable(rows: [string, [number, boolean][]][]): { shown: TableData; truth: TableData } {
	const columns = ['1', '2', '3', '_total'].map((key) => ({ key, label: key }));
	const make = (reveal: boolean) =>
		({
			id: 'crosstab',
			columns,
			rows: rows.map(([key, cells]) => ({
				key,
				label: key,
				cells: cells.map(([n, hidden]) =>
					hidden && !reveal
						? { n: null, pct: null, text: n > 0 && n < 5 ? '<5' : '[c]', suppressed: true }
						: { n, pct: null, text: String(n) }
				)
			}))
		}) as unknown as TableData;
	return { shown: make(false), truth: make(true) };
}

/** A week row of the view's weeks table, labelled as the cross-tab labels its column. */
const w = (key: string) => ({ key, label: key });

describe('datedWeekSide (issue #11, week seed 24)', () => {
	// Week 2 of seed 24: "Ethnicity by week" as shown there (weeks 1 and 3 lie outside the view's dates).
	const { shown, truth } = weekTable([
		[
			'white-british',
			[
				[0, true],
				[0, false],
				[0, false],
				[0, true]
			]
		],
		[
			'not_asked',
			[
				[0, true],
				[7, true],
				[0, true],
				[7, false]
			]
		],
		[
			'left_blank',
			[
				[0, true],
				[13, true],
				[0, true],
				[13, true]
			]
		],
		[
			'_total',
			[
				[0, true],
				[20, true],
				[0, true],
				[20, false]
			]
		]
	]);

	it("publishes a row whose cells in the view's weeks are shown, whatever the zeros outside them read", () => {
		const side = datedWeekSide(shown, truth, [w('2')])!;
		const read = (k: string) => side.table.rows.find((r) => r.key === k)!.cells[0];
		expect(read('white-british')).toMatchObject({ n: 0 });
		expect(read('white-british').suppressed).toBeFalsy();
		expect(read('left_blank')).toMatchObject({ suppressed: true, text: '[c]' });
		expect(side.total).toBe(20);
		// As a side of "Disability by ethnicity": its white British column total is known to be 0.
		const counts: Record<string, number> = { 'no|left_blank': 10, 'yes|left_blank': 3, 'not_asked|not_asked': 7 };
		const bounds = pageShownBounds(
			['yes', 'no', 'not_asked', 'left_blank'].map((key) => ({ key })),
			['white-british', 'not_asked', 'left_blank'].map((key) => ({ key })),
			(r, c) => counts[`${r}|${c}`] ?? 0,
			{ columns: side },
			5
		)!;
		expect(bounds.bounds.get(cellKey('_total', 'white-british'))).toEqual([0, 0]);
		expect(bounds.bounds.has(cellKey('_total', 'left_blank'))).toBe(false);
	});

	it('reads a row over several weeks "[c]" unless all are shown; nothing where a count lies outside the weeks', () => {
		const two = datedWeekSide(shown, truth, [w('2'), w('3')])!;
		const read = (k: string) => two.table.rows.find((r) => r.key === k)!.cells[0];
		expect(read('white-british')).toMatchObject({ n: 0 });
		expect(read('not_asked')).toMatchObject({ suppressed: true, text: '[c]' });
		expect(two.n('not_asked')).toBe(7);
		// Week 1 alone: every row but white British has its count outside it, the total too (not a dated view's table).
		expect(datedWeekSide(shown, truth, [w('1')])).toBeUndefined();
		expect(datedWeekSide(shown, truth, [w('9')])).toBeUndefined();
		// A weeks table numbered from another start day: its week 2 is not the cross-tab's.
		expect(datedWeekSide(shown, truth, [{ key: '2', label: 'other dates' }])).toBeUndefined();
	});
});
