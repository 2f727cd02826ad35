import { describe, expect, it } from 'vitest';
import { protectTable, widerViewConstraints, type Hidden } from '../src/lib/analysis/suppress';
import { crossTab, equalityTable, tally, themeTables, type TableData } from '../src/lib/analysis/tables';
import { equalityCategories } from '../src/lib/analysis/dimensions';
import { attack } from './helpers/disclosure-attack';
import { seededRandom } from '../src/lib/util/random';

/** The project's one seeded generator (util/random.ts), so a failure can be replayed. */
const rng = (seed: number) => seededRandom(seed).next;

function crossOf(grid: number[][], min: number, percent: 'row' | 'column' | 'none' = 'none') {
	return crossTab({
		id: 'crosstab',
		caption: 'x',
		rowHeading: 'r',
		rows: grid.map((_, i) => ({ key: `r${i}`, label: `R${i}` })),
		columns: grid[0].map((_, j) => ({ key: `c${j}`, label: `C${j}` })),
		count: (r, c) => grid[Number(r.slice(1))][Number(c.slice(1))],
		min,
		percent,
		notes:
			percent === 'row'
				? ['Percentages are of the row.']
				: percent === 'column'
					? ['Percentages are of the column.']
					: []
	});
}

function themesOf(grid: number[][], answers: number[], uncoded: number[], min: number) {
	const groups = answers.map((_, j) => ({ key: `g${j}`, label: `G${j}` }));
	return themeTables({
		question: { key: 'q1', text: 'Q?' },
		themes: grid.map((_, i) => ({ id: i + 1, label: `T${i + 1}` })),
		groups,
		groupAnswers: new Map(groups.map((g, j) => [g.key, answers[j]])),
		counts: new Map(grid.flatMap((row, i) => row.map((n, j) => [`${i + 1}|g${j}`, n] as [string, number]))),
		uncoded: new Map(groups.map((g, j) => [g.key, uncoded[j]])),
		min,
		rule: { top: 2, minPct: 10 }
	}).counts;
}

/** Answers with themes for random groups: a multi-response table that is consistent by construction. */
function randomThemeData(next: () => number, themes: number, groups: number, maxAnswers: number) {
	const grid = Array.from({ length: themes }, () => new Array<number>(groups).fill(0));
	const answers = new Array<number>(groups).fill(0);
	const uncoded = new Array<number>(groups).fill(0);
	for (let j = 0; j < groups; j++) {
		const count = Math.floor(next() ** 2 * maxAnswers);
		answers[j] = count;
		for (let a = 0; a < count; a++) {
			if (next() < 0.15) {
				uncoded[j]++;
				continue;
			}
			const picked = new Set<number>([Math.floor(next() ** 1.5 * themes)]);
			if (next() < 0.4) picked.add(Math.floor(next() * themes));
			for (const t of picked) grid[t][j]++;
		}
	}
	return { grid, answers, uncoded };
}

describe('protectTable: which cells to hide', () => {
	it('hides small non-zero counts and never a zero; min 0 turns it off', () => {
		const p = protectTable({ cells: [[10, 3, 0, 20]], min: 5 });
		expect(p.cells[0]).toEqual([false, 'primary', false, false]);
		expect(protectTable({ cells: [[3, 2, 20]], rowTotals: [25], colTotals: [3, 2, 20], grand: 25, min: 0 }).any).toBe(
			false
		);
	});

	it('"Child <5, other groups 0, All groups 1": the total is small too, so it is hidden', () => {
		const p = protectTable({ cells: [[1, 0, 0, 0]], rowTotals: [1], min: 5 });
		expect(p.cells[0][0]).toBe('primary');
		expect(p.rowTotals[0]).toBe('primary');
	});

	it('one hidden cell in a row with a shown total gets a partner: the next smallest cell, not a zero', () => {
		const p = protectTable({ cells: [[3, 0, 9, 30]], rowTotals: [42], min: 5 });
		expect(p.cells[0]).toEqual(['primary', false, 'secondary', false]);
		expect(p.rowTotals[0]).toBe(false);
	});

	it('"<5" next to a "[c]" that together make 6 would give both away (1 + 5): hides more', () => {
		// 1 and 5 sum to 6: "<5" is at least 1 and "[c]" at least 5, so only 1 + 5 fits.
		const p = protectTable({ cells: [[1, 5, 7]], rowTotals: [13], min: 5 });
		expect(p.cells[0].filter(Boolean)).toHaveLength(3);
		expect(attack(crossOf([[1, 5, 7]], 5), { min: 5 })).toEqual([]);
	});

	it('protects against combinations of rows and columns, not only single lines (two blocks joined by one cell)', () => {
		// Rows 0–1 × columns 0–1 and rows 2–3 × columns 2–3 each hold a block of small cells;
		// the ONS line rule alone could leave the cell joining them recoverable from all four margins.
		const grid = [
			[2, 3, 0, 0, 50],
			[4, 1, 0, 0, 60],
			[0, 2, 3, 4, 70],
			[0, 0, 1, 2, 80]
		];
		const t = crossOf(grid, 5);
		expect(attack(t, { min: 5, truth: crossOf(grid, 0) })).toEqual([]);
	});

	it('treats multi-response columns as bounds, not sums, and still protects each row', () => {
		const p = protectTable({
			cells: [
				[3, 40],
				[9, 10]
			],
			rowTotals: [43, 19],
			colTotals: [12, 45],
			grand: 57,
			colsAdd: false,
			min: 5
		});
		// Row 0 has one small cell and a total: its partner is the smallest other cell in the row or column.
		expect(p.cells[0][0]).toBe('primary');
		expect(p.cells.flat().filter(Boolean).length + p.rowTotals.filter(Boolean).length).toBeGreaterThanOrEqual(2);
	});

	it('margins shown on their own (inner cells not shown) share one grand total', () => {
		const p = protectTable({
			cells: [
				[undefined, undefined],
				[undefined, undefined]
			],
			rowTotals: [3, 40],
			colTotals: [20, 23],
			grand: 43,
			min: 5
		});
		expect(p.rowTotals).toEqual(['primary', 'secondary']);
		expect(p.grand === false || p.colTotals.some(Boolean)).toBe(true);
	});
});

