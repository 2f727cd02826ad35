/**
 * A sliced view's cross-tab hides the margins its view's page tables hide (issue #11, the week audit's seed 196).
 *
 * In a view cut into sibling slices (a week, a district, a respondent type, ...), "Respondent types by district" is
 * protected with its own family of slices, apart from the view's "Respondent types" and "Districts", although its row
 * totals, column totals and grand total are the same counts (a group's perspectives, a district's submissions, the
 * view's perspectives). Seed 196's second week: "Respondent types" read child, young person and other "<5" (4 each)
 * beside parent and practitioner 0, and hid its total 12 as their one partner; the cross-tab showed its grand total
 * 12 (its week family showed every week's, 14 + 12 + 13 = 39), so 12 = three counts of at most 4 pinned all three at
 * 4. The unfiltered view's cross-tabs take their margins' decisions from the page tables (dashboard.ts marginsOf); in
 * a sliced view that moved the families' partners (docs/analysis.md, "Slice margins again"), so here only the page
 * tables' hidden margins are followed: a margin whose true count is the page table's, hidden there (not zero), is
 * hidden in the cross-tab too ("[c]" unless small; its family then hides it in every sibling and protects the line).
 * Hiding only: nothing the cross-tab hid is shown, nothing is decided shown.
 *
 * The generic cross-tabs of a sliced view (dashboard.ts crossTabTable: "District by channel", "Respondent group by
 * district", "Week by channel", ...) follow their page tables the same way (the week audit with cross-tabs, week seed
 * 7: week 1's "Responses by channel" hid library 7 as event 2's partner beside online 6 and the total 15 while
 * "District by channel" showed library's column total 7, so 15 - 6 - 7 = 2).
 *
 * An equality dimension's page-like table is the view's equality table ("Gender", "Ethnicity", ...; issue #11, week
 * seed 1 with every cross-tab pair, dis37): its rows are the cross-tab's categories ("Not asked (face to face)" among
 * them: in a dated view the face-to-face count), and its "Total asked" (row `_asked`, the online count) is the total
 * of any line of the other dimension with nobody "Not asked" whose count is all of it (the online row of "Channel by
 * gender"). Week 1 of seed 1: "Gender" hid "Not asked" 14 while the equality cross-tabs showed it as a column total
 * beside the week's total 17, so 17 - 14 = online 3. Those margins are hidden as the table hides them.
 *
 * Pure: the cross-tab's rows, columns and true counts and the view's page tables in, the cross-tab's cell keys to
 * hide out (keys as tables.ts cellKey). ANALYSIS_PAGE_HIDES=off ("Respondent types by district"),
 * ANALYSIS_CROSSTAB_PAGE_HIDES=off (the generic cross-tabs) and ANALYSIS_CROSSTAB_EQUALITY_HIDES=off (the equality
 * tables as sides), read at each use by the caller, leave it out.
 */
import type { ViewConstraints } from './suppress';
import { cellKey, type TableData } from './tables';

/**
 * A one-way table of the view whose rows are pages, with its true counts (dashboard.ts PageTable); or an equality
 * table, whose `n('_asked')` is its "Total asked".
 */
export interface PageSide {
	table: TableData;
	n: (key: string) => number;
	total: number;
}

/** An equality table's "Not asked" row key (domain/equality.ts NOT_ASKED): the face-to-face count in a dated view. */
const NOT_ASKED = 'not_asked';
/** An equality table's "Total asked" row key: the online count in a dated view. */
const ASKED = '_asked';

/** Whether the page table hides row `key` (its one column). */
function hiddenIn(p: PageSide, key: string): boolean {
	return !!p.table.rows.find((r) => r.key === key)?.cells[0]?.suppressed;
}

