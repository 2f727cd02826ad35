/**
 * Week seed 24 with equality cross-tabs (issue #11, dis55). In week 2's view (20 submissions: online 13, face to face
 * 7) "Disability by ethnicity" hid the cells disability "No" × white British (0) and disability "Left blank" ×
 * ethnicity "Left blank" (0) as room beside the shown "No" × "Left blank" 10, while the view's week cross-tabs
 * published both margins: "Ethnicity by week" reads white British 0 in weeks 2 and 3 and "[c]" only in week 1, outside
 * the view's dates (so zero), and "Disability by week" reads disability "Left blank" 0 in weeks 1 and 2 and "[c]" only
 * in week 3. With both margins zero, "No" = 10 and "Yes" = 20 − 10 − 7 (not asked) − 0 = 3. The smallest set of
 * cross-tabs that reads it (greedy removal from every pair) is the three below; with every pair the same 3 was read in
 * 12 cells. A sliced cross-tab of a view cut by the dates now reads the view's week cross-tabs as sides of its
 * equality margins (analysis/dated-week-side.ts, through page-hides.ts pageShownBounds). The first test runs the
 * default (no ANALYSIS_DATED_WEEK_SIDES in the environment); with `=off` it reads the four cells off again (the second
 * test, the proof). Both engines, a few seconds each.
 */
import { expect, it } from 'vitest';
import { describeEachEngine } from './helpers/databases';
import { seedViewReads } from './helpers/disclosure-seed';

const MIN = 5;
const WEEK2 = 'from=2017-05-29&to=2017-06-04';
/** The smallest set of cross-tabs that still reads the count off with the rule off (dis55's greedy removal). */
const CROSSTABS = [
	'a=disability&b=ethnicity&percent=none',
	'a=disability&b=week&percent=none',
	'a=ethnicity&b=week&percent=none'
];

const weekTwo = (engine: Parameters<typeof seedViewReads>[0], value: string | undefined) =>
	seedViewReads(engine, 24, {
		crosstabs: CROSSTABS,
		min: MIN,
		qs: WEEK2,
		weeks: ['2'],
		// The proof runs with dis60's ANALYSIS_DECIDED_BOTH_WAYS off too: that rule (a decided "[c]" margin open both
		// ways in each cross-tab) also closes this leak on its own.
		switches: {
			ANALYSIS_DECIDED_BOTH_WAYS: value === 'off' ? 'off' : process.env.ANALYSIS_DECIDED_BOTH_WAYS,
			// dis67's ANALYSIS_LONELY_EQUALITY_CELLS closes it on its own as well: off with it.
			ANALYSIS_LONELY_EQUALITY_CELLS: value === 'off' ? 'off' : process.env.ANALYSIS_LONELY_EQUALITY_CELLS,
			ANALYSIS_DATED_WEEK_SIDES: value
		}
	});

describeEachEngine('week seed 24, equality cross-tabs in a dated view', (engine) => {
	it('week 2, by default: no cross-tab takes a margin a week cross-tab of the view publishes as room', async () => {
		expect(await weekTwo(engine, undefined)).toEqual([]);
	}, 600_000);

	it('week 2, with ANALYSIS_DATED_WEEK_SIDES=off (before): "Yes" 3 reads off', async () => {
		expect(await weekTwo(engine, 'off')).toContain(
			`${WEEK2}, Disability by ethnicity (${CROSSTABS[0]}): Yes / Total = 3 (propagation across the tables)`
		);
	}, 600_000);
});
