/**
 * A differencing attack on a published analysis table, written independently of the
 * suppression code: it reads only what the table shows (numbers, "<5", "[c]", percentages)
 * and what anyone knows about its structure (rows add up to "Total"/"All groups", columns add
 * up to the total row, an answer with themes has at least one, percentages are of the row,
 * column or group), then tries to pin each hidden count by
 *   1. interval propagation over every equation and inequality (subtraction along a row or
 *      column, and what the labels say: "<5" is 1..4, "[c]" any count),
 *   2. Gaussian elimination (any linear combination of rows and columns),
 *   3. percentages shown next to a hidden denominator (n ÷ share),
 *   4. probing: fix a hidden count at each value its interval allows and propagate; a value that
 *      leads to a contradiction is impossible; one survivor is a recovery,
 *   5. exhaustive search of every integer assignment when the hidden counts are few.
 * It reports every hidden count it recovered (the value it found and the truth, when given).
 */
import type { Cell, TableData } from '../../src/lib/analysis/tables';

export interface AttackOptions {
	min: number;
	/** Figures an onlooker also knows, e.g. the submissions shown in the headline (equality tables). */
	submissions?: number;
	/** The true table (same table at min=0), to check that a recovery is right. */
	truth?: TableData;
	/**
	 * What other views give away about hidden cells, by `${row key}|${column key}`: the count is
	 * in [lo, hi] (e.g. at most the same count shown in a wider view, at least one shown in a narrower).
	 */
	known?: Map<string, [number, number]>;
}

export interface Recovery {
	row: string;
	column: string;
	value: number;
	truth?: number | null;
	how: string;
}

interface Var {
	row: number;
	col: number;
	lo: number;
	hi: number;
}

/** sum(coef × term) + constant (= 0 | ≤ 0) */
interface Lin {
	terms: [number, number][];
	constant: number;
	kind: 'eq' | 'le';
}

type Value = { known: number } | { v: number };

const INF = Number.POSITIVE_INFINITY;

function parse(t: TableData, min: number) {
	const vars: Var[] = [];
	const grid: Value[][] = t.rows.map((r, i) =>
		r.cells.map((c, j) => {
			if (c.suppressed) {
				const small = c.text.startsWith('<');
				// "<5" is 1 to min−1; "[c]" is any count, zero included.
				vars.push({ row: i, col: j, lo: small ? 1 : 0, hi: small ? min - 1 : INF });
				return { v: vars.length - 1 };
			}
			return { known: c.n ?? 0 };
		})
	);
	return { vars, grid };
}

function sumLin(values: Value[], minus: Value[]): Lin {
	const lin: Lin = { terms: [], constant: 0, kind: 'eq' };
	for (const [list, sign] of [
		[values, 1],
		[minus, -1]
	] as const) {
		for (const x of list) {
			if ('known' in x) lin.constant += sign * x.known;
			else lin.terms.push([x.v, sign]);
		}
	}
	return lin;
}

/** The equations and inequalities anyone can read off the table's layout. */
function structure(t: TableData, grid: Value[][], opts: AttackOptions): Lin[] {
	const lins: Lin[] = [];
	const totalCol = t.columns.findIndex((c) => c.key === '_total' || c.key === '_all');
	const totalRow = t.rows.findIndex((r) => r.kind === 'total');
	const themes = t.id.startsWith('themes-');
	const equality = t.id.startsWith('eq-');
	const body = t.rows.map((r, i) => i).filter((i) => i !== totalRow && !(equality && t.rows[i].key === 'not_asked'));
	if (totalCol >= 0) {
		for (let i = 0; i < t.rows.length; i++) {
			lins.push(
				sumLin(
					grid[i].filter((_, j) => j !== totalCol),
					[grid[i][totalCol]]
				)
			);
		}
	}
	if (totalRow >= 0) {
		for (let j = 0; j < t.columns.length; j++) {
			const column = body.map((i) => grid[i][j]);
			if (!themes) {
				lins.push(sumLin(column, [grid[totalRow][j]]));
				continue;
			}
			// Theme columns: every answer has a theme or none, so themes + "no theme" ≥ answers;
			// each theme, and "no theme", is at most the answers (a theme plus "no theme" too).
			const uncoded = t.rows.findIndex((r) => r.key === '_uncoded');
			const answers = grid[totalRow][j];
			const ge = sumLin([answers], column);
			lins.push({ ...ge, kind: 'le' });
			for (const i of body) {
				const withNone = uncoded >= 0 && i !== uncoded ? [grid[i][j], grid[uncoded][j]] : [grid[i][j]];
				lins.push({ ...sumLin(withNone, [answers]), kind: 'le' });
			}
		}
	}
	if (equality && opts.submissions !== undefined && totalRow >= 0) {
		const notAsked = t.rows.findIndex((r) => r.key === 'not_asked');
		if (notAsked >= 0) lins.push(sumLin([grid[totalRow][0], grid[notAsked][0]], [{ known: opts.submissions }]));
	}
	return lins;
}

