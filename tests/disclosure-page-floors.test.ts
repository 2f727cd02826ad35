/**
 * A page table protected knowing the floors the view's cross-tabs put on its small rows (issue #11, the every-pair
 * unfiltered view's random seed 15, dis64; docs/analysis.md, "The page tables know the floors the cross-tabs put on
 * their small rows"). Seed 15's unfiltered view with "Respondent group by channel" (the trace's smallest set, beside
 * the page tables): "Respondent types" hid child and other interested person "<5" beside the shown total and the
 * other types, 66 − 60 = 6 together; "Respondent group by channel" has three "<5" on the child's line (child ≥ 3),
 * "Respondent types by district" three on the other's (other ≥ 3): both 3, and each "<5" on those lines 1. The page
 * tables now know the highest floor any cross-tab of the view gives their small rows (analysis/margin-floors.ts
 * pageFloorBounds). The first test runs the default (no ANALYSIS_PAGE_FLOORS in the environment); with `=off` the
 * cells read off again (the proof). Both engines, a few seconds each.
 */
import { expect, it } from 'vitest';
import { describeEachEngine } from './helpers/databases';
import { withEnv } from './helpers/env';
import { pairsSeed } from './helpers/unfiltered-pairs';

const SWITCH = 'ANALYSIS_PAGE_FLOORS';
const SEED_15 = ['a=group&b=channel&percent=none'];

async function read(engine: Parameters<typeof pairsSeed>[0], value?: string) {
	const { failures, hidden } = await withEnv(SWITCH, value, () => pairsSeed(engine, 15, SEED_15));
	console.log(
		`${engine} seed 15 ${SWITCH}=${value ?? '(default)'}: ${failures.length} read, ${hidden} hidden\n${failures.join('\n')}`
	);
	return failures;
}

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