/** The cross-tab's margins (row totals, column totals, grand total) that the view's page tables hide. */
export function pageHiddenMargins(
	rows: { key: string }[],
	columns: { key: string }[],
	count: (row: string, col: string) => number,
	sides: { rows?: PageSide; columns?: PageSide }
): ViewConstraints | undefined {
	const hide = new Set<string>();
	const rowTotal = (r: string) => columns.reduce((t, c) => t + count(r, c.key), 0);
	const colTotal = (c: string) => rows.reduce((t, r) => t + count(r.key, c), 0);
	const follow = (p: PageSide | undefined, key: string, n: number, at: string) => {
		if (p && n > 0 && p.n(key) === n && hiddenIn(p, key)) hide.add(at);
	};
	for (const r of rows) follow(sides.rows, r.key, rowTotal(r.key), cellKey(r.key, '_total'));
	for (const c of columns) follow(sides.columns, c.key, colTotal(c.key), cellKey('_total', c.key));
	const grand = rows.reduce((t, r) => t + rowTotal(r.key), 0);
	for (const p of [sides.rows, sides.columns])
		if (p && grand > 0 && p.total === grand && hiddenIn(p, '_total')) hide.add(cellKey('_total', '_total'));
	// An equality side's "Total asked": a line across it with nobody "Not asked" whose total is that count.
	const asked = (p: PageSide | undefined) => (p && hiddenIn(p, '_asked') ? p.n('_asked') : 0);
	const askedOfColumns = asked(sides.columns);
	if (askedOfColumns > 0)
		for (const r of rows)
			if (count(r.key, NOT_ASKED) === 0 && rowTotal(r.key) === askedOfColumns) hide.add(cellKey(r.key, '_total'));
	const askedOfRows = asked(sides.rows);
	if (askedOfRows > 0)
		for (const c of columns)
			if (count(NOT_ASKED, c.key) === 0 && colTotal(c.key) === askedOfRows) hide.add(cellKey('_total', c.key));
	return hide.size ? { hide, bounds: new Map() } : undefined;
}

/**
 * What the view's page and equality tables publish of a sliced cross-tab's margins, as bounds for its protection
 * (issue #11, week seed 17 with every cross-tab pair, dis41). pageHiddenMargins follows what those tables hide; this
 * follows what they say of the rest: a margin whose true count is the page table's and that the page table shows is
 * known exactly ([n, n]: never a partner here, it is published); one the page table reads "<5" is known to be 1 to
 * min − 1 whatever this table says of it (relabelling it "[c]" here gives no room, since the page table and every
 * other cross-tab with that dimension still read "<5"); the grand total where a side's table shows its total (an
 * equality table: its "Not asked" and "Total asked" both shown). Week 2 of seed 17: "Ethnicity" showed "Not asked
 * (face to face)" 10, while "Ethnicity by sexual orientation" hid that row's total as room, beside its shown grand
 * total 18 and two "<5" (the ethnicity-left-blank × orientation-not-asked cell a, and the orientation "Left blank"
 * total L): with the row known, 18 = 10 + a + L pinned a = L = 4. Known, the row is no room; the table relabels a
 * "[c]" (L's label is the "Sexual orientation" table's). Bounds only: nothing is decided, so the slices' family still
 * chooses the partners (a sliced view's margins are not decided: dashboard.ts pageLabels' note).
 * ANALYSIS_CROSSTAB_SHOWN_MARGINS=off, read at each use by the caller, leaves it out.
 */
export function pageShownBounds(
	rows: { key: string }[],
	columns: { key: string }[],
	count: (row: string, col: string) => number,
	sides: { rows?: PageSide; columns?: PageSide },
	min: number
): ViewConstraints | undefined {
	const bounds = new Map<string, [number, number]>();
	const cellOf = (p: PageSide, key: string) => p.table.rows.find((r) => r.key === key)?.cells[0];
	// A view where nobody was asked (the face-to-face channel's; "Total asked" 0): its equality tables publish only the
	// view's count under "Not asked", which bounds the whole cross-tab to zeros off that line, so the slices' family's
	// hidden zeros there would read off by subtraction (tests/disclosure-server.test.ts, dis49). Nothing to add there.
	for (const p of [sides.rows, sides.columns])
		if (p && cellOf(p, ASKED) && !p.n(ASKED) && p.n(NOT_ASKED) === p.total) return undefined;
	const rowTotal = (r: string) => columns.reduce((t, c) => t + count(r, c.key), 0);
	const colTotal = (c: string) => rows.reduce((t, r) => t + count(r.key, c), 0);
	const follow = (p: PageSide | undefined, key: string, n: number, at: string) => {
		const cell = p && p.n(key) === n ? cellOf(p, key) : undefined;
		if (!cell) return;
		if (!cell.suppressed) bounds.set(at, [n, n]);
		else if (n > 0 && n < min && cell.text.startsWith('<')) bounds.set(at, [1, min - 1]);
	};
	for (const r of rows) follow(sides.rows, r.key, rowTotal(r.key), cellKey(r.key, '_total'));
	for (const c of columns) follow(sides.columns, c.key, colTotal(c.key), cellKey('_total', c.key));
	const grand = rows.reduce((t, r) => t + rowTotal(r.key), 0);
	const shown = (p: PageSide, key: string) => {
		const cell = cellOf(p, key);
		return !!cell && !cell.suppressed;
	};
	for (const p of [sides.rows, sides.columns])
		if (p && p.total === grand && (shown(p, '_total') || (shown(p, NOT_ASKED) && shown(p, '_asked'))))
			bounds.set(cellKey('_total', '_total'), [grand, grand]);
	return bounds.size ? { hide: new Set(), bounds } : undefined;
}
