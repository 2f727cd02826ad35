/**
 * The equality questions' structural zeros (issue #11, dis60). Only the online survey asks the equality questions:
 * src/lib/server/submissions/save.ts `equalityColumns` (the only writer of the `eq_*` columns) stores "Not asked" in
 * every equality field of any other channel's submission, and the tables say so ("Not asked (face to face)"). So in
 * a cross-tab with an equality dimension, a count of an answered category ("Left blank" and "Prefer not to say"
 * included; not "Not asked", not the total) on no online channel is 0 in every possible dataset: the view's channel
 * filter (a face-to-face channel, "face-to-face", "import") or the cell's own channel in a channel cross-tab leaves
 * online out. Anyone who knows the survey knows those zeros without reading a table.
 *
 * Hidden, such a zero protects nothing and invites a read: random seed 25 with the equality cross-tabs (dis56) hid
 * them along the channel line of its district × channel family (a line hides in every slice what any slice hides),
 * and an attacker who starts from them read the online slice's hidden "12 or under" × Child 6 off the unfiltered
 * view's shown 6 (the face-to-face slices being known zeros, the online slice is the whole line). Passed to the
 * cross-tab's protection as exact bounds [0, 0] (as wider.ts knownZeros does for the equality tables in a
 * face-to-face view), the zeros are never chosen as partners, and a zero a sibling line asks to hide is shown again
 * (suppress.ts: a forced entry pinned exactly is shown), which the line then reads as known (siblings.ts `label`).
 * With them, in a cross-tab of the channel (and an equality dimension), the channels the view's filter leaves out:
 * zeros of the filter, as public. Only counts whose true value is zero are marked (a check, should the survey change).
 * ANALYSIS_STRUCTURAL_KNOWN=off leaves them out (before).
 *
 * Pure: categories and counts in, constraints out (keys as tables.ts cellKey).
 */
import { FACE_TO_FACE_CHANNELS } from '../domain/channels';
import { EQUALITY_DIMENSION, type Dimension } from './dimensions';
import type { ViewConstraints } from './suppress';
import { envSwitch } from './switches';
import { cellKey } from './tables';
import { NOT_ASKED } from '../domain/equality';

/** Whether the structural zeros are passed as known (default on); ANALYSIS_STRUCTURAL_KNOWN=off: before. */
export const structuralKnownOn = () => envSwitch('ANALYSIS_STRUCTURAL_KNOWN') !== 'off';

/**
 * Whether "Not asked" × answered cells of two equality questions are known zeros too (notAskedZero; issue #11, random
 * seed 25's unfiltered view with every pair, dis63); ANALYSIS_STRUCTURAL_NOT_ASKED=off leaves them out (before).
 */
export const structuralNotAskedOn = () => envSwitch('ANALYSIS_STRUCTURAL_NOT_ASKED') !== 'off';

/**
 * Whether the count at (`a` = `row`, `b` = `column`) of a cross-tab of two equality questions is "Not asked" on one
 * and answered on the other: 0 by the survey's design, whatever the channel. save.ts `equalityColumns` stores "Not
 * asked" in every equality field at once (a face-to-face or imported submission, or an online one with no "About you")
 * except that the sexual orientation question is also not asked of an online respondent under 16 or answering as a
 * child while the others are asked. So "Not asked" on age, gender, disability or ethnicity means "Not asked" on every
 * other question; "Not asked" on sexual orientation says nothing of the others. Margins ('_total') are not such cells.
 */
export function notAskedZero(a: Dimension, b: Dimension, row: string, column: string): boolean {
	if (!EQUALITY_DIMENSION[a] || !EQUALITY_DIMENSION[b]) return false;
	const answered = (v: string) => v !== '_total' && v !== NOT_ASKED;
	return (
		(row === NOT_ASKED && a !== 'orientation' && answered(column)) ||
		(column === NOT_ASKED && b !== 'orientation' && answered(row))
	);
}

/** The filter value that keeps every face-to-face channel (filters.ts FACE_TO_FACE). */
const FACE_TO_FACE = 'face-to-face';

/** The channels a view with channel filter `channel` keeps (undefined: every channel). */
export function viewChannels(channel: string | undefined): readonly string[] | undefined {
	if (channel === undefined) return undefined;
	return channel === FACE_TO_FACE ? FACE_TO_FACE_CHANNELS : [channel];
}

/**
 * Whether the count at (`a` = `row`, `b` = `column`) ('_total' for a margin) in a view keeping `channels` is an
 * answered equality count on no online channel: 0 by the survey's design.
 */
export function isStructuralZero(
	a: Dimension,
	b: Dimension,
	row: string,
	column: string,
	channels: readonly string[] | undefined
): boolean {
	const coords: [Dimension, string][] = [
		[a, row],
		[b, column]
	];
	const answered = coords.some(([d, v]) => !!EQUALITY_DIMENSION[d] && v !== '_total' && v !== 'not_asked');
	if (!answered) return false;
	let kept = channels;
	for (const [d, v] of coords) if (d === 'channel' && v !== '_total') kept = (kept ?? [v]).filter((c) => c === v);
	return kept !== undefined && !kept.includes('online');
}

/**
 * A cross-tab's structural zeros (isStructuralZero) as exact bounds [0, 0], cells and margins; undefined when there
 * are none (no equality dimension, or the view and the cells keep the online channel).
 */
export function structuralZeroBounds(
	a: Dimension,
	b: Dimension,
	rows: { key: string }[],
	columns: { key: string }[],
	count: (row: string, column: string) => number,
	channel: string | undefined,
	notAsked: boolean = structuralNotAskedOn()
): ViewConstraints | undefined {
	if (!EQUALITY_DIMENSION[a] && !EQUALITY_DIMENSION[b]) return undefined;
	const channels = viewChannels(channel);
	const both = notAsked && !!EQUALITY_DIMENSION[a] && !!EQUALITY_DIMENSION[b];
	if (channels === undefined && a !== 'channel' && b !== 'channel' && !both) return undefined;
	const bounds = new Map<string, [number, number]>();
	const rowKeys = [...rows.map((r) => r.key), '_total'];
	const colKeys = [...columns.map((c) => c.key), '_total'];
	const sum = (r: string, c: string) => {
		const rs = r === '_total' ? rows.map((x) => x.key) : [r];
		const cs = c === '_total' ? columns.map((x) => x.key) : [c];
		let n = 0;
		for (const x of rs) for (const y of cs) n += count(x, y);
		return n;
	};
	// A channel the view's filter leaves out: the cross-tab keeps the unfiltered layout, so that line reads zeros
	// everyone knows (the family attacker's publicZero); hidden, such a zero protects nothing either (seed 25's
	// channel=library "Gender by channel" hid School's 0 along the channel line, and with it its own Library 23).
	const filteredOut = (r: string, c: string) =>
		channels !== undefined &&
		((a === 'channel' && r !== '_total' && !channels.includes(r)) ||
			(b === 'channel' && c !== '_total' && !channels.includes(c)));
	for (const r of rowKeys)
		for (const c of colKeys)
			if (
				(isStructuralZero(a, b, r, c, channels) || filteredOut(r, c) || (both && notAskedZero(a, b, r, c))) &&
				sum(r, c) === 0
			)
				bounds.set(cellKey(r, c), [0, 0]);
	return bounds.size ? { hide: new Set(), bounds } : undefined;
}