/** Which cell a shown percentage is of (its denominator), by the table's layout; null: outside the table. */
function denominatorOf(t: TableData, i: number, j: number): [number, number] | null {
	const totalCol = t.columns.findIndex((c) => c.key === '_total' || c.key === '_all');
	const totalRow = t.rows.findIndex((r) => r.kind === 'total');
	if (t.id.startsWith('themes-')) return totalRow >= 0 ? [totalRow, j] : null;
	if (t.id.startsWith('eq-') || t.columns.length === 1)
		return totalRow >= 0 && t.id !== 'groups' && t.id !== 'questions' ? [totalRow, 0] : null;
	const byRow = t.notes.some((n) => n.includes('of the row'));
	const byCol = t.notes.some((n) => n.includes('of the column'));
	if (byRow) return j === totalCol ? null : i === totalRow ? [totalRow, totalCol] : [i, totalCol];
	if (byCol) return i === totalRow ? null : j === totalCol ? [totalRow, totalCol] : [totalRow, j];
	return null;
}

/** Interval propagation to a fixpoint; false when the bounds contradict (no table fits). */
function propagate(lins: Lin[], lo: number[], hi: number[]): boolean {
	for (let pass = 0; pass < 200; pass++) {
		let changed = false;
		for (const lin of lins) {
			// Σ c_k x_k + constant (= | ≤) 0
			let minSum = lin.constant;
			let maxSum = lin.constant;
			for (const [k, c] of lin.terms) {
				minSum += c > 0 ? c * lo[k] : c * hi[k];
				maxSum += c > 0 ? c * hi[k] : c * lo[k];
			}
			if (minSum > 1e-9) return false;
			if (lin.kind === 'eq' && maxSum < -1e-9) return false;
			for (const [k, c] of lin.terms) {
				const restMin = minSum - (c > 0 ? c * lo[k] : c * hi[k]);
				const restMax = maxSum - (c > 0 ? c * hi[k] : c * lo[k]);
				// c·x ≤ −restMin; for equations also c·x ≥ −restMax
				if (c > 0) {
					const nh = Math.floor(-restMin / c + 1e-9);
					if (nh < hi[k]) {
						hi[k] = nh;
						changed = true;
					}
					if (lin.kind === 'eq' && Number.isFinite(restMax)) {
						const nl = Math.ceil(-restMax / c - 1e-9);
						if (nl > lo[k]) {
							lo[k] = nl;
							changed = true;
						}
					}
				} else {
					const nl = Math.ceil(-restMin / c - 1e-9);
					if (nl > lo[k]) {
						lo[k] = nl;
						changed = true;
					}
					if (lin.kind === 'eq' && Number.isFinite(restMax)) {
						const nh = Math.floor(-restMax / c + 1e-9);
						if (nh < hi[k]) {
							hi[k] = nh;
							changed = true;
						}
					}
				}
				if (lo[k] > hi[k]) return false;
			}
		}
		if (!changed) return true;
	}
	return true;
}

/** Variables fixed by the equations alone (a unit vector in their row space). */
function linearlyDetermined(lins: Lin[], n: number): Map<number, number> {
	const rows = lins
		.filter((l) => l.kind === 'eq')
		.map((l) => {
			const a = new Array<number>(n + 1).fill(0);
			for (const [k, c] of l.terms) a[k] += c;
			a[n] = -l.constant;
			return a;
		});
	let r = 0;
	const pivots: number[] = [];
	for (let col = 0; col < n && r < rows.length; col++) {
		let p = -1;
		for (let i = r; i < rows.length; i++) if (Math.abs(rows[i][col]) > 1e-9) p = i;
		if (p < 0) continue;
		[rows[r], rows[p]] = [rows[p], rows[r]];
		const pv = rows[r][col];
		for (let k = 0; k <= n; k++) rows[r][k] /= pv;
		for (let i = 0; i < rows.length; i++) {
			if (i === r || Math.abs(rows[i][col]) < 1e-12) continue;
			const f = rows[i][col];
			for (let k = 0; k <= n; k++) rows[i][k] -= f * rows[r][k];
		}
		pivots.push(col);
		r++;
	}
	const out = new Map<number, number>();
	pivots.forEach((col, i) => {
		const others = rows[i].slice(0, n).some((v, k) => k !== col && Math.abs(v) > 1e-9);
		if (!others) out.set(col, Math.round(rows[i][n]));
	});
	return out;
}

