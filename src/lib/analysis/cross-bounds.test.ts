import { describe, expect, it } from 'vitest';
import { crossMarginBounds, shownTableBounds } from './cross-bounds';
import { cellKey } from './tables';
import { shownCrossTab as table } from './shown-table-fixture';

describe('shownTableBounds', () => {
	// Random seed 133's "District by channel" (docs/audits/2026-12-05-aud41.md): Bromsgrove's online and school "<5"
	// beside library 5, event 8 and its total 19; Redditch's online "<5".
	const t = table(['online', 'library', 'school', 'event'], {
		bromsgrove: [
			[2, '<5'],
			[5, ''],
			[4, '<5'],
			[8, ''],
			[19, '']
		],
		redditch: [
			[1, '<5'],
			[1, '<5'],
			[0, ''],
			[1, '<5'],
			[3, '<5']
		],
		_total: [
			[3, '<5'],
			[6, ''],
			[4, '<5'],
			[9, ''],
			[22, '']
		]
	});

	it('reads a row of two "<5" under its total as each at least the rest', () => {
		const b = shownTableBounds(t, 5);
		// At least 6 − 4; at most 4 − Redditch's at least 1.
		expect(b.get(cellKey('bromsgrove', 'online'))).toEqual([2, 3]);
		// Redditch's total is 22 − 19 = 3, three "<5" of at least 1: each 1.
		expect(b.get(cellKey('redditch', 'online'))).toEqual([1, 1]);
		// The column: Bromsgrove at least 2, Redditch 1.
		expect(b.get(cellKey('_total', 'online'))).toEqual([3, 4]);
		expect(b.get(cellKey('bromsgrove', 'library'))).toEqual([5, 5]);
	});

	it('gives the bounds to the margins of another cross-tab where the true counts agree', () => {
		const n = new Map([
			['bromsgrove', 19],
			['redditch', 3]
		]);
		const source = { table: t, n: (k: string) => n.get(k) ?? 0, total: 22 };
		const districts = ['bromsgrove', 'redditch', 'wychavon'].map((key) => ({ key }));
		// "District by week": the districts on its rows, Wychavon a count the source does not have.
		const margin = (k: string) => (k === 'wychavon' ? 2 : (n.get(k) ?? 0));
		const out = crossMarginBounds(districts, true, margin, 22, [source], 5);
		expect(out?.bounds.get(cellKey('bromsgrove', '_total'))).toEqual([19, 19]);
		expect(out?.bounds.get(cellKey('redditch', '_total'))).toEqual([3, 3]);
		expect(out?.bounds.has(cellKey('wychavon', '_total'))).toBe(false);
		expect(out?.bounds.get(cellKey('_total', '_total'))).toEqual([22, 22]);
		// On its columns instead ("Week by district"); another grand total: not bounded.
		const cols = crossMarginBounds(districts, false, margin, 24, [source], 5);
		expect(cols?.bounds.get(cellKey('_total', 'redditch'))).toEqual([3, 3]);
		expect(cols?.bounds.has(cellKey('_total', '_total'))).toBe(false);
	});

	it('says nothing of a "[c]" with no line to bound it', () => {
		const u = table(['a', 'b'], {
			x: [
				[7, '[c]'],
				[2, '<5'],
				[9, '[c]']
			],
			_total: [
				[7, '[c]'],
				[2, '<5'],
				[9, '[c]']
			]
		});
		const b = shownTableBounds(u, 5);
		expect(b.get(cellKey('x', 'a'))).toEqual([0, Infinity]);
		expect(b.get(cellKey('_total', '_total'))).toEqual([1, Infinity]);
	});
});
