/**
 * Random seed 29's `group=other` with the equality cross-tabs (issue #11, found by dis53's
 * DISCLOSURE_EQUALITY_CROSSTABS=1 audit, closed by dis56). "Gender by channel" hid its online column total "[c]" (5) as
 * a partner of its group family, while `group=other&channel=online` showed the same count as its online total and
 * grand total (its other channels are public zeros), so the channel slices of `group=other` gave it back; the view's
 * own "Gender" showed it too, as "Total asked" (only the online survey asks). A sliced equality × channel cross-tab
 * now knows the online total its view's equality tables bound (src/lib/analysis/online-total.ts, dis57's rule, which
 * took over from dis56's narrower asked-margin.ts), so it is published, not a partner; with
 * ANALYSIS_CROSSTAB_ONLINE_TOTAL=off the slices give the 5 back again (the second test, the proof that the attacker
 * sees it). A few seconds per engine and test.
 */
import { expect, it } from 'vitest';
import { describeEachEngine } from './helpers/databases';
import { seedReads } from './helpers/disclosure-seed';
import { cellsByKey, hiddenCells, type View } from './helpers/demo-like';

const MIN = 5;
const CROSSTABS = ['a=gender&b=channel&percent=none'];
const CHANNELS = ['online', 'library', 'school', 'event', 'paper', 'import'];
const SWITCH = 'ANALYSIS_CROSSTAB_ONLINE_TOTAL';

/** The channel slices of `group=other` against it (siblingFailures), with the switch set; `check` sees the views. */
const slices = (
	engine: Parameters<typeof seedReads>[0],
	value: string | undefined,
	check: (view: (qs: string) => Promise<View>, failures: string[]) => Promise<void> = async () => {}
) =>
	seedReads(engine, 29, { crosstabs: CROSSTABS, min: MIN }, { [SWITCH]: value }, async ({ view, siblingFailures }) => {
		const failures = await siblingFailures('group=other', 'channel', CHANNELS);
		await check(view, failures);
		// The cost figure: the cells `group=other` hides.
		return { failures, hidden: hiddenCells(await view('group=other')) };
	});

describeEachEngine('random seed 29 with the equality cross-tabs', (engine) => {
	it('group=other: the channel slices give no hidden count of "Gender by channel" back', async () => {
		await slices(engine, undefined, async (view, failures) => {
			expect(failures).toEqual([]);
			// The online total is shown in both views (one count, published alike), and the table still hides its cells.
			for (const qs of ['group=other', 'group=other&channel=online']) {
				const t = [...(await view(qs)).shown.values()].find((x) => x.caption.includes('a=gender&b=channel'))!;
				expect(cellsByKey(t).get('_total|online')).toMatchObject({ n: 5 });
				expect(t.rows.some((r) => r.cells.some((c) => c.suppressed))).toBe(true);
			}
		});
	}, 600_000);

	it(`group=other, with ${SWITCH}=off (before): the channel slices read hidden counts`, async () => {
		expect((await slices(engine, 'off')).length).toBeGreaterThan(0);
	}, 600_000);
});
