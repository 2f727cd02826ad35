/**
 * Small-cell suppression (disclosure control) for every analysis table.
 *
 * Primary suppression: a count from 1 to min−1 could identify someone, so it reads "<min".
 * Secondary suppression: a hidden count must not be recoverable from what the same table
 * shows: by subtracting the other cells of its row or column from the total, by combining
 * rows and columns, or by using what the labels themselves say ("<5" is 1 to 4, "[c]" is
 * min or more). Shown zeros are known values, so they help an onlooker, never protect.
 *
 * The model: a table with its margins is a closed (R+1)×(C+1) grid in which every row and
 * every column sums to zero once the totals are negated (x_ij, −rowTotal_i, −colTotal_j,
 * +grand). Any other table consistent with what is shown differs by a circulation on the
 * bipartite graph rows × columns whose edges are the hidden entries, so a hidden entry's
 * value is pinned exactly when no alternating cycle through it can move by one in either
 * direction while every hidden entry stays within what its label says (the feasible values of
 * one entry of a network-flow polytope form an interval of integers, so ±1 is the test).
 * This is the "no row or column with exactly one hidden cell" rule of statistical offices
 * (ONS), made exact for combinations of several rows and columns and for the labels' bounds.
 *
 * Margins that are not shown (no total column, say) are free: nothing constrains them.
 * A direction whose totals are not sums (one answer can raise several themes, so a theme
 * column does not add up to the group's answers) has no equation: its lines are joined to a
 * free node, so the only constraints left are the real ones; the inequalities that remain
 * (a theme count plus "no theme" is at most the group's answers) narrow each entry's bounds.
 */

import { envSwitch } from './switches';

export const DEFAULT_MIN_CELL = 5;

/** Is this count suppressed on its own (primary suppression)? */
export function isSmall(n: number, min: number): boolean {
	return min > 0 && n > 0 && n < min;
}

/** Why an entry is hidden: false (shown), 'primary' (a small count) or 'secondary' (protects a small one). */
export type Hidden = false | 'primary' | 'secondary';

export interface ProtectInput {
	/** R × C counts; undefined where a cell is not shown at all (e.g. only the margins are tables). */
	cells: (number | undefined)[][];
	/** The total column as shown (one per row); omitted when the table shows none. */
	rowTotals?: number[];
	/** The total row as shown (one per column); omitted when the table shows none. */
	colTotals?: number[];
	/** The grand total as shown; omitted when the table shows none. */
	grand?: number;
	/** Each row's cells add up to its total (default true). False: a row item can count in several columns. */
	rowsAdd?: boolean;
	/** Each column's cells add up to its total (default true). False for multi-response columns. */
	colsAdd?: boolean;
	/**
	 * Multi-response columns (colsAdd false): an item counts once in the column total however
	 * many rows it is in, and `noneRow` (if any) holds the items in no other row. So each cell
	 * plus the none cell is at most the column total, and the column total is at most their sum.
	 */
	multiResponse?: { noneRow?: number };
	/** The threshold: counts from 1 to min−1 are hidden; 0 turns suppression off. */
	min: number;
	/** The grand total is shown elsewhere whatever this table does (e.g. the submissions in the headline): never pick it. */
	grandShownElsewhere?: boolean;
	/**
	 * Entries hidden in another view that publishes the same count (see protectLinked): hidden here
	 * too (as "[c]" unless small), and protected like any other hidden entry. Keys are `r,c` in the
	 * closed grid: c = number of columns is the row's total, r = number of rows the column's total.
	 */
	mustHide?: Set<string>;
	/**
	 * What an onlooker knows of an entry from other views (see widerViewConstraints): its value
	 * lies in [lo, hi]. Keys as in mustHide. A hidden entry is then protected within these bounds
	 * too, so that the other view plus this one still cannot pin it.
	 */
	bounds?: Map<string, [number, number]>;
	/**
	 * Small counts that read "[c]" rather than "<5" (keys as in mustHide): sibling views along a
	 * line of "<5"s would pin each other (siblings.ts). Such an entry is hidden as a secondary one,
	 * so it is protected knowing only what "[c]" says.
	 */
	blur?: Set<string>;
	/**
	 * Entries another table of the same view decides (keys as in mustHide): the same count published there,
	 * as "Respondent types" publishes each group's count and the total that every cross-tab with the group as
	 * a dimension has as its row totals and grand total (issue #11, seed 1). Each reads here as it reads
	 * there (shown, "<5" or "[c]") and is never chosen as a partner or relabelled, so the tables of one view
	 * cannot be read against each other; this table protects its own hidden entries around them.
	 */
	decided?: Map<string, Hidden>;
}

export interface Protection {
	cells: Hidden[][];
	rowTotals: Hidden[];
	colTotals: Hidden[];
	grand: Hidden;
	/** Whether anything is hidden. */
	any: boolean;
}

interface Entry {
	r: number;
	c: number;
	/** y = sign × value in the closed grid. */
	sign: 1 | -1;
	value: number;
	/** Not shown at all: an unknown with no bounds. */
	free: boolean;
	hidden: Hidden;
	/** Interior cell (preferred over a total when choosing a secondary). */
	interior: boolean;
	/** Shown elsewhere: cannot be chosen as a partner. */
	fixed?: boolean;
	/** Bounds known from other views (ProtectInput.bounds). */
	lo?: number;
	hi?: number;
	/** Held where it is for one search (a multi-response column's slack: slackGuard in protect). */
	frozen?: boolean;
	/** Its index in the entries (entries.indexOf without the search). */
	i: number;
}

/**
 * The bounds an onlooker knows for an entry. "<5" is 1 to min−1. "[c]" says nothing (it can
 * be a zero or a small count hidden to protect another), but most are counts of min or more
 * chosen as partners, and someone who knows that could use it, so those are held to [min, ∞).
 */
function labelBounds(e: Entry, min: number): [number, number] {
	// What other views give away narrows it further (a count is at most the same count in a wider view).
	return [labelLo(e, min), labelHi(e, min)];
}

/** Whether what other views give away (ProtectInput.bounds) leaves a hidden entry one possible value. */
function pinnedElsewhere(e: Entry, min: number): boolean {
	if (e.lo === undefined && e.hi === undefined) return false;
	const [lo, hi] = labelBounds(e, min);
	return lo >= hi;
}

/** pinnedElsewhere with the labels read as they say ("[c]" any count, zero included; see labelsAsRead). */
function pinnedAsRead(e: Entry, min: number): boolean {
	labelsAsRead = true;
	try {
		return pinnedElsewhere(e, min);
	} finally {
		labelsAsRead = false;
	}
}

/** pinnedAsRead of the entry as if hidden as a partner ("[c]"), without a copy of it. */
function pinnedAsReadHidden(e: Entry, min: number): boolean {
	const was = e.hidden;
	e.hidden = 'secondary';
	try {
		return pinnedAsRead(e, min);
	} finally {
		e.hidden = was;
	}
}

