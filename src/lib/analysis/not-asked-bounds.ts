/**
 * What the channels table says of an equality cross-tab's "Not asked (face to face)" margin (issue #11, dis48,
 * shaped seed 71 with the equality tables in the attacker's view).
 *
 * The equality questions are asked online only, so "Not asked" is the view's submissions of every other channel: in
 * "Responses by channel" the face-to-face rows (library, school, event, …) add up to it, and the total less online is
 * it too. An equality cross-tab whose other dimension is not the channel ("Gender by district") was protected knowing
 * only the label of its "Not asked" margin ("[c]", decided by the view's "Gender": dashboard.ts marginsOf), so it kept
 * a "Not asked" row whose shown margins and "<5" cells (each at least 1) put that margin at least at its true count:
 * seed 71's "Gender by district" read Not asked "<5" under Bromsgrove, Malvern Hills, Redditch and "Not given", and
 * with Wychavon's 19 − 9 = female + not asked and the female and male rows' shown totals, Not asked ≥ 8; "Responses by
 * channel" read library "<5" and event "<5": at most 8. So 8, and from it 15 cells (library 4, event 4, "Not given" 1,
 * …).
 *
 * As a cross-tab learns the bounds other cross-tabs put on its page margins (cross-bounds.ts), it now learns the
 * bounds the channels table puts on its "Not asked" margin (ProtectInput.bounds), and protects its hidden entries
 * within them: it chooses its own partners; nothing is decided. Only where the true counts agree (the margin is the
 * channels' face-to-face count). Pure: the channels table (shown, true counts) in, the bounds out (keys cellKey).
 */
import { cellKey, type TableData } from './tables';

const INF = Number.POSITIVE_INFINITY;

/** The interval an onlooker reads from a one-column table's row `key` (a missing row: undefined). */
function rowBounds(t: TableData, key: string, min: number): [number, number] | undefined {
	const cell = t.rows.find((r) => r.key === key)?.cells[0];
	if (!cell) return undefined;
	if (!cell.suppressed) return [cell.n ?? 0, cell.n ?? 0];
	return cell.text.startsWith('<') ? [1, min - 1] : [0, INF];
}

/**
 * The bounds on an equality cross-tab's "Not asked" margin (row `notAsked` when the equality dimension is the rows,
 * else column) from the view's channels table (`channels.n`: true counts by channel key; `online`: the online key).
 * Empty where the margin is zero, its true count is not the channels' count without online, or the bounds say nothing.
 */
export function notAskedBounds(
	rows: { key: string }[],
	columns: { key: string }[],
	count: (row: string, col: string) => number,
	equalityIsRows: boolean,
	notAsked: string,
	channels: { table: TableData; n: (key: string) => number; total: number },
	online: string,
	min: number
): Map<string, [number, number]> {
	const out = new Map<string, [number, number]>();
	const other = equalityIsRows ? columns : rows;
	const na = other.reduce((t, o) => t + (equalityIsRows ? count(notAsked, o.key) : count(o.key, notAsked)), 0);
	if (na <= 0 || channels.total - channels.n(online) !== na) return out;
	// The face-to-face rows added up (a channel with no row must count nobody: else nothing is said).
	let lo = 0;
	let hi = 0;
	const listed = new Set<string>();
	for (const r of channels.table.rows) {
		if (r.key === online || r.key.startsWith('_')) continue;
		const b = rowBounds(channels.table, r.key, min);
		if (!b) continue;
		listed.add(r.key);
		lo += b[0];
		hi += b[1];
	}
	let rest = na;
	for (const k of listed) rest -= channels.n(k);
	if (rest !== 0) [lo, hi] = [0, INF];
	// The total less online.
	const total = rowBounds(channels.table, '_total', min);
	const on = rowBounds(channels.table, online, min) ?? (channels.n(online) === 0 ? [0, 0] : undefined);
	if (total && on) {
		lo = Math.max(lo, total[0] - on[1]);
		hi = Math.min(hi, total[1] - on[0]);
	}
	if (lo <= 0 && hi === INF) return out;
	out.set(equalityIsRows ? cellKey(notAsked, '_total') : cellKey('_total', notAsked), [Math.max(0, lo), hi]);
	return out;
}

