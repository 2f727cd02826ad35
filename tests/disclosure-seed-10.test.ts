/**
 * Random seed 10's unfiltered view with the equality cross-tabs (issue #11, found by dis52's
 * DISCLOSURE_EQUALITY_CROSSTABS=1 audit, closed by dis53). Female, "Prefer not to say" and "Left blank" (1 each)
 * each sit on one line of "Gender by channel" and "Gender by district" (online; Bromsgrove or Redditch), so the online
 * column total "<5" (3) is their sum and Bromsgrove's online count at least 2; Bromsgrove's "<5" row of "District by
 * channel" (online + library "<5" + event "<5" ≤ 4) then pinned its three cells, and 23 cells followed. Each table
 * alone held: it is the gender margins linking the equality cross-tabs to "District by channel".
 * The rule (src/lib/analysis/online-floor.ts) reads a "<5" of such a pinned line "[c]";
 * ANALYSIS_ONLINE_FLOOR_LABELS=off reads them off again. A few seconds per engine.
 */
import { expect, it } from 'vitest';
import { describeEachEngine } from './helpers/databases';
import { sameViewFailures } from './helpers/disclosure-families';
import { withRandomSeed } from './helpers/disclosure-seed';

const MIN = 5;
const CROSSTABS = [
	'a=district&b=channel&percent=none',
	'a=gender&b=channel&percent=none',
	'a=gender&b=district&percent=none'
];

describeEachEngine('random seed 10 with the equality cross-tabs', (engine) => {
	it('unfiltered: no cell is read off "District by channel" through the gender margins', async () => {
		await withRandomSeed(engine, 10, { crosstabs: CROSSTABS, min: MIN }, async ({ view }) => {
			const v = await view('');
			expect(sameViewFailures(v, MIN, 'unfiltered', undefined, { equality: true })).toEqual([]);
			// The view does hide small counts in the three cross-tabs: there is something to read.
			for (const t of [...v.shown.values()].filter((t) => t.id.startsWith('crosstab')))
				expect(t.rows.some((r) => r.cells.some((c) => c.suppressed))).toBe(true);
		});
	}, 600_000);

	// The joint attacker reads "channel=face-to-face" as every face-to-face channel (dis53; it took every channel but a
	// value "face-to-face" as zero and threw "the published tables are inconsistent"): the same view, filtered so.
	it('face to face: the view gives nothing away to the joint attack', async () => {
		await withRandomSeed(engine, 10, { crosstabs: CROSSTABS, min: MIN }, async ({ view }) => {
			const qs = 'channel=face-to-face';
			const v = await view(qs);
			// Two face-to-face channels have counts here: no single channel is the filter.
			const channels = [...v.truth.values()].find((t) => t.id === 'channels')!;
			expect(channels.rows.filter((r) => r.key !== '_total' && (r.cells[0].n ?? 0) > 0).length).toBeGreaterThan(1);
			expect(sameViewFailures(v, MIN, qs, ['channel', 'face-to-face'], { equality: true })).toEqual([]);
		});
	}, 600_000);
});
