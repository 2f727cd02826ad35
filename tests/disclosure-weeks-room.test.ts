/**
 * The reverse direction of the unfiltered weeks table's margin bounds (issue #11, dis38). partFloor (dis36, seed 263)
 * gave a weeks margin the channels table hides the bounds [its count, what the channels labels allow above it], so
 * the weeks table kept room for it to be one more. The total's upper bound read the total's own label alone: a
 * hidden total "[c]" said nothing, though the rows it adds up to cap it. Here "Responses by channel" reads online
 * "<5" (4), library 8, school "<5" (4), event 20 and the total "[c]" (36): at most 4 + 8 + 4 + 20 = 36. The weeks
 * table hid its grand total with no bound it could use and showed week 1's total 5 and week 2's 29 beside week 3's
 * "<5" (2), online "<5" (1) and face to face "<5" (1): so the grand total is at least 5 + 29 + 2 = 36, and 36; online
 * 4, school 4 and week 3's three cells came off, with no cross-tab at all. A margin's bounds now read the channels
 * table's whole line, and where the labels pin it from above, the weeks table keeps room for it to be one less
 * (analysis/part-floor.ts partRoom; ANALYSIS_WEEKS_PART_ROOM=off reads the six cells off again). Both engines, a few
 * seconds each.
 */
import { expect, it } from 'vitest';
import { describeEachEngine, preparedDatabase } from './helpers/databases';
import { siblingViews, type DemoLike } from './helpers/demo-like';
import { sameViewFailures } from './helpers/disclosure-families';
import { loadSmallFixture } from './fixtures/analysis/small';
import { saveSubmission } from '../src/lib/server/submissions/save';

const MIN = 5;
const DAYS = ['2017-05-25', '2017-05-31', '2017-06-08'];

/**
 * The small fixture (online: S1 and S2 in week 1, S5 in week 3; library: S3 in week 2, S4 in week 3) and, all "Other
 * interested person": online 1 (Wychavon, week 2), library 3 (Bromsgrove, week 1) and 3 (no district, week 2), school
 * 4 and event 20 (Wychavon, week 2). Channels: online 4, library 8, school 4, event 20; weeks: 5, 29, 2.
 */
async function roomConsultation(engine: Parameters<typeof preparedDatabase>[0]): Promise<DemoLike> {
	const fresh = await preparedDatabase(engine);
	try {
		const fx = await loadSmallFixture(fresh.db);
		let i = 0;
		const add = async (
			n: number,
			channel: 'online' | 'library' | 'school' | 'event',
			district: string | null,
			week: number
		) => {
			for (let k = 0; k < n; k++)
				await saveSubmission(
					fresh.db,
					fx.c,
					{
						id: `dddddddd-0000-4000-8000-${String(++i).padStart(12, '0')}`,
						district,
						perspectives: [{ group: 'other', answers: { q1: 'parks' } }],
						about: null
					} as never,
					{ channel, createdAt: `${DAYS[week - 1]}T10:00:00.000Z` }
				);
		};
		await add(1, 'online', 'wychavon', 2);
		await add(3, 'library', 'bromsgrove', 1);
		await add(3, 'library', null, 2);
		await add(4, 'school', 'wychavon', 2);
		await add(20, 'event', 'wychavon', 2);
		return { fresh, fx };
	} catch (error) {
		await fresh.drop();
		throw error;
	}
}

/** The unfiltered view's tables solved together (the page tables alone, or with `crosstabs`). */
async function unfilteredFailures(engine: Parameters<typeof preparedDatabase>[0], crosstabs: string[] = []) {
	const data = await roomConsultation(engine);
	try {
		const { view } = siblingViews(() => data, { crosstabs, min: MIN });
		return sameViewFailures(await view(''), MIN, 'unfiltered');
	} finally {
		await data.fresh.drop();
	}
}

describeEachEngine('the weeks table keeps room below a margin the channels labels cap', (engine) => {
	it('unfiltered: the weeks and channels tables give nothing away together', async () => {
		expect(await unfilteredFailures(engine)).toEqual([]);
	}, 300_000);

	it('unfiltered, with "District by channel" and "Week by channel": nothing either', async () => {
		expect(
			await unfilteredFailures(engine, ['a=district&b=channel&percent=none', 'a=week&b=channel&percent=none'])
		).toEqual([]);
	}, 300_000);

	it('the old bounds (ANALYSIS_WEEKS_PART_ROOM=off): the weeks table pins the total from below', async () => {
		process.env.ANALYSIS_WEEKS_PART_ROOM = 'off';
		try {
			const found = await unfilteredFailures(engine);
			expect(found).toContain(
				'unfiltered, Responses by channel: School / Submissions = 4 (propagation across the tables)'
			);
			expect(found).toContain(
				'unfiltered, Responses by week, online and face to face: Week 3 (2017-06-05 to 2017-06-11) / Total = 2 (propagation across the tables)'
			);
		} finally {
			delete process.env.ANALYSIS_WEEKS_PART_ROOM;
		}
	}, 300_000);
});
