/**
 * Random seed 25 with the equality cross-tabs, against the attacker who knows the equality questions' structural zeros
 * (issue #11, dis56 found it, dis60 closed it). Only the online survey asks the equality questions, so an answered
 * equality count on no online channel is 0 in every dataset. Its district × channel family hid those zeros along the
 * channel line (a line hides in every slice what any slice hides), so with them known the online slice was the whole
 * line: `channel=online`'s "Age band by respondent group" hid "12 or under" × Child 6 that the unfiltered view shows,
 * and `channel=library`'s "Gender by channel" hid its Library 23 behind School's filter zero. A cross-tab now takes
 * those zeros, and the channels its view's filter leaves out, as known exactly (src/lib/analysis/structural-zeros.ts):
 * never partners, shown where a line asks them hidden. The first test runs the default (no ANALYSIS_STRUCTURAL_KNOWN in
 * the environment); with `=off` the family reads cells again (the second test, the proof). Both engines.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from './helpers/databases';
import { gridFailures } from './helpers/disclosure-families';
import { withRandomSeed } from './helpers/disclosure-seed';
import { suiteEnv, withEnv } from './helpers/env';

const MIN = 5;
/** The random audit's equality cross-tabs (tests/disclosure-random.test.ts EQ_CROSSTABS). */
const CROSSTABS = ['a=gender&b=channel&percent=none', 'a=gender&b=district&percent=none', 'a=age&b=group&percent=none'];
const CHANNELS = ['online', 'library', 'school', 'event', 'paper', 'import'];
const SWITCH = 'ANALYSIS_STRUCTURAL_KNOWN';

async function family(engine: Parameters<typeof withRandomSeed>[0], value: string | undefined) {
	return withEnv(SWITCH, value, () =>
		withRandomSeed(engine, 25, { crosstabs: CROSSTABS, min: MIN }, async ({ view }, data) => {
			const districts = [...data.fx.c.districts.map((d) => d.code), 'unknown'];
			const grid = await gridFailures(view, MIN, 'district', districts, 'channel', CHANNELS, { structural: 'known' });
			const failures = [...grid.failures, ...grid.published];
			let hidden = 0;
			for (const qs of ['', ...CHANNELS.map((c) => `channel=${c}`)])
				for (const t of (await view(qs)).shown.values())
					for (const r of t.rows) hidden += r.cells.filter((c) => c.suppressed).length;
			// The cost of the rule in hidden cells (the unfiltered and channel views; the report's figure).
			console.log(
				`${engine} ${SWITCH}=${value ?? '(default)'}: ${failures.length} recovered, ${hidden} cells hidden\n${failures.slice(0, 20).join('\n')}`
			);
			return failures;
		})
	);
}

describeEachEngine('random seed 25, the equality questions known zeros', (engine) => {
	// Room in the analysis cache for every view of the family (as the random audit does).
	const vars = suiteEnv({ ANALYSIS_CACHE_ENTRIES: '5000' });
	beforeAll(() => vars.set());
	afterAll(() => vars.restore());

	it('district × channel, by default: knowing the structural zeros reads nothing', async () => {
		expect(await family(engine, undefined)).toEqual([]);
	}, 900_000);

	it(`district × channel, with ${SWITCH}=off (before): the online slice's hidden cells read off`, async () => {
		const failures = await family(engine, 'off');
		expect(
			failures.some((f) => f.startsWith('channel=online, Age band by respondent group') && / = 6 \(/.test(f))
		).toBe(true);
	}, 900_000);
});