/** A multi-response column: its cells, its "none" cell and its total, for the bounds they put on each other. */
interface McColumn {
	cells: Entry[];
	none?: Entry;
	total: Entry;
	/** Over its cells: the largest lower bound and the sum of upper bounds, as of `stamp`. */
	sums?: { stamp: number; loMax: number; hiSum: number };
}

/**
 * Bumped whenever an entry's `hidden` changes during a search (protectTable), so that the sums of a
 * multi-response column's bounds are worked out once per change rather than on every step of every
 * search (they were a fifth of the CPU of a first filtered page with theme tables).
 */
let hiddenStamp = 0;

function columnSums(mc: McColumn, min: number): { loMax: number; hiSum: number } {
	if (mc.sums?.stamp !== hiddenStamp) {
		let loMax = -Infinity;
		let hiSum = 0;
		for (const x of mc.cells) {
			const lo = labelLo(x, min);
			if (lo > loMax) loMax = lo;
			hiSum += labelHi(x, min);
		}
		mc.sums = { stamp: hiddenStamp, loMax, hiSum };
	}
	return mc.sums;
}

/**
 * labelBounds' lower and upper ends one at a time, without allocating: the search asks for them on
 * every edge it tries in a multi-response table (theme tables), where the pairs were much of its time.
 */
function labelLo(e: Entry, min: number): number {
	if (e.free) return -Infinity;
	const lo = e.hidden === 'primary' ? 1 : e.hidden === 'secondary' ? secondaryLo(e, min) : e.value;
	return e.lo === undefined ? lo : Math.max(lo, e.lo);
}
function labelHi(e: Entry, min: number): number {
	if (e.free) return Infinity;
	const hi = e.hidden === 'primary' ? min - 1 : e.hidden === 'secondary' ? Infinity : e.value;
	return e.hi === undefined ? hi : Math.min(hi, e.hi);
}

/**
 * While protecting, a "[c]" whose true count is min or more is held to [min, ∞) (someone who knows most
 * partners are such counts could use it). While deciding whether a count another view asked to hide can
 * be shown again (the end of protect), the labels are read as they say: "[c]" is any count, zero
 * included. A count is shown again only if even that reading pins it; the stricter reading pinned counts
 * that were not pinned, and showing them left the other views' small counts no partner (protectionLog).
 */
let labelsAsRead = false;

function secondaryLo(e: Entry, min: number): number {
	return labelsAsRead || e.value < min ? 0 : min;
}

/**
 * What protect could not do, for the tests and the bench (nothing reads it to decide anything):
 * `gaveUp` counts hidden entries left pinned at the end of a protection because every entry that
 * could protect them was already hidden or fixed by another view (a count another view asked to
 * hide and this table gives away anyway is shown instead, and not counted).
 */
export const protectionLog = { gaveUp: 0, smallSums: 0 };

/** The lower end of an entry's label bounds, narrowed by the multi-response inequalities of its column (if any). */
function boundLo(e: Entry, min: number, mc?: McColumn): number {
	const lo = labelLo(e, min);
	if (!mc || e.free || !e.hidden || e !== mc.total) return lo;
	return Math.max(lo, columnSums(mc, min).loMax + (mc.none ? labelLo(mc.none, min) : 0));
}

/** The upper end likewise. */
function boundHi(e: Entry, min: number, mc?: McColumn): number {
	const hi = labelHi(e, min);
	if (!mc || e.free || !e.hidden) return hi;
	if (e === mc.total) return Math.min(hi, columnSums(mc, min).hiSum + (mc.none ? labelHi(mc.none, min) : 0));
	if (e === mc.none) return Math.min(hi, labelHi(mc.total, min) - Math.max(0, columnSums(mc, min).loMax));
	return Math.min(hi, labelHi(mc.total, min) - (mc.none ? labelLo(mc.none, min) : 0));
}

/** Can y of this entry move by `dy` (±1) and stay within what the onlooker knows? */
function canMove(e: Entry, dy: 1 | -1, min: number, mc?: McColumn): boolean {
	if (e.free) return true;
	if (!e.hidden || e.frozen) return false;
	const v = e.value + dy * e.sign;
	if (!mc) {
		// The label bounds, without allocating (this runs for every edge of every search).
		if ((e.lo !== undefined && v < e.lo) || (e.hi !== undefined && v > e.hi)) return false;
		if (e.hidden === 'primary') return v >= 1 && v <= min - 1;
		return v >= secondaryLo(e, min);
	}
	return v >= boundLo(e, min, mc) && v <= boundHi(e, min, mc);
}

/**
 * Is hidden entry k's value left open (some other consistent table gives it another value)?
 * Search for an alternating path in the residual graph that closes a cycle through k.
 * Rows are nodes 0..R, columns R+1..R+C+1, the free node (lines without an equation) last.
 */
function isOpen(
	entries: Entry[],
	movable: number[][],
	k: number,
	rows: number,
	cols: number,
	freeRows: boolean,
	freeCols: boolean[],
	min: number,
	mcs: (McColumn | undefined)[],
	seen: Uint8Array,
	queue: Int32Array,
	guard?: (e: Entry, dy: 1 | -1) => boolean,
	only?: 1 | -1
): boolean {
	const PHI = rows + cols;
	const e = entries[k];
	// The directions to try, without an array per call (this runs for every hidden entry of every search).
	for (let d = only === -1 ? 1 : 0; d < (only === 1 ? 1 : 2); d++) {
		const dy: 1 | -1 = d === 0 ? 1 : -1;
		if (!canMove(e, dy, min, mcs[e.c]) || (guard && !guard(e, dy))) continue;
		// y_k moves by dy: column c's sum is off by dy, row r's by dy. Walk from c: at a column we
		// need an entry in it to move by −dy (taking us to its row), at a row an entry to move by +dy.
		const start = rows + e.c;
		const target = e.r;
		seen.fill(0);
		seen[start] = 1;
		queue[0] = start;
		// Visiting a node (written out at each use): the target closes the cycle, any other is queued once.
		let tail = 1;
		for (let head = 0; head < tail; head++) {
			const node = queue[head];
			if (node === PHI) {
				// The free node absorbs any imbalance and can feed any line joined to it.
				if (freeRows)
					for (let r = 0; r < rows; r++) {
						if (r === target) return true;
						if (!seen[r]) {
							seen[r] = 1;
							queue[tail++] = r;
						}
					}
				for (let c = 0; c < cols; c++) {
					if (!freeCols[c]) continue;
					const n = rows + c;
					if (n === target) return true;
					if (!seen[n]) {
						seen[n] = 1;
						queue[tail++] = n;
					}
				}
				continue;
			}
			const isCol = node >= rows;
			if ((isCol && freeCols[node - rows]) || (!isCol && freeRows)) {
				if (PHI === target) return true;
				if (!seen[PHI]) {
					seen[PHI] = 1;
					queue[tail++] = PHI;
				}
			}
			const want = isCol ? (-dy as 1 | -1) : dy;
			const line = movable[node];
			for (let m = 0; m < line.length; m++) {
				const i = line[m];
				if (i === k) continue;
				const x = entries[i];
				const to = isCol ? x.r : rows + x.c;
				if (to !== target && seen[to]) continue;
				if (canMove(x, want, min, mcs[x.c])) {
					if (to === target) return true;
					if (!seen[to]) {
						seen[to] = 1;
						queue[tail++] = to;
					}
				}
			}
		}
	}
	return false;
}

