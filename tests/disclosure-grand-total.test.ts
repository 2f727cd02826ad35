/**
 * The unfiltered view's grand total read one way (issue #11, dis61; docs/analysis.md, "The unfiltered view with every
 * cross-tab pair"). A cross-tab with no page dimension had no side to decide its grand total and chose for itself:
 * random seed 4's "Gender by age band" showed 35 while the weeks table (and every page table) hid it, so with its "Not
 * asked" 26 (the weeks table's face-to-face total) online = 9, and with the weeks table's lines week 2's online 2;
 * seed 13's "Age band by ethnicity" showed 73 while the districts table, "District by ethnicity" and "District by
 * week" hid it, and the districts table's Bromsgrove 3 and Not given 2 came off. The smallest sets of tables (greedy removal from every pair) are below.
 * Such a cross-tab now reads its grand total as the districts table does (analysis/grand-total.ts). The first test
 * runs the default (no ANALYSIS_GRAND_TOTAL_DECIDED in the environment); with `=off` the cells read off again (the
 * proof). Both engines, a few seconds each.
 */
import { expect, it } from 'vitest';
import { describeEachEngine } from './helpers/databases';
import { seedViewReads } from './helpers/disclosure-seed';

const MIN = 5;
const SWITCH = 'ANALYSIS_GRAND_TOTAL_DECIDED';
const SEED_4 = ['a=gender&b=age&percent=none'];
const SEED_13 = [
	'a=district&b=ethnicity&percent=none',
	'a=district&b=week&percent=none',
	'a=age&b=ethnicity&percent=none'
];

const read = (engine: Parameters<typeof seedViewReads>[0], seed: number, crosstabs: string[], value?: string) =>
	// The proof (`=off`) turns dis62's margin floors, dis63's decided "<5" both ways and dis66's pinned floors off too:
	// each closes seed 13's cells on its own.
	seedViewReads(engine, seed, {
		crosstabs,
		min: MIN,
		switches: {
			[SWITCH]: value,
			ANALYSIS_MARGIN_FLOORS: value,
			ANALYSIS_DECIDED_SMALL_BOTH_WAYS: value,
			ANALYSIS_PINNED_FLOORS: value
		}
	});

describeEachEngine(
	'the unfiltered view: a cross-tab with no page dimension reads the grand total one way',
	(engine) => {
		it('by default: seeds 4 and 13 read nothing', async () => {
			expect(await read(engine, 4, SEED_4)).toEqual([]);
			expect(await read(engine, 13, SEED_13)).toEqual([]);
		}, 600_000);

		it(`with ${SWITCH}=off (before): seed 4's week 2 online 2 and seed 13's Bromsgrove 3 read off`, async () => {
			expect(await read(engine, 4, SEED_4, 'off')).toContain(
				'unfiltered, Responses by week, online and face to face: Week 2 (2017-05-29 to 2017-06-04) / Online = 2 (propagation across the tables)'
			);
			expect(await read(engine, 13, SEED_13, 'off')).toContain(
				'unfiltered, Districts: Bromsgrove / Submissions = 3 (propagation across the tables)'
			);
		}, 600_000);
	}
);
