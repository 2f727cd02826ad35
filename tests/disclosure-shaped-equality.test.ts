/**
 * Shaped seed 5's unfiltered view with the equality cross-tabs (issue #11, aud41 section 3, dis45). "Gender by week"
 * has no page dimension, so no page table decided its grand total and the weeks table decided only the week margins it
 * shows (week-side.ts weekShownMargins): it showed week 2's total 8 and the grand total 43 where "Responses by week"
 * hid both. "Gender by district" shows three "<5" under Bromsgrove (female, "Not asked", "Left blank": at least 3), so
 * the districts table's hidden total 43 less Malvern Hills 8, Redditch 25 and Wychavon 6 left 4 for Bromsgrove's "<5"
 * and "Not given"'s "<5": Bromsgrove 3, "Not given" 1, and from them 12 more cells (the left-blank line, Bromsgrove's
 * column). The rule (week-side.ts weekLineDecisions, dashboard.ts crossTabTable): in the view without a sibling filter
 * a week cross-tab with no page dimension reads its whole week line (week margins and grand total) as the weeks
 * table's total column reads it. ANALYSIS_WEEKS_LINE_DECIDES=off reads the 14 cells off again. Both engines, a few
 * seconds each.
 */
import { expect, it } from 'vitest';
import { describeEachEngine } from './helpers/databases';
import { attackShapedEquality } from './helpers/disclosure-shaped';

describeEachEngine('shaped seed 5, unfiltered, equality cross-tabs', (engine) => {
	it('"Gender by week" shows no week total or grand total the weeks table hides; nothing is read off', async () => {
		await attackShapedEquality(engine, 5, (tables) => {
			const byWeek = tables.find((t) => t.caption.startsWith('Gender by week'))!;
			const weeks = tables.find((t) => t.id === 'weeks')!;
			// The weeks table's total column (each week and the grand total) as "Gender by week"'s total row reads.
			const j = weeks.columns.findIndex((c) => c.key === '_total');
			const fromWeeks = new Map(weeks.rows.map((r) => [r.key, r.cells[j].text]));
			const line = byWeek.rows.find((r) => r.key === '_total')!;
			const fromCross = new Map(byWeek.columns.map((c, k) => [c.key, line.cells[k].text]));
			expect(fromCross).toEqual(fromWeeks);
		});
	}, 300_000);
});
