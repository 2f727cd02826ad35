/**
 * A line's part whose sum is published elsewhere (issue #11, the week audit's seed 284).
 *
 * A week's "Responses by channel" has online, the face-to-face channels (library, school, event, ...) and the total;
 * the view without the dates' "Responses by week" publishes that week's "Face to face and other" cell, the sum of the
 * face-to-face rows. The channels table was protected as one line (online + the other rows = the total), so it could
 * hide one face-to-face row alone: seed 284's second week hid library 1 (small) with online 8 and the total 23 as its
 * partners and showed event 14, while the weeks table showed the week's face to face 15 (school 0, its page empty):
 * 15 - 14 = 1. The part (the rows whose sum is known) is a line of its own: where exactly one of its counts that are
 * not zero is small (hidden whatever the partners), a second one is hidden with it, the smallest other count that is
 * not zero (the pair's sum is then known, neither count). Hiding only.
 *
 * Pure: the part's true counts by cell key in, the keys to hide out. The caller (server/analysis/wider.ts
 * weekChannelsLine) passes the part only where its sum is published and equal; ANALYSIS_WEEK_F2F_LINE=off (read at
 * each use by the caller) leaves it out.
 */
import { isSmall } from './suppress';

export function subLineHides(part: Map<string, number>, min: number): Set<string> {
	const out = new Set<string>();
	if (min <= 0) return out;
	const nonZero = [...part].filter(([, n]) => n > 0);
	const small = nonZero.filter(([, n]) => isSmall(n, min));
	if (small.length !== 1) return out;
	const partner = nonZero.filter(([k]) => k !== small[0][0]).sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1))[0];
	if (partner) out.add(partner[0]);
	return out;
}
