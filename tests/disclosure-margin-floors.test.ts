/**
 * A small margin protected knowing the floor other cross-tabs' lines put on it (issue #11, dis61's mechanism B, dis62;
 * docs/analysis.md, "A small margin's floor from the other cross-tabs"). Random seed 26's unfiltered view with "District
 * by week" and "District by gender" (dis61's smallest set): "District by week" has two "<5" on Wyre Forest's row, so
 * Wyre Forest ≥ 2; "District by gender", protected knowing only its own row (Wyre Forest ≥ 1), had the male column's
 * three "<5" under a male total "<5": 1 + 1 + 2 ≤ male ≤ 4, so male = 4 and the districts table's Wyre Forest 2.
 * Each cross-tab now knows the highest floor any cross-tab of the view gives its small margins (analysis/margin-floors.ts).
 * The first test runs the default (no ANALYSIS_MARGIN_FLOORS in the environment); with `=off` the cells read off again
 * (the proof). Both engines, a few seconds each.
 */
import { expect, it } from 'vitest';
import { describeEachEngine } from './helpers/databases';
import { seedViewReads } from './helpers/disclosure-seed';

const MIN = 5;
const SWITCH = 'ANALYSIS_MARGIN_FLOORS';
const SEED_26 = ['a=district&b=week&percent=none', 'a=district&b=gender&percent=none'];

const read = (engine: Parameters<typeof seedViewReads>[0], value?: string) =>
	// The proof (`=off`) turns dis63's decided "<5" both ways and dis66's pinned floors off too: each closes seed 26's
	// cells on its own.
	seedViewReads(engine, 26, {
		crosstabs: SEED_26,
		min: MIN,
		switches: { [SWITCH]: value, ANALYSIS_DECIDED_SMALL_BOTH_WAYS: value, ANALYSIS_PINNED_FLOORS: value }
	});

describeEachEngine('the unfiltered view: a small margin knows the floors other cross-tabs put on it', (engine) => {
	it('by default: seed 26 reads nothing', async () => {
		expect(await read(engine)).toEqual([]);
	}, 600_000);

	it(`with ${SWITCH}=off (before): seed 26's Wyre Forest 2 reads off`, async () => {
		expect(await read(engine, 'off')).toContain(
			'unfiltered, Districts: Wyre Forest / Submissions = 2 (propagation across the tables)'
		);
	}, 600_000);
});