describe('tables built on protectTable', () => {
	it('tally: a small count with one other count and the total hides the next smallest', () => {
		const t = tally(
			'districts',
			'Districts',
			'District',
			[
				{ key: 'a', label: 'A', n: 40 },
				{ key: 'b', label: 'B', n: 3 },
				{ key: 'c', label: 'C', n: 57 }
			],
			{ min: 5 }
		);
		expect(t.rows.map((r) => r.cells[0].text)).toEqual(['[c]', '<5', '57 (57%)', '100']);
		expect(attack(t, { min: 5 })).toEqual([]);
	});

	it('theme table filtered to one district: "<5, <5, <5, 0, <5, All 4" hides All groups as "[c]", and nothing can be recovered', () => {
		const grid = [
			[1, 1, 1, 0, 1],
			[2, 0, 1, 0, 0]
		];
		const answers = [2, 1, 2, 0, 1];
		const uncoded = [0, 0, 0, 0, 0];
		const t = themesOf(grid, answers, uncoded, 5);
		const row = t.rows[0].cells.map((c) => c.text);
		// The small counts stay "<5". "All groups" (4) is hidden, and as "[c]", not "<5": four counts
		// of at least 1 under a total of at most 4 would all be 1.
		expect(row).toEqual(['<5', '<5', '<5', '0', '<5', '[c]']);
		expect(attack(t, { min: 5, truth: themesOf(grid, answers, uncoded, 0) })).toEqual([]);
	});

	it('"No theme yet" and "Answers" rows are suppressed like any other', () => {
		const t = themesOf(
			[
				[30, 25],
				[12, 40]
			],
			[44, 60],
			[2, 9],
			5
		);
		const un = t.rows.find((r) => r.key === '_uncoded')!;
		expect(un.cells[0].text).toBe('<5');
		expect(
			un.cells.filter((c) => c.suppressed).length + t.rows.flatMap((r) => r.cells).filter((c) => c.suppressed).length
		).toBeGreaterThan(2);
		expect(
			attack(t, {
				min: 5,
				truth: themesOf(
					[
						[30, 25],
						[12, 40]
					],
					[44, 60],
					[2, 9],
					0
				)
			})
		).toEqual([]);
	});

	it('a percentage is never shown beside a hidden denominator', () => {
		// Row 1 total is small (3), so its percentages would give it away.
		const t = crossOf(
			[
				[20, 30],
				[1, 2],
				[40, 10]
			],
			5,
			'row'
		);
		expect(t.rows[1].cells.every((c) => c.pct === null)).toBe(true);
		for (const r of t.rows) for (const c of r.cells) if (c.pct !== null) expect(c.suppressed).toBeFalsy();
		expect(attack(t, { min: 5 })).toEqual([]);
	});

	it('equality: "not asked" and "asked" add up to the submissions shown on the page', () => {
		const counts = new Map([
			['female', 20],
			['male', 18],
			['prefer_not_to_say', 6],
			['left_blank', 7],
			['not_asked', 3]
		]);
		const t = equalityTable('eq-gender', 'Gender', equalityCategories('gender'), counts, 5);
		const notAsked = t.rows.find((r) => r.key === 'not_asked')!.cells[0];
		expect(notAsked.suppressed).toBe(true);
		expect(t.notes[0]).toContain(`${notAsked.text} were not asked`);
		expect(attack(t, { min: 5, submissions: 54 })).toEqual([]);
	});

	it('a tick table never carries a hidden count', () => {
		const qt = themeTables({
			question: { key: 'q1', text: 'Q?' },
			themes: [
				{ id: 1, label: 'A' },
				{ id: 2, label: 'B' }
			],
			groups: [
				{ key: 'g', label: 'G' },
				{ key: 'h', label: 'H' }
			],
			groupAnswers: new Map([
				['g', 30],
				['h', 3]
			]),
			counts: new Map([
				['1|g', 20],
				['2|g', 12],
				['1|h', 2],
				['2|h', 1]
			]),
			min: 5,
			rule: { top: 1, minPct: 0 }
		});
		const hidden = qt.counts.rows
			.flatMap((r, i) => r.cells.map((c, j) => (c.suppressed ? `${i}|${j}` : null)))
			.filter(Boolean);
		expect(hidden.length).toBeGreaterThan(0);
		for (const r of qt.ticks.rows) {
			const i = qt.counts.rows.findIndex((x) => x.key === r.key);
			r.cells.forEach((c, j) => {
				if (hidden.includes(`${i}|${j}`)) expect(c.n).toBeNull();
			});
		}
	});
});