/**
 * The entries that could be hidden for an unprotected one, cheapest first, as statistical
 * offices do: shown counts of min or more (smallest first, cells before totals), then shown
 * zeros (a zero next to a hidden count gives it away as surely as any number), then "<5"s that
 * would become "[c]" (dropping the "under 5" that pins a row of small counts under a small
 * total; largest first). Those in k's rows and columns that have an equation come first (a
 * partner anywhere else cannot help), then the rest of the table; k itself last of all.
 */
function partnerCandidates(entries: Entry[], k: Entry, min: number, inEquation: (x: Entry) => boolean): Entry[] {
	const step = (x: Entry) => (!x.hidden ? (x.value >= min ? 0 : 1) : x.hidden === 'primary' ? 2 : -1);
	const order = (a: Entry, b: Entry) => {
		const sa = step(a);
		const sb = step(b);
		if (sa !== sb) return sa - sb;
		if (sa === 2) return b.value - a.value;
		return a.value - b.value || Number(b.interior) - Number(a.interior) || a.r - b.r || a.c - b.c;
	};
	const usable = entries.filter((x) => !x.free && !x.fixed && x !== k && step(x) >= 0);
	const near = usable.filter(inEquation).sort(order);
	const far = usable.filter((x) => !inEquation(x)).sort(order);
	// A decided entry reads as the deciding table reads it (ProtectInput.decided): relabelling its "<5" as "[c]" here
	// gives no room, since the other table still says "<5" (issue #11, shaped seed 4; ANALYSIS_DECIDED_OWN_PARTNER=off
	// = before).
	const own = k.hidden === 'primary' && !(k.fixed && decidedKeepsLabel());
	return [...near, ...far, ...(own ? [k] : [])];
}

/** Whether a decided "[c]" must move both ways in each table (protect's openFor); ANALYSIS_DECIDED_BOTH_WAYS=off = before. */
const decidedBothWays = (): boolean => envSwitch('ANALYSIS_DECIDED_BOTH_WAYS') !== 'off';

/** Whether a decided "<5" must move each way its label and bounds allow too (openFor); ANALYSIS_DECIDED_SMALL_BOTH_WAYS=off = before. */
const decidedSmallBothWays = (): boolean => envSwitch('ANALYSIS_DECIDED_SMALL_BOTH_WAYS') !== 'off';

/** Whether a decided "<5" keeps its label (is never its own partner); ANALYSIS_DECIDED_OWN_PARTNER=off = before. */
const decidedKeepsLabel = (): boolean => envSwitch('ANALYSIS_DECIDED_OWN_PARTNER') !== 'off';

/**
 * The ONS rule first: a row or column with an equation and exactly one hidden entry gets a
 * partner in that line (the smallest shown count of min or more, cells before totals, else a
 * shown zero), repeated until no such line is left. Cheap, and it settles most tables; the
 * exact check then deals with what it cannot see (bounds, combinations of lines).
 * Returns the entries it hid.
 */
function closeLonelyLines(
	entries: Entry[],
	byNode: number[][],
	constrained: boolean[],
	start: number[],
	rows: number,
	min: number,
	hide: (i: number) => void
): number[] {
	const byValue = (a: Entry, b: Entry) =>
		a.value - b.value || Number(b.interior) - Number(a.interior) || a.r - b.r || a.c - b.c;
	const added: number[] = [];
	const work = [...start];
	while (work.length) {
		const node = work.pop()!;
		if (!constrained[node]) continue;
		const line = byNode[node];
		let hiddenInLine = 0;
		for (const i of line) if (entries[i].hidden) hiddenInLine++;
		if (hiddenInLine !== 1) continue;
		// The first by byValue of the shown counts of min or more, else of every shown one (a scan, not a sort).
		let pick: Entry | undefined;
		for (const i of line) {
			const x = entries[i];
			if (x.hidden || x.fixed || pinnedByItsLines(entries, byNode, constrained, rows, i)) continue;
			const big = x.value >= min;
			if (!pick || (big !== pick.value >= min ? big : byValue(x, pick) < 0)) pick = x;
		}
		if (!pick) continue;
		const i = pick.i;
		hide(i);
		added.push(i);
		work.push(pick.r, rows + pick.c);
	}
	return added;
}

/**
 * Which rules protect applies beyond the exact check (each with a switch for A/B runs and the tests' proof;
 * wider.ts sets them from the environment).
 */
export const PROTECTION_RULES = {
	smallHiddenSums: true,
	/** exactShowAgain (below): read at each protection, so a test or an A/B run can flip it. */
	exactShowAgain: (): boolean => true
};

/**
 * Whether hidden entry `i` is pinned by what an onlooker knows exactly: shown counts, the labels as they read, and
 * bounds that leave an entry one value. Bounds that leave a range (a count another view asks hidden because a wider
 * count less it would be small is "at least that count less min−1"; a sibling line's interval) are set aside for the
 * search and put back. Used only to decide whether a count another view asked to hide may be shown again (the end
 * of protect): one pinned only by such ranges together with this table's equations (issue #11, the random audit's
 * seed 117: `district=redditch&group=young_person`'s online 5, at least 9 − 4 beside Redditch's page, and library at
 * least 6 − 4, under the slice's total 7 that the young people's page publishes) is pinned only for an onlooker who
 * reads every range as it was worked out; shown, it hands every onlooker the rest of its line by subtraction (7 − 5 =
 * library's 2). So it stays hidden, and the table gives up on it as it does on any count it cannot protect.
 */
function pinnedExactly(entries: Entry[], i: number, search: (i: number) => boolean, min: number): boolean {
	const ranges: [Entry, number | undefined, number | undefined][] = [];
	for (const e of entries) {
		if (e.lo === undefined && e.hi === undefined) continue;
		if (!e.hidden || pinnedElsewhere(e, min)) continue;
		ranges.push([e, e.lo, e.hi]);
		e.lo = undefined;
		e.hi = undefined;
	}
	if (!ranges.length) return true;
	hiddenStamp++;
	try {
		return !search(i);
	} finally {
		for (const [e, lo, hi] of ranges) {
			e.lo = lo;
			e.hi = hi;
		}
		hiddenStamp++;
	}
}

/**
 * The statistical offices' second rule: the hidden entries of a line may not add up to a small count. A line
 * with an equation gives the sum of its hidden entries (its total less the cells it shows), so two or more
 * hidden cells adding up to 1–4 publish that small count as surely as a cell would, and another table that
 * shows part of it (the weeks table's "Face to face and other" total, the channels other than online) then
 * pins its cells (issue #11, random audit seeds 18, 27, 29, 32, 42, 45, 54, 59: a district's channels less
 * online, 2–4, and the one week with face-to-face answers). Where the hidden entries of a line are all on one
 * side of its equation (the cells, or the totals of the total row) and add up to a small count, one more entry
 * of the line is hidden: the smallest shown count of the same side (cells before totals), else one of the
 * other side (the total, so that the sum is no longer known). Returns the entries it hid.
 */