/**
 * Every variable the equations and inequalities pin, given its bounds (already propagated): by bounds, by a
 * linear combination of the equations, by a percentage (`allowed`: the values a shown share leaves), by
 * probing each value with propagation, and by exhaustive search when few combinations are left.
 */
function pin(lins: Lin[], lo: number[], hi: number[], allowed: (Set<number> | null)[] = []) {
	const n = lo.length;
	const found = new Map<number, { value: number; how: string }>();
	for (let k = 0; k < n; k++) if (lo[k] === hi[k]) found.set(k, { value: lo[k], how: 'subtraction and bounds' });
	for (const [k, value] of linearlyDetermined(lins, n))
		if (!found.has(k)) found.set(k, { value, how: 'linear combination of rows and columns' });
	allowed.forEach((set, k) => {
		if (!set || found.has(k)) return;
		const inRange = [...set].filter((x) => x >= lo[k] && x <= hi[k]);
		if (inRange.length === 1) found.set(k, { value: inRange[0], how: 'percentage of a hidden total' });
	});
	// Probing: each value a hidden count can take, tried with propagation.
	for (let k = 0; k < n; k++) {
		if (found.has(k) || !Number.isFinite(hi[k]) || hi[k] - lo[k] > 400) continue;
		const survivors: number[] = [];
		for (let x = lo[k]; x <= hi[k]; x++) {
			if (allowed[k] && !allowed[k]!.has(x)) continue;
			const l2 = [...lo];
			const h2 = [...hi];
			l2[k] = h2[k] = x;
			if (propagate(lins, l2, h2)) survivors.push(x);
			if (survivors.length > 1) break;
		}
		if (survivors.length === 1) found.set(k, { value: survivors[0], how: 'probing with propagation' });
	}
	// Exhaustive search when small enough.
	const span = lo.reduce((p, l, k) => p * (Number.isFinite(hi[k]) ? hi[k] - l + 1 : INF), 1);
	if (span <= 300_000) {
		const seen = lo.map(() => new Set<number>());
		const x = [...lo];
		const check = () =>
			lins.every((l) => {
				const s = l.terms.reduce((a, [k, c]) => a + c * x[k], l.constant);
				return l.kind === 'eq' ? Math.abs(s) < 1e-9 : s <= 1e-9;
			}) && allowed.every((set, k) => !set || set.has(x[k]));
		const walk = (k: number) => {
			if (k === n) {
				if (check()) x.forEach((v, i) => seen[i].add(v));
				return;
			}
			for (let v = lo[k]; v <= hi[k]; v++) {
				x[k] = v;
				walk(k + 1);
			}
		};
		walk(0);
		seen.forEach((s, k) => {
			if (s.size === 1 && !found.has(k)) found.set(k, { value: [...s][0], how: 'exhaustive search' });
		});
	}
	return found;
}

