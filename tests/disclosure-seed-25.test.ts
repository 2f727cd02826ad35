/**
 * Random seed 25 with the equality cross-tabs, against the attacker who knows the equality questions' structural zeros
 * (issue #11, dis56 found it, dis60 closed it). Only the online survey asks the equality questions, so an answered
 * equality count on no online channel is 0 in every dataset. Its district × channel family hid those zeros along the
 * channel line (a line hides in every slice what any slice hides), so with them known the online slice was the whole
 * line: `channel=online`'s "Age band by respondent group" hid "12 or under" × Child 6 that the unfiltered view shows,
 * and `channel=library`'s "Gender by channel" hid its Library 23 behind School's filter zero. A cross-tab now takes
 * those zeros, and the channels its view's filter leaves out, as known exactly (src/lib/analysis/structural-zeros.ts):
 * never partners, shown where a line asks them hidden. The first test runs the default (no ANALYSIS_STRUCTURAL_KNOWN in
 * the environment); with `=off` the line reads cells again (the second test, the proof). Both engines.
 *
 * What is solved: the channel line alone (the unfiltered view and the six channel views; gridFailures with no district
 * slice), and of each view its three cross-tabs alone (disclosure-seed.ts crosstabTables: each worked out on its own, as
 * the page asks for it, so the same tables as in the whole view). Both leaks are on that line: with the switch off the
 * whole district × channel family read 145 cells, and its 7 counts (the 6, 11 and 6 above, the 23 in four cells) are
 * all on the line; the other 56 views read only zeros, the page tables nothing. Until 6 December the test solved the
 * whole family with every table (about 30 s a test on SQLite); the line takes about 2 s of CPU (docs/deployment.md,
 * "CI time, 6 December afternoon").
 */
import { expect, it } from 'vitest';
import { describeEachEngine } from './helpers/databases';
import { gridFailures } from './helpers/disclosure-families';
import { crosstabTables, seedReads } from './helpers/disclosure-seed';

const MIN = 5;
/** The random audit's equality cross-tabs (tests/disclosure-random.test.ts EQ_CROSSTABS). */
const CROSSTABS = ['a=gender&b=channel&percent=none', 'a=gender&b=district&percent=none', 'a=age&b=group&percent=none'];
const CHANNELS = ['online', 'library', 'school', 'event', 'paper', 'import'];
const SWITCH = 'ANALYSIS_STRUCTURAL_KNOWN';

/** The channel line solved as one system (the family with no district slice), the structural zeros known. */
const channelLine = (engine: Parameters<typeof seedReads>[0], value: string | undefined) =>
	seedReads(
		engine,
		25,
		{ crosstabs: CROSSTABS, min: MIN, tables: crosstabTables(CROSSTABS) },
		{ [SWITCH]: value },
		async ({ view }) => {
			const grid = await gridFailures(view, MIN, 'district', [], 'channel', CHANNELS, { structural: 'known' });
			// The cost of the rule in hidden cells (the cross-tabs of the unfiltered and channel views; the report's figure).
			let hidden = 0;
			for (const qs of ['', ...CHANNELS.map((c) => `channel=${c}`)])
				for (const t of (await view(qs)).shown.values())
					for (const r of t.rows) hidden += r.cells.filter((c) => c.suppressed).length;
			return { failures: [...grid.failures, ...grid.published], hidden };
		}
	);

describeEachEngine('random seed 25, the equality questions known zeros', (engine) => {
	it('the channel line, by default: knowing the structural zeros reads nothing', async () => {
		expect(await channelLine(engine, undefined)).toEqual([]);
	}, 600_000);

	it(`the channel line, with ${SWITCH}=off (before): the online and library slices' hidden cells read off`, async () => {
		const failures = await channelLine(engine, 'off');
		// (1) The online slice is the whole line once the face-to-face slices' zeros are known.
		expect(
			failures.some((f) => f.startsWith('channel=online, Age band by respondent group') && / = 6 \(/.test(f))
		).toBe(true);
		// (2) The library view hid its Library × Not asked behind School's filter zero.
		expect(failures.some((f) => f.startsWith('channel=library, Gender by channel') && / = 23 \(/.test(f))).toBe(true);
	}, 600_000);
});
