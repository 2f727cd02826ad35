/**
 * Week seed 27 with equality cross-tabs (issue #11, dis57). In week 3's view (14 submissions: online 10, face to face
 * 4) every equality table but "Sexual orientation" read "Not asked (face to face)" "<5" beside the channels table's
 * total 14, so the online count is 10 to 13. "Channel by sexual orientation" showed the online row's "Not asked" 6
 * (online respondents under 16, never asked that question) beside its "Left blank" "<5" and hid the online total as
 * room: 6 + (at most 4) ≥ 10 pinned "Left blank" at 4 and online at 10, so face to face 4 read off (the weeks table's
 * "Face to face and other", every equality cross-tab's "Not asked" margin: 64 cells with every pair). The smallest set
 * of cross-tabs that reads it (greedy removal from every pair) is the two below. A sliced cross-tab's online line now
 * takes the bounds every equality table of the view puts on the online count (analysis/online-total.ts). The first
 * test runs the default (no ANALYSIS_CROSSTAB_ONLINE_TOTAL in the environment); with `=off` the count reads off again
 * (the second test, the proof). Both engines, a few seconds each.
 */
import { expect, it } from 'vitest';
import { describeEachEngine } from './helpers/databases';
import { seedViewReads } from './helpers/disclosure-seed';

const MIN = 5;
const WEEK3 = 'from=2017-06-05&to=2017-06-11';
/** The smallest set of cross-tabs that still reads the count off with the rule off (dis57's greedy removal). */
const CROSSTABS = ['a=channel&b=ethnicity&percent=none', 'a=channel&b=orientation&percent=none'];

const weekThree = (engine: Parameters<typeof seedViewReads>[0], value: string | undefined) =>
	seedViewReads(engine, 27, {
		crosstabs: CROSSTABS,
		min: MIN,
		qs: WEEK3,
		weeks: ['3'],
		switches: { ANALYSIS_CROSSTAB_ONLINE_TOTAL: value }
	});

describeEachEngine('week seed 27, equality cross-tabs in a dated view', (engine) => {
	it('week 3, by default: the online line knows the online count the equality tables bound', async () => {
		expect(await weekThree(engine, undefined)).toEqual([]);
	}, 600_000);

	it('week 3, with ANALYSIS_CROSSTAB_ONLINE_TOTAL=off (before): face to face 4 reads off', async () => {
		expect(await weekThree(engine, 'off')).toContain(
			`${WEEK3}, Channel by ethnicity (${CROSSTABS[0]}): Total / Not asked (face to face) = 4 (propagation across the tables)`
		);
	}, 600_000);
});
