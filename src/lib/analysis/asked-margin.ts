/**
 * A sliced equality cross-tab knows the online margin its view's equality table publishes as "Total asked" (issue
 * #11, the random audit's seed 29 with the equality cross-tabs, dis56).
 *
 * Only the online survey asks the equality questions (submissions/save.ts equalityColumns), so an equality table's
 * "Total asked" is the view's online count, and in an equality × channel cross-tab it is the online line's total.
 * Seed 29's `group=other`: "Gender" showed "Total asked" 5 (and "Responses by channel" online 5), while "Gender by
 * channel" hid its online column total "[c]" (5) as a partner of its group family; `group=other&channel=online` showed
 * the same count as its online total and grand total (its table is all online: the other columns are public zeros),
 * so the slices of the channel line gave the hidden 5 back. One count hidden in one view, shown in another (and shown
 * in the hiding view's own equality table).
 *
 * page-hides.ts pageShownBounds gives a sliced cross-tab the margins its equality tables show as known ([n, n]: a
 * published count, never a partner), by category; "Total asked" is no category, so the online line was left to the
 * cross-tab's family. This adds it: where the view's equality table shows "Total asked" n (not hidden, n > 0) and the
 * cross-tab's other dimension is the channel, the online line's total (whose true count is n, with nobody "Not
 * asked" on it) is known exactly. Bounds only, as pageShownBounds: nothing is decided, the slices' family still
 * chooses the partners; the protection then reads the line's total as published (suppress.ts: a count pinned by
 * what other tables give is no partner and is shown). Pure: the cross-tab's rows, columns and true counts and the
 * equality sides in, bounds out. ANALYSIS_CROSSTAB_ASKED_MARGIN=off (read at use by the caller) leaves it out.
 */
import type { PageSide } from './page-hides';
import type { ViewConstraints } from './suppress';
import { envSwitch } from './switches';
import { cellKey } from './tables';

/** The channel whose count an equality table's "Total asked" is (domain/channels.ts: the only one that asks). */
const ONLINE = 'online';
const NOT_ASKED = 'not_asked';
const ASKED = '_asked';

/**
 * The online line's total as known ([n, n]) where an equality side shows "Total asked" n. `channelSide`: which side of
 * the cross-tab is the channel ('rows', 'columns'), or none (nothing to add). Undefined when there is nothing.
 */
export function askedMarginBounds(
	rows: { key: string }[],
	columns: { key: string }[],
	count: (row: string, col: string) => number,
	sides: { rows?: PageSide; columns?: PageSide },
	channelSide: 'rows' | 'columns' | undefined
): ViewConstraints | undefined {
	if (!channelSide) return undefined;
	const eq = channelSide === 'rows' ? sides.columns : sides.rows;
	if (!eq) return undefined;
	const cell = eq.table.rows.find((r) => r.key === ASKED)?.cells[0];
	const n = eq.n(ASKED);
	if (!cell || cell.suppressed || n <= 0) return undefined;
	// The online line of the cross-tab, its true total and its "Not asked" cell (0 by the survey's design).
	const other = channelSide === 'rows' ? columns : rows;
	const at = (o: string) => (channelSide === 'rows' ? count(ONLINE, o) : count(o, ONLINE));
	if (!(channelSide === 'rows' ? rows : columns).some((x) => x.key === ONLINE)) return undefined;
	const total = other.reduce((t, o) => t + at(o.key), 0);
	if (total !== n || at(NOT_ASKED) !== 0) return undefined;
	const key = channelSide === 'rows' ? cellKey(ONLINE, '_total') : cellKey('_total', ONLINE);
	return { hide: new Set(), bounds: new Map([[key, [n, n]]]) };
}

/** ANALYSIS_CROSSTAB_ASKED_MARGIN=off leaves the online line's total to the cross-tab's family (before dis56). */
export const askedMarginOn = (): boolean => envSwitch('ANALYSIS_CROSSTAB_ASKED_MARGIN') !== 'off';
