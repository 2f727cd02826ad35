/**
 * Views that do not nest (issue #11): sibling views such as each district's, set beside the
 * view without a district. For every cell, the districts' counts add up to the count without a
 * district filter (the "line" of that cell), so a count one district hides can be worked out
 * from the others' and the total, and "<5" labels along a line can pin each other (four
 * districts "<5" under "<5" for all of them: each is 1).
 *
 * The rule (a fixed breakdown protected as one, as statistical offices publish the slices of a
 * cross-classified table): every sibling view hides the same cells, the union of what any of
 * them hides and what the view without the dimension hides (the total view is fixed: it is
 * published on its own). A line is then either shown in full (it adds up, nothing to learn) or
 * hidden in every sibling. Along a hidden line, what an onlooker can still work out is passed to
 * each sibling's protection as bounds, and a "<5" that would let a line pin a count reads "[c]"
 * instead (its "1 to min−1" is what pins): where the total view hides the cell, always (so the
 * line tells nothing about the hidden total either); where it shows it, only when the line would
 * pin a count. Each sibling is then protected with its hidden line cells and those bounds, which
 * may hide more; repeated (by the caller) until nothing changes.
 *
 * Pure: tables in, constraints out (keys as tables.ts cellKey).
 */
import { cellKey, type Cell, type TableData } from './tables';
import type { ViewConstraints } from './suppress';
import { envSwitch } from './switches';
import { hasOwnBounds, ownBounds } from './own-bounds';

type Bounds = [number, number];

/** cellsOf of each table already read: a family's rounds read the same slices' and lines' tables again (issue #19). */
const cellsOfTable = new WeakMap<TableData, Map<string, Cell>>();

/** A table's cells by cell key (shared: read only). */
function cellsOf(t: TableData | undefined): Map<string, Cell> {
	if (!t) return new Map();
	let out = cellsOfTable.get(t);
	if (out) return out;
	out = new Map<string, Cell>();
	for (const r of t.rows) r.cells.forEach((c, j) => out!.set(cellKey(r.key, t.columns[j].key), c));
	cellsOfTable.set(t, out);
	return out;
}

/** The `known` bounds of siblingConstraints; ANALYSIS_SIBLING_WIDER=off leaves them unread (A/B runs and the test's proof). */
const siblingsKnown = () => envSwitch('ANALYSIS_SIBLING_WIDER') !== 'off';

/** The retry of siblingConstraints for a slice pinned by a line's old bounds; ANALYSIS_SIBLING_RETRY=off leaves it out. */
const siblingsRetry = () => envSwitch('ANALYSIS_SIBLING_RETRY') !== 'off';

/**
 * Each slice's hidden entry read with what the rest of its own table says of it (own-bounds.ts; issue #11, seed
 * 400's theme tables); ANALYSIS_SIBLING_OWN_BOUNDS=off reads the labels alone (before).
 */
const siblingsOwnBounds = () => envSwitch('ANALYSIS_SIBLING_OWN_BOUNDS') !== 'off';

const isSmallLabel = (c: Cell) => c.suppressed === true && c.text.startsWith('<');

export interface SiblingResult {
	/** One per slice, in the order given. */
	perSlice: ViewConstraints[];
	/** Cell keys whose "<5" reads "[c]" in every slice (pass back in on the next round). */
	blur: Set<string>;
	/** Cell keys whose slices were asked again after showing a count asked hidden (pass back in on the next round). */
	retried: Set<string>;
}

/**
 * What each sibling view of one table must hide and what an onlooker knows of its hidden
 * counts, given how each sibling (`slices`; undefined where that view has no such table, so
 * its counts are known zeros) and the view without the dimension (`total`) read now. `blur`:
 * keys already turned from "<5" to "[c]" on an earlier round (only grows). `prev`: what the last
 * round asked of each slice; a cell it asked to hide that the slice still shows is one the slice's
 * own table gives away (a zero: suppress.ts protectTable), so it counts as known. `additive`: false
 * when the slices overlap (a submission with a child's and a parent's perspective is in both
 * groups' views): then an onlooker knows only that each slice is at most the total and that they
 * add up to at least it. `additive` 'within': the slices overlap and need not cover the total (a
 * submission may answer no question, an answer may have no theme), so an onlooker knows only that
 * each is at most the total. `retried`: keys whose slices were asked again after showing a count asked hidden (see
 * below; pass back in the `retried` of the last round, an empty set on the first; without it nothing is retried).
 */