export function attack(t: TableData, opts: AttackOptions): Recovery[] {
	if (t.ticks) return [];
	const { vars, grid } = parse(t, opts.min);
	if (vars.length === 0) return [];
	const lins = structure(t, grid, opts);
	const lo = vars.map((v) => v.lo);
	const hi = vars.map((v) => v.hi);
	vars.forEach((v, k) => {
		const b = opts.known?.get(`${t.rows[v.row].key}|${t.columns[v.col].key}`);
		if (!b) return;
		lo[k] = Math.max(lo[k], b[0]);
		hi[k] = Math.min(hi[k], b[1]);
	});
	// Percentages beside a hidden denominator: which denominators fit n and the share shown (to 0.05).
	const allowed: (Set<number> | null)[] = vars.map(() => null);
	t.rows.forEach((row, i) =>
		row.cells.forEach((cell, j) => {
			if (cell.suppressed || cell.pct === null || !cell.n) return;
			const d = denominatorOf(t, i, j);
			if (!d) return;
			const g = grid[d[0]]?.[d[1]];
			if (!g || !('v' in g)) return;
			const v = g.v;
			const fits = new Set<number>();
			const from = Math.max(cell.n, Math.ceil((100 * cell.n) / (cell.pct + 0.05)));
			const to = Math.floor((100 * cell.n) / Math.max(cell.pct - 0.05, 1e-9));
			for (let D = from; D <= Math.min(to, from + 100_000); D++) fits.add(D);
			allowed[v] = allowed[v] ? new Set([...allowed[v]!].filter((x) => fits.has(x))) : fits;
			if (fits.size) {
				lo[v] = Math.max(lo[v], Math.min(...fits));
				hi[v] = Math.min(hi[v], Math.max(...fits));
			}
		})
	);
	if (!propagate(lins, lo, hi)) throw new Error(`attack on ${t.id}: the published table is inconsistent`);
	const found = pin(lins, lo, hi, allowed);
	return [...found].map(([k, f]) => {
		const v = vars[k];
		const truthCell = opts.truth?.rows[v.row]?.cells[v.col];
		return {
			row: t.rows[v.row].label,
			column: v.col < t.columns.length ? t.columns[v.col].label : String(v.col),
			value: f.value,
			truth: truthCell?.n,
			how: f.how
		};
	});
}

/** One count published by two views: the cell of row `rowA`, column `colA` of A is the cell of `rowB`, `colB` of B (keys). */
export interface ViewLink {
	rowA: string;
	colA: string;
	rowB: string;
	colB: string;
}

/**
 * The differencing attack on a PAIR of views of the same data: wherever one view shows a
 * count the other hides, the shown value is written into the other (a "<5" shown elsewhere
 * as a number is a recovery in itself), then each view is attacked with what the other gave
 * away. Returns every hidden count recovered, in either view.
 */
export function attackPair(a: TableData, b: TableData, links: ViewLink[], opts: AttackOptions): Recovery[] {
	const cellAt = (t: TableData, row: string, col: string) => {
		const r = t.rows.find((x) => x.key === row);
		const j = t.columns.findIndex((c) => c.key === col);
		return r && j >= 0 ? r.cells[j] : undefined;
	};
	const copy = (t: TableData): TableData => ({
		...t,
		rows: t.rows.map((r) => ({ ...r, cells: r.cells.map((c) => ({ ...c })) }))
	});
	const [a2, b2] = [copy(a), copy(b)];
	const out: Recovery[] = [];
	for (const l of links) {
		for (const [from, fr, fc, to, tr, tc] of [
			[a, l.rowA, l.colA, b2, l.rowB, l.colB],
			[b, l.rowB, l.colB, a2, l.rowA, l.colA]
		] as const) {
			const shown = cellAt(from, fr, fc);
			const hidden = cellAt(to, tr, tc);
			if (!shown || !hidden || shown.suppressed || !hidden.suppressed) continue;
			out.push({ row: tr, column: tc, value: shown.n ?? 0, how: `shown in ${from.id}` });
			Object.assign(hidden, { n: shown.n, text: String(shown.n), suppressed: false, pct: null });
		}
	}
	// Only counts hidden in the published views are recoveries.
	const wasHidden = (t: TableData, r: Recovery) =>
		t.rows.some((x) => x.label === r.row && x.cells.some((c, j) => c.suppressed && t.columns[j].label === r.column));
	out.push(...attack(a2, opts).filter((r) => wasHidden(a, r)), ...attack(b2, opts).filter((r) => wasHidden(b, r)));
	return out;
}

/**
 * The differencing attack on SIBLING views that do not nest (issue #11): slices of one
 * dimension (each district's view, or each month's) and the view without that filter, whose
 * counts add up cell by cell (slice₁ + … + sliceₙ = total), as "all districts minus every other
 * district" or "January–April minus January–March". For each cell key, every count on that line
 * (shown, or hidden with what its label says) bounds the others by subtraction; what that gives
 * is handed to the single-table attack of each view as known bounds, whose recoveries tighten the
 * lines again, for a few rounds. A row a slice does not show at all is a known zero there.
 * Returns every hidden count recovered, in any slice or the total (`view` names it).
 */
