/**
 * An equality × week cross-tab's "Not asked" line and its answered part, read with the weeks table (issue #11, dis59:
 * random seeds 2, 5, 12 and 25 of the unfiltered view with the five equality × week cross-tabs, solved with the
 * `notAskedWeeks` link of tests/helpers/disclosure-families.ts).
 *
 * Only the online survey asks the equality questions, so an equality × week cross-tab's week column is the weeks
 * table's row split: "Not asked" is the week's "Face to face and other", the answered categories add up to its
 * "Online", the column total is the week's total. dis58 bounded the "Not asked" cell by the face-to-face cell alone
 * (not-asked-bounds.ts notAskedWeekBounds), which left two leaks the other way round:
 *
 * - the cross-tab showed a "Not asked" × week cell the weeks table hides (seed 5: "Ethnicity by week" showed week 2's
 *   not asked 15 beside the weeks table's face to face "[c]"), so the weeks table's row lost its partner. So the
 *   "Not asked" × week cells read as the weeks table's face-to-face column reads them (notAskedWeekDecisions: decided,
 *   never a partner here, as weekOnlineDecisions does for the channel × week cross-tab's online cells);
 * - the answered part's sum is the week's online count, which the weeks table bounds ("<5": 1 to 4) and the view's
 *   other equality × week cross-tabs bound from below (each non-zero cell at least 1). Seed 2: "Responses by week" read
 *   week 1's online "<5" (4) beside its total 25, and "Age band by week" showed four "<5" under week 1, so the four were
 *   1 each; seed 5: "Disability by week" put week 3's online at 2 or more, "Ethnicity by week"'s "Left blank" line (a
 *   "<5" total over three "<5") at 2 or less. So the "Not asked" cell is bounded by the week's total less its online
 *   as the weeks table reads it, the online floored by what any equality × week cross-tab can show
 *   (onlineWeekFloors; not-asked-bounds.ts notAskedWeekSideBounds).
 *
 * Pure.
 */
import type { Hidden } from './suppress';
import { weekColumnDecisions, type WeekSide } from './week-side';

export function notAskedWeekDecisions(
	rows: { key: string }[],
	columns: { key: string }[],
	count: (row: string, col: string) => number,
	weekIsRows: boolean,
	notAsked: string,
	f2f: WeekSide
): Map<string, Hidden> {
	return weekColumnDecisions(rows, columns, count, weekIsRows, notAsked, f2f, true);
}

/**
 * The least online count of each week that the equality × week cross-tabs of the view can show, whichever of them an
 * onlooker asks for: a week's answered cells of one equality question add up to at most its online count (only the
 * online survey asks; a child is not asked the orientation question), and each non-zero cell reads at least 1 ("<5")
 * or its count. Taken from the true counts, so it does not depend on how any cross-tab is protected (no cycle):
 * the most that any of them can give away as a floor. `cells`: per equality question, its (category, week, count)
 * triples; the "Not asked" category and keys starting with "_" are left out.
 */
export function onlineWeekFloors(
	cells: { category: string; week: string; n: number }[][],
	notAsked: string,
	min: number
): Map<string, number> {
	const out = new Map<string, number>();
	for (const list of cells) {
		const sums = new Map<string, number>();
		for (const { category, week, n } of list) {
			if (n <= 0 || category === notAsked || category.startsWith('_') || week.startsWith('_')) continue;
			sums.set(week, (sums.get(week) ?? 0) + (n < min ? 1 : n));
		}
		for (const [w, s] of sums) out.set(w, Math.max(out.get(w) ?? 0, s));
	}
	return out;
}