export function siblingConstraints(
	slices: (TableData | undefined)[],
	total: TableData | undefined,
	min: number,
	blur: Set<string> = new Set(),
	prev?: ViewConstraints[],
	additive: boolean | 'within' = true,
	known?: (Map<string, Bounds> | undefined)[],
	retried?: Set<string>
): SiblingResult {
	const perSlice: ViewConstraints[] = slices.map(() => ({ hide: new Set(), bounds: new Map(), blur: new Set() }));
	const outBlur = new Set(blur);
	const outRetried = new Set(retried);
	if (min <= 0 || !total) return { perSlice, blur: outBlur, retried: outRetried };
	const maps = slices.map(cellsOf);
	const totalCells = cellsOf(total);
	// What each slice's own table says of its hidden entries (theme tables: own-bounds.ts).
	const own = siblingsOwnBounds() && hasOwnBounds(total) ? slices.map((t) => t && ownBounds(t, min)) : [];
	const ownTotal = own.length ? ownBounds(total, min) : undefined;
	// The cells hidden anywhere: hidden in every sibling that has the cell.
	const hidden = new Set<string>();
	for (const m of [...maps, totalCells]) for (const [k, c] of m) if (c.suppressed) hidden.add(k);
	for (const key of hidden) {
		const x = totalCells.get(key);
		const present = maps.map((m) => m.has(key));
		// The total view hides it: no "<5" along the line (it would bound the hidden total).
		if (!x || x.suppressed) outBlur.add(key);
		// Slices that show a count the last round asked them to hide, although neither that round's bounds nor their own
		// wider views pinned it on its own: read as hidden again (not pinned), once per line and cell (`forgiven`, below).
		let forgiven = new Set<number>();
		// Bounds of each slice's entry once hidden: "<5" (unless blurred) 1..min−1, "[c]" any, absent 0.
		const label = (v: number): Bounds => {
			if (!present[v]) return [0, 0];
			const c = maps[v].get(key)!;
			const asked = prev?.[v];
			const pinned = asked?.bounds.get(key);
			if (!c.suppressed && (asked?.hide.has(key) || (pinned && pinned[0] >= pinned[1])) && !forgiven.has(v))
				return [c.n!, c.n!];
			const y: Bounds = isSmallLabel(c) && !outBlur.has(key) ? [1, min - 1] : [0, Infinity];
			const o = own[v]?.get(key);
			return o && c.suppressed ? [Math.max(y[0], o[0]), Math.min(y[1], o[1])] : y;
		};
		const xl: Bounds = !x
			? [0, Infinity]
			: x.suppressed
				? isSmallLabel(x)
					? [1, min - 1]
					: [0, Infinity]
				: [x.n!, x.n!];
		const xo = x?.suppressed ? ownTotal?.get(key) : undefined;
		const xb: Bounds = xo ? [Math.max(xl[0], xo[0]), Math.min(xl[1], xo[1])] : xl;
		// With `known`: each slice's entry also within what its own wider views give away (withKnown).
		const propagate = (withKnown = false): Bounds[] => {
			const b = slices.map((_, v): Bounds => {
				const y = label(v);
				const k = withKnown ? known?.[v]?.get(key) : undefined;
				return k ? [Math.max(y[0], k[0]), Math.min(y[1], k[1])] : y;
			});
			// Sums over the other slices, taken directly (∞ − ∞ would be NaN).
			const others = (v: number, side: 0 | 1) => b.reduce((a, y, o) => (o === v ? a : a + y[side]), 0);
			for (let pass = 0; pass < 4; pass++) {
				let changed = false;
				b.forEach((y, v) => {
					if (!present[v]) return;
					const lo = additive === 'within' ? y[0] : Math.max(y[0], xb[0] - others(v, 1));
					const hi = Math.min(y[1], additive === true ? xb[1] - others(v, 0) : xb[1]);
					if (lo > y[0] || hi < y[1]) {
						b[v] = [lo, hi];
						changed = true;
					}
				});
				if (!changed) break;
			}
			return b;
		};
		// A slice the line pins only together with what its own wider views give away (a count asked hidden because
		// a wider count less it is small is known to be at least that count less min−1): the slice's protection
		// would find it pinned and show it, so the line's "<5"s read "[c]" as when the line alone pins it (issue
		// #11, the random audit's seed 44). Only the labels' decision reads `known`: the bounds passed on are the
		// line's, as before (the slice's own protection adds its wider bounds).
		const pinnedWithKnown = () => {
			if (!known || !siblingsKnown()) return false;
			const alone = (v: number) => {
				const k = known[v]?.get(key);
				return !!k && k[0] >= k[1];
			};
			return propagate(true).some((y, v) => present[v] && y[0] >= y[1] && !alone(v));
		};
		// A slice that showed a count it was asked to hide because the bounds this line gave it, with its table's own
		// equations, pinned it (issue #11, the random audit's seed 66: Wyre Forest's practitioners' total 11 and online
		// 8, each within the bounds the other types' "<5"s gave, summed to no other value): the line's "<5"s read "[c]"
		// and the slice is asked again, once (`retried`): a slice that shows it again is pinned as before, so a family
		// still settles. The pin may come from several lines' bounds together, so every line of the cell retries
		// in the same round. ANALYSIS_SIBLING_RETRY=off leaves it out.
		if (prev && retried && siblingsRetry()) {
			const defied = new Set<number>();
			maps.forEach((m, v) => {
				const c = m.get(key);
				const asked = prev[v];
				const was = asked?.bounds.get(key);
				const own = known?.[v]?.get(key);
				if (!present[v] || !c || c.suppressed || !c.n || !asked?.hide.has(key)) return;
				if ((was && was[0] >= was[1]) || (own && own[0] >= own[1])) return;
				defied.add(v);
			});
			if (defied.size) {
				const hadBlur = outBlur.has(key);
				if (maps.some((m) => m.get(key) && isSmallLabel(m.get(key)!))) outBlur.add(key);
				forgiven = defied;
				const loose = propagate();
				forgiven = new Set([...defied].filter((v) => !outRetried.has(key) && loose[v][0] < loose[v][1]));
				if (forgiven.size) outRetried.add(key);
				else if (!hadBlur) outBlur.delete(key);
			}
		}
		let b = propagate();
		if (
			!outBlur.has(key) &&
			(b.some((y, v) => present[v] && y[0] >= y[1]) || pinnedWithKnown()) &&
			maps.some((m) => m.get(key) && isSmallLabel(m.get(key)!))
		) {
			outBlur.add(key);
			b = propagate();
		}
		b.forEach((y, v) => {
			if (!present[v]) return;
			// Pinned even so (it is the only sibling with the cell, or the total is a shown zero, or
			// the slice shows it, see prev): the line publishes it anyway, so hiding it protects nothing.
			if (y[0] >= y[1]) {
				perSlice[v].bounds.set(key, y);
				return;
			}
			perSlice[v].hide.add(key);
			if (outBlur.has(key)) perSlice[v].blur!.add(key);
			if (y[0] > 0 || Number.isFinite(y[1])) perSlice[v].bounds.set(key, y);
		});
	}
	return { perSlice, blur: outBlur, retried: outRetried };
}