function closeSmallSums(
	entries: Entry[],
	byNode: number[][],
	constrained: boolean[],
	rows: number,
	min: number,
	hide: (i: number) => void
): number[] {
	const added: number[] = [];
	for (let node = 0; node < byNode.length; node++) {
		if (!constrained[node]) continue;
		const line = byNode[node];
		let count = 0;
		let sum = 0;
		let sign = 0;
		let mixed = false;
		for (const i of line) {
			const e = entries[i];
			if (!e.hidden) continue;
			count++;
			sum += e.value;
			if (sign && e.sign !== sign) mixed = true;
			sign = e.sign;
		}
		// One hidden entry is the exact check's case; hidden entries on both sides give only what is shown.
		if (count < 2 || mixed || !isSmall(sum, min)) continue;
		let pick: Entry | undefined;
		const better = (x: Entry, y: Entry) => {
			if ((x.sign === sign) !== (y.sign === sign)) return x.sign === sign;
			return (x.value - y.value || Number(y.interior) - Number(x.interior) || x.r - y.r || x.c - y.c) < 0;
		};
		for (const i of line) {
			const x = entries[i];
			// A shown zero on the same side adds nothing to the sum; a fixed entry is decided elsewhere.
			if (x.hidden || x.fixed || x.value === 0 || pinnedByItsLines(entries, byNode, constrained, rows, i)) continue;
			if (!pick || better(x, pick)) pick = x;
		}
		if (!pick) {
			protectionLog.smallSums++;
			continue;
		}
		hide(pick.i);
		added.push(pick.i);
	}
	return added;
}

/**
 * Whether entry `i`, hidden, would still be pinned by a line of its own: a line with an equation whose every
 * other entry is shown and fixed (decided by another table, or pinned by another view). Such an entry is no
 * partner: hiding it protects nothing (issue #11, seed 9: "Channel by location" has one column, so each channel's
 * cell is its row total, which "Responses by channel" decides; the cells were hidden as partners of online's
 * "<5" while their totals showed them, and the channel pages' locations tables showed them too).
 */
function pinnedByItsLines(
	entries: Entry[],
	byNode: number[][],
	constrained: boolean[],
	rows: number,
	i: number
): boolean {
	const x = entries[i];
	return lineFixed(entries, byNode, constrained, x.r, i) || lineFixed(entries, byNode, constrained, rows + x.c, i);
}

/** Whether `node`'s line has an equation and every entry of it but `i` is shown and fixed. */
function lineFixed(entries: Entry[], byNode: number[][], constrained: boolean[], node: number, i: number): boolean {
	if (!constrained[node]) return false;
	for (const j of byNode[node]) if (j !== i && !(entries[j].fixed && !entries[j].hidden)) return false;
	return true;
}

/**
 * Which entries of a table to hide: primary (small, non-zero) counts, plus secondary
 * ones (the smallest shown count of min or more in the same row or column, cells before
 * totals; a zero or a "<5" turned "[c]" when nothing else will do) until no hidden entry
 * can be worked out from the rest. A zero is never hidden for itself.
 */
export function protectTable(input: ProtectInput): Protection {
	// Suppression off: nothing is hidden but what another view asks to hide (protectLinked).
	if (input.min <= 0 && !input.mustHide?.size && ![...(input.decided?.values() ?? [])].some(Boolean))
		return nothingHidden(input);
	const memo = memoSource?.();
	if (!memo) return protect(input);
	if (PROTECTION_MEMO.textKey) {
		const key = protectionKey(input);
		let p = memo.get(key) as Protection | undefined;
		if (!p) memo.set(key, (p = protect(input)));
		return copyProtection(p);
	}
	const h = inputHash(input);
	let bucket = memo.get(h) as MemoEntry[] | undefined;
	if (!bucket) memo.set(h, (bucket = []));
	for (const m of bucket) if (sameInput(m.input, input)) return copyProtection(m.p);
	const p = protect(input);
	bucket.push({ input, p });
	return copyProtection(p);
}

/**
 * Where protectTable keeps its results for one computation (wider.ts: a filtered page's wider and
 * sibling views build the same tables with the same counts and constraints many times over, each
 * protected afresh: on a first page filtered by a group and a district, 5,620 protections of 2,628
 * distinct inputs). The caller decides how long a memo lives; none: nothing is kept. protectTable is
 * pure (the same input gives the same protection), so a memo changes nothing shown.
 * Kept by a hash of the input (inputHash) with the inputs of that hash compared in full (sameInput): the
 * text key (protectionKey) was 0.6–1.5 MB of strings a request (issue #19). `PROTECTION_MEMO.textKey` keys
 * by the text as before (for A/B runs; wider.ts sets it from PROTECTION_MEMO_KEY=text).
 */
export const PROTECTION_MEMO = { textKey: false };

let memoSource: (() => Map<string | number, unknown> | undefined) | undefined;

export function useProtectionMemo(source: () => Map<string | number, unknown> | undefined): void {
	memoSource = source;
}

/**
 * A protection kept with the input it is for. An input is not changed once protected (every caller builds
 * its own; protectLinked adds to a copy of its sets), so the memo keeps it as it is rather than a copy.
 */
interface MemoEntry {
	input: ProtectInput;
	p: Protection;
}

/** FNV-1a style mixing of one 32-bit value into a hash. */
function mix(h: number, v: number): number {
	return Math.imul(h ^ v, 16777619) >>> 0;
}

/** A number's bits into the hash (undefined, ±Infinity and non-integers apart from the integers). */
function mixNumber(h: number, v: number | undefined): number {
	if (v === undefined) return mix(h, 0x9e3779b9);
	if (Number.isInteger(v) && Math.abs(v) < 0x40000000) return mix(h, v | 0);
	if (v === Infinity) return mix(h, 0x7ff00000);
	if (v === -Infinity) return mix(h, 0xfff00000);
	return mix(mix(h, 0x5bd1e995), Math.floor(v * 1024) | 0);
}

/** A string's hash, on its own (added up over a set's members, so that their order does not count). */
function stringHash(s: string): number {
	let h = 2166136261;
	for (let i = 0; i < s.length; i++) h = mix(h, s.charCodeAt(i));
	return h;
}

/**
 * Everything protectTable reads, hashed. Sets and maps are hashed without their order (protect only asks
 * them whether they have a key): inputs that differ only in the order of their members are the same input.
 */
