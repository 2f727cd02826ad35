/**
 * "Responses by week" decides a week cross-tab's week × online cells in the view without a sibling filter (issue #11,
 * dis39). A cross-tab of the week by the channel shares counts with the same view's weeks table: a week's online cell
 * is the weeks table's online cell. Protected apart, "Week by channel" hid week 3's online 6 ("[c]") that "Responses by
 * week" shows, so its week 3 row gave school 19 − 6 − library 11 − event 0 = 2 (random audit seed 406); it showed week
 * 2's online cell that the weeks table hid, so the weeks table's week 3 face to face was the column total less the
 * rest (shaped seed 7). So the weeks table decides those cells (ProtectInput.decided, closed-grid keys), as the page
 * tables decide a cross-tab's margins (dashboard.ts marginsOf): each reads as the weeks table reads it and is never a
 * partner; the cross-tab protects its other entries around them. Only where the true counts agree. No cycle: the
 * weeks table reads the channels table, no cross-tab.
 *
 * dis38 also let the weeks table decide the cross-tab's week margins (its row totals): that closed shaped seed 7 too,
 * but the cross-tab then showed week 1's school 8 (its row had the decided total and online hidden), so with "District
 * by channel"'s two library "<5" the library column pinned random seed 400's library 2 (9 cells). The cells alone
 * close both seeds and open nothing on the unfiltered views of random seeds 1–60 and 400–415 and shaped seeds 1–40
 * (docs/analysis.md, dis39). Pure: the weeks table (shown and true) in, the decisions out.
 */
import type { Hidden } from './suppress';
import type { TableData } from './tables';

/** The weeks table's online column as a side: its cells by week number (the cross-tab's week keys), true counts. */
export interface WeekSide {
	table: TableData;
	n: (key: string) => number;
}

/** The weeks table's online column (rows by week number), with its true counts; undefined without one. */
export function weeksOnlineSide(shown: TableData, truth: TableData): WeekSide | undefined {
	const j = shown.columns.findIndex((x) => x.key === 'online');
	const jt = truth.columns.findIndex((x) => x.key === 'online');
	if (j < 0 || jt < 0) return undefined;
	const n = new Map(truth.rows.map((r) => [r.key, r.cells[jt]?.n ?? 0]));
	return {
		table: { ...shown, columns: [shown.columns[j]], rows: shown.rows.map((r) => ({ ...r, cells: [r.cells[j]] })) },
		n: (key) => (key.startsWith('_') ? 0 : (n.get(key) ?? 0))
	};
}

/** The week × online cells of a week cross-tab as the weeks table reads them (closed-grid keys `r,c`). */
export function weekOnlineDecisions(
	rows: { key: string }[],
	columns: { key: string }[],
	count: (row: string, col: string) => number,
	weekIsRows: boolean,
	online: WeekSide
): Map<string, Hidden> {
	return weekColumnDecisions(rows, columns, count, weekIsRows, 'online', online, false);
}

/**
 * The cells of one line (`lineKey`) × each week of a week cross-tab, decided as `side`'s column of the weeks table
 * reads them (shown, "<5" primary, "[c]" secondary), only where the true counts agree; closed-grid keys `r,c`. The
 * online line reads the weeks table's online column (weekOnlineDecisions), an equality question's "Not asked" line its
 * face-to-face column (not-asked-week-side.ts notAskedWeekDecisions, which leaves the margins "_…" out: `skipMargins`).
 */
export function weekColumnDecisions(
	rows: { key: string }[],
	columns: { key: string }[],
	count: (row: string, col: string) => number,
	weekIsRows: boolean,
	lineKey: string,
	side: WeekSide,
	skipMargins: boolean
): Map<string, Hidden> {
	const out = new Map<string, Hidden>();
	const weeks = weekIsRows ? rows : columns;
	const other = weekIsRows ? columns : rows;
	const at = other.findIndex((x) => x.key === lineKey);
	if (at < 0) return out;
	weeks.forEach((w, i) => {
		if (skipMargins && w.key.startsWith('_')) return;
		const n = weekIsRows ? count(w.key, lineKey) : count(lineKey, w.key);
		const cell = side.table.rows.find((r) => r.key === w.key)?.cells[0];
		if (!cell || side.n(w.key) !== n) return;
		const d: Hidden = cell.suppressed ? (cell.text.startsWith('<') ? 'primary' : 'secondary') : false;
		out.set(weekIsRows ? `${i},${at}` : `${at},${i}`, d);
	});
	return out;
}

