/**
 * A count another view asks to hide, and the give-ups it caused (issue #11; suppress.ts protect, protectionLog).
 * The end of protect showed such a count again when it looked pinned, reading every "[c]" of min or more as at
 * least min. Read as the labels say ("[c]" is any count, zero included) it was not pinned, and once shown it
 * left a small count of another view no partner: Malvern Hills × parents' channels table hid "Library" 3 and
 * showed "Online" 5 and the total 8, while a view publishing the same online count showed it again (the joint
 * test's district × group family read the 3 off). The tables here are that case in small. The last test is
 * another protect case in small (random audit seed 18: a theme table whose column slack the other lines pin).
 */
import { describe, expect, it } from 'vitest';
import { protectLinked, protectTable, protectionLog, type ProtectInput } from '../src/lib/analysis/suppress';
import { themeTables } from '../src/lib/analysis/tables';
import { attack } from './helpers/disclosure-attack';

const MIN = 5;

// The channels table of the view: Online 5, Library 3 (small), total 8.
const channels: ProtectInput = { cells: [[5], [3]], colTotals: [8], min: MIN };
// Another view publishing the same online count (x, key 0,0) beside a count of 5 another view asks it to hide
// (y, key 1,0), with their total 10, which a wider view shows (so it cannot be a partner here).
const other: ProtectInput = {
	cells: [[5], [5]],
	colTotals: [10],
	min: MIN,
	mustHide: new Set(['1,0']),
	bounds: new Map([['2,0', [10, 10]]])
};

describe('disclosure control: a count another view asks to hide', () => {
	it('is shown again only if the labels as they read pin it', () => {
		// Read as "[c]" ≥ 5, x + y = 10 pins both at 5; read as "[c]" says (any count), nothing is pinned.
		const p = protectTable({ ...other, mustHide: new Set(['0,0', '1,0']) });
		expect(p.cells[0][0]).toBe('secondary');
		expect(p.cells[1][0]).toBe('secondary');
	});

	it('so no view sharing counts gives one away', () => {
		const [a, b] = protectLinked([channels, other], [{ a: 0, at: [0, 0], b: 1, bt: [0, 0] }]);
		// Library 3 hidden, with Online as its partner (the total 8 shown), and Online hidden in both views.
		expect([a.cells[1][0], a.cells[0][0], a.colTotals[0], b.cells[0][0]]).toEqual([
			'primary',
			'secondary',
			false,
			'secondary'
		]);
		// The other view then hides y too: shown, with the total 10, it would give Online away (10 − 5); before,
		// y was shown again (read as "[c]" ≥ 5 it looked pinned).
		expect(b.cells[1][0]).toBe('secondary');
	});

	it('a small count left with no partner is counted as a give-up', () => {
		protectionLog.gaveUp = 0;
		// Online and the total both known from other views: nothing this table can hide protects Library 3.
		protectTable({
			...channels,
			bounds: new Map([
				['0,0', [5, 5]],
				['2,0', [8, 8]]
			])
		});
		expect(protectionLog.gaveUp).toBe(1);
		protectionLog.gaveUp = 0;
		protectTable(channels);
		expect(protectionLog.gaveUp).toBe(0);
	});

	// Seed 5 of the random audit in small: the children's library slice showed Malvern Hills 5 that the channel
	// line asked it to hide with the bound [0, 5] (the child view's 6 less nothing known), because the stricter
	// reading held that "[c]" to [5, ∞) and so took it as pinned; then 6 − 5 gave the online slice's "[c]" 1.
	it('a count of min that a line bounds by [0, min] stays hidden (issue #11, seed 5)', () => {
		const slice: ProtectInput = {
			cells: [[5], [3], [4], [3]],
			colTotals: [15],
			min: MIN,
			mustHide: new Set(['0,0']),
			bounds: new Map([['0,0', [0, 5]]])
		};
		expect(protectTable(slice).cells[0][0]).toBe('secondary');
		// Bounds that do pin it (the line shows every other entry) still show it: hiding it protects nothing.
		expect(protectTable({ ...slice, bounds: new Map([['0,0', [5, 5]]]) }).cells[0][0]).toBe(false);
	});

	// Seed 18 of the random audit in small (the unfiltered theme table of question 1). A theme's count plus
	// "No theme yet" is at most the group's answers. Young people's "Answers" 15 and "No theme yet" 14 were both
	// hidden, so each bound alone said nothing; but the practitioners' themes are shown zeros (their "No theme
	// yet" is their answers), so the two rows' totals give young people's answers less "No theme yet":
	// (82 - 28 - 26 - 0) - (77 - 26 - 24 - 0) = 1, and both of their "<5" (Family, Friends) are at most 1.
	it('a multi-response column whose answers less "No theme yet" the other lines pin (issue #11, seed 18)', () => {
		const groups = ['child', 'young', 'parent', 'practitioner', 'other'].map((key) => ({ key, label: key }));
		const grid = [
			[0, 1, 1, 0, 0],
			[1, 1, 0, 0, 0],
			[1, 0, 0, 0, 0],
			[0, 0, 2, 0, 0],
			[0, 0, 0, 0, 0]
		];
		const uncoded = [26, 14, 24, 13, 0];
		const answers = [28, 15, 26, 13, 0];
		const table = (min: number) =>
			themeTables({
				question: { key: 'q1', text: 'Q?' },
				themes: grid.map((_, i) => ({ id: i + 1, label: `T${i + 1}` })),
				groups,
				groupAnswers: new Map(groups.map((g, j) => [g.key, answers[j]])),
				counts: new Map(
					grid.flatMap((row, i) => row.map((n, j) => [`${i + 1}|${groups[j].key}`, n] as [string, number]))
				),
				uncoded: new Map(groups.map((g, j) => [g.key, uncoded[j]])),
				min,
				rule: { top: 2, minPct: 10 }
			}).counts;
		const shown = table(MIN);
		const truth = table(0);
		const read = attack(shown, { min: MIN, truth }).filter((f) => f.value === f.truth);
		expect(read.map((f) => `${f.row} / ${f.column} = ${f.value} (${f.how})`)).toEqual([]);
	});
});