/** Two sets of constraints on one view as one (hidden: either; bounds: both hold). */
export function mergeConstraints(
	a: ViewConstraints | undefined,
	b: ViewConstraints | undefined
): ViewConstraints | undefined {
	if (!a || !b || a === b) return a ?? b;
	// One of them asks nothing (most tables of most slices): the other as it is (nothing changes these once made).
	const empty = (x: ViewConstraints) => x.hide.size === 0 && x.bounds.size === 0 && !x.blur?.size && !x.totalHidden;
	if (empty(b)) return a;
	if (empty(a)) return b;
	// One already says all the other says (a slice's constraints merged with its own again, round after round):
	// that one as it is, rather than a copy of it (issue #19: the copies were a tenth of a filtered page's garbage).
	if (covers(a, b)) return a;
	if (covers(b, a)) return b;
	const bounds = new Map(a.bounds);
	b.bounds.forEach((y, k) => {
		const had = bounds.get(k);
		bounds.set(k, had ? [Math.max(had[0], y[0]), Math.min(had[1], y[1])] : y);
	});
	const hide = new Set(a.hide);
	b.hide.forEach((k) => hide.add(k));
	let blur: Set<string> | undefined;
	if (a.blur || b.blur) {
		blur = new Set(a.blur);
		b.blur?.forEach((k) => blur!.add(k));
	}
	return {
		hide,
		bounds,
		...(blur ? { blur } : {}),
		...(a.totalHidden || b.totalHidden ? { totalHidden: true } : {})
	};
}

/**
 * Whether merging `b` into `a` would say nothing `a` does not: every cell `b` hides or blurs `a` does, every bound
 * of `b` is on a cell `a` bounds at least as tightly, and `a` hides the total if `b` does.
 */
function covers(a: ViewConstraints, b: ViewConstraints): boolean {
	if (b.totalHidden && !a.totalHidden) return false;
	if (b.hide.size > a.hide.size || b.bounds.size > a.bounds.size || (b.blur?.size ?? 0) > (a.blur?.size ?? 0))
		return false;
	let ok = true;
	b.hide.forEach((k) => {
		if (ok && !a.hide.has(k)) ok = false;
	});
	b.blur?.forEach((k) => {
		if (ok && !a.blur!.has(k)) ok = false;
	});
	if (!ok) return false;
	b.bounds.forEach((y, k) => {
		if (!ok) return;
		const x = a.bounds.get(k);
		if (!x || x[0] < y[0] || x[1] > y[1]) ok = false;
	});
	return ok;
}