/**
 * The week margins (a week's row total) of a week cross-tab that the weeks table SHOWS, as decided shown (issue #11,
 * dis40, shaped seed 4): a count the same view publishes in "Responses by week" is no partner here (hiding it in the
 * cross-tab hides nothing). Unlike dis38's try, a margin the weeks table hides stays the cross-tab's own (deciding
 * those hidden is what moved random seed 400's partners). Keys as weekOnlineDecisions; only where the counts agree.
 */
export function weekShownMargins(
	rows: { key: string }[],
	columns: { key: string }[],
	count: (row: string, col: string) => number,
	weekIsRows: boolean,
	totals: WeekSide
): Map<string, Hidden> {
	const out = new Map<string, Hidden>();
	const weeks = weekIsRows ? rows : columns;
	const other = weekIsRows ? columns : rows;
	weeks.forEach((w, i) => {
		const cell = totals.table.rows.find((r) => r.key === w.key)?.cells[0];
		if (!cell || cell.suppressed) return;
		let n = 0;
		for (const o of other) n += weekIsRows ? count(w.key, o.key) : count(o.key, w.key);
		if (totals.n(w.key) !== n) return;
		out.set(weekIsRows ? `${i},${other.length}` : `${other.length},${i}`, false);
	});
	return out;
}

/**
 * A week cross-tab's week rows' face-to-face part (every channel but online), whose sum "Responses by week" publishes
 * as the week's "Face to face and other" (issue #11, random seed 56, dis40): the unfiltered "Week by channel" hid week
 * 2's library 1 ("<5") beside online "<5" and its week total "[c]" and showed school 6 and event 9, while the weeks
 * table showed week 2's face to face 16: 16 − 6 − 9 = 1. As the week's channels table does (sub-line.ts, seed 284),
 * the part is a line of its own: where exactly one of its non-zero counts is small, the smallest other is hidden with
 * it. `f2f` is the weeks table's face-to-face column (shown, true counts); keys are cellKey(row, col) of the cross-tab,
 * only weeks whose face-to-face cell is shown and equal to the part's sum.
 */
export function weekFaceToFaceParts(
	rows: { key: string }[],
	columns: { key: string }[],
	count: (row: string, col: string) => number,
	weekIsRows: boolean,
	f2f: WeekSide,
	key: (row: string, col: string) => string
): Map<string, number>[] {
	const out: Map<string, number>[] = [];
	const weeks = weekIsRows ? rows : columns;
	const other = (weekIsRows ? columns : rows).filter((x) => x.key !== 'online');
	for (const w of weeks) {
		const cell = f2f.table.rows.find((r) => r.key === w.key)?.cells[0];
		if (!cell || cell.suppressed) continue;
		const part = new Map<string, number>();
		let n = 0;
		for (const o of other) {
			const v = weekIsRows ? count(w.key, o.key) : count(o.key, w.key);
			part.set(weekIsRows ? key(w.key, o.key) : key(o.key, w.key), v);
			n += v;
		}
		if (f2f.n(w.key) === n) out.push(part);
	}
	return out;
}

/** The weeks table's column `key` ("online", "f2f", "_total") as a side, with its true counts; undefined without one. */
export function weeksColumnSide(shown: TableData, truth: TableData, key: string): WeekSide | undefined {
	const j = shown.columns.findIndex((x) => x.key === key);
	const jt = truth.columns.findIndex((x) => x.key === key);
	if (j < 0 || jt < 0) return undefined;
	const n = new Map(truth.rows.map((r) => [r.key, r.cells[jt]?.n ?? 0]));
	return {
		table: { ...shown, columns: [shown.columns[j]], rows: shown.rows.map((r) => ({ ...r, cells: [r.cells[j]] })) },
		n: (k) => (k.startsWith('_') ? 0 : (n.get(k) ?? 0))
	};
}

/**
 * The whole week line (every week margin and the grand total) of a week cross-tab with no page dimension ("Gender by
 * week", "Location by week") as the weeks table reads its total column, shown or hidden (issue #11, shaped seed 5,
 * dis45). No page table decides such a cross-tab's grand total, and weekShownMargins decides only the week margins
 * the weeks table shows, so "Gender by week" kept the rest its own: it showed week 2's total 8 and the grand total 43
 * where "Responses by week" hid both, and with "Gender by district"'s three "<5" under Bromsgrove (at least 3) the
 * districts table's 43 − 8 − 25 − 6 = 4 for Bromsgrove and "Not given" pinned 14 cells. The cross-tab's week line is
 * the weeks table's total column, count for count, so it reads as that column reads and is protected there once.
 * Keys as weekOnlineDecisions (the grand total `R,C`); only entries whose true counts agree.
 */
