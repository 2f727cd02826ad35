/**
 * A count another view asks to hide is shown again only where what an onlooker knows exactly pins it (issue #11, the
 * random audit's seed 117; suppress.ts pinnedExactly). Ranges other views give (a count asked hidden because a wider
 * count less it would be small is "at least that count less min−1") may pin it together with the table's own
 * equation; shown, it would hand every onlooker the rest of its line by plain subtraction.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { PROTECTION_RULES, protectTable, type ProtectInput } from '../src/lib/analysis/suppress';

afterEach(() => {
	PROTECTION_RULES.exactShowAgain = () => true;
});

describe('a count asked hidden is shown again only where exact knowledge pins it', () => {
	// Seed 117's `district=redditch&group=young_person` channels table: online 5, library 2, total 7. The young people's
	// page publishes the slice's total (its Redditch row, 7: known exactly). Redditch's page shows online 9 and library
	// 6, so the wider-view rule asks both hidden (9 − 5 and 6 − 2 are small) with the bounds online 5..9 and library
	// 2..6. With the total those ranges leave one value each, so the old rule showed online as "pinned anyway", and
	// 7 − 5 then gave library's 2 to anyone.
	const input: ProtectInput = {
		cells: [[5], [2]],
		colTotals: [7],
		min: 5,
		mustHide: new Set(['0,0']),
		bounds: new Map<string, [number, number]>([
			['0,0', [5, 9]],
			['1,0', [2, 6]],
			['2,0', [7, 7]]
		])
	};

	it('keeps a count pinned only by ranges hidden beside a small count of its line', () => {
		// Both hidden (library reads "[c]": it was tried as online's partner).
		expect(protectTable(input).cells.map((r) => r[0])).toEqual(['secondary', 'secondary']);
		// The old rule (ANALYSIS_EXACT_SHOW=off): online is shown, and 7 − 5 pins library.
		PROTECTION_RULES.exactShowAgain = () => false;
		expect(protectTable(input).cells.map((r) => r[0])).toEqual([false, 'secondary']);
	});

	it('still shows a count its own table gives away exactly', () => {
		// "All groups" beside the one group of a group's page (the total asked hidden, the cell known exactly): the
		// total is the cell, so hiding it protects nothing; shown, as before.
		const p = protectTable({
			cells: [[7]],
			colTotals: [7],
			min: 5,
			mustHide: new Set(['1,0']),
			bounds: new Map<string, [number, number]>([['0,0', [7, 7]]])
		});
		expect(p.colTotals[0]).toBe(false);
		// A count pinned by an exact bound on a hidden partner of its line: shown too (a range on it changes nothing).
		const q = protectTable({
			cells: [[6], [8]],
			colTotals: [14],
			min: 5,
			mustHide: new Set(['0,0', '1,0']),
			bounds: new Map<string, [number, number]>([
				['0,0', [2, 9]],
				['1,0', [8, 8]],
				['2,0', [14, 14]]
			])
		});
		expect(q.cells.map((r) => r[0])).toEqual([false, false]);
	});
});
