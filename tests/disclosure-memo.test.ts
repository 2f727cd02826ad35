/**
 * protectTable's memo (suppress.ts useProtectionMemo): a filtered page's wider and sibling views protect
 * the same inputs many times over, so one computation keeps each protection by its input. What a memo
 * returns must be what protecting afresh gives, for every input that differs from an earlier one in any
 * way protectTable reads (cells, totals, free entries, equations, multi-response, threshold, the entries
 * another view hides, bounds, blur), and a protection handed out must not be changed by its caller's edits.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { protectTable, useProtectionMemo, type Protection, type ProtectInput } from '../src/lib/analysis/suppress';
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
