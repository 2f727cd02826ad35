/**
 * Shaped seed 63, the unfiltered view with the equality cross-tabs (issue #11, dis48: the shaped equality audit on
 * seeds 61–100). "Responses by week" read week 1's total "[c]" (4) where "Week by channel" read the same count "<5"
 * (at most 4). Weeks 2 and 3 shown (18, 11), so the hidden grand total was at most 4 + 18 + 11 = 33, and "Districts"
 * (Malvern Hills 13, Redditch 11, Wychavon 5; Bromsgrove "<5" over three "<5" cells of "Gender by district"; "Not
 * given" "<5") put it at least 13 + 11 + 5 + 3 + 1 = 33: 18 cells. In the view without a sibling filter a week
 * cross-tab's entries that are a week's whole count now read "[c]" where the weeks table reads that week "[c]"
 * (dashboard.ts crossTabTable with week-side.ts weeksTotalPage as the week side, as dis44 did in sliced views; labels
 * only). ANALYSIS_WEEKS_UNSLICED_LABELS=off reads the 18 cells off again. Both engines, a few seconds each.
 */
import { expect, it } from 'vitest';
import { describeEachEngine } from './helpers/databases';
import { attackShapedEquality } from './helpers/disclosure-shaped';

describeEachEngine('shaped seed 63, unfiltered, equality cross-tabs', (engine) => {
	it('"Week by channel" reads "[c]" the week totals the weeks table reads "[c]"; nothing is read off', async () => {
		await attackShapedEquality(engine, 63, (tables) => {
			const byChannel = tables.find((t) => t.caption.startsWith('Week by channel'))!;
			const weeks = tables.find((t) => t.id === 'weeks')!;
			const j = weeks.columns.findIndex((c) => c.key === '_total');
			const k = byChannel.columns.findIndex((c) => c.key === '_total');
			const week1 = (t: typeof weeks, col: number) => t.rows.find((r) => r.key === '1')!.cells[col].text;
			expect(week1(byChannel, k)).toBe(week1(weeks, j));
		});
	}, 300_000);
});
