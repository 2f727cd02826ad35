/**
 * "Week by channel" in the unfiltered view shares counts with "Responses by week" (issue #11, dis38): a week's row
 * total is the week's total there, and a week's online cell the weeks table's online cell. Protected apart, on the
 * shaped consultation of seed 7 (tests/helpers/disclosure-shaped.ts) the weeks table hid week 2's online 5 and total
 * 11 (and week 3's online "<5" (4), face to face "<5" (4), total "[c]" (8)) beside the shown online total 11 and face-
 * to-face total 10, while "Week by channel" showed week 2's online 5 and total 11: so week 2's face to face is 6 and
 * week 3's 10 - 0 - 6 = 4. In the view without a sibling filter the weeks table now decides those entries of a week
 * cross-tab, as the page tables decide the other margins (dashboard.ts weekDecisions;
 * ANALYSIS_CROSSTAB_WEEKS_DECIDE=off reads the cell off again). Both engines, a few seconds each.
 */
import { expect, it } from 'vitest';
import { describeEachEngine } from './helpers/databases';
import { siblingViews } from './helpers/demo-like';
import { sameViewFailures } from './helpers/disclosure-families';
import { shapedConsultation } from './helpers/disclosure-shaped';

const MIN = 5;
const CROSSTABS = [
	'a=group&b=district&percent=row',
	'a=district&b=channel&percent=none',
	'a=week&b=channel&percent=none'
];

describeEachEngine("the weeks table decides a week cross-tab's shared entries", (engine) => {
	it('shaped seed 7, unfiltered: "Week by channel" shows nothing the weeks table hides', async () => {
		const data = await shapedConsultation(engine, 7);
		try {
			const { view } = siblingViews(() => data, { crosstabs: CROSSTABS, min: MIN });
			expect(sameViewFailures(await view(''), MIN, 'unfiltered')).toEqual([]);
		} finally {
			await data.fresh.drop();
		}
	}, 300_000);
});
