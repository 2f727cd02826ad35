/**
 * Sibling views (src/lib/analysis/siblings.ts): each district's view of a table beside the view
 * without a district. Pure: tallies built with the same builder as the screens, protected round by
 * round as src/lib/server/analysis/wider.ts does, then attacked by subtracting the siblings from
 * their total (tests/helpers/disclosure-attack.ts attackSiblings). The server-side test over every
 * table is in tests/disclosure-server.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { tally, type Item, type TableData } from '../src/lib/analysis/tables';
import { siblingConstraints } from '../src/lib/analysis/siblings';
import type { ViewConstraints } from '../src/lib/analysis/suppress';
import { attackSiblings } from './helpers/disclosure-attack';

const MIN = 5;
const build = (items: Item[], min = MIN, cross?: ViewConstraints) =>
	tally('t', 'Answers', 'Answer', items, { min, cross });
const items = (a: number, b: number): Item[] => [
	{ key: 'a', label: 'A', n: a },
	{ key: 'b', label: 'B', n: b }
];

/** The siblings as the server protects them: rounds of siblingConstraints until nothing changes. */
function protectSiblings(slices: Item[][], total: TableData): TableData[] {
	let extras: (ViewConstraints | undefined)[] = slices.map(() => undefined);
	let blur: Set<string> | undefined;
	let shown = slices.map((s) => build(s));
	for (let round = 0; round < 12; round++) {
		shown = slices.map((s, i) => build(s, MIN, extras[i]));
		const r = siblingConstraints(shown, total, MIN, blur, round > 0 ? (extras as ViewConstraints[]) : undefined);
		blur = r.blur;
		const same = r.perSlice.every((c, i) => JSON.stringify(serial(c)) === JSON.stringify(serial(extras[i])));
		extras = r.perSlice;
		if (same) break;
	}
	return shown;
}
const serial = (c?: ViewConstraints) => c && [[...c.hide].sort(), [...c.bounds].sort(), [...(c.blur ?? [])].sort()];

function attackAll(slices: Item[][], shown: TableData[]) {
	const sum = (k: 0 | 1) => slices.reduce((t, s) => t + s[k].n, 0);
	const total = build(items(sum(0), sum(1)));
	return attackSiblings(shown, total, {
		min: MIN,
		truths: slices.map((s) => build(s, 0)),
		totalTruth: build(items(sum(0), sum(1)), 0)
	});
}

describe('sibling views protected together', () => {
	const cases: [string, Item[][]][] = [
		// Four districts "<5" under "<5" for all of them: each is 1.
		['four small counts under a small total', [items(1, 10), items(1, 12), items(1, 9), items(1, 11)]],
		// Three districts of 2, 10 and 8, all shown but the 2: the 2 is 20 − 10 − 8.
		['one small count beside shown siblings', [items(2, 7), items(10, 13), items(8, 6)]]
	];
	for (const [name, slices] of cases) {
		it(`${name}: each view protected on its own gives a count away, together nothing`, () => {
			const sum = (k: 0 | 1) => slices.reduce((t, s) => t + s[k].n, 0);
			const total = build(items(sum(0), sum(1)));
			// On its own, each view is safe, but the siblings and their total give a hidden count away.
			expect(
				attackAll(
					slices,
					slices.map((s) => build(s))
				).length
			).toBeGreaterThan(0);
			const shown = protectSiblings(slices, total);
			expect(attackAll(slices, shown)).toEqual([]);
			// Every sibling hides the same cells; a "<5" the line would pin reads "[c]".
			const hiddenRows = (t: TableData) => t.rows.filter((r) => r.cells[0].suppressed).map((r) => r.key);
			for (const t of shown) expect(hiddenRows(t)).toEqual(hiddenRows(shown[0]));
			expect(hiddenRows(shown[0])).toContain('a');
		});
	}

	it('a small count under a small total reads "[c]" in the siblings, so the line pins nothing', () => {
		const slices = cases[0][1];
		const shown = protectSiblings(slices, build(items(4, 42)));
		for (const t of shown) expect(t.rows.find((r) => r.key === 'a')!.cells[0].text).toBe('[c]');
	});

	it('slices that need not cover their total (a question part of the total did not answer) are bounded by the total only', () => {
		// Two questions' views of a tally, 2 and 10, under a total of 20: the other 8 answered neither.
		// The 10 was asked to be hidden last round and its view shows it all the same (given away), so
		// an onlooker knows it.
		const slices = [build(items(2, 7)), build(items(10, 13))];
		const total = build(items(20, 30));
		const key = [...siblingConstraints(slices, total, MIN).perSlice[0].hide].find((k) => k.startsWith('a\u001f'))!;
		expect(key).toBeDefined();
		const prev = [
			{ hide: new Set<string>(), bounds: new Map<string, [number, number]>() },
			{ hide: new Set([key]), bounds: new Map<string, [number, number]>() }
		];
		const within = siblingConstraints(slices, total, MIN, undefined, prev, 'within').perSlice[0];
		// The 2 stays hidden, and nothing the line says about it excludes its true count.
		expect(within.hide.has(key)).toBe(true);
		const b = within.bounds.get(key) ?? [0, Infinity];
		expect(b[0] <= 2 && b[1] >= 2).toBe(true);
		// Read as "add up to at least the total", the line would claim the 2 is at least 10 (20 − 10),
		// a false bound handed to the slice's protection as what an onlooker knows.
		const superset = siblingConstraints(slices, total, MIN, undefined, prev, false).perSlice[0];
		expect(superset.bounds.get(key)?.[0]).toBe(10);
	});
});