export function attackSiblings(
	slices: TableData[],
	total: TableData,
	opts: AttackOptions & {
		truths?: TableData[];
		totalTruth?: TableData;
		/**
		 * The slices overlap (a person in two of them, as a submission with a child's and a parent's
		 * perspective is in both groups' views): they add up to at least the total, each at most it.
		 */
		superset?: boolean;
		/**
		 * The slices overlap and need not cover the total (a submission that answered no question, an
		 * answer with no theme): each is at most the total, and the total at least each.
		 */
		within?: boolean;
	}
): (Recovery & { view: number })[] {
	const views = [...slices, total];
	const truths = [...(opts.truths ?? []), opts.totalTruth];
	type B = [number, number];
	const cellMaps = views.map(
		(t) =>
			new Map<string, Cell>(t.rows.flatMap((r) => r.cells.map((c, j) => [`${r.key}|${t.columns[j].key}`, c] as const)))
	);
	const keys = new Set(cellMaps.flatMap((m) => [...m.keys()]));
	const bounds = views.map(() => new Map<string, B>());
	const boundOf = (v: number, key: string): B => {
		const c = cellMaps[v].get(key);
		if (!c) return [0, 0];
		if (!c.suppressed) return [c.n ?? 0, c.n ?? 0];
		const label: B = c.text.startsWith('<') ? [1, opts.min - 1] : [0, INF];
		const b = bounds[v].get(key);
		return b ? [Math.max(label[0], b[0]), Math.min(label[1], b[1])] : label;
	};
	const found = new Map<string, Recovery & { view: number }>();
	for (let round = 0; round < 4; round++) {
		let changed = false;
		// Each line: slices add up to the total.
		for (const key of keys) {
			if (!cellMaps[views.length - 1].has(key)) continue;
			for (let pass = 0; pass < 4; pass++) {
				const b = views.map((_, v) => boundOf(v, key));
				const n = slices.length;
				const sumLo = b.slice(0, n).reduce((a, x) => a + x[0], 0);
				const sumHi = b.slice(0, n).reduce((a, x) => a + x[1], 0);
				const tighten = (v: number, lo: number, hi: number) => {
					const c = cellMaps[v].get(key);
					if (!c?.suppressed) return;
					const old = boundOf(v, key);
					const nb: B = [Math.max(old[0], lo), Math.min(old[1], hi)];
					if (nb[0] > old[0] || nb[1] < old[1]) {
						bounds[v].set(key, nb);
						changed = true;
					}
				};
				if (opts.within) {
					tighten(n, Math.max(0, ...b.slice(0, n).map((x) => x[0])), INF);
					for (let v = 0; v < n; v++) tighten(v, 0, b[n][1]);
				} else if (opts.superset) {
					tighten(n, Math.max(0, ...b.slice(0, n).map((x) => x[0])), sumHi);
					for (let v = 0; v < n; v++) tighten(v, b[n][0] - (sumHi - b[v][1]), b[n][1]);
				} else {
					tighten(n, sumLo, sumHi);
					for (let v = 0; v < n; v++) tighten(v, b[n][0] - (sumHi - b[v][1]), b[n][1] - (sumLo - b[v][0]));
				}
			}
		}
		// Each view on its own, with what the lines gave away.
		views.forEach((t, v) => {
			const known = new Map<string, B>();
			for (const key of keys) {
				const c = cellMaps[v].get(key);
				if (c?.suppressed) known.set(key, boundOf(v, key));
			}
			for (const r of attack(t, { ...opts, known, truth: truths[v] })) {
				const row = t.rows.find((x) => x.label === r.row);
				const j = t.columns.findIndex((x) => x.label === r.column);
				if (!row || j < 0) continue;
				const key = `${row.key}|${t.columns[j].key}`;
				const old = boundOf(v, key);
				if (old[0] !== r.value || old[1] !== r.value) {
					bounds[v].set(key, [r.value, r.value]);
					changed = true;
				}
			}
		});
		if (!changed) break;
	}
	views.forEach((t, v) => {
		for (const [key, c] of cellMaps[v]) {
			if (!c.suppressed) continue;
			const [lo, hi] = boundOf(v, key);
			if (lo !== hi) continue;
			const [rk, ck] = key.split('|');
			const row = t.rows.find((x) => x.key === rk)!;
			const j = t.columns.findIndex((x) => x.key === ck);
			found.set(`${v}|${key}`, {
				view: v,
				row: row.label,
				column: t.columns[j].label,
				value: lo,
				truth: truths[v]?.rows.find((x) => x.key === rk)?.cells[j]?.n,
				how: 'subtracting sibling views from their total'
			});
		}
	});
	return [...found.values()];
}

