/**
 * protectTable's memo (suppress.ts useProtectionMemo): a filtered page's wider and sibling views protect
 * the same inputs many times over, so one computation keeps each protection by its input. What a memo
 * returns must be what protecting afresh gives, for every input that differs from an earlier one in any
 * way protectTable reads (cells, totals, free entries, equations, multi-response, threshold, the entries
 * another view hides, bounds, blur), and a protection handed out must not be changed by its caller's edits.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
	protectLinked,
	protectTable,
	useProtectionMemo,
	type Hidden,
	type Protection,
	type ProtectInput
} from '../src/lib/analysis/suppress';
import { seededRandom } from '../src/lib/util/random';

afterEach(() => useProtectionMemo(() => undefined));

/** A random table with margins and, now and then, what other views say of it. */
function randomInput(next: () => number): ProtectInput {
	const R = 1 + Math.floor(next() * 5);
	const C = 1 + Math.floor(next() * 4);
	const small = () => (next() < 0.3 ? 0 : next() < 0.5 ? 1 + Math.floor(next() * 4) : 5 + Math.floor(next() * 20));
	const cells = Array.from({ length: R }, () => Array.from({ length: C }, small));
	const rowTotals = cells.map((r) => r.reduce((a, b) => a + b, 0));
	const colTotals = cells[0].map((_, j) => cells.reduce((a, r) => a + r[j], 0));
	const input: ProtectInput = {
		cells,
		rowTotals,
		colTotals,
		grand: rowTotals.reduce((a, b) => a + b, 0),
		min: 5
	};
	const key = () => `${Math.floor(next() * (R + 1))},${Math.floor(next() * (C + 1))}`;
	if (next() < 0.4) input.mustHide = new Set([key()]);
	if (next() < 0.4) {
		const k = key();
		const [r, c] = k.split(',').map(Number);
		const v = r < R ? (c < C ? cells[r][c] : rowTotals[r]) : c < C ? colTotals[c] : input.grand!;
		input.bounds = new Map([[k, [next() < 0.5 ? -Infinity : Math.max(0, v - 3), next() < 0.5 ? Infinity : v + 2]]]);
	}
	if (next() < 0.3) input.blur = new Set([key()]);
	return input;
}

/** Variants of an input, each differing from it in one thing protectTable reads. */
function variants(input: ProtectInput): ProtectInput[] {
	const R = input.cells.length;
	const C = input.cells[0].length;
	const out: ProtectInput[] = [
		{ ...input, min: 3 },
		{ ...input, min: 0, mustHide: new Set(['0,0']) },
		{ ...input, rowsAdd: false },
		{ ...input, colsAdd: false, multiResponse: {} },
		{ ...input, colsAdd: false, multiResponse: { noneRow: R - 1 } },
		{ ...input, grandShownElsewhere: true },
		{ ...input, grand: undefined },
		{ ...input, rowTotals: undefined },
		{ ...input, cells: input.cells.map((r, i) => (i === 0 ? [...r.slice(0, -1), 2] : r)) },
		{ ...input, cells: input.cells.map((r, i) => (i === 0 ? [undefined, ...r.slice(1)] : r)) },
		{ ...input, cells: input.cells.map((r, i) => (i === 0 && C > 1 ? r.slice(0, -1) : r)) },
		{ ...input, mustHide: new Set([...(input.mustHide ?? []), `${R},${C}`]) },
		{ ...input, blur: new Set([...(input.blur ?? []), '0,0']) },
		{ ...input, bounds: new Map([...(input.bounds ?? []), ['0,0', [-Infinity, Infinity]]]) },
		{ ...input, bounds: new Map([...(input.bounds ?? []), ['0,0', [0, input.cells[0][0] ?? 0]]]) }
	];
	return out;
}

describe('protectTable memo', () => {
	it('gives what protecting afresh gives, for 300 random tables and their variants, and hands out copies', () => {
		const next = seededRandom(11).next;
		const inputs = Array.from({ length: 300 }, () => randomInput(next)).flatMap((i) => [i, ...variants(i)]);
		useProtectionMemo(() => undefined);
		const fresh = inputs.map((i) => protectTable(i));
		const memo = new Map<string, Protection>();
		useProtectionMemo(() => memo);
		// Twice over, in two orders: the second pass reads every protection from the memo.
		const first = inputs.map((i) => protectTable(i));
		const again = [...inputs.keys()].reverse().map((k) => [k, protectTable(inputs[k])] as const);
		expect(first).toEqual(fresh);
		for (const [k, p] of again) expect(p, `input ${k}`).toEqual(fresh[k]);
		expect(memo.size).toBeGreaterThan(300);
		// A caller that edits what it was given does not edit what the next caller gets.
		const p = protectTable(inputs[0]);
		p.cells[0][0] = 'secondary';
		p.colTotals[0] = 'secondary';
		expect(protectTable(inputs[0])).toEqual(fresh[0]);
	});
});

describe('protectTable memo, inputs that differ only in order', () => {
	it('keeps one protection for sets and maps whose members come in another order (protect reads them by key)', () => {
		const input: ProtectInput = {
			cells: [
				[3, 7, 12],
				[8, 2, 9],
				[6, 11, 4]
			],
			rowTotals: [22, 19, 21],
			colTotals: [17, 20, 25],
			grand: 62,
			min: 5,
			mustHide: new Set(['0,1', '2,3', '1,2']),
			blur: new Set(['0,0', '2,2']),
			bounds: new Map<string, [number, number]>([
				['1,0', [5, 9]],
				['3,3', [60, Infinity]]
			]),
			decided: new Map<string, Hidden>([
				['3,0', false],
				['0,3', 'secondary']
			])
		};
		const reordered: ProtectInput = {
			...input,
			mustHide: new Set([...input.mustHide!].reverse()),
			blur: new Set([...input.blur!].reverse()),
			bounds: new Map([...input.bounds!].reverse()),
			decided: new Map([...input.decided!].reverse())
		};
		useProtectionMemo(() => undefined);
		const fresh = protectTable(input);
		expect(protectTable(reordered)).toEqual(fresh);
		const memo = new Map<string, Protection>();
		useProtectionMemo(() => memo);
		expect(protectTable(input)).toEqual(fresh);
		const kept = memo.size;
		expect(protectTable(reordered)).toEqual(fresh);
		// The same input: nothing new protected or kept.
		expect(memo.size).toBe(kept);
	});

	it('protectLinked with a memo gives what it gives without, and leaves the sets it was given as they were', () => {
		// The total 9 that the first table hides as the partner of its "<5" is the second table's 9, shown there
		// until the link asks it hidden (a second round, with the entry added to that table's mustHide).
		const mustHide = new Set<string>();
		const a: ProtectInput = {
			cells: [[undefined, undefined]],
			rowTotals: [12],
			colTotals: [3, 9],
			grand: 12,
			min: 5
		};
		const b: ProtectInput = { cells: [[9], [6]], colTotals: [15], min: 5, mustHide };
		const links = [{ a: 0, at: [1, 1] as [number, number], b: 1, bt: [0, 0] as [number, number] }];
		useProtectionMemo(() => undefined);
		const fresh = protectLinked([a, b], links);
		expect(fresh[1].cells[0][0]).toBe('secondary');
		const memo = new Map<string, Protection>();
		useProtectionMemo(() => memo);
		expect(protectLinked([a, b], links)).toEqual(fresh);
		expect(protectLinked([a, b], links)).toEqual(fresh);
		expect(mustHide.size).toBe(0);
	});
});
