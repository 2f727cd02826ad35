/**
 * Random seeds 114, 151 and 133's unfiltered views (issue #11, found by aud41's unfiltered scan, traced in
 * docs/audits/2026-12-05-aud41.md section 4; closed by dis42). "Week by channel" was protected knowing only what
 * "Responses by channel" says of its channel totals ("<5": 1 to 4), while "District by channel", in the same view,
 * says more along its lines (a school column of two "<5" is at least 2; seed 133's Bromsgrove row, online + school =
 * 6 with both "<5", says its online is at least 2). With those bounds the cross-tab's hidden cells were pinned:
 * seed 114's week 1 school 2 (opened by ANALYSIS_WEEKS_F2F_PART), seed 151's week 2 school 1 and library 2 (opened by
 * ANALYSIS_WEEKS_ONLINE_CELLS), seed 133's online 3 (older). The cross-tab is now protected with the bounds the view's
 * cross-tabs of two page dimensions put on its page margins (analysis/cross-bounds.ts). ANALYSIS_CROSS_BOUNDS=off
 * reads the counts off again. One view, the two cross-tabs needed; both engines, a few seconds a seed.
 */
import { expect, it } from 'vitest';
import { describeEachEngine } from './helpers/databases';
import { siblingViews } from './helpers/demo-like';
import { sameViewFailures } from './helpers/disclosure-families';
import { randomConsultation } from './helpers/disclosure-random';

const MIN = 5;
const CROSSTABS = ['a=district&b=channel&percent=none', 'a=week&b=channel&percent=none'];

describeEachEngine('cross-tab bounds on shared margins: random seeds 114, 151, 133', (engine) => {
	for (const seed of [114, 151, 133])
		it(`seed ${seed}: the unfiltered view gives nothing away`, async () => {
			const data = await randomConsultation(engine, seed);
			try {
				const { view } = siblingViews(() => data, { crosstabs: CROSSTABS, min: MIN });
				expect(sameViewFailures(await view(''), MIN, 'unfiltered')).toEqual([]);
			} finally {
				await data.fresh.drop();
			}
		}, 300_000);
});