/**
 * How the slices of one dimension stand to the view without it, for one table: they add up to it
 * (`'eq'`), add up to at least it with each at most it (`'superset'`: they overlap, as a submission
 * with a child's and a parent's perspective is in both groups' views), or each is at most it
 * (`'within'`: they overlap and need not cover it).
 */
export type Additivity = 'eq' | 'superset' | 'within';

/**
 * The differencing attack on a TWO-FILTER family, jointly (issue #11): every slice of the grid
 * (`grid[i][j]`: the view with the first filter at its i-th value and the second at its j-th, e.g.
 * district × group), every one-filter view (`rows[i]`: the first filter alone; `columns[j]`: the
 * second alone) and the unfiltered view (`total`), all of one table. Every hidden count in any of
 * them is an unknown, and an onlooker knows at once
 *   - each view's own structure (its rows and columns add up, as `attack` reads them);
 *   - for every cell, each row line of the grid adds up to that row's one-filter view and each
 *     column line to that column's, and the one-filter views each add up to the unfiltered view
 *     (`a`: how the first dimension's slices stand to their total, `b`: the second's);
 *   - a view without the table, or without a row, shows zeros there.
 * It propagates intervals over the whole system, then for each cell pins what the two-way table of
 * slices with both margins pins (elimination, probing, exhaustive search: `pin`), and attacks each
 * view alone with what that gave, round after round until nothing changes. Returns every hidden count
 * pinned, with the truth when given (`truth*`), naming its view (`[i, j]`, `[i, -1]` (a row's view),
 * `[-1, j]` or `[-1, -1]`) and its cell key.
 */
export function attackGrid(
	grid: TableData[][],
	rows: TableData[],
	columns: TableData[],
	total: TableData,
	opts: AttackOptions & {
		a: Additivity;
		b: Additivity;
		truthGrid?: TableData[][];
		truthRows?: TableData[];
		truthColumns?: TableData[];
		totalTruth?: TableData;
		/** The most rounds (each attacks every view once). */
		rounds?: number;
		/**
		 * What an onlooker knows of a view's cell (`row|column`) besides the views, by the view's place (`at`, as in
		 * the result): public structural zeros (disclosure-families.ts structuralZero). Given, so never a recovery.
		 */
		knownIn?: (at: [number, number], key: string) => [number, number] | undefined;
	}
): (Recovery & { at: [number, number]; key: string })[] {
	const R = rows.length;
	const C = columns.length;
	type View = { t: TableData; at: [number, number]; truth?: TableData };
	const views: View[] = [];
	for (let i = 0; i < R; i++)
		for (let j = 0; j < C; j++) views.push({ t: grid[i][j], at: [i, j], truth: opts.truthGrid?.[i][j] });
	for (let i = 0; i < R; i++) views.push({ t: rows[i], at: [i, -1], truth: opts.truthRows?.[i] });
	for (let j = 0; j < C; j++) views.push({ t: columns[j], at: [-1, j], truth: opts.truthColumns?.[j] });
	views.push({ t: total, at: [-1, -1], truth: opts.totalTruth });
	const indexOf = (i: number, j: number) =>
		i >= 0 && j >= 0 ? i * C + j : i >= 0 ? R * C + i : j >= 0 ? R * C + R + j : R * C + R + C;

	// Every view's hidden counts as unknowns of one system, with each view's own structure.
	const { lo, hi, lins, owner, values } = systemOf(
		views,
		opts,
		opts.knownIn && ((x, key) => opts.knownIn!(views[x].at, key))
	);
	// Known before any view was read (knownIn): not a recovery.
	const given = lo.map((l, k) => l === hi[k]);
	const zero: Value = { known: 0 };
	const valueAt = (x: number, key: string) => values[x].get(key) ?? zero;

	// The lines of every cell: parts against their whole, as the dimension's slices stand to it.
	const line = (parts: Value[], whole: Value, how: Additivity): Lin[] => {
		if (how === 'eq') return [sumLin(parts, [whole])];
		const out: Lin[] = parts.map((p) => ({ ...sumLin([p], [whole]), kind: 'le' }));
		if (how === 'superset') out.push({ ...sumLin([whole], parts), kind: 'le' });
		return out;
	};
	const keys = [...values[indexOf(-1, -1)].keys()];
	const cellLins = new Map<string, Lin[]>();
	for (const key of keys) {
		const ls: Lin[] = [];
		for (let i = 0; i < R; i++)
			ls.push(
				...line(
					Array.from({ length: C }, (_, j) => valueAt(indexOf(i, j), key)),
					valueAt(indexOf(i, -1), key),
					opts.b
				)
			);
		for (let j = 0; j < C; j++)
			ls.push(
				...line(
					Array.from({ length: R }, (_, i) => valueAt(indexOf(i, j), key)),
					valueAt(indexOf(-1, j), key),
					opts.a
				)
			);
		ls.push(
			...line(
				Array.from({ length: R }, (_, i) => valueAt(indexOf(i, -1), key)),
				valueAt(indexOf(-1, -1), key),
				opts.a
			)
		);
		ls.push(
			...line(
				Array.from({ length: C }, (_, j) => valueAt(indexOf(-1, j), key)),
				valueAt(indexOf(-1, -1), key),
				opts.b
			)
		);
		cellLins.set(key, ls);
		lins.push(...ls);
	}
	const n = lo.length;
	if (n === 0) return [];
	if (!propagate(lins, lo, hi)) throw new Error(`grid attack on ${total.id}: the published views are inconsistent`);
	const how = new Map<number, string>();
	settle(
		{ lo, hi, lins, owner },
		views,
		opts,
		how,
		`grid attack on ${total.id}: the published views are inconsistent`,
		(fix) => {
			let changed = false;
			// Each cell's two-way table of slices with both margins, on its own (a small system: pinned jointly).
			for (const ls of cellLins.values()) {
				const used = [...new Set(ls.flatMap((l) => l.terms.map(([k]) => k)))];
				if (used.every((k) => lo[k] === hi[k])) continue;
				const local = new Map(used.map((k, x) => [k, x]));
				const sub = ls.map((l) => ({ ...l, terms: l.terms.map(([k, c]) => [local.get(k)!, c] as [number, number]) }));
				const l2 = used.map((k) => lo[k]);
				const h2 = used.map((k) => hi[k]);
				if (!propagate(sub, l2, h2)) throw new Error(`grid attack on ${total.id}: a cell's grid is inconsistent`);
				for (const [x, f] of pin(sub, l2, h2)) changed = fix(used[x], f.value, `two-way grid: ${f.how}`) || changed;
			}
			return changed;
		}
	);
	const out: (Recovery & { at: [number, number]; key: string })[] = [];
	for (let k = 0; k < n; k++) {
		if (lo[k] !== hi[k] || given[k]) continue;
		const o = owner[k];
		const v = views[o.table];
		out.push({
			at: v.at,
			key: o.key,
			row: v.t.rows[o.row].label,
			column: v.t.columns[o.col].label,
			value: lo[k],
			truth: v.truth?.rows.find((r) => r.key === v.t.rows[o.row].key)?.cells[o.col]?.n,
			how: how.get(k) ?? 'propagation over the family'
		});
	}
	return out;
}