function inputHash(input: ProtectInput): number {
	let h = 2166136261;
	h = mixNumber(h, input.min);
	h = mix(
		h,
		(input.rowsAdd === false ? 1 : 0) | (input.colsAdd === false ? 2 : 0) | (input.grandShownElsewhere ? 4 : 0)
	);
	h = mix(h, input.multiResponse ? 1 : 0);
	if (input.multiResponse) h = mixNumber(h, input.multiResponse.noneRow);
	h = mixNumber(h, input.grand);
	const line = (xs: (number | undefined)[] | undefined) => {
		if (!xs) return (h = mix(h, 0xdeadbeef));
		h = mix(h, xs.length);
		for (let i = 0; i < xs.length; i++) h = mixNumber(h, xs[i]);
		return h;
	};
	h = mix(h, input.cells.length);
	for (const row of input.cells) line(row);
	line(input.rowTotals);
	line(input.colTotals);
	// forEach rather than for…of: a map's entries would each be an array (they were a tenth of this function's garbage).
	let sum = 0;
	const addKey = (k: string) => (sum = (sum + stringHash(k)) >>> 0);
	input.mustHide?.forEach(addKey);
	h = mix(mix(h, input.mustHide ? input.mustHide.size + 1 : 0), sum);
	sum = 0;
	input.blur?.forEach(addKey);
	h = mix(mix(h, input.blur ? input.blur.size + 1 : 0), sum);
	sum = 0;
	input.bounds?.forEach((y, k) => (sum = (sum + mixNumber(mixNumber(stringHash(k), y[0]), y[1])) >>> 0));
	h = mix(mix(h, input.bounds ? input.bounds.size + 1 : 0), sum);
	sum = 0;
	input.decided?.forEach((d, k) => (sum = (sum + mix(stringHash(k), d === false ? 0 : d === 'primary' ? 1 : 2)) >>> 0));
	h = mix(mix(h, input.decided ? input.decided.size + 1 : 0), sum);
	return h;
}

const sameLine = (a: (number | undefined)[] | undefined, b: (number | undefined)[] | undefined) => {
	if (!a || !b) return a === b;
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
	return true;
};

const sameSetOf = (a: Set<string> | undefined, b: Set<string> | undefined) => {
	if (!a || !b) return a === b;
	if (a.size !== b.size) return false;
	for (const k of a) if (!b.has(k)) return false;
	return true;
};

/** Whether two inputs are the same in everything protectTable reads (`a` a kept snapshot). */
function sameInput(a: ProtectInput, b: ProtectInput): boolean {
	if (a.min !== b.min || a.grand !== b.grand) return false;
	if ((a.rowsAdd === false) !== (b.rowsAdd === false) || (a.colsAdd === false) !== (b.colsAdd === false)) return false;
	if (!!a.grandShownElsewhere !== !!b.grandShownElsewhere) return false;
	if (!a.multiResponse !== !b.multiResponse) return false;
	if (a.multiResponse && a.multiResponse.noneRow !== b.multiResponse!.noneRow) return false;
	if (a.cells.length !== b.cells.length) return false;
	for (let i = 0; i < a.cells.length; i++) if (!sameLine(a.cells[i], b.cells[i])) return false;
	if (!sameLine(a.rowTotals, b.rowTotals) || !sameLine(a.colTotals, b.colTotals)) return false;
	if (!sameSetOf(a.mustHide, b.mustHide) || !sameSetOf(a.blur, b.blur)) return false;
	if (!a.bounds || !b.bounds) {
		if (a.bounds !== b.bounds) return false;
	} else if (!sameBounds(a.bounds, b.bounds)) return false;
	if (!a.decided || !b.decided) return a.decided === b.decided;
	if (a.decided.size !== b.decided.size) return false;
	let same = true;
	const other = b.decided;
	a.decided.forEach((d, k) => {
		if (same && (!other.has(k) || other.get(k) !== d)) same = false;
	});
	return same;
}

/** Whether two maps of bounds are the same (forEach: no array per entry). */
export function sameBounds(a: Map<string, [number, number]>, b: Map<string, [number, number]>): boolean {
	if (a.size !== b.size) return false;
	let same = true;
	a.forEach((y, k) => {
		if (!same) return;
		const z = b.get(k);
		if (!z || z[0] !== y[0] || z[1] !== y[1]) same = false;
	});
	return same;
}

/** Everything protectTable reads, as a string (numbers as String gives them, so ±Infinity bounds stay apart). */
function protectionKey(input: ProtectInput): string {
	const parts: string[] = [
		String(input.min),
		input.rowsAdd === false ? 'r0' : 'r1',
		input.colsAdd === false ? 'c0' : 'c1',
		input.multiResponse ? `m${input.multiResponse.noneRow ?? 'u'}` : '-',
		input.grandShownElsewhere ? 'g1' : 'g0',
		String(input.grand)
	];
	// With each line's length: undefined (a free entry) joins as '', so [] and [undefined] would read alike.
	const line = (xs: (number | undefined)[] | undefined) => (xs ? `${xs.length}:${xs.join(',')}` : 'u');
	for (const row of input.cells) parts.push(line(row));
	parts.push('|', line(input.rowTotals), line(input.colTotals));
	parts.push('|', input.mustHide ? [...input.mustHide].join(';') : 'u');
	parts.push('|', input.blur ? [...input.blur].join(';') : 'u', '|');
	if (input.bounds) for (const [k, [lo, hi]] of input.bounds) parts.push(`${k}=${lo}:${hi}`);
	parts.push('|');
	if (input.decided) for (const [k, d] of input.decided) parts.push(`${k}=${d}`);
	return parts.join('\n');
}

function copyProtection(p: Protection): Protection {
	return {
		cells: p.cells.map((r) => r.slice()),
		rowTotals: p.rowTotals.slice(),
		colTotals: p.colTotals.slice(),
		grand: p.grand,
		any: p.any
	};
}

/** What protect gives when nothing is hidden (suppression off, nothing asked): the same shape, all shown. */
function nothingHidden(input: ProtectInput): Protection {
	const R = input.cells.length;
	let C = 0;
	for (const r of input.cells) if (r.length > C) C = r.length;
	const cells: Hidden[][] = new Array(R);
	for (let i = 0; i < R; i++) cells[i] = new Array<Hidden>(C).fill(false);
	return {
		cells,
		rowTotals: new Array<Hidden>(R).fill(false),
		colTotals: new Array<Hidden>(C).fill(false),
		grand: false,
		any: false
	};
}