describe('differencing attack on random tables', () => {
	it('recovers nothing from 400 random cross-tabs (row, column and no percentages)', () => {
		const next = rng(20261130);
		let hiddenSeen = 0;
		for (let run = 0; run < 400; run++) {
			const rows = 1 + Math.floor(next() * 5);
			const cols = 1 + Math.floor(next() * 5);
			const scale = [3, 8, 30][run % 3];
			const grid = Array.from({ length: rows }, () =>
				Array.from({ length: cols }, () => (next() < 0.25 ? 0 : Math.floor(next() ** 2 * scale)))
			);
			const percent = (['row', 'column', 'none'] as const)[run % 3];
			const t = crossOf(grid, 5, percent);
			hiddenSeen += t.rows.flatMap((r) => r.cells).filter((c) => c.suppressed).length;
			const found = attack(t, { min: 5, truth: crossOf(grid, 0, percent) });
			expect(found, `${JSON.stringify(grid)} ${percent}`).toEqual([]);
		}
		expect(hiddenSeen).toBeGreaterThan(1000);
	});

	it('recovers nothing from 300 random multi-response theme tables', () => {
		const next = rng(7);
		let hiddenSeen = 0;
		for (let run = 0; run < 300; run++) {
			const { grid, answers, uncoded } = randomThemeData(
				next,
				2 + Math.floor(next() * 5),
				1 + Math.floor(next() * 5),
				[6, 15, 60][run % 3]
			);
			const t = themesOf(grid, answers, uncoded, 5);
			hiddenSeen += t.rows.flatMap((r) => r.cells).filter((c) => c.suppressed).length;
			expect(
				attack(t, { min: 5, truth: themesOf(grid, answers, uncoded, 0) }),
				JSON.stringify({ grid, answers, uncoded })
			).toEqual([]);
		}
		expect(hiddenSeen).toBeGreaterThan(500);
	});

	it('recovers nothing from 300 random tallies and equality tables', () => {
		const next = rng(99);
		for (let run = 0; run < 300; run++) {
			const items = Array.from({ length: 1 + Math.floor(next() * 6) }, (_, i) => ({
				key: `k${i}`,
				label: `K${i}`,
				n: next() < 0.2 ? 0 : Math.floor(next() ** 2 * [6, 20, 80][run % 3])
			}));
			expect(attack(tally('districts', 'D', 'D', items, { min: 5 }), { min: 5 })).toEqual([]);
			const cats = equalityCategories('disability');
			const counts = new Map(
				cats.map((c) => [c.key, next() < 0.2 ? 0 : Math.floor(next() ** 2 * [6, 20, 80][run % 3])])
			);
			// The headline shows the submissions unless they are small.
			const all = [...counts.values()].reduce((a, b) => a + b, 0);
			const submissions = all >= 5 ? all : undefined;
			expect(
				attack(equalityTable('eq-disability', 'Disability', cats, counts, 5), { min: 5, submissions }),
				JSON.stringify([...counts])
			).toEqual([]);
		}
	});

	it('the attack is not toothless: it recovers cells the old rule (lines only, totals never hidden) left open', () => {
		// Hide only the small cells and show every total, as before: the attack must find them.
		const t = crossOf(
			[
				[1, 0, 0],
				[7, 8, 9]
			],
			0
		);
		const old: TableData = {
			...t,
			rows: t.rows.map((r, i) => ({
				...r,
				cells: r.cells.map((c, j) => (i === 0 && j === 0 ? { n: null, pct: null, text: '<5', suppressed: true } : c))
			}))
		};
		const found = attack(old, { min: 5, truth: t });
		expect(found).toHaveLength(1);
		expect(found[0]).toMatchObject({ value: 1, truth: 1 });
		// A percentage beside a hidden total gives it away too.
		const pctLeak = crossOf(
			[
				[6, 12],
				[20, 30]
			],
			0,
			'row'
		);
		const leaky: TableData = {
			...pctLeak,
			rows: pctLeak.rows.map((r, i) => ({
				...r,
				cells: r.cells.map((c, j) => (i === 0 && j === 2 ? { n: null, pct: null, text: '[c]', suppressed: true } : c))
			}))
		};
		expect(attack(leaky, { min: 5 }).map((f) => f.value)).toEqual([18]);
	});

	it('every recovery the attack reports on an unprotected table is the true value', () => {
		const next = rng(3);
		for (let run = 0; run < 100; run++) {
			const grid = Array.from({ length: 3 }, () => Array.from({ length: 3 }, () => Math.floor(next() * 8)));
			const truth = crossOf(grid, 0);
			// Primary suppression only: the attack should recover some, and always correctly.
			const primaryOnly: TableData = {
				...truth,
				rows: truth.rows.map((r) => ({
					...r,
					cells: r.cells.map((c) =>
						c.n !== null && c.n > 0 && c.n < 5 ? { n: null, pct: null, text: '<5', suppressed: true } : c
					)
				}))
			};
			for (const f of attack(primaryOnly, { min: 5, truth })) expect(f.value).toBe(f.truth);
		}
	});
});

