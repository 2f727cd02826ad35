/**
 * A wider table's line against its slices' lower bounds (issue #11, the random audit's seed 417). Every cell of a
 * view's weeks table is a page (the view narrowed to a district, that week and online), and an empty page says so
 * (wider.ts knownZeros): so an onlooker knows how many districts had an online submission in each week, and each of
 * those districts' counts is at least 1. The districts' pages, the respondent types' and the district × type pages
 * tell it through their tables too (a hidden online count beside a shown face to face 0 is its row's "<5" total;
 * an empty district × type page puts a count in the one page that has it). Each slice was protected against its
 * own lines and the wider weeks table against its own, but nothing added the slices' lower bounds up against the
 * wider table's column total: seed 417's unfiltered online column showed 5 over three "<5" weeks (2, 1, 2), with
 * two, one and two districts online in those weeks, so every week was pinned at its number of districts and 34
 * cells of the family followed.
 *
 * `presenceTight` says whether a column of the weeks table is pinned that way: its small weeks (the ones it hides
 * as "<5"; with only one, the smallest other week too, which its protection must hide with it) each hold exactly
 * as many submissions as districts with one, so the shown total less the shown weeks leaves them no room above
 * their lower bounds. Read from the true counts only (the protection of the tables that show the total reads no
 * weeks table: no cycle), and an onlooker's best case: hidden weeks that are not small only add room.
 * Pure.
 */

/** One week of a weeks table's column: its count and how many districts have a submission in it. */
export interface WeekCell {
	n: number;
	present: number;
}

/** Whether the column's hidden weeks are pinned at their lower bounds by its shown total (see above). */
export function presenceTight(column: WeekCell[], min: number): boolean {
	if (min <= 0) return false;
	const nonZero = column.filter((c) => c.n > 0);
	const total = nonZero.reduce((t, c) => t + c.n, 0);
	// A small total is hidden where it is published, so its column has room.
	if (total < min) return false;
	const small = nonZero.filter((c) => c.n < min);
	if (small.length === 0) return false;
	const hidden = [...small];
	if (small.length === 1) {
		const partner = nonZero.filter((c) => c.n >= min).sort((a, b) => a.n - b.n)[0];
		if (partner) hidden.push(partner);
	}
	const room = hidden.reduce((t, c) => t + c.n, 0);
	const floor = hidden.reduce((t, c) => t + Math.max(c.n < min ? 1 : 0, Math.min(c.present, c.n)), 0);
	return floor >= room;
}
