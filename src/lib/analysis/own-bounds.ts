/**
 * What a table says of its own hidden counts (issue #11, the random audit's seed 400). A line of sibling views
 * (siblings.ts) read each slice's hidden entry by its label alone ("<5" 1 to min−1, "[c]" any count), but an
 * onlooker also reads the rest of the slice's table: in a theme table every answer has a theme or none, so a
 * group's "Answers" is at least any theme's count plus "No theme yet". Seed 400's district × channel family: the
 * school and event pages hid the parents' "Answers" ("[c]") beside their shown "No theme yet" 10 and 9, so the
 * channel line of the parents' answers (21 unfiltered) read online "<5" + library "<5" + at least 10 + at least 9 +
 * paper and import at least 0: every one pinned (1, 1, 10, 9, 0, 0), and 126 zeros of the family with them.
 *
 * `ownBounds` gives each hidden entry of a theme table the bounds the other entries of its table put on it, in one
 * pass over the labels as they read (shown: the count; hidden, "<5" too: 0 to ∞), never from the entry's own
 * label (the line decides how that reads: a blurred "<5" reads "[c]"):
 *   - a group's column: "Answers" is at least the largest theme plus "No theme yet", at most the column's sum; a
 *     theme is at most "Answers" less "No theme yet", "No theme yet" at most "Answers" less the largest theme;
 *   - a row: the groups add up to "All groups" (each answer is one group's).
 * Pure: a table in, bounds by cell key (tables.ts cellKey) out. Other tables: none (their lines read as before).
 */
import { cellKey, type Cell, type TableData } from './tables';

type Bounds = [number, number];

// Any hidden entry reads as "[c]" (0 to ∞), a "<5" too: another line of the same round may blur it, and a bound read
// from a label that is then blurred would make the line see a pin that is not there (and leave the count unhidden).
const lo = (c: Cell | undefined): number => (!c || c.suppressed ? 0 : (c.n ?? 0));
const hi = (c: Cell | undefined): number => (!c ? 0 : c.suppressed ? Infinity : (c.n ?? 0));

/** ownBounds of each table already read (the family's rounds read the same slices again). */
const memo = new WeakMap<TableData, Map<string, Bounds>>();

/** Whether ownBounds reads anything of this table. */
export function hasOwnBounds(t: TableData): boolean {
	return t.id.startsWith('themes-');
}

/** The bounds each hidden entry of `t` gets from the rest of its table (see above); empty for other tables. */
export function ownBounds(t: TableData, min: number): Map<string, Bounds> {
	let out = memo.get(t);
	if (out) return out;
	out = new Map();
	memo.set(t, out);
	if (!hasOwnBounds(t) || min <= 0) return out;
	const all = t.columns.findIndex((c) => c.key === '_all');
	const answers = t.rows.findIndex((r) => r.key === '_answers');
	const uncoded = t.rows.findIndex((r) => r.key === '_uncoded');
	const themes = t.rows.map((_, i) => i).filter((i) => i !== answers && i !== uncoded);
	const at = (i: number, j: number): Cell | undefined => (i < 0 || j < 0 ? undefined : t.rows[i]?.cells[j]);
	const tighten = (i: number, j: number, b: Bounds) => {
		const c = at(i, j);
		if (!c?.suppressed) return;
		const key = cellKey(t.rows[i].key, t.columns[j].key);
		const had = out!.get(key);
		const next: Bounds = had ? [Math.max(had[0], b[0]), Math.min(had[1], b[1])] : b;
		if (next[0] > 0 || Number.isFinite(next[1])) out!.set(key, next);
	};
	// Each column (a group's, and "All groups"): the multi-response inequalities.
	for (let j = 0; j < t.columns.length; j++) {
		const none = at(uncoded, j);
		const biggest = (except: number) => themes.reduce((m, i) => (i === except ? m : Math.max(m, lo(at(i, j)))), 0);
		if (answers >= 0) {
			const sumHi = themes.reduce((s, i) => s + hi(at(i, j)), 0) + (uncoded >= 0 ? hi(none) : 0);
			tighten(answers, j, [biggest(-1) + lo(none), sumHi]);
			const cap = hi(at(answers, j));
			for (const i of themes) tighten(i, j, [0, cap - lo(none)]);
			if (uncoded >= 0) tighten(uncoded, j, [0, cap - biggest(-1)]);
		}
	}
	// Each row: the groups add up to "All groups".
	if (all >= 0)
		for (let i = 0; i < t.rows.length; i++) {
			const parts = t.columns.map((_, j) => j).filter((j) => j !== all);
			const sum = (side: typeof lo, except: number) =>
				parts.reduce((s, j) => (j === except ? s : s + side(at(i, j))), 0);
			tighten(i, all, [sum(lo, -1), sum(hi, -1)]);
			const total = at(i, all);
			for (const j of parts) tighten(i, j, [Math.max(0, lo(total) - sum(hi, j)), hi(total) - sum(lo, j)]);
		}
	return out;
}
