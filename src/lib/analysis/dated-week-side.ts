/**
 * What a dated view's week cross-tab publishes of another cross-tab's margins (issue #11, week seed 24 with every
 * cross-tab pair, dis55).
 *
 * In a dated view (`from`/`to`), "X by week" keeps the unfiltered layout: a column for every week, although every
 * week outside the view's dates is zero there, and everybody knows it (the dates are in the address; the view's weeks
 * table has no row for them). So a row of "X by week" adds up to its cells in the view's weeks: where those are
 * shown, the row total, the count of that value of X in the view, is published, whatever "[c]" the slices' family
 * put on the zeros outside the dates and on the total itself. Week 2 of seed 24: "Ethnicity by week" read white
 * British "[c]" (0) in week 1, 0 in weeks 2 and 3, total "[c]" (0), and "Disability by week" read disability "Left
 * blank" 0, 0, "[c]" (0), total "[c]" (0); "Disability by ethnicity" hid the cell disability "No" × white British
 * ("[c]" 0) and the disability "Left blank" × ethnicity "Left blank" cell ("[c]" 0) as room beside the shown "No" ×
 * "Left blank" 10, so with both margins known zero, "No" = 10 and "Yes" = 20 − 10 − 7 (not asked) − 0 = 3, carried
 * into every cross-tab with a disability margin (12 cells).
 *
 * `datedWeekSide` reads one such cross-tab as a page side (page-hides.ts PageSide) for page-hides.ts
 * pageShownBounds, as the view's equality table is read there: a row whose cells in the view's weeks are all shown
 * is shown, with their sum; one with a single week in the view reads as that cell reads ("<5" or "[c]"); the
 * cross-tab's total row gives the side's total. A row whose true count outside the view's weeks is not zero (it
 * cannot happen in a dated view; a safeguard) is left out. Pure. ANALYSIS_DATED_WEEK_SIDES=off, read at use by the
 * caller (dashboard.ts crossTabTable), leaves it out (before).
 */
import type { PageSide } from './page-hides';
import type { Cell, TableData } from './tables';

/**
 * `shown` and `truth`: the view's "X by week" (rows the values of X, columns the weeks and `_total`, as dashboard.ts
 * crossTabTable builds it) as shown and with nothing hidden; `weeks`: the week rows of the view's weeks table (every week
 * with a submission in the view's dates). A column is one of them where its key and label (the week's dates) are
 * that row's, so a weeks table numbered from another start day is never matched to the wrong week; the cross-tab's
 * other columns are weeks with nobody in the view.
 */
export function datedWeekSide(
	shown: TableData,
	truth: TableData,
	weeks: readonly { key: string; label: string }[]
): PageSide | undefined {
	const labels = new Map(weeks.map((w) => [w.key, w.label]));
	const inView = new Set(shown.columns.filter((c) => labels.get(c.key) === c.label).map((c) => c.key));
	const cols = shown.columns.map((c, j) => ({ key: c.key, j })).filter((c) => c.key !== '_total');
	const inside = cols.filter((c) => inView.has(c.key));
	if (!inside.length) return undefined;
	const counts = new Map<string, number>();
	const rows: TableData['rows'] = [];
	for (const r of shown.rows) {
		const t = truth.rows.find((x) => x.key === r.key);
		if (!t) continue;
		let n = 0;
		let outside = 0;
		for (const c of cols)
			(inView.has(c.key) ? (x: number) => (n += x) : (x: number) => (outside += x))(t.cells[c.j]?.n ?? 0);
		if (outside !== 0) continue;
		const cells = inside.map((c) => r.cells[c.j]);
		const open = cells.every((x) => x && !x.suppressed);
		const cell: Cell = open
			? { n, pct: null, text: String(n) }
			: { n: null, pct: null, text: cells.length === 1 ? cells[0].text : '[c]', suppressed: true };
		counts.set(r.key, n);
		rows.push({ key: r.key, label: r.label, cells: [cell] });
	}
	if (!counts.has('_total')) return undefined;
	return {
		table: { ...shown, columns: [{ key: 'n', label: 'n' }], rows },
		n: (key) => counts.get(key) ?? 0,
		total: counts.get('_total')!
	};
}