function protect(input: ProtectInput): Protection {
	const { cells, min } = input;
	const R = cells.length;
	const C = Math.max(0, ...cells.map((r) => r.length));
	const rowsAdd = input.rowsAdd !== false;
	const colsAdd = input.colsAdd !== false;
	const entries: Entry[] = [];
	const add = (r: number, c: number, sign: 1 | -1, value: number | undefined, interior: boolean) => {
		const free = value === undefined;
		entries.push({
			r,
			c,
			sign,
			value: value ?? 0,
			free,
			hidden: !free && isSmall(value, min) ? 'primary' : false,
			interior,
			i: entries.length
		});
	};
	for (let i = 0; i < R; i++) for (let j = 0; j < C; j++) add(i, j, 1, j < cells[i].length ? cells[i][j] : 0, true);
	for (let i = 0; i < R; i++) add(i, C, -1, input.rowTotals?.[i], false);
	for (let j = 0; j < C; j++) add(R, j, -1, input.colTotals?.[j], false);
	add(R, C, 1, input.grand, false);
	if (input.grandShownElsewhere) entries[entries.length - 1].fixed = true;
	// Each entry's key (as mustHide names it), made once and only when some constraint is given.
	let keys: string[] | undefined;
	const keyOf = (e: Entry) => (keys ??= entries.map((x) => `${x.r},${x.c}`))[e.i];
	// Entries hidden only because another view hides the same count.
	const forced = new Set<Entry>();
	if (input.mustHide?.size)
		for (const e of entries)
			if (!e.free && !e.hidden && input.mustHide.has(keyOf(e))) {
				e.hidden = 'secondary';
				forced.add(e);
			}
	if (input.blur?.size)
		for (const e of entries) if (e.hidden === 'primary' && input.blur.has(keyOf(e))) e.hidden = 'secondary';
	// Decided by another table of the view: as it reads there, whatever this table's other constraints say.
	const decided = new Set<Entry>();
	if (input.decided?.size)
		for (const e of entries) {
			const d = e.free ? undefined : input.decided.get(keyOf(e));
			if (d === undefined) continue;
			// "<5" only on a small count (a count there is the same count here); anything else hidden reads "[c]".
			e.hidden = d === false ? false : d === 'primary' && isSmall(e.value, min) ? 'primary' : 'secondary';
			e.fixed = true;
			forced.delete(e);
			decided.add(e);
		}
	if (input.bounds?.size)
		for (const e of entries) {
			const b = e.free ? undefined : input.bounds.get(keyOf(e));
			// Bounds that do not hold for the true value are no knowledge anyone can have: ignored.
			if (b && b[0] <= e.value && e.value <= b[1]) [e.lo, e.hi] = b;
			// Pinned by another view (a zero in a wider view; the one group's column of a theme table in
			// that group's view, which the view without a group shows): hiding it here protects nothing,
			// and one hidden only because another view hides it is shown.
			// Read with the labels as they are ("[c]" any count, zero included; labelsAsRead), as at the end of
			// protect: the stricter reading holds a "[c]" of min or more to [min, ∞), so a bound of [0, min]
			// from a sibling line "pinned" a count of exactly min that the line leaves open, and showing it
			// pinned a small count elsewhere on that line (issue #11, seed 5: the child view's Malvern Hills 6
			// less library's 5 shown this way gave online's "[c]" 1).
			if (decided.has(e)) continue;
			if ((!e.hidden || forced.has(e)) && pinnedAsReadHidden(e, min)) {
				if (forced.delete(e)) e.hidden = false;
				e.fixed = true;
			}
		}

	if (min > 0) {
		const rows = R + 1;
		const cols = C + 1;
		const mcs: (McColumn | undefined)[] = Array.from({ length: cols }, (_, c) => {
			if (!input.multiResponse) return undefined;
			const none = input.multiResponse.noneRow;
			const column = entries.filter((e) => e.c === c && e.r < R);
			return {
				cells: column.filter((e) => e.r !== none),
				none: column.find((e) => e.r === none),
				total: entries.find((e) => e.c === c && e.r === R)!
			};
		});
		// A multi-response column in which at most one row can be non-zero (the others are shown
		// zeros) does add up: every item is in that row or in none. It keeps its equation.
		const freeCols = Array.from({ length: cols }, (_, c) => {
			if (colsAdd) return false;
			const mc = mcs[c];
			if (!mc) return true;
			return mc.cells.filter((e) => e.free || e.hidden || e.value !== 0).length > 1;
		});
		const byNode: number[][] = Array.from({ length: rows + cols }, () => []);
		entries.forEach((e, i) => {
			byNode[e.r].push(i);
			byNode[rows + e.c].push(i);
		});
		// Per line, the entries that can move at all (hidden or not shown): the search's edges.
		const movable = byNode.map((line) => line.filter((i) => entries[i].hidden || entries[i].free));
		const hide = (i: number) => {
			entries[i].hidden = 'secondary';
			hiddenStamp++;
			movable[entries[i].r].push(i);
			movable[rows + entries[i].c].push(i);
		};
		const constrained = byNode.map(
			(line, node) => (node < rows ? rowsAdd : !freeCols[node - rows]) && !line.some((i) => entries[i].free)
		);
		const allNodes = byNode.map((_, node) => node);
		closeLonelyLines(entries, byNode, constrained, allNodes, rows, min, hide);
		// Entries whose protection is not yet established; once open, an entry stays open
		// (hiding more only adds ways to move), so each is settled once.
		// Sweep the hidden entries: one that is open stays open (hiding more only adds ways to
		// move), so it is settled for good; one that is not gets a partner at once. Repeat until a
		// sweep hides nothing more.
		// (An entry another view pins exactly is known whatever this table does: nothing to protect.)
		let pending = entries.map((_, i) => i).filter((i) => entries[i].hidden && !pinnedElsewhere(entries[i], min));
		// Hidden entries no partner was left for (checked again at the end: protectionLog).
		const gaveUpOn: number[] = [];
		const seen = new Uint8Array(rows + cols + 1);
		const queue = new Int32Array(rows + cols + 1);
		// A multi-response column's slack: each theme's count plus "No theme yet" is at most the column's answers,
		// so a theme's count can rise only while answers less "No theme yet" can. The bounds of each entry
		// (boundHi) read that difference from the two labels alone; when both are hidden, or one is and the
		// table's equations pin it, the difference can be pinned all the same (issue #11, random audit seed 18:
		// "Answers" less "No theme yet" of young people was 28 - 27 = 1 from the other groups and a column of
		// shown zeros, which pinned both of the column's "<5" at 1). So where a theme's count rising by one would
		// break that inequality on the true counts, the rise counts only if some other table consistent with what
		// is shown has that column's answers one more with the same "No theme yet", or one less "No theme yet"
		// with the same answers. (Each is searched on its own, so this is a check, not a joint proof.)
		const innerSeen = new Uint8Array(rows + cols + 1);
		const innerQueue = new Int32Array(rows + cols + 1);
		const slackGuard = !input.multiResponse
			? undefined
			: (e: Entry, dy: 1 | -1): boolean => {
					const mc = mcs[e.c];
					if (!mc || e.free || e === mc.total || e === mc.none || dy * e.sign < 0) return true;
					const { total, none } = mc;
					if (total.free || none?.free) return true;
					if (e.value + 1 + (none?.value ?? 0) <= total.value) return true;
					const grows = (x: Entry | undefined, by: 1 | -1, held: Entry | undefined) => {
						if (!x?.hidden) return false;
						if (held) held.frozen = true;
						try {
							const at = x.i;
							const step = (by * x.sign) as 1 | -1;
							return isOpen(
								entries,
								movable,
								at,
								rows,
								cols,
								!rowsAdd,
								freeCols,
								min,
								mcs,
								innerSeen,
								innerQueue,
								undefined,
								step
							);
						} finally {
							if (held) held.frozen = false;
						}
					};
					return grows(total, 1, none) || grows(none, -1, total);
				};
		// A hidden margin another table of the view decides (ProtectInput.decided) is the same count in every cross-tab
		// that has it, and each is protected on its own: open in one direction here and in the other there, the two
		// ranges can meet at one value (issue #11, random seed 24's unfiltered view with every pair, dis60: "Gender by
		// disability" said male 12 + "<5" ≥ 13, "Gender by sexual orientation" male 9 + "<5" ≤ 13, so the shared
		// "[c]" 13 gave male × yes 1 and male × left blank 4). So such an entry ("[c]") must move each way its label
		// allows in this table alone. ANALYSIS_DECIDED_BOTH_WAYS=off: one way is enough (before). A decided "<5" too, each
		// way its label and bounds allow (random seed 2's unfiltered view with every pair, dis63: "Gender by sexual
		// orientation" let "Left blank" 3, the sum of female ≥ 1 and male ≥ 2, only rise, "Disability by sexual
		// orientation" only fall). ANALYSIS_DECIDED_SMALL_BOTH_WAYS=off: a decided "<5" one way (before).
		const bothWays = decided.size > 0 && decidedBothWays();
		const smallBothWays = bothWays && decidedSmallBothWays();
		const openFor = (i: number): boolean => {
			const e = entries[i];
			if (!bothWays || !(e.hidden === 'secondary' || (smallBothWays && e.hidden === 'primary')) || !decided.has(e))
				return isOpen(entries, movable, i, rows, cols, !rowsAdd, freeCols, min, mcs, seen, queue, slackGuard);
			let any = false;
			for (const dy of [1, -1] as const) {
				if (!canMove(e, dy, min, mcs[e.c])) continue;
				any = true;
				if (!isOpen(entries, movable, i, rows, cols, !rowsAdd, freeCols, min, mcs, seen, queue, slackGuard, dy))
					return false;
			}
			return any;
		};
		const sweep = () => {
			for (let round = 0; round <= entries.length && pending.length; round++) {
				const still: number[] = [];
				let added = 0;
				for (let p = 0; p < pending.length; p++) {
					const i = pending[p];
					if (openFor(i)) continue;
					still.push(i);
					// Of the cheapest few candidates, the first that protects this entry on its own; if
					// none does, the cheapest (each step hides more, so this ends).
					const k = entries[i];
					const inEquation = (x: Entry) =>
						(x.r === k.r && constrained[k.r]) || (x.c === k.c && constrained[rows + k.c]);
					// The first 16 candidates not pinned by their own lines (k itself always counts): only those are tried.
					const candidates: Entry[] = [];
					for (const x of partnerCandidates(entries, k, min, inEquation)) {
						if (candidates.length === 16) break;
						if (x === k || !pinnedByItsLines(entries, byNode, constrained, rows, x.i)) candidates.push(x);
					}
					const works = (x: Entry) => {
						const j = x.i;
						const before = x.hidden;
						x.hidden = 'secondary';
						hiddenStamp++;
						movable[x.r].push(j);
						movable[rows + x.c].push(j);
						const ok = openFor(i);
						movable[x.r].pop();
						movable[rows + x.c].pop();
						x.hidden = before;
						hiddenStamp++;
						return ok;
					};
					const pick = candidates.find(works) ?? candidates[0];
					if (!pick) {
						// Everything that could be hidden is: nothing more this table can do for it (counted at the end).
						gaveUpOn.push(i);
						continue;
					}
					const at = pick.i;
					hide(at);
					added++;
					still.push(at, ...closeLonelyLines(entries, byNode, constrained, [pick.r, rows + pick.c], rows, min, hide));
				}
				pending = still;
				if (!added) break;
			}
		};
		sweep();
		// A line's hidden entries may not add up to a small count (closeSmallSums); each entry hidden for that is
		// then protected like any other, which may hide more, so repeat until no line has a small hidden sum.
		if (PROTECTION_RULES.smallHiddenSums)
			for (let round = 0; round <= entries.length; round++) {
				const added = closeSmallSums(entries, byNode, constrained, rows, min, hide);
				if (!added.length) break;
				pending = [...added];
				for (const i of added)
					pending.push(
						...closeLonelyLines(entries, byNode, constrained, [entries[i].r, rows + entries[i].c], rows, min, hide)
					);
				sweep();
			}
		// A count hidden only because another view hides it, which this table gives away all the
		// same (every other entry of its lines is known: a table with no rows but its total, a row
		// of zeros another view pins, "All groups" beside the one group a group's view has): hiding
		// it protects nothing and would only invite a "recovery", so it is shown. No cycle moves
		// it, so no other entry relied on it; in a multi-response table a column's bounds may have
		// used it as hidden, but an onlooker works it out from the table either way.
		// Read with the labels as they are ("[c]" any count, zero included; labelsAsRead).
		labelsAsRead = true;
		hiddenStamp++;
		try {
			entries.forEach((e, i) => {
				if (!forced.has(e) || e.hidden !== 'secondary') return;
				const open = (x: number) =>
					isOpen(entries, movable, x, rows, cols, !rowsAdd, freeCols, min, mcs, seen, queue, slackGuard);
				if (open(i)) return;
				// Pinned only by the ranges other views give, with this table's equations: kept hidden (pinnedExactly).
				if (PROTECTION_RULES.exactShowAgain() && !pinnedExactly(entries, i, open, min)) return;
				e.hidden = false;
				hiddenStamp++;
				for (const node of [e.r, rows + e.c]) movable[node] = movable[node].filter((j) => j !== i);
			});
		} finally {
			labelsAsRead = false;
			hiddenStamp++;
		}
		// What is still pinned of those: a count another view asked to hide is shown again above (it is known
		// anyway); a hidden count left pinned here is one this table gives away (protectionLog).
		for (const i of new Set(gaveUpOn))
			if (
				entries[i].hidden &&
				!isOpen(entries, movable, i, rows, cols, !rowsAdd, freeCols, min, mcs, seen, queue, slackGuard)
			)
				protectionLog.gaveUp++;
	}

	// The entries are in order: the R × C cells row by row, the R row totals, the C column totals, the grand total.
	const cellsOut: Hidden[][] = new Array(R);
	for (let i = 0; i < R; i++) {
		const row: Hidden[] = new Array(C);
		for (let j = 0; j < C; j++) row[j] = entries[i * C + j].hidden;
		cellsOut[i] = row;
	}
	const rowTotals: Hidden[] = new Array(R);
	for (let i = 0; i < R; i++) rowTotals[i] = entries[R * C + i].hidden;
	const colTotals: Hidden[] = new Array(C);
	for (let j = 0; j < C; j++) colTotals[j] = entries[R * C + R + j].hidden;
	let any = false;
	for (const e of entries) if (e.hidden) any = true;
	return { cells: cellsOut, rowTotals, colTotals, grand: entries[R * C + R + C].hidden, any };
}

