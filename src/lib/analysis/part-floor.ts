/**
 * What an onlooker may know of a sum of counts another table publishes, at worst (issue #11, the random audit's
 * seed 263).
 *
 * The unfiltered "Responses by week"'s margins are counts of "Responses by channel": its grand total is the channels
 * table's total, its online column total the online row, its "Face to face and other" column total the sum of the
 * other rows. Where the channels table hides one of those counts, the weeks table hid its margin too and protected
 * it as a "[c]" of any value; but the channels table's labels and shown rows bound that margin, and the cross-tabs
 * that share the channels table's margins (marginsOf) bound each hidden channel row from below: a column of k "<5"
 * cells is at least k, a column's shown cells at least their sum. Seed 263: library "<5" (3) beside event 18 put the
 * weeks' face-to-face total in [19, 22]; the weeks' own column (week 1 "<5" (4), 7, 10) put it in [18, 21]; so
 * library ≤ 3, and "District by channel"'s three "<5" in the library column said library ≥ 3.
 *
 * The lower bound any cross-tab can give of a count is at most the count itself, whatever the dimension, so at worst
 * the onlooker knows each hidden row from below exactly; the most they can know from above is what the label says
 * (a "<5" is at most min − 1; a "[c]" says nothing). The margin is then in [its count, the shown rows plus each
 * hidden row's label bound], and the weeks table, protected within those bounds (ProtectInput.bounds), keeps room for
 * it to be one more: then neither table pins the other (the sum can move up by one, so some hidden row of the part
 * can too, and each hidden cell of the weeks column moves with it or against another). Where those bounds leave one
 * value (every hidden row a "<5" at min − 1), the cross-tabs alone could pin the part; nothing here can help, and
 * nothing is said (the margin stays hidden as before: the bound would read as known and let it be shown).
 *
 * Pure: the part's true counts and whether each is hidden in, the bounds out (undefined where none of the part is
 * hidden, or where the bounds would leave one value). The caller (server/analysis/wider.ts weeksFromChannels) passes
 * only parts whose sum is the margin's true count; ANALYSIS_WEEKS_PART_FLOOR=off (read at each use by the caller)
 * leaves it out.
 */
import { isSmall } from './suppress';

export interface PartEntry {
	/** The count's true value. */
	n: number;
	/** Whether the table that publishes it hides it. */
	hidden: boolean;
}

export function partFloor(part: PartEntry[], min: number): [number, number] | undefined {
	if (min <= 0 || !part.some((e) => e.hidden && e.n > 0)) return undefined;
	let lo = 0;
	let hi = 0;
	for (const e of part) {
		lo += e.n;
		// A hidden small count reads "<min" (at most min − 1) or "[c]" (nothing): min − 1 is the more an onlooker knows.
		hi += !e.hidden ? e.n : isSmall(e.n, min) ? min - 1 : Infinity;
	}
	return hi > lo ? [lo, hi] : undefined;
}

/**
 * The margin's other reading in the channels table's one line (rows add up to the total): the margin is also
 * Σ `plus` − Σ `minus` (the grand total: plus the rows; the online total: plus the total, minus the other rows;
 * "Face to face and other": plus the total, minus online).
 */
export interface PartLine {
	plus: PartEntry[];
	minus: PartEntry[];
}

/** What the label says of a count: shown, exactly; "<5", 1 to min − 1; "[c]", any count. */
function labelRange(e: PartEntry, min: number): [number, number] {
	if (!e.hidden) return [e.n, e.n];
	return isSmall(e.n, min) ? [1, min - 1] : [0, Infinity];
}

/**
 * partFloor, reading the channels table's line as well, and keeping room the other way where there is none upwards
 * (issue #11, dis38: the reverse direction). The margin's upper bound is the lesser of its part's labels and its other
 * reading's (a hidden total "[c]" says nothing, but the rows it adds up to do: online "<5" (4), library 8, school "<5"
 * (4) and event 20 cap the total at 36). Where that bound is above the true count, as partFloor: [count, bound]
 * (room to be one more). Where it is the count itself, the channels table's labels pin the margin from above, and the
 * weeks table's own cells must not pin it from below (its totals 5 + 29 + "<5" said the grand total is at least 36,
 * so 36, and online 4, school 4 and week 3's cells came off): the bounds are then [least, count], the least being
 * what the labels allow from below, so the weeks table keeps room for the margin to be one less. Undefined where
 * none of the part is hidden, or the labels leave one value either way (nothing the weeks table can do).
 */
export function partRoom(part: PartEntry[], line: PartLine, min: number): [number, number] | undefined {
	if (min <= 0 || !part.some((e) => e.hidden && e.n > 0)) return undefined;
	const sum = (list: PartEntry[], end: 0 | 1) => list.reduce((t, e) => t + labelRange(e, min)[end], 0);
	const n = part.reduce((t, e) => t + e.n, 0);
	const hi = Math.min(sum(part, 1), sum(line.plus, 1) - sum(line.minus, 0));
	if (hi > n) return [n, hi];
	const lo = Math.max(sum(part, 0), sum(line.plus, 0) - sum(line.minus, 1), 0);
	return lo < n ? [lo, n] : undefined;
}
