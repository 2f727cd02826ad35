/**
 * A sliced cross-tab's online line knows what every equality table of its view says of the online count (issue #11,
 * week seed 27 with every cross-tab pair, dis57).
 *
 * Only the online survey asks the equality questions, so in a view of one week an equality table's "Not asked (face to
 * face)" is the week's face-to-face count and its "Total asked" the online count, the two adding up to the view's
 * submissions. This reads every equality table of the view, "<5" included, so it also covers the case dis56's
 * asked-margin.ts covered (the cross-tab's own equality side showing "Total asked"; random seed 29, removed on 6
 * December once the disclosure files and the random audit with the equality cross-tabs read 0 without it). Seed 27's week 3 (14
 * submissions: online 10, face to face 4): "Ethnicity" (and "Gender", "Disability", "Age band") read "Not asked" "<5"
 * beside the channels table's total 14, so online is 10 to 13; "Channel by sexual orientation" showed the online row's
 * "Not asked" 6 (online respondents under 16, never asked that question) beside its "Left blank" "<5" and hid the row
 * total as room. 6 + (at most 4) ≥ 10 pinned "Left blank" and the online total, and with them the face-to-face 4 in 64
 * cells of that view. "Sexual orientation" itself could not say it: its "Not asked" and "Total asked" are not the
 * channels' counts.
 *
 * The rule: for an online line (the channel dimension's "online" row or column) of a cross-tab in a sliced view, each
 * equality table of the view whose "Total asked" is that line's true total and whose "Not asked" is the rest of the
 * view's total (so no question asked of some online respondents only) gives a range: "Total asked" shown n → [n, n],
 * "<5" → [1, min − 1]; "Not asked" shown m → [T − m, T − m], "<5" → [T − min + 1, T − 1], where T is the view's total as
 * the channels table shows it (nothing from "Not asked" where it hides it). The ranges meet; the line's total gets
 * the meet as bounds (suppress.ts: known to an onlooker whatever the cross-tab shows). Bounds only: nothing is decided,
 * the slices' family still chooses the partners. Pure. ANALYSIS_CROSSTAB_ONLINE_TOTAL=off (read at use by the caller)
 * leaves it out.
 */
import type { PageSide } from './page-hides';
import type { ViewConstraints } from './suppress';
import { envSwitch } from './switches';
import { cellKey } from './tables';

const ONLINE = 'online';
const NOT_ASKED = 'not_asked';
const ASKED = '_asked';

/**
 * The online line's total as bounded by the view's equality tables. `channelSide`: which side of the cross-tab is the
 * channel; `channels`: the view's channels table (its shown total is the view's); `equality`: every equality table of
 * the view. Undefined when nothing narrows it.
 */
export function onlineTotalBounds(
	rows: { key: string }[],
	columns: { key: string }[],
	count: (row: string, col: string) => number,
	channelSide: 'rows' | 'columns' | undefined,
	channels: PageSide | undefined,
	equality: (PageSide | undefined)[],
	min: number
): ViewConstraints | undefined {
	if (!channelSide || !channels) return undefined;
	if (!(channelSide === 'rows' ? rows : columns).some((x) => x.key === ONLINE)) return undefined;
	const other = channelSide === 'rows' ? columns : rows;
	const online = other.reduce((t, o) => t + (channelSide === 'rows' ? count(ONLINE, o.key) : count(o.key, ONLINE)), 0);
	// Nobody online (the face-to-face channel's view): its zeros are the filter's, and bounds of [0, 0] would pin the
	// zeros the family hides on that line (page-hides.ts pageShownBounds' nobody-asked case, dis49). Nothing to add.
	if (online === 0) return undefined;
	const cellOf = (p: PageSide, key: string) => p.table.rows.find((r) => r.key === key)?.cells[0];
	const totalCell = cellOf(channels, '_total');
	const total = totalCell && !totalCell.suppressed ? channels.total : undefined;
	let lo = 0;
	let hi = Number.POSITIVE_INFINITY;
	for (const e of equality) {
		if (!e || e.n(ASKED) !== online || e.n(ASKED) + e.n(NOT_ASKED) !== channels.total) continue;
		const range = (cell: ReturnType<typeof cellOf>, n: number): [number, number] | undefined => {
			if (!cell) return undefined;
			if (!cell.suppressed) return [n, n];
			if (n > 0 && n < min && cell.text.startsWith('<')) return [1, min - 1];
			return undefined;
		};
		const asked = range(cellOf(e, ASKED), online);
		const notAsked = total === undefined ? undefined : range(cellOf(e, NOT_ASKED), e.n(NOT_ASKED));
		for (const r of [asked, notAsked && ([total! - notAsked[1], total! - notAsked[0]] as [number, number])])
			if (r) {
				lo = Math.max(lo, r[0]);
				hi = Math.min(hi, r[1]);
			}
	}
	if (lo === 0 && hi === Number.POSITIVE_INFINITY) return undefined;
	if (online < lo || online > hi) return undefined; // never: the true count is in every range read from it
	const key = channelSide === 'rows' ? cellKey(ONLINE, '_total') : cellKey('_total', ONLINE);
	return { hide: new Set(), bounds: new Map([[key, [Math.max(lo, 0), hi]]]) };
}

/** ANALYSIS_CROSSTAB_ONLINE_TOTAL=off leaves the online line's total to the cross-tab's family (before dis57). */
export const onlineTotalOn = (): boolean => envSwitch('ANALYSIS_CROSSTAB_ONLINE_TOTAL') !== 'off';
