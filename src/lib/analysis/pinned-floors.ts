/**
 * A small count pinned at the top of its range by the floors the view's other tables put on it (issue #11, the
 * every-pair unfiltered view's random seeds 2 and 5, dis66; traced by dis63 and dis64).
 *
 * A "<5" says 1 to 4. The view's other lines say more: a margin is at least the sum of its line's floors in any
 * cross-tab with its dimension (margin-floors.ts, dis62), a cell that is the only non-zero one on a line is that
 * line's margin (so it takes the margin's floor), and the online count not asked an equality question ("Channel by
 * sexual orientation"'s online × "Not asked") is the answered rows of the "Not asked" column of every other equality
 * question's cross-tab with it (face-to-face submissions are "Not asked" in every equality field). Seed 5: "Age band
 * by ethnicity"'s "Left blank" column holds 12 or under (≥ 2 from "Age band by week"'s two "<5", and the only
 * non-zero cell on its row), 35 to 49 and left blank (≥ 1 each): "Left blank" ethnicity ≥ 4, under its "<5": 4, and
 * with it the online count not asked the orientation question (4), and 137 cells followed. Each table alone held.
 *
 * dis62 and dis64 give a small margin the bounds [floor, min − 1] where the floor is below min − 1, and leave a floor
 * at min − 1 out (it would pin the count, which the protection takes as known). Here, for every small entry a
 * table publishes (inner cells as well as margins), the floor is propagated to a fixed point over the view's
 * cross-tabs (margins from lines, cells from margins, the online "Not asked" identity), and where it reaches the
 * true count the entry must be able to rise: bounds [n, min − 1] below min − 1; at min − 1 (no room left under "<5")
 * the entry reads "[c]" (ProtectInput.blur) with the bounds [n, ∞), so that the table hides a partner that lets it
 * rise past the label. From the true counts only, so no table reads another's protection (no cycle).
 *
 * Pure: the view's cross-tab counts in, floors out. The caller (server/analysis/dashboard.ts) reads the switch
 * ANALYSIS_PINNED_FLOORS at use (`=off`: no such bounds or blurs, the old behaviour).
 */

/** One cross-tab's true counts, keys normalised as the cross-tab shows them (weeks as week numbers). */
export interface PairCounts {
	a: string;
	b: string;
	/** (row key, column key, count); the same cell may come in several raw rows (days of one week): added up. */
	rows: { x: string; y: string; n: number }[];
}

export interface FloorRules {
	/** The equality dimensions (their "Not asked" is the face-to-face submissions plus some online ones). */
	equality: ReadonlySet<string>;
	/** The "Not asked" key. */
	notAsked: string;
	/** Per dimension, the category that is exactly the online submissions (channel: "online"). */
	online: ReadonlyMap<string, string>;
}

export interface ViewFloors {
	/** The floor the view's lines put on category `key` of dimension `d` (0 when none). */
	margin(d: string, key: string): number;
	/** The floor on the cell (x, y) of the cross-tab a × b (0 when none). */
	cell(a: string, b: string, x: string, y: string): number;
	/**
	 * Whether category `key` of `d` has a line in some cross-tab whose cells are all small and all at their floors:
	 * shown, its total pins every one of them (no cell can fall, so none can rise), whatever that cross-tab hides.
	 */
	exact(d: string, key: string): boolean;
}

interface Pair {
	a: string;
	b: string;
	cells: Map<string, Map<string, number>>;
	cols: Map<string, Map<string, number>>;
}

const SEP = '\u001f';

/**
 * The floors of every small count of the view, to a fixed point (every floor is at most the true count: a line's
 * floors add up to at most its total, and a lone cell's margin is the cell, so the iteration stops).
 */
