/**
 * The random audit's seed 263 (issue #11), unfiltered view, min 5: "Responses by channel" read library "<5" (3)
 * beside event 18 with online and the total "[c]"; "Responses by week" hid its online and grand totals with them and
 * its "Face to face and other" total (21), but that total is the channels table's face-to-face part, library + 18, so
 * in [19, 22]; its own column (week 1 "<5" (4), 7, 10) put it in [18, 21]; so library <= 3, and "District by
 * channel"'s library column of three "<5" (each at least 1) said library >= 3: library 3, week 1's face to face 4,
 * each district's library count 1. The weeks table's margins now carry the bounds the channels table and its
 * cross-tabs give them (analysis/part-floor.ts, wider.ts weeksFromChannels; ANALYSIS_WEEKS_PART_FLOOR=off reads the
 * six cells off). Both engines, a few seconds each.
 */
import { expect, it } from 'vitest';
import { describeEachEngine } from './helpers/databases';
import { siblingViews } from './helpers/demo-like';
import { sameViewFailures } from './helpers/disclosure-families';
import { randomConsultation } from './helpers/disclosure-random';

const MIN = 5;
const CROSSTABS = ['a=district&b=channel&percent=none'];

describeEachEngine('random seed 263', (engine) => {
	it('unfiltered: the weeks, channels and district-by-channel tables give nothing away together', async () => {
		const random = await randomConsultation(engine, 263);
		try {
			const { view } = siblingViews(() => random, { crosstabs: CROSSTABS, min: MIN });
			expect(sameViewFailures(await view(''), MIN, 'unfiltered')).toEqual([]);
		} finally {
			await random.fresh.drop();
		}
	}, 600_000);
});
