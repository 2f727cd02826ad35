/**
 * A cross-tab of two equality questions does not say that one answer was given only by those who gave another
 * (issue #11, dis67: the "Not asked" × week link's leak on random seed 5, the unfiltered view with every pair).
 *
 * A "<5" cell that is the only count of its row and of its column (every other cell of both lines a shown zero) is
 * its row's margin and its column's margin: the two answers' counts are one. "Ethnicity by sexual orientation" showed
 * white British × "Left blank" "<5" (1) with zeros around it, so white British's count was "Left blank"
 * orientation's; "Age band by sexual orientation" did the same for 18 to 24. So white British is 18 to 24 in number,
 * and as both sit in week 1 only (the week cross-tabs' zeros, which the week pages publish), week 1's white British is
 * its 18 to 24. With the "Not asked" × week link (a week's answered part is its online count in every equality ×
 * week cross-tab) week 1's "Left blank" ethnicity is then its "12 or under", a "<5": at least 1. That floor, the
 * "Left blank" ethnicity line ("<5" (4) over week 1 (1), week 2 (1, its week's only answer, as week 2's "12 or under"
 * "<5") and week 3 (2)) and "Age band by week"'s two "<5" in week 3 pinned week 3's online count at 2, its face to
 * face 15 in "Responses by week", and 19 cells more. Every step but the first is "<5" labels and zeros that the week
 * pages publish, which no table can hide; the equality cross-tab's zeros are its own. Hidden, one zero of the row
 * (here white British × "Not asked" orientation: the reads stop, 21 → 0) leaves the row's margin at least the
 * column's, and one of the column the other way round, so the two counts are no longer one.
 *
 * The same holds of one line: a "<5" alone in its row says everyone who gave the row's answer gave the column's (the
 * row's margin is the cell). In the every-pair view of seed 5 "Gender by sexual orientation" made "Male" the males
 * not asked the orientation question (Male × "Not asked" "<5" (1), Male × "Left blank" 0), and with "Gender by week"
 * and "Gender by ethnicity" that pinned week 3's online count again (with a zero hidden beside Male's and gender
 * "Left blank"'s "<5", week 3 is no longer read).
 *
 * So in a cross-tab of two equality questions, for each "<5" alone in its row, the first zero of the row, and for each
 * "<5" alone in its column, the first zero of the column, that an onlooker does not know for a zero anyway ("Not
 * asked" × answered of two questions (structural-zeros.ts notAskedZero); an answered sexual orientation under 16,
 * which is never asked) are hidden as partners ("[c]"; ViewConstraints.hide, protected as any hidden entry). Pure:
 * keys cellKey.
 */
import { AGE_BANDS_16_PLUS, NOT_ASKED } from '../domain/equality';
import { EQUALITY_DIMENSION, type Dimension } from './dimensions';
import { notAskedZero } from './structural-zeros';
import type { ViewConstraints } from './suppress';
import { cellKey } from './tables';

/** Whether the cell (a = row, b = column) is 0 by the survey's design (an onlooker knows it without a table). */
function knownZero(a: Dimension, b: Dimension, row: string, column: string): boolean {
	if (notAskedZero(a, b, row, column)) return true;
	const under16 = (d: Dimension, v: string, other: Dimension, w: string) =>
		d === 'age' &&
		other === 'orientation' &&
		v !== NOT_ASKED &&
		!v.startsWith('_') &&
		!AGE_BANDS_16_PLUS.has(v) &&
		isAnswered(v) &&
		w !== NOT_ASKED &&
		!w.startsWith('_');
	return under16(a, row, b, column) || under16(b, column, a, row);
}

/** An age band (not a sentinel: "Left blank" and "Prefer not to say" may be anyone). */
const isAnswered = (v: string) => v !== 'left_blank' && v !== 'prefer_not_to_say';

export function lonelyEqualityPartners(
	a: Dimension,
	b: Dimension,
	rows: { key: string }[],
	columns: { key: string }[],
	count: (row: string, col: string) => number,
	min: number
): ViewConstraints | undefined {
	if (!EQUALITY_DIMENSION[a] || !EQUALITY_DIMENSION[b] || min <= 0) return undefined;
	const rs = rows.filter((r) => !r.key.startsWith('_')).map((r) => r.key);
	const cs = columns.filter((c) => !c.key.startsWith('_')).map((c) => c.key);
	const hide = new Set<string>();
	for (const r of rs)
		for (const c of cs) {
			const n = count(r, c);
			if (n <= 0 || n >= min) continue;
			const rowAlone = !cs.some((x) => x !== c && count(r, x) !== 0);
			const columnAlone = !rs.some((y) => y !== r && count(y, c) !== 0);
			if (!rowAlone && !columnAlone) continue;
			const inRow = rowAlone ? cs.find((x) => x !== c && !knownZero(a, b, r, x)) : undefined;
			const inColumn = columnAlone ? rs.find((y) => y !== r && !knownZero(a, b, y, c)) : undefined;
			if (inRow !== undefined) hide.add(cellKey(r, inRow));
			if (inColumn !== undefined) hide.add(cellKey(inColumn, c));
		}
	return hide.size ? { hide, bounds: new Map() } : undefined;
}
