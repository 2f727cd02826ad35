/**
 * Shaped seeds 79 and 62, the unfiltered view with the equality cross-tabs (issue #11, dis48: the shaped equality
 * audit on seeds 61–100). Seed 79: "Responses by week" hid week 1's total 16 ("[c]") beside week 2's 22 and week 3's
 * "<5", while "Week by channel" showed week 1's 16 (dis40's rule decides only the week margins the weeks table shows;
 * the hidden ones were the cross-tab's own). So the hidden grand total was at most 16 + 22 + 4 = 42, and "Districts"
 * (Malvern Hills 7, Redditch 21, Wychavon 10 shown; Bromsgrove "<5" over three "<5" cells of "Gender by district";
 * "Not given" "<5") put it at least 7 + 21 + 10 + 3 + 1 = 42: Bromsgrove 3, "Not given" 1, and 30 cells more. Seed 62
 * the same way with week 1's 7 (34 cells). A week cross-tab with a page dimension now hides the week margins the
 * weeks table hides (week-hides.ts weekHiddenMarginsUnsliced); ANALYSIS_WEEKS_HIDDEN_MARGINS=off reads the cells off
 * again. Both engines, a few seconds each.
 */
import { expect, it } from 'vitest';
import { describeEachEngine } from './helpers/databases';
import { attackShapedEquality } from './helpers/disclosure-shaped';

describeEachEngine('shaped seeds 79 and 62, unfiltered, equality cross-tabs', (engine) => {
	for (const seed of [79, 62])
		it(`seed ${seed}: "Week by channel" shows no week total the weeks table hides; nothing is read off`, async () => {
			await attackShapedEquality(engine, seed, (tables) => {
				const byChannel = tables.find((t) => t.caption.startsWith('Week by channel'))!;
				const weeks = tables.find((t) => t.id === 'weeks')!;
				const j = weeks.columns.findIndex((c) => c.key === '_total');
				const k = byChannel.columns.findIndex((c) => c.key === '_total');
				// Every week the weeks table hides is hidden in the cross-tab's total column too.
				for (const r of weeks.rows.filter((x) => x.key !== '_total' && x.cells[j].suppressed))
					expect(byChannel.rows.find((x) => x.key === r.key)?.cells[k].suppressed, r.label).toBe(true);
			});
		}, 300_000);
});
