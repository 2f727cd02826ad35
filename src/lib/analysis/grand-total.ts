/**
 * The unfiltered view's grand total, one count read one way (issue #11, dis61: the every-pair unfiltered view of
 * random seeds 1, 2, 4, 5, 8, 10–13).
 *
 * A cross-tab with no page dimension (two equality dimensions, an equality dimension by location or by week, location
 * by week) had no side to decide its grand total, so it chose for itself: "Gender by age band" of seed 4 showed 35
 * while the weeks table and every page table hid it ("[c]"), and with "Not asked" 26 (the week table's face-to-face
 * total) the online total 9 came off, then week 2's online 2. Seeds 1, 2, 5, 8, 10–13 the same: an equality cross-tab
 * showed the total the page tables hid (and, seed 5, another equality cross-tab hid the one it showed).
 *
 * So such a cross-tab reads its grand total as the view's districts table reads its total (the submissions), where
 * the two true counts agree: shown, "<5" or "[c]", decided (ProtectInput.decided: never a partner, protected
 * around). Pure: the page table in, the decision out. The caller (dashboard.ts crossTabTable) reads the switch
 * ANALYSIS_GRAND_TOTAL_DECIDED at use (`=off`: the cross-tab decides, the old behaviour) and only where no side of
 * the cross-tab decides it already.
 */
import type { Hidden } from './suppress';
import type { TableData } from './tables';

/** How `page` (a one-way page table whose true total is `pageTotal`) reads a grand total of `grand`, if the same count. */
export function grandTotalDecision(page: TableData, pageTotal: number, grand: number): Hidden | undefined {
	if (pageTotal !== grand) return undefined;
	const cell = page.rows.find((r) => r.key === '_total')?.cells[0];
	if (!cell) return undefined;
	return cell.suppressed ? (cell.text.startsWith('<') ? 'primary' : 'secondary') : false;
}