export function weekLineDecisions(
	rows: { key: string }[],
	columns: { key: string }[],
	count: (row: string, col: string) => number,
	weekIsRows: boolean,
	shown: TableData,
	truth: TableData
): Map<string, Hidden> {
	const out = new Map<string, Hidden>();
	const j = shown.columns.findIndex((x) => x.key === '_total');
	const jt = truth.columns.findIndex((x) => x.key === '_total');
	if (j < 0 || jt < 0) return out;
	const weeks = weekIsRows ? rows : columns;
	const other = weekIsRows ? columns : rows;
	const read = (key: string, n: number): Hidden | undefined => {
		const cell = shown.rows.find((r) => r.key === key)?.cells[j];
		const t = truth.rows.find((r) => r.key === key)?.cells[jt];
		if (!cell || !t || (t.n ?? 0) !== n) return undefined;
		return cell.suppressed ? (cell.text.startsWith('<') ? 'primary' : 'secondary') : false;
	};
	let grand = 0;
	weeks.forEach((w, i) => {
		let n = 0;
		for (const o of other) n += weekIsRows ? count(w.key, o.key) : count(o.key, w.key);
		grand += n;
		const d = read(w.key, n);
		if (d !== undefined) out.set(weekIsRows ? `${i},${other.length}` : `${other.length},${i}`, d);
	});
	const d = read('_total', grand);
	if (d !== undefined) out.set(`${rows.length},${columns.length}`, d);
	return out;
}

/**
 * A sliced view's weeks table as a week cross-tab's page side for its labels (dashboard.ts pageLabels and
 * shownLineLabels; issue #11, random seed 456, dis44): the weeks table's total column is each week's count of
 * submissions, the same count as a submission-level week cross-tab's week margin. In `channel=event` the weeks table
 * read weeks 2 and 3 "[c]" (4 each) while "Week by channel" read the same two row totals "<5": with week 1 a zero
 * and the view's total 8 shown, 8 = two counts of at most 4 pinned both (8 cells over the two tables). As a page
 * table's "[c]" does (seed 12), the weeks table's "[c]" then reads "[c]" in the cross-tab too. Only the weeks whose
 * row reads as the cross-tab's (same key, same label: the same dates), so a weeks table numbered from another start
 * day is never matched to the wrong week; `total` is the weeks table's grand total (true count).
 */
export function weeksTotalPage(
	shown: TableData,
	truth: TableData,
	weeks: { key: string; label: string }[]
): { table: TableData; n: (key: string) => number; total: number } | undefined {
	const side = weeksColumnSide(shown, truth, '_total');
	if (!side) return undefined;
	const jt = truth.columns.findIndex((x) => x.key === '_total');
	const labels = new Map(weeks.map((w) => [w.key, w.label]));
	const rows = side.table.rows.filter((r) => r.key === '_total' || labels.get(r.key) === r.label);
	const total = truth.rows.find((r) => r.key === '_total')?.cells[jt]?.n ?? 0;
	return { table: { ...side.table, rows }, n: side.n, total };
}

/**
 * Whether a sliced view's cross-tab counted per submission must hide its grand total `grand` because the view's weeks
 * table hides its own grand total, the same count (issue #11, week seed 4 with every cross-tab pair, dis46). The
 * weeks table's grand total is the view's submissions, and so is such a cross-tab's. In week 2 of seed 4 "Responses
 * by week" hid online 2 and the total 9 beside face to face 7 shown, while "Gender by age band" (no page side: an
 * equality table has no total row, so pageHiddenMargins says nothing of its grand total) showed 9: 9 − 7 = 2 (39
 * cells). Pure: the weeks table shown and true in; true where the grand total is to be hidden.
 */
export function weeksGrandTotalHidden(shown: TableData, truth: TableData, grand: number): boolean {
	if (grand <= 0) return false;
	const j = shown.columns.findIndex((x) => x.key === '_total');
	const jt = truth.columns.findIndex((x) => x.key === '_total');
	if (j < 0 || jt < 0) return false;
	const cell = shown.rows.find((r) => r.key === '_total')?.cells[j];
	const t = truth.rows.find((r) => r.key === '_total')?.cells[jt];
	return !!cell?.suppressed && (t?.n ?? 0) === grand;
}