/** One count published by two views: entry (r, c) of input `a` and entry (r, c) of input `b` (closed-grid keys as in mustHide). */
export interface Link {
	a: number;
	at: [number, number];
	b: number;
	bt: [number, number];
}

/**
 * Protects several tables that publish some of the same counts (the online channel and the
 * "No location (online)" row, a grand total shown by two breakdowns, ...) so that they agree: a
 * count hidden in one view is hidden in every view that shows it, and each view is then
 * protected with that entry hidden, so nothing hidden can be worked out from either view or
 * from the pair. Repeats until no view hides anything new (each round only hides more, so it
 * ends).
 */
export function protectLinked(inputs: ProtectInput[], links: Link[]): Protection[] {
	const must = inputs.map((i) => new Set(i.mustHide ?? []));
	for (let round = 0; ; round++) {
		const out = inputs.map((input, t) => protectTable({ ...input, mustHide: must[t] }));
		let added = false;
		const hiddenAt = (t: number, [r, c]: [number, number]) => {
			const p = out[t];
			const R = p.cells.length;
			const C = p.colTotals.length;
			return r < R ? (c < C ? p.cells[r][c] : p.rowTotals[r]) : c < C ? p.colTotals[c] : p.grand;
		};
		for (const l of links) {
			for (const [from, fromAt, to, toAt] of [
				[l.a, l.at, l.b, l.bt],
				[l.b, l.bt, l.a, l.at]
			] as const) {
				const key = `${toAt[0]},${toAt[1]}`;
				if (hiddenAt(from, fromAt) && !hiddenAt(to, toAt) && !must[to].has(key)) {
					// A new set: the one passed in is kept by the protection memo with its input (protectTable).
					must[to] = new Set(must[to]).add(key);
					added = true;
				}
			}
		}
		if (!added || round > 50) return out;
	}
}