export type { Hidden };

describe('widerViewConstraints: a filtered view beside the same table with fewer filters', () => {
	const view = new Map([
		['small-rest', 10],
		['big-rest', 10],
		['same-as-hidden', 7],
		['zero', 0]
	]);
	const wider = {
		counts: new Map([
			['small-rest', 12],
			['big-rest', 20],
			['same-as-hidden', 7],
			['zero', 3]
		]),
		hidden: new Set(['same-as-hidden', 'zero'])
	};
	const c = widerViewConstraints(view, [wider], 5);
	it('hides a count whose difference from a shown wider count would be small, and says what an onlooker knows', () => {
		expect(c.hide.has('small-rest')).toBe(true);
		expect(c.bounds.get('small-rest')).toEqual([8, 12]);
	});
	it('shows a count whose difference is 5 or more, bounded by the wider count', () => {
		expect(c.hide.has('big-rest')).toBe(false);
		expect(c.bounds.get('big-rest')).toEqual([-Infinity, 20]);
	});
	it('hides a count that would pin a hidden wider count, but not a zero (it says only "at least 0")', () => {
		expect(c.hide.has('same-as-hidden')).toBe(true);
		expect(c.hide.has('zero')).toBe(false);
	});
	it('protects a table within those bounds: a row of "[c]" and "<5" under a shown total stays open', () => {
		// Row: a (10, hidden for the wider view, known 8..12) + b (2, small) = 12 shown. Without the
		// bounds, b = 12 − a is open; with a ≤ 12 and a ≥ 8 still open (a = 10 or 11 or 8...).
		const p = protectTable({ cells: [[10, 2]], rowTotals: [12], min: 5, mustHide: new Set(['0,0']) });
		expect(p.cells[0]).toEqual(['secondary', 'primary']);
		// Known a ≤ 10 (shown elsewhere as 10) pins nothing by itself, but with a ≥ 10 too it would: the total goes.
		const q = protectTable({
			cells: [[10, 2]],
			rowTotals: [12],
			min: 5,
			mustHide: new Set(['0,0']),
			bounds: new Map([['0,0', [10, 10] as [number, number]]])
		});
		expect(q.rowTotals[0]).toBe('secondary');
	});
	it('shows a count another view hides when what other views give away pins it (hiding it protects nothing)', () => {
		// A group's column of a theme table in that group's view: the view without a group shows the same count.
		const p = protectTable({
			cells: [[30, 20]],
			rowTotals: [50],
			min: 5,
			mustHide: new Set(['0,0']),
			bounds: new Map([['0,0', [30, 30] as [number, number]]])
		});
		expect(p.cells[0]).toEqual([false, false]);
		expect(p.rowTotals[0]).toBe(false);
	});
	it('is off when suppression is', () => {
		expect(widerViewConstraints(view, [wider], 0).hide.size).toBe(0);
	});
});
