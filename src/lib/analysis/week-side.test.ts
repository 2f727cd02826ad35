import { describe, expect, it } from 'vitest';
import {
	weekFaceToFaceParts,
	weekLineDecisions,
	weekShownMargins,
	weeksColumnSide,
	weeksGrandTotalHidden,
	weeksTotalPage
} from './week-side';
import { cellKey, type TableData } from './tables';
import { subLineHides } from './sub-line';
import type { Hidden } from './suppress';

/** A weeks table (online, face to face, total) as shown and as true: `[n, text]` per cell, text '' = shown. */
function weeks(rows: Record<string, [number, string][]>): { shown: TableData; truth: TableData } {
	const columns = ['online', 'f2f', '_total'].map((key) => ({ key, label: key }));
	const make = (withText: boolean): TableData => ({
		id: 'weeks',
		caption: 'Responses by week',
		rowHeading: 'Week',
		columns,
		rows: Object.entries(rows).map(([key, cells]) => ({
			key,
			label: key,
			cells: cells.map(([n, text]) => ({
				n: withText && text ? null : n,
				text: withText && text ? text : String(n),
				suppressed: withText && !!text
			}))
		})) as TableData['rows'],
		notes: [],
		anySuppressed: false,
		hasPct: false
	});
	return { shown: make(true), truth: make(false) };
}

// Random seed 56's week 2 and shaped seed 4's week 3 (docs/analysis.md, dis40).
const w = weeks({
	'1': [
		[5, '[c]'],
		[16, '[c]'],
		[21, '']
	],
	'2': [
		[1, '<5'],
		[16, ''],
		[17, '[c]']
	],
	'3': [
		[4, '<5'],
		[8, '[c]'],
		[12, '']
	]
});
const cross: Record<string, Record<string, number>> = {
	'1': { online: 5, library: 0, school: 9, event: 7 },
	'2': { online: 1, library: 1, school: 6, event: 9 },
	'3': { online: 4, library: 4, school: 0, event: 4 }
};
const rows = ['1', '2', '3'].map((key) => ({ key }));
const cols = ['online', 'library', 'school', 'event'].map((key) => ({ key }));
const count = (r: string, c: string) => cross[r]?.[c] ?? 0;

describe("a week cross-tab against the weeks table's shown cells (dis40)", () => {
	it("a week row's face-to-face part is a line where the weeks table shows its sum (seed 56: school 6 hidden)", () => {
		const parts = weekFaceToFaceParts(rows, cols, count, true, weeksColumnSide(w.shown, w.truth, 'f2f')!, cellKey);
		expect(parts).toHaveLength(1);
		expect([...parts[0].keys()]).toEqual(['2\u001flibrary', '2\u001fschool', '2\u001fevent']);
		expect(subLineHides(parts[0], 5)).toEqual(new Set([cellKey('2', 'school')]));
	});
	it("the week margins the weeks table shows are decided shown; hidden ones stay the cross-tab's own", () => {
		const d = weekShownMargins(rows, cols, count, true, weeksColumnSide(w.shown, w.truth, '_total')!);
		expect(d).toEqual(
			new Map([
				['0,4', false],
				['2,4', false]
			])
		);
		// Week by channel the other way round: the margins are the column totals.
		const t = weekShownMargins(cols, rows, (c, r) => count(r, c), false, weeksColumnSide(w.shown, w.truth, '_total')!);
		expect([...t.keys()]).toEqual(['4,0', '4,2']);
	});
	it('nothing where the true counts disagree', () => {
		const off = (r: string, c: string) => count(r, c) + (r === '1' ? 1 : 0);
		expect(weekShownMargins(rows, cols, off, true, weeksColumnSide(w.shown, w.truth, '_total')!).has('0,4')).toBe(
			false
		);
	});
});