/** One count published by two tables of a joint attack: table `a`'s cell key (`row|column`) is table `b`'s. */
export interface JointLink {
	a: number;
	aKey: string;
	b: number;
	bKey: string;
}

/**
 * The differencing attack on SEVERAL tables of one view at once (issue #11: a view's tables share margins,
 * as a group's count in "Respondent types" is that group's row total in every cross-tab with the group as a
 * dimension). Every hidden count of every table is an unknown of one system: each table's own structure (as
 * `attack` reads it), and for each link the two cells are one count (a count one table shows is then known in
 * the other). Propagation, elimination, probing and exhaustive search over the whole system (`pin`), then each
 * table alone with what that gave, until nothing changes. Returns every hidden count pinned, naming its table.
 */
export function attackJoint(
	tables: { t: TableData; truth?: TableData }[],
	links: JointLink[],
	opts: AttackOptions & {
		rounds?: number;
		/** What an onlooker knows of a table's cell (`row|column`) besides the tables (a filter's zeros). */
		knownIn?: (table: number, key: string) => [number, number] | undefined;
	}
): (Recovery & { table: number; key: string })[] {
	const { lo, hi, lins, owner, values } = systemOf(tables, opts, opts.knownIn);
	const given = lo.map((l, k) => l === hi[k]);
	for (const l of links) {
		const a = values[l.a].get(l.aKey);
		const b = values[l.b].get(l.bKey);
		if (a && b) lins.push(sumLin([a], [b]));
	}
	const n = lo.length;
	if (n === 0) return [];
	if (!propagate(lins, lo, hi)) throw new Error('joint attack: the published tables are inconsistent');
	const how = new Map<number, string>();
	for (let k = 0; k < n; k++) if (lo[k] === hi[k]) how.set(k, 'propagation across the tables');
	// Known before any table was read (knownIn): not a recovery.
	for (let k = 0; k < n; k++) if (given[k]) how.set(k, 'given');
	settle({ lo, hi, lins, owner }, tables, opts, how, 'joint attack: the published tables are inconsistent', (fix) => {
		let changed = false;
		for (const [k, f] of pin(lins, [...lo], [...hi])) changed = fix(k, f.value, `joint: ${f.how}`) || changed;
		return changed;
	});
	const out: (Recovery & { table: number; key: string })[] = [];
	for (let k = 0; k < n; k++) {
		if (lo[k] !== hi[k] || given[k]) continue;
		const o = owner[k];
		const { t, truth } = tables[o.table];
		out.push({
			table: o.table,
			key: o.key,
			row: t.rows[o.row].label,
			column: t.columns[o.col].label,
			value: lo[k],
			truth: truth?.rows.find((r) => r.key === t.rows[o.row].key)?.cells[o.col]?.n,
			how: how.get(k) ?? 'propagation across the tables'
		});
	}
	return out;
}

