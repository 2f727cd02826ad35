/**
 * The unfiltered view of a random seed (disclosure-random.ts) with the five equality × week cross-tabs, solved by the
 * same-view attacker (disclosure-families.ts sameViewFailures) without and with its `notAskedWeeks` link (issue #11,
 * dis58's scan, committed by dis59): tests/disclosure-notasked-weeks-scan.test.ts and
 * tests/disclosure-notasked-week-sides.test.ts.
 */
import type { Engine } from './databases';
import { siblingViews, hiddenCells } from './demo-like';
import { sameViewFailures } from './disclosure-families';
import { randomConsultation } from './disclosure-random';

export const SCAN_MIN = 5;

/** The five equality × week cross-tabs (an equality question by the week; each built in that order). */
export const EQUALITY_WEEK_CROSSTABS = ['gender', 'disability', 'age', 'ethnicity', 'orientation'].map(
	(d) => `a=${d}&b=week&percent=none`
);

/** What the unfiltered view of random seed `seed` gives away, plain and with the link, and its hidden cells. */
export async function scanSeed(
	engine: Engine['name'],
	seed: number,
	crosstabs: readonly string[] = EQUALITY_WEEK_CROSSTABS
): Promise<{ plain: string[]; linked: string[]; hidden: number }> {
	const data = await randomConsultation(engine, seed);
	try {
		const { view } = siblingViews(() => data, { crosstabs, min: SCAN_MIN });
		const v = await view('');
		const hidden = hiddenCells(v);
		return {
			plain: sameViewFailures(v, SCAN_MIN, 'unfiltered', undefined, { notAskedWeeks: false }),
			linked: sameViewFailures(v, SCAN_MIN, 'unfiltered', undefined, { notAskedWeeks: true }),
			hidden
		};
	} finally {
		await data.fresh.drop();
	}
}
