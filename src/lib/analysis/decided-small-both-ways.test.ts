/**
 * A decided "<5" margin open each way its label and bounds allow, in each table alone (issue #11, random seed 2's
 * unfiltered view with every cross-tab pair, dis63; suppress.ts protect's openFor, ANALYSIS_DECIDED_SMALL_BOTH_WAYS).
 * Seed 2's "Gender by sexual orientation" as the view builds it: female and male ("<5", decided by "Gender") sit on
 * the sexual orientation "Left blank" column alone (their "Not asked" cells shown 0), and that column's total
 * ("<5" 3, decided by "Sexual orientation") is their sum. Male ≥ 2 from another cross-tab's line (margin-floors.ts
 * bounds [2, 4]), female ≥ 1: "Left blank" can rise, never fall. "Disability by sexual orientation" held it at 3 or
 * below (no × left blank, its only cell, beside no × not asked "<5" under no "<5"), so the two tables read 3.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { protectTable, useProtectionMemo, type Hidden, type ProtectInput } from './suppress';

const SWITCH = 'ANALYSIS_DECIDED_SMALL_BOTH_WAYS';

// Rows: female, male, not asked, prefer not to say, left blank; columns: not asked, left blank (closed grid: column 2
// is the row totals, row 5 the column totals).
const input: ProtectInput = {
	cells: [
		[0, 1],
		[0, 2],
		[60, 0],
		[3, 0],
		[1, 0]
	],
	rowTotals: [1, 2, 60, 3, 1],
	colTotals: [64, 3],
	grand: 67,
	min: 5,
	decided: new Map<string, Hidden>([
		['0,2', 'primary'],
		['1,2', 'primary'],
		['2,2', 'secondary'],
		['3,2', 'primary'],
		['4,2', 'primary'],
		['5,0', 'secondary'],
		['5,1', 'primary'],
		['5,2', 'secondary']
	]),
	bounds: new Map<string, [number, number]>([
		['1,2', [2, 4]],
		// Not asked (gender) × left blank (sexual orientation): a structural zero (structural-zeros.ts notAskedZero).
		['2,1', [0, 0]]
	])
};

function protectWith(value: string | undefined) {
	const was = process.env[SWITCH];
	if (value === undefined) delete process.env[SWITCH];
	else process.env[SWITCH] = value;
	try {
		useProtectionMemo(() => undefined);
		return protectTable(input);
	} finally {
		if (was === undefined) delete process.env[SWITCH];
		else process.env[SWITCH] = was;
	}
}

describe('a decided "<5" moves each way it can in each table (issue #11, dis63)', () => {
	afterEach(() => useProtectionMemo(() => undefined));

	it(`with ${SWITCH}=off (before): "Left blank" 3 can only rise (female's and male's "Not asked" shown)`, () => {
		const p = protectWith('off');
		expect(p.cells[0][0]).toBe(false);
		expect(p.cells[1][0]).toBe(false);
	});

	it('by default: a "Not asked" cell of female or male is hidden, so "Left blank" can fall too', () => {
		const p = protectWith(undefined);
		expect(p.cells[0][0] || p.cells[1][0]).toBe('secondary');
		// The decided entries read as decided.
		expect([p.rowTotals[0], p.rowTotals[1], p.colTotals[1]]).toEqual(['primary', 'primary', 'primary']);
	});
});
