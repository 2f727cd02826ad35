/**
 * Random audit seed 400 (issue #11, dis39): its district × channel family read 130 counts off the question's "Themes
 * by respondent group" (126 zeros and the parents' "Answers" 1, 1, 10, 9). The school and event pages hid the parents'
 * "Answers" ("[c]") beside their shown "No theme yet" 10 and 9, which every answer without a theme counts in, so along
 * the channel line of the parents' answers (21 in the unfiltered view) online "<5" + library "<5" + at least 10 + at
 * least 9 + paper and import at least 0 pinned every slice, and the family's zeros followed. The sibling lines now read
 * a slice's hidden entry with what the rest of its own theme table says of it (own-bounds.ts; siblings.ts), so the
 * line's "<5"s read "[c]" and no slice is pinned. ANALYSIS_SIBLING_OWN_BOUNDS=off reads the labels alone (before).
 * Only the theme tables are attacked (the rest of the family is the random audit's), so only they are read
 * (themeTablesByCaption: the same tables as the whole view's, without its dashboard and cross-tabs, three quarters of
 * the CPU of each view). Both engines.
 */
import { expect, it } from 'vitest';
import { describeEachEngine } from './helpers/databases';
import { siblingViews, themeTablesByCaption } from './helpers/demo-like';
import { gridFailures } from './helpers/disclosure-families';
import { randomConsultation } from './helpers/disclosure-random';

const MIN = 5;
describeEachEngine('disclosure control: a sibling line reads its slices with their own theme tables', (engine) => {
	it('seed 400, district × channel: no theme table count is recovered by the family', async () => {
		const data = await randomConsultation(engine, 400);
		try {
			const { view: themes } = siblingViews(() => data, { crosstabs: [], min: MIN, tables: themeTablesByCaption });
			const districts = [...data.fx.c.districts.map((d) => d.code), 'unknown'];
			const channels = ['online', 'library', 'school', 'event', 'paper', 'import'];
			const grid = await gridFailures(themes, MIN, 'district', districts, 'channel', channels);
			expect([...grid.failures, ...grid.published]).toEqual([]);
		} finally {
			await data.fresh.drop();
		}
	}, 900_000);
});
