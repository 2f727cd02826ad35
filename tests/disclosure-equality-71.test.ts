/**
 * Shaped seed 71, the unfiltered view with the equality cross-tabs (issue #11, dis48: the shaped equality audit on
 * seeds 61–100). Two tables were enough: "Gender by channel" (or the channels table) read library "<5" and event "<5",
 * so "Not asked (face to face)", their sum, was at most 8. "Gender by district": Wychavon 19 − male 9 = its female +
 * not asked, the female row 10 = Bromsgrove + Malvern Hills + Wychavon, so Wychavon's not asked = Bromsgrove's and
 * Malvern Hills' female; the Malvern Hills column 12 with the male row 18 (Wychavon 9) gives Malvern Hills' female +
 * not asked = 3 + Redditch's male. So Not asked = Bromsgrove's, Redditch's and "Not given"'s not asked + Bromsgrove's
 * female + 3 + Redditch's male, six "<5" and 3: at least 8.
 * So 8, library 4, event 4 and 13 cells more (15). "Gender by district" was protected knowing only its "Not asked"
 * margin's label; it now knows the bounds the channels table puts on it (not-asked-bounds.ts notAskedBounds, as
 * cross-bounds.ts does for page margins) and chooses partners within them. ANALYSIS_NOT_ASKED_BOUNDS=off reads the 15
 * cells off again. Both engines, a few seconds each.
 */
import { it } from 'vitest';
import { describeEachEngine } from './helpers/databases';
import { attackShapedEquality } from './helpers/disclosure-shaped';

describeEachEngine('shaped seed 71, unfiltered, equality cross-tabs', (engine) => {
	it('"Gender by district" knows what the channels table says of "Not asked"; nothing is read off', async () => {
		await attackShapedEquality(engine, 71);
	}, 300_000);
});
