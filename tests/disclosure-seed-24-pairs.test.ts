/**
 * Random seed 24's unfiltered view with every cross-tab pair (issue #11, dis58 found it, dis60 closed it). The plain
 * attacker read "Gender by disability" male × yes 1 and "Gender by sexual orientation" male × left blank 4: both
 * cross-tabs hid the male row total "[c]" (13, decided by the "Gender" table: dashboard.ts marginsOf), and each left it
 * open one way only. "Gender by disability" showed male × no 12 beside male × yes "<5", so male ≥ 13; "Gender by
 * sexual orientation" showed male × not asked 9 beside male × left blank "<5", so male ≤ 13. Together, 13, and then
 * 13 − 12 = 1 and 13 − 9 = 4. The smallest set of cross-tabs that reads it (greedy removal from every pair) is the two
 * below. A hidden margin another table decides must now move both ways in each cross-tab (suppress.ts protect,
 * `openFor`). The first test runs the default (no ANALYSIS_DECIDED_BOTH_WAYS in the environment); with `=off` both
 * cells read off again (the second test, the proof). Both engines, a few seconds each.
 */
import { expect, it } from 'vitest';
import { describeEachEngine } from './helpers/databases';
import { seedViewReads } from './helpers/disclosure-seed';

const MIN = 5;
/** The smallest set of cross-tabs that still reads the counts off with the rule off (greedy removal from every pair). */
const CROSSTABS = ['a=gender&b=disability&percent=none', 'a=gender&b=orientation&percent=none'];
const SWITCH = 'ANALYSIS_DECIDED_BOTH_WAYS';

const unfiltered = (engine: Parameters<typeof seedViewReads>[0], value: string | undefined) =>
	seedViewReads(engine, 24, { crosstabs: CROSSTABS, min: MIN, switches: { [SWITCH]: value } });

describeEachEngine('random seed 24, the unfiltered view: two cross-tabs sharing a hidden margin', (engine) => {
	it('by default: a decided margin is open both ways in each cross-tab', async () => {
		expect(await unfiltered(engine, undefined)).toEqual([]);
	}, 600_000);

	it(`with ${SWITCH}=off (before): male × yes 1 and male × left blank 4 read off`, async () => {
		expect((await unfiltered(engine, 'off')).sort()).toEqual([
			`unfiltered, Gender by disability (${CROSSTABS[0]}): Male / Yes = 1 (propagation across the tables)`,
			`unfiltered, Gender by sexual orientation (${CROSSTABS[1]}): Male / Left blank = 4 (propagation across the tables)`
		]);
	}, 600_000);
});
