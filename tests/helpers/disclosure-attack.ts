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

export function attack(t: TableData, opts: AttackOptions): Recovery[] {
	if (t.ticks) return [];
	const { vars, grid } = parse(t, opts.min);
	if (vars.length === 0) return [];
	const lins = structure(t, grid, opts);
	const n = vars.length;
	const lo = vars.map((v) => v.lo);
	const hi = vars.map((v) => v.hi);
	vars.forEach((v, k) => {
		const b = opts.known?.get(`${t.rows[v.row].key}|${t.columns[v.col].key}`);
		if (!b) return;
		lo[k] = Math.max(lo[k], b[0]);
		hi[k] = Math.min(hi[k], b[1]);
	});
	const found = new Map<number, { value: number; how: string }>();
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
		const seen = vars.map(() => new Set<number>());
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