/** Every table's hidden counts as unknowns of one system, with each table's own structure (attackGrid, attackJoint). */
function systemOf(
	tables: { t: TableData }[],
	opts: AttackOptions,
	knownIn?: (table: number, key: string) => [number, number] | undefined
) {
	const lo: number[] = [];
	const hi: number[] = [];
	const lins: Lin[] = [];
	const owner: { table: number; key: string; row: number; col: number }[] = [];
	const values = tables.map(({ t }, x) => {
		const { vars, grid: g } = parse(t, opts.min);
		const offset = lo.length;
		vars.forEach((y) => {
			const key = `${t.rows[y.row].key}|${t.columns[y.col].key}`;
			const b = knownIn?.(x, key);
			lo.push(b ? Math.max(y.lo, b[0]) : y.lo);
			hi.push(b ? Math.min(y.hi, b[1]) : y.hi);
			owner.push({ table: x, key, row: y.row, col: y.col });
		});
		const shifted: Value[][] = g.map((r) => r.map((c) => ('v' in c ? { v: c.v + offset } : c)));
		for (const l of t.ticks ? [] : structure(t, shifted, opts)) lins.push(l);
		return new Map<string, Value>(
			t.rows.flatMap((r, i) => r.cells.map((_, j) => [`${r.key}|${t.columns[j].key}`, shifted[i][j]] as const))
		);
	});
	return { lo, hi, lins, owner, values };
}

/**
 * The rounds of a system attack (attackGrid, attackJoint), on a system already propagated: `system` pins what
 * the system (or parts of it) pins, then each table alone is attacked with what that gave, until a round changes
 * nothing (at most `opts.rounds`, 4 by default). `how` gets why each count was pinned; `inconsistent` is the
 * error when the published tables contradict each other.
 */
function settle(
	sys: Pick<ReturnType<typeof systemOf>, 'lo' | 'hi' | 'lins' | 'owner'>,
	tables: { t: TableData; truth?: TableData }[],
	opts: AttackOptions & { rounds?: number },
	how: Map<number, string>,
	inconsistent: string,
	system: (fix: (k: number, value: number, why: string) => boolean) => boolean
): void {
	const { lo, hi, lins, owner } = sys;
	const fix = (k: number, value: number, why: string) => {
		if (lo[k] === value && hi[k] === value) return false;
		lo[k] = hi[k] = value;
		how.set(k, why);
		return true;
	};
	for (let round = 0; round < (opts.rounds ?? 4); round++) {
		let changed = system(fix);
		// Each table alone, with what the system gave.
		tables.forEach(({ t, truth }, x) => {
			const known = new Map<string, [number, number]>();
			owner.forEach((o, k) => o.table === x && known.set(o.key, [lo[k], hi[k]]));
			if (known.size === 0) return;
			for (const r of attack(t, { ...opts, known, truth })) {
				const k = owner.findIndex(
					(o) => o.table === x && t.rows[o.row].label === r.row && t.columns[o.col].label === r.column
				);
				if (k >= 0) changed = fix(k, r.value, `own table: ${r.how}`) || changed;
			}
		});
		if (!changed) break;
		if (!propagate(lins, lo, hi)) throw new Error(inconsistent);
	}
}