export function viewFloors(list: PairCounts[], min: number, rules: FloorRules): ViewFloors {
	const pairs: Pair[] = list.map((p) => {
		const cells = new Map<string, Map<string, number>>();
		const cols = new Map<string, Map<string, number>>();
		for (const { x, y, n } of p.rows) {
			if (x.startsWith('_') || y.startsWith('_')) continue;
			const row = cells.get(x) ?? new Map<string, number>();
			row.set(y, (row.get(y) ?? 0) + n);
			cells.set(x, row);
			const col = cols.get(y) ?? new Map<string, number>();
			col.set(x, (col.get(x) ?? 0) + n);
			cols.set(y, col);
		}
		return { a: p.a, b: p.b, cells, cols };
	});
	const margins = new Map<string, number>();
	const mk = (d: string, key: string) => `${d}${SEP}${key}`;
	const marginOf = (d: string, key: string) => margins.get(mk(d, key)) ?? 0;
	// The online count not asked equality question e: its floor from the other equality questions' cross-tabs with e.
	const onlineNotAsked = new Map<string, number>();
	const nonZero = (line: Map<string, number> | undefined) => {
		let k = 0;
		for (const n of line?.values() ?? []) if (n > 0) k++;
		return k;
	};
	const answered = (line: Map<string, number> | undefined) => {
		let k = 0;
		for (const [key, n] of line ?? []) if (n > 0 && key !== rules.notAsked) k++;
		return k;
	};
	const cellOf = (p: Pair, x: string, y: string, n: number): number => {
		if (n <= 0) return 0;
		let f = n < min ? 1 : n;
		if (nonZero(p.cells.get(x)) === 1) f = Math.max(f, Math.min(n, marginOf(p.a, x)));
		if (nonZero(p.cols.get(y)) === 1) f = Math.max(f, Math.min(n, marginOf(p.b, y)));
		for (const [d, other, key, e] of [
			[p.a, p.b, x, y],
			[p.b, p.a, y, x]
		] as const)
			if (e === rules.notAsked && rules.equality.has(other) && rules.online.get(d) === key)
				f = Math.max(f, Math.min(n, onlineNotAsked.get(other) ?? 0));
		// Two equality questions: the one answered cell of a "Not asked" line is that line's online part.
		const na = rules.notAsked;
		if (rules.equality.has(p.a) && rules.equality.has(p.b)) {
			if (y === na && x !== na && answered(p.cols.get(na)) === 1)
				f = Math.max(f, Math.min(n, onlineNotAsked.get(p.b) ?? 0));
			if (x === na && y !== na && answered(p.cells.get(na)) === 1)
				f = Math.max(f, Math.min(n, onlineNotAsked.get(p.a) ?? 0));
		}
		return f;
	};
	for (let round = 0; round < 20; round++) {
		let changed = false;
		const raise = (m: Map<string, number>, k: string, v: number) => {
			if (v > (m.get(k) ?? 0)) {
				m.set(k, v);
				changed = true;
			}
		};
		for (const p of pairs) {
			for (const [x, row] of p.cells) {
				let s = 0;
				for (const [y, n] of row) s += cellOf(p, x, y, n);
				raise(margins, mk(p.a, x), s);
			}
			for (const [y, col] of p.cols) {
				let s = 0;
				for (const [x, n] of col) s += cellOf(p, x, y, n);
				raise(margins, mk(p.b, y), s);
			}
			// Two equality questions: the answered rows of one's "Not asked" column are online submissions.
			if (rules.equality.has(p.a) && rules.equality.has(p.b)) {
				const na = rules.notAsked;
				let s = 0;
				for (const [x, n] of p.cols.get(na) ?? []) if (x !== na) s += cellOf(p, x, na, n);
				raise(onlineNotAsked, p.b, s);
				s = 0;
				for (const [y, n] of p.cells.get(na) ?? []) if (y !== na) s += cellOf(p, na, y, n);
				raise(onlineNotAsked, p.a, s);
			}
		}
		if (!changed) break;
	}
	// Lines of small cells only, each at its floor (after the fixed point).
	const exact = new Set<string>();
	for (const p of pairs)
		for (const [d, lines, at] of [
			[p.a, p.cells, (k: string, o: string) => [k, o] as const],
			[p.b, p.cols, (k: string, o: string) => [o, k] as const]
		] as const)
			for (const [k, line] of lines) {
				let all = true;
				let any = false;
				for (const [o, n] of line) {
					if (n <= 0) continue;
					const [x, y] = at(k, o);
					if (n >= min || cellOf(p, x, y, n) < n) {
						all = false;
						break;
					}
					any = true;
				}
				if (all && any) exact.add(mk(d, k));
			}
	const byPair = new Map(pairs.map((p) => [`${p.a}${SEP}${p.b}`, p]));
	return {
		margin: marginOf,
		exact: (d, key) => exact.has(mk(d, key)),
		cell(a, b, x, y) {
			const p = byPair.get(`${a}${SEP}${b}`);
			const n = p?.cells.get(x)?.get(y) ?? 0;
			return p ? cellOf(p, x, y, n) : 0;
		}
	};
}

/**
 * What a cross-tab's protection must know of its small entries whose floor reaches their true count (keys as
 * tables.ts cellKey: the row's total is (row, "_total"), the column's ("_total", column)): bounds [n, min − 1] below
 * min − 1, and at min − 1 a blur ("[c]") with the bounds [n, ∞). Floors of 1 (the label says it) are left out.
 * A margin of min or more with an exact line (ViewFloors.exact) is hidden: shown, it pins that line.
 */
export function pinnedConstraints(
	entries: { key: string; n: number; floor: number; exact?: boolean }[],
	min: number
): { hide: Set<string>; bounds: Map<string, [number, number]>; blur: Set<string> } {
	const hide = new Set<string>();
	const bounds = new Map<string, [number, number]>();
	const blur = new Set<string>();
	for (const { key, n, floor, exact } of entries) {
		if (exact && n >= min) hide.add(key);
		if (n < 2 || n >= min || floor < n) continue;
		if (n < min - 1) bounds.set(key, [n, min - 1]);
		else {
			bounds.set(key, [n, Number.POSITIVE_INFINITY]);
			blur.add(key);
		}
	}
	return { hide, bounds, blur };
}
