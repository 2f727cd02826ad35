/**
 * Shaped seed 4 (issue #11, dis38's second arrangement, traced by dis40): the unfiltered "Week by channel" read week 3's
 * online "[c]" (4) where "Responses by week" reads it "<5": the weeks table decides that cell (week-side.ts), but the
 * cross-tab's protection, finding no other partner for it, picked the decided "<5" itself as its own partner
 * (suppress.ts partnerCandidates) and relabelled it. The weeks table's "<5" still caps it at 4, so week 3's row,
 * 12 = online (≤ 4) + library "<5" + event "<5", pins all three at 4, and library's column (6) then pins weeks 1 and 2's
 * library at 1 (six cells). A decided "<5" is now never its own partner (ANALYSIS_DECIDED_OWN_PARTNER=off = before),
 * and the week margins the weeks table shows are no partners of the cross-tab (week-side.ts weekShownMargins,
 * ANALYSIS_WEEKS_SHOWN_MARGINS=off = before): with the first alone the cross-tab hid its three week totals, which the
 * weeks table shows (the same six cells read off); with both it relabels week 1 and 3's library "[c]".
 * Both engines, a few seconds each.
 */
import { expect, it } from 'vitest';
import { describeEachEngine } from './helpers/databases';
import { unfilteredFailures } from './helpers/disclosure-families';
import { shapedConsultation } from './helpers/disclosure-shaped';

const MIN = 5;

describeEachEngine('shaped seed 4: a decided "<5" is not its own partner', (engine) => {
	it('the unfiltered view gives nothing away', async () => {
		expect(await unfilteredFailures(await shapedConsultation(engine, 4), MIN)).toEqual([]);
	}, 300_000);
});
