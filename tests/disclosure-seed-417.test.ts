/**
 * Random seed 417's district × group family (issue #11, found by aud41's audit): the unfiltered weeks table showed its
 * online total 5 over three "<5" weeks (2, 1, 2), and the slices said how many districts had an online submission in
 * each week (Bromsgrove's and Redditch's week 1 rows and Redditch's week 3 row showed face to face 0 beside a hidden
 * online count and a "<5" total; the practitioners' week 3 row the same, and the only district × practitioner page
 * with anyone in it is Bromsgrove's), so the weeks were at least 2, 1 and 2: every bound met, and 34 cells of the
 * family followed. Every cell of the weeks table is a page (empty pages say so), so those lower bounds are public;
 * the unfiltered channels table now hides its online row (the weeks table's online total) where the districts'
 * lower bounds pin the online column (slice-floors.ts presenceTight, dashboard.ts weeksDistrictFloors).
 * ANALYSIS_WEEKS_DISTRICT_FLOORS=off reads the 34 cells off again. The weeks table's family alone (no cross-tabs):
 * about 20-30 s of CPU per engine.
 */
import { expect, it } from 'vitest';
import { describeEachEngine } from './helpers/databases';
import { gridFailures } from './helpers/disclosure-families';
import { withRandomSeed } from './helpers/disclosure-seed';

const MIN = 5;

describeEachEngine("seed 417: the slices' lower bounds against the unfiltered weeks table", (engine) => {
	it('the district × group family gives nothing away', async () => {
		await withRandomSeed(engine, 417, { crosstabs: [], min: MIN }, async ({ view }, data) => {
			const districts = [...data.fx.c.districts.map((d) => d.code), 'unknown'];
			const groups = [...data.fx.c.groups.map((g) => g.code), 'unknown'];
			const grid = await gridFailures(view, MIN, 'district', districts, 'group', groups);
			expect([...grid.failures, ...grid.published]).toEqual([]);
		});
	}, 900_000);
});
