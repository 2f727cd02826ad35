/**
 * Random audit seed 406 (issue #11, dis39): the unfiltered "Week by channel" hid week 3's online 6 ("[c]") that
 * "Responses by week" shows, so its week 3 row gave school 19 − 6 − library 11 − event 0 = 2. In the view without a
 * sibling filter the weeks table now decides a week cross-tab's week × online cells (week-side.ts, called by
 * dashboard.ts crossTabTable; ANALYSIS_WEEKS_ONLINE_CELLS=off leaves them to the cross-tab, before). Random seeds 7 and
 * 53 (12 and 9 cells, the channels table's school and event with them) are the same arrangement's largest on the
 * unfiltered views of random seeds 1–60. Both engines, a few seconds each.
 */
import { expect, it } from 'vitest';
import { describeEachEngine } from './helpers/databases';
import { unfilteredFailures } from './helpers/disclosure-families';
import { randomConsultation } from './helpers/disclosure-random';

const MIN = 5;

describeEachEngine("the weeks table decides a week cross-tab's week × online cells", (engine) => {
	for (const seed of [406, 7, 53])
		it(`seed ${seed}, unfiltered: "Week by channel" hides no online cell the weeks table shows`, async () => {
			expect(await unfilteredFailures(await randomConsultation(engine, seed), MIN)).toEqual([]);
		}, 300_000);
});