/**
 * The bounds the weeks table's face-to-face column puts on an equality × week cross-tab's "Not asked" × week cells
 * (issue #11, week seed 24, dis58). The equality questions are asked online only, so a week's "Not asked" is that
 * week's face-to-face count, which "Responses by week" publishes ("Face to face and other"). Seed 24's unfiltered
 * "Disability by week" took "Not asked" × week 2 (7) as the one partner of its "<5" while the weeks table showed week
 * 2's face to face 7: 20 − 10 − 7 − 0 = 3. Bounds [n, n] where the weeks table shows n, [1, min − 1] where it reads
 * "<5", nothing where it reads "[c]"; only where the true counts agree (else the cell is not that count). `f2f`: the
 * weeks table's face-to-face column (one column, rows keyed by week as the cross-tab keys its weeks; `n` the true
 * counts). Pure; keys cellKey.
 */
export function notAskedWeekBounds(
	rows: { key: string }[],
	columns: { key: string }[],
	count: (row: string, col: string) => number,
	weekIsRows: boolean,
	notAsked: string,
	f2f: { table: TableData; n: (key: string) => number },
	min: number
): Map<string, [number, number]> {
	const out = new Map<string, [number, number]>();
	const weeks = weekIsRows ? rows : columns;
	if (!(weekIsRows ? columns : rows).some((x) => x.key === notAsked)) return out;
	for (const w of weeks) {
		if (w.key.startsWith('_')) continue;
		const n = weekIsRows ? count(w.key, notAsked) : count(notAsked, w.key);
		if (n !== f2f.n(w.key)) continue;
		const b = rowBounds(f2f.table, w.key, min);
		if (!b || b[1] === INF) continue;
		out.set(weekIsRows ? cellKey(w.key, notAsked) : cellKey(notAsked, w.key), b);
	}
	return out;
}

/** The weeks table's columns as sides of an equality × week cross-tab (week-side.ts weeksColumnSide). */
export interface WeekColumns {
	f2f: { table: TableData; n: (key: string) => number };
	online: { table: TableData; n: (key: string) => number };
	total: { table: TableData; n: (key: string) => number };
}

/**
 * notAskedWeekBounds with the weeks table's whole row as the side (issue #11, dis59): a week's "Not asked" is its face
 * to face, and so its total less its online, and the answered categories of the week add up to its online count. The
 * cross-tab knew only the face-to-face cell, so where "Responses by week" read week 1's online "<5" (4) beside its
 * total 25 and face to face "[c]", "Age band by week" read four "<5" under week 1 (random seed 2, unfiltered): each at
 * least 1, the four at most 4, so each 1 (and week 1's online 4). Bounds: the face-to-face cell's, narrowed by the
 * week's total less its online ([t.lo − on.hi, t.hi − on.lo]); only where the true counts agree (the "Not asked" cell
 * is the face-to-face count, the cross-tab's week total the weeks table's). Pure; keys cellKey.
 */
export function notAskedWeekSideBounds(
	rows: { key: string }[],
	columns: { key: string }[],
	count: (row: string, col: string) => number,
	weekIsRows: boolean,
	notAsked: string,
	sides: WeekColumns,
	min: number,
	onlineFloor: (week: string) => number = () => 0
): Map<string, [number, number]> {
	const out = new Map<string, [number, number]>();
	const weeks = weekIsRows ? rows : columns;
	const other = weekIsRows ? columns : rows;
	if (!other.some((x) => x.key === notAsked)) return out;
	for (const w of weeks) {
		if (w.key.startsWith('_')) continue;
		const at = (o: string) => (weekIsRows ? count(w.key, o) : count(o, w.key));
		const n = at(notAsked);
		if (n !== sides.f2f.n(w.key)) continue;
		let [lo, hi] = rowBounds(sides.f2f.table, w.key, min) ?? [0, INF];
		const weekTotal = other.reduce((t, o) => t + (o.key.startsWith('_') ? 0 : at(o.key)), 0);
		if (weekTotal === sides.total.n(w.key) && weekTotal - n === sides.online.n(w.key)) {
			const t = rowBounds(sides.total.table, w.key, min);
			const on = rowBounds(sides.online.table, w.key, min) ?? (sides.online.n(w.key) === 0 ? [0, 0] : undefined);
			if (t && on) {
				lo = Math.max(lo, t[0] - on[1]);
				hi = Math.min(hi, t[1] - Math.max(on[0], onlineFloor(w.key)));
			}
		}
		if (lo <= 0 && hi === INF) continue;
		out.set(weekIsRows ? cellKey(w.key, notAsked) : cellKey(notAsked, w.key), [Math.max(0, lo), hi]);
	}
	return out;
}