describe("a week cross-tab with no page dimension reads its whole week line as the weeks table's total column (dis45)", () => {
	// Shaped seed 5: week 2's total 8 and the grand total 43 hidden in "Responses by week".
	const s5 = weeks({
		'1': [
			[7, ''],
			[12, ''],
			[19, '']
		],
		'2': [
			[5, '[c]'],
			[3, '<5'],
			[8, '[c]']
		],
		'3': [
			[6, ''],
			[10, ''],
			[16, '']
		],
		_total: [
			[18, '[c]'],
			[25, '[c]'],
			[43, '[c]']
		]
	});
	// "Gender by week" (gender rows, week columns), true counts.
	const g: Record<string, Record<string, number>> = {
		female: { '1': 4, '2': 2, '3': 0 },
		male: { '1': 2, '2': 3, '3': 5 },
		not_asked: { '1': 12, '2': 3, '3': 10 },
		prefer_not_to_say: { '1': 1, '2': 0, '3': 0 },
		left_blank: { '1': 0, '2': 0, '3': 1 }
	};
	const genders = Object.keys(g).map((key) => ({ key }));
	const wk = ['1', '2', '3'].map((key) => ({ key }));
	const gc = (r: string, c: string) => g[r]?.[c] ?? 0;
	it('week margins shown and hidden, and the grand total, read as the weeks table reads them', () => {
		expect(weekLineDecisions(genders, wk, gc, false, s5.shown, s5.truth)).toEqual(
			new Map<string, Hidden>([
				['5,0', false],
				['5,1', 'secondary'],
				['5,2', false],
				['5,3', 'secondary']
			])
		);
		// The week as rows: the margins are the row totals.
		const t = weekLineDecisions(wk, genders, (r, c) => gc(c, r), true, s5.shown, s5.truth);
		expect([...t.keys()]).toEqual(['0,5', '1,5', '2,5', '3,5']);
	});
	it('nothing where the true counts disagree (perspectives beside submissions)', () => {
		const more = (r: string, c: string) => gc(r, c) + (c === '2' ? 1 : 0);
		const d = weekLineDecisions(genders, wk, more, false, s5.shown, s5.truth);
		expect([...d.keys()]).toEqual(['5,0', '5,2']);
	});
});

// Random seed 456's channel=event view (dis44): weeks 2 and 3 "[c]" (4 each), the total "[c]" (8).
describe('weeksTotalPage', () => {
	const e = weeks({
		'2': [
			[0, ''],
			[4, '[c]'],
			[4, '[c]']
		],
		'3': [
			[0, ''],
			[4, '[c]'],
			[4, '[c]']
		],
		_total: [
			[0, ''],
			[8, '[c]'],
			[8, '[c]']
		]
	});
	it("is the total column, by week, with the weeks table's true counts and grand total", () => {
		const p = weeksTotalPage(e.shown, e.truth, [
			{ key: '1', label: '1' },
			{ key: '2', label: '2' },
			{ key: '3', label: '3' }
		])!;
		expect(p.table.rows.map((r) => [r.key, r.cells.map((c) => c.text)])).toEqual([
			['2', ['[c]']],
			['3', ['[c]']],
			['_total', ['[c]']]
		]);
		expect([p.n('2'), p.n('3'), p.n('1'), p.total]).toEqual([4, 4, 0, 8]);
	});
	it("leaves out a week whose label is not the cross-tab's (numbered from another day)", () => {
		const p = weeksTotalPage(e.shown, e.truth, [
			{ key: '2', label: 'Week 2 (other dates)' },
			{ key: '3', label: '3' }
		])!;
		expect(p.table.rows.map((r) => r.key)).toEqual(['3', '_total']);
	});
});

describe('weeksGrandTotalHidden (dis46)', () => {
	// Random seed 4's week 2: online "[c]" (2), face to face 7 shown, total "[c]" (9).
	const seed4 = weeks({
		'2': [
			[2, '[c]'],
			[7, ''],
			[9, '[c]']
		],
		_total: [
			[2, '[c]'],
			[7, ''],
			[9, '[c]']
		]
	});
	it("a submission cross-tab's grand total follows the weeks table's hidden grand total", () => {
		expect(weeksGrandTotalHidden(seed4.shown, seed4.truth, 9)).toBe(true);
	});
	it('nothing where the counts disagree, the weeks table shows its total, or the total is zero', () => {
		expect(weeksGrandTotalHidden(seed4.shown, seed4.truth, 10)).toBe(false);
		expect(weeksGrandTotalHidden(seed4.truth, seed4.truth, 9)).toBe(false);
		expect(weeksGrandTotalHidden(seed4.shown, seed4.truth, 0)).toBe(false);
	});
});
