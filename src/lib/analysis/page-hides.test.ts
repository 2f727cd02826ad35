import { describe, expect, it } from 'vitest';
import { pageHiddenMargins, pageShownBounds, type PageSide } from './page-hides';
import { cellKey, type TableData } from './tables';

/** A one-column page table: each row shown or hidden, with its true counts. */
function side(rows: [string, number, boolean][], extra?: [string, number, boolean][]): PageSide {
	const total = rows.reduce((t, [, n]) => t + n, 0);
	const all: [string, number, boolean][] = [...rows, ...(extra ?? [['_total', total, rows.some(([, , h]) => h)]])];
	const table = {
		id: 'groups',
		columns: [{ key: 'n', label: 'n' }],
		rows: all.map(([key, n, hidden]) => ({
			key,
			label: key,
			cells: [
				{
					n: hidden ? null : n,
					pct: null,
					text: hidden ? (n > 0 && n < 5 ? '<5' : '[c]') : String(n),
					suppressed: hidden
				}
			]
		}))
	} as unknown as TableData;
	const by = new Map(rows.map(([k, n]) => [k, n]));
	return { table, n: (k) => by.get(k) ?? 0, total };
}

describe('pageHiddenMargins (issue #11, week seed 196)', () => {
	// Seed 196's second week: three respondent types of 4 ("<5") and two of 0, the total 12 hidden as their partner.
	const counts: Record<string, number> = { 'child|a': 2, 'child|b': 2, 'young|a': 4, 'other|b': 4 };
	const count = (r: string, c: string) => counts[`${r}|${c}`] ?? 0;
	const rows = ['child', 'young', 'parent', 'other'].map((key) => ({ key }));
	const columns = [{ key: 'a' }, { key: 'b' }];
	const types = side([
		['child', 4, true],
		['young', 4, true],
		['parent', 0, false],
		['other', 4, true]
	]);

	it("hides the grand total and the row totals the groups table hides, not a zero's", () => {
		const out = pageHiddenMargins(rows, columns, count, { rows: types });
		expect([...(out?.hide ?? [])].sort()).toEqual(
			[
				cellKey('_total', '_total'),
				cellKey('child', '_total'),
				cellKey('other', '_total'),
				cellKey('young', '_total')
			].sort()
		);
	});

	it('follows nothing where the counts differ or the page shows them', () => {
		const shown = side([
			['child', 4, false],
			['young', 4, false],
			['parent', 0, false],
			['other', 4, false]
		]);
		expect(pageHiddenMargins(rows, columns, count, { rows: shown })).toBeUndefined();
		const other = side([
			['child', 5, true],
			['young', 5, true],
			['parent', 0, false],
			['other', 5, true]
		]);
		expect(pageHiddenMargins(rows, columns, count, { rows: other })).toBeUndefined();
	});
});

describe('pageShownBounds (issue #11, week seed 17, dis41)', () => {
	// Week 2 of seed 17: "Ethnicity by sexual orientation" with "Ethnicity" and "Sexual orientation" as its sides.
	const counts: Record<string, number> = {
		'not_asked|not_asked': 10,
		'left_blank|not_asked': 4,
		'left_blank|left_blank': 4
	};
	const count = (r: string, c: string) => counts[`${r}|${c}`] ?? 0;
	const rows = ['white', 'not_asked', 'left_blank'].map((key) => ({ key }));
	const columns = ['not_asked', 'left_blank'].map((key) => ({ key }));
	// An equality table: its categories, then "Total asked" (no total row).
	const ethnicity = side(
		[
			['white', 0, false],
			['not_asked', 10, false],
			['left_blank', 8, false]
		],
		[['_asked', 8, false]]
	);
	const orientation = side(
		[
			['not_asked', 14, true],
			['left_blank', 4, true]
		],
		[['_asked', 4, true]]
	);

	it('knows the margins the sides show, the "<5" they read, and the grand total an equality side shows', () => {
		const out = pageShownBounds(rows, columns, count, { rows: ethnicity, columns: orientation }, 5);
		expect(Object.fromEntries(out?.bounds ?? [])).toEqual({
			[cellKey('white', '_total')]: [0, 0],
			[cellKey('not_asked', '_total')]: [10, 10],
			[cellKey('left_blank', '_total')]: [8, 8],
			[cellKey('_total', 'left_blank')]: [1, 4],
			[cellKey('_total', '_total')]: [18, 18]
		});
		expect(out?.hide.size).toBe(0);
	});

	it('says nothing where the counts differ, or of a "[c]"', () => {
		const other = side([
			['not_asked', 15, true],
			['left_blank', 3, true]
		]);
		expect(pageShownBounds(rows, columns, count, { columns: other }, 5)).toBeUndefined();
		expect(
			pageShownBounds(rows, columns, count, { columns: side([['not_asked', 14, true]], [['_asked', 4, false]]) }, 5)
		).toBeUndefined();
	});

	it('says nothing in a view where nobody was asked (the face-to-face channel: "Total asked" 0; dis49)', () => {
		// Everyone under "Not asked" on both sides: shown, the sides would bound every other margin to 0 and the grand
		// total to the view's count, and the family's hidden zeros of the cross-tab would read off by subtraction.
		const f2f = (r: string, c: string) => (r === 'not_asked' && c === 'not_asked' ? 40 : 0);
		const nobody = (first: string) =>
			side(
				[
					[first, 0, false],
					['not_asked', 40, false],
					['left_blank', 0, false]
				],
				[['_asked', 0, false]]
			);
		const sides = { rows: nobody('white'), columns: nobody('other') };
		expect(pageShownBounds(rows, columns, f2f, sides, 5)).toBeUndefined();
		// One person asked (white 1, hidden): the rule applies as before.
		const one = side(
			[
				['white', 1, true],
				['not_asked', 40, false],
				['left_blank', 0, false]
			],
			[['_asked', 1, true]]
		);
		const count1 = (r: string, c: string) => (r === 'white' && c === 'left_blank' ? 1 : f2f(r, c));
		expect(pageShownBounds(rows, columns, count1, { rows: one }, 5)?.bounds.size).toBeGreaterThan(0);
	});
});