/** The closed-grid keys of every entry a protection hides (to pass on as mustHide and get the same result). */
export function hiddenKeys(p: Protection): Set<string> {
	const R = p.cells.length;
	const C = p.colTotals.length;
	const keys = new Set<string>();
	p.cells.forEach((row, r) => row.forEach((h, c) => h && keys.add(`${r},${c}`)));
	p.rowTotals.forEach((h, r) => h && keys.add(`${r},${C}`));
	p.colTotals.forEach((h, c) => h && keys.add(`${R},${c}`));
	if (p.grand) keys.add(`${R},${C}`);
	return keys;
}

/** How a hidden entry reads: "<5" when it is small, "[c]" when hidden to protect another (any number, zero included). */
export function suppressedLabel(min: number, why: Hidden): string {
	return why === 'secondary' ? '[c]' : `<${min}`;
}

/** The sentence each view with suppressed cells shows. */
export function suppressionNote(min: number, onScreen = true): string {
	return (
		`Counts from 1 to ${min - 1} are shown as "<${min}" so that no one can be identified; "[c]" marks a count (it may be any number, zero included) hidden so that a small one cannot be worked out from the totals and other cells of the table.` +
		// A document (the printed or downloaded report) has no filter to change.
		(onScreen ? ' Change the threshold with the "Hide counts under" filter.' : '')
	);
}

/**
 * What one view must hide, and what an onlooker knows of its counts, because the same table can
 * be opened with fewer filters (a wider view: the theme table for all districts against one
 * district, the dashboard unfiltered against filtered). A count in a narrower view is part of
 * the same count in every wider view, so side by side they give the difference: the answers
 * outside the filter. The rule, for each count f of this view and each wider view's count w:
 *   - w shown and w − f from 1 to min−1: the difference would be a small count, so f is
 *     hidden ("[c]"), and an onlooker who knows this rule knows f is from w − (min−1) to w − 1;
 *   - w hidden, f not zero and w − f under min: f would pin (or nearly pin) the hidden w, so f
 *     is hidden (a zero says only that w is at least zero);
 *   - w shown: f is at most w (an onlooker knows it, so hidden counts are protected within it).
 * Both views' protection then treats these as bounds (ProtectInput.bounds), so that no
 * combination of the two tables pins a hidden count. Applied to every wider view (each set of
 * the filters left out), a pair of views whose filters nest never shows a small difference:
 * a difference across two steps is a sum of differences that are each 0 or min or more.
 * Keys are the caller's cell keys; `wider[i].counts` are the true counts, `hidden` what that
 * view (already protected the same way) hides.
 */
export interface ViewConstraints {
	hide: Set<string>;
	bounds: Map<string, [number, number]>;
	/** Small counts to read "[c]" rather than "<5" (sibling views: siblings.ts). */
	blur?: Set<string>;
	/**
	 * The view's own total (its submissions), which a table takes as shown elsewhere, is hidden where it is
	 * published (the channels table hides its total: wider.ts askedFromChannels), so the table hides it too.
	 */
	totalHidden?: boolean;
}

export function widerViewConstraints(
	view: Map<string, number>,
	wider: { counts: Map<string, number>; hidden: Set<string> }[],
	min: number
): ViewConstraints {
	const out: ViewConstraints = { hide: new Set(), bounds: new Map() };
	if (min <= 0) return out;
	for (const [key, f] of view) {
		let lo = -Infinity;
		let hi = Infinity;
		for (const w of wider) {
			const total = w.counts.get(key);
			if (total === undefined) continue;
			// An onlooker knows the count is at most a wider count that is shown.
			if (!w.hidden.has(key)) hi = Math.min(hi, total);
			const rest = total - f;
			if (w.hidden.has(key) ? f > 0 && rest < min : isSmall(rest, min)) out.hide.add(key);
			if (!w.hidden.has(key) && isSmall(rest, min)) lo = Math.max(lo, total - (min - 1));
		}
		if (Number.isFinite(hi) || Number.isFinite(lo)) out.bounds.set(key, [lo, hi]);
	}
	return out;
}

/**
 * ViewConstraints (by cell key) in a table's closed grid: `rowKeys[r]` is the key of grid row r
 * (the total row's key at r = number of rows), `colKeys[c]` of grid column c likewise.
 */
export function constraintsInGrid(
	v: ViewConstraints | undefined,
	rowKeys: string[],
	colKeys: string[],
	cellKey: (row: string, col: string) => string
): Pick<ProtectInput, 'mustHide' | 'bounds' | 'blur'> {
	if (!v) return {};
	const mustHide = new Set<string>();
	const bounds = new Map<string, [number, number]>();
	const blur = new Set<string>();
	// Nothing asked (most tables of most views): no need to name every cell.
	if (v.hide.size === 0 && v.bounds.size === 0 && !v.blur?.size) return { mustHide, bounds, blur };
	rowKeys.forEach((rk, r) =>
		colKeys.forEach((ck, c) => {
			const key = cellKey(rk, ck);
			if (v.hide.has(key)) mustHide.add(`${r},${c}`);
			if (v.blur?.has(key)) blur.add(`${r},${c}`);
			const b = v.bounds.get(key);
			if (b) bounds.set(`${r},${c}`, b);
		})
	);
	return { mustHide, bounds, blur };
}
