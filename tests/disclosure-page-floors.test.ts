/**
 * A page table protected knowing the floors the view's cross-tabs put on its small rows (issue #11, the every-pair
 * unfiltered view's random seed 15, dis64; docs/analysis.md, "The page tables know the floors the cross-tabs put on
 * their small rows"). Seed 15's unfiltered view with "Respondent group by channel" (the trace's smallest set, beside
 * the page tables): "Respondent types" hid child and other interested person "<5" beside the shown total and the
 * other types, 66 − 60 = 6 together; "Respondent group by channel" has three "<5" on the child's line (child ≥ 3),
 * "Respondent types by district" three on the other's (other ≥ 3): both 3, and each "<5" on those lines 1. The page
 * tables now know the highest floor any cross-tab of the view gives their small rows (analysis/margin-floors.ts
 * pageFloorBounds). The first test runs the default (no ANALYSIS_PAGE_FLOORS in the environment); with `=off` (and dis63's
 * ANALYSIS_DECIDED_SMALL_BOTH_WAYS, which closes this view on its own) the cells read off again (the proof). Both engines, a few seconds each.
 */
import { expect, it } from 'vitest';
import { describeEachEngine } from './helpers/databases';
import { seedViewReads } from './helpers/disclosure-seed';

const MIN = 5;
const SWITCH = 'ANALYSIS_PAGE_FLOORS';
const SEED_15 = ['a=group&b=channel&percent=none'];

const read = (engine: Parameters<typeof seedViewReads>[0], value?: string) =>
	// The proof (`=off`) turns dis63's decided "<5" both ways off too: it closes seed 15's cells on its own.
	seedViewReads(engine, 15, {
		crosstabs: SEED_15,
		min: MIN,
		switches: { [SWITCH]: value, ANALYSIS_DECIDED_SMALL_BOTH_WAYS: value }
	});

describeEachEngine('the unfiltered view: a page table knows the floors the cross-tabs put on its rows', (engine) => {
	it('by default: seed 15 reads nothing', async () => {
		expect(await read(engine)).toEqual([]);
	}, 600_000);

	it(`with ${SWITCH}=off (before): seed 15's child 3 reads off`, async () => {
		expect(await read(engine, 'off')).toContain(
			'unfiltered, Respondent types: Child (12 or under) / Number (% of submissions) = 3 (propagation across the tables)'
		);
	}, 600_000);
});
