/**
 * The unfiltered view's week cross-tabs with a page dimension ("Week by channel", "Week by district") and the weeks
 * table's total column (issue #11, dis48, shaped seeds 62, 63 and 79 with the equality tables in the attacker's view).
 *
 * A week's row total in such a cross-tab is the weeks table's week total (the week's submissions). dis40's
 * weekShownMargins takes the margins the weeks table SHOWS as decided shown; the ones it hides stayed the cross-tab's
 * own (deciding them moved random seed 400's partners: week-side.ts). So the cross-tab could show a week total the
 * weeks table hides, or read "<5" a week total the weeks table reads "[c]":
 *
 * - shaped seed 79: "Responses by week" hid week 1's total 16 ("[c]") beside week 2's 22 and week 3's "<5"; "Week by
 *   channel" showed week 1's 16. So the view's hidden total was at most 16 + 22 + 4 = 42, while "Districts" (Malvern
 *   Hills 7, Redditch 21, Wychavon 10, Bromsgrove "<5" over three "<5" cells of "Gender by district", "Not given" "<5")
 *   put it at least 7 + 21 + 10 + 3 + 1 = 42: 32 cells (Bromsgrove 3, "Not given" 1, library 3, …). Seed 62 alike
 *   (week 1's 7, 19 cells the same way and 15 from them).
 * - shaped seed 63: the weeks table read week 1's total "[c]" (4) where "Week by channel" read it "<5": the total was
 *   then at most 4 + 18 + 11 = 33 and at least 13 + 11 + 5 + 3 + 1 = 33 (18 cells).
 *
 * Two rules, both for the view without a sibling filter and where the true counts agree: (1) the cross-tab hides the
 * week margins the weeks table hides (a hide constraint: the cross-tab chooses its own partners around them, as a
 * sliced view's cross-tab does for the margins its page tables hide, page-hides.ts; nothing is decided); (2) its
 * entries whose count is a week's whole count read "[c]" where the weeks table reads that week "[c]" (labels only,
 * as dashboard.ts pageLabels does with weeks.ts weeksTotalPage in sliced views, dis44). The grand total is left to
 * the page table that decides it (dashboard.ts marginsOf). Pure: the weeks table (shown and true) in, keys out.
 */
import { pageHiddenMargins } from './page-hides';
import { cellKey, type TableData } from './tables';
import { weeksTotalPage } from './week-side';

/**
 * The week margins (cellKey of the cross-tab) of a week cross-tab that the weeks table hides, its grand total left
 * out; only weeks whose row reads as the cross-tab's (same key and label) and whose true counts agree.
 */
export function weekHiddenMarginsUnsliced(
	rows: { key: string; label: string }[],
	columns: { key: string; label: string }[],
	count: (row: string, col: string) => number,
	weekIsRows: boolean,
	shown: TableData,
	truth: TableData
): Set<string> {
	const side = weeksTotalPage(shown, truth, weekIsRows ? rows : columns);
	if (!side) return new Set();
	const hides = pageHiddenMargins(rows, columns, count, weekIsRows ? { rows: side } : { columns: side });
	const out = new Set(hides?.hide ?? []);
	out.delete(cellKey('_total', '_total'));
	return out;
}

/**
 * A sliced view's week cross-tab's week × online cells that read "[c]" because the view's weeks table reads the same
 * count "[c]" in its online column (issue #11, dis48, random seed 31's `district=wyre-forest`, found by the equality
 * run of the random audit and there without it too). The weeks table read week 1's online 1 "[c]" beside face to face
 * "<5" and the week's total "<5"; "Week by channel" read the same online 1 "<5" (at least 1). Weeks 2 and 3 "<5" (at
 * least 1 each) and the view's total "<5" (at most 4): week 1 ≥ 1 + 1, so 2 + 1 + 1 = 4 pinned every week, and from
 * them 33 cells. In the view without a sibling filter the weeks table decides these cells (week-side.ts
 * weekOnlineDecisions); a sliced view's cross-tab is protected with its family, so, as pageLabels does for the page
 * tables, only the labels follow. Only weeks whose row reads as the cross-tab's (same key and label) and whose true
 * counts agree. Keys cellKey of the cross-tab.
 */
export function weekOnlineLabels(
	rows: { key: string; label: string }[],
	columns: { key: string; label: string }[],
	count: (row: string, col: string) => number,
	weekIsRows: boolean,
	shown: TableData,
	truth: TableData
): Set<string> {
	const out = new Set<string>();
	const j = shown.columns.findIndex((x) => x.key === 'online');
	const jt = truth.columns.findIndex((x) => x.key === 'online');
	const other = weekIsRows ? columns : rows;
	if (j < 0 || jt < 0 || !other.some((x) => x.key === 'online')) return out;
	for (const w of weekIsRows ? rows : columns) {
		const row = shown.rows.find((r) => r.key === w.key && r.label === w.label);
		const cell = row?.cells[j];
		if (!cell?.suppressed || cell.text.startsWith('<')) continue;
		const n = weekIsRows ? count(w.key, 'online') : count('online', w.key);
		const t = truth.rows.find((r) => r.key === w.key)?.cells[jt]?.n ?? 0;
		if (n > 0 && n === t) out.add(weekIsRows ? cellKey(w.key, 'online') : cellKey('online', w.key));
	}
	return out;
}
