/**
 * A dated view's channels table against the weeks table (issue #11, dis26). A week's view is a slice of the view
 * without the dates: its "Responses by channel" has the online count and the total of that week's row of the wider
 * view's "Responses by week", which the weeks' family keeps equal to the week's own weeks table. Protected apart,
 * the week's channels table hid library 3 and chose online 7 and the total 60 as its partners (nothing wider asked
 * them hidden) beside school 20 and event 30, while both weeks tables showed week 1's online 7 and total 60: so
 * 60 - 7 - 20 - 30 = 3. The channels table now reads those weeks' rows as a line (wider.ts weekChannelsLine;
 * ANALYSIS_WEEK_CHANNELS_LINE=off reads the cell off again). Also checked over every view of the fixture: no
 * weeks table shows a margin (online total, grand total) the same view's channels table hides.
 * Both engines, a few seconds each.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine, preparedDatabase } from './helpers/databases';
import { cellsByKey, siblingViews, type DemoLike } from './helpers/demo-like';
import { sameViewFailures } from './helpers/disclosure-families';
import { loadSmallFixture } from './fixtures/analysis/small';
import { saveSubmission } from '../src/lib/server/submissions/save';

const MIN = 5;
const WEEK1 = 'from=2017-05-22&to=2017-05-28';
const WEEK2 = 'from=2017-05-29&to=2017-06-04';

/**
 * The small fixture (S1 and S2 online in week 1) and, all "Other interested person" in Wychavon: week 1 online 5
 * more (7), library 3, school 20, event 30; weeks 2 and 3 online 15, library 12, school 10 and event 10 each.
 */
async function weekConsultation(engine: Parameters<typeof preparedDatabase>[0]): Promise<DemoLike> {
	const fresh = await preparedDatabase(engine);
	try {
		const fx = await loadSmallFixture(fresh.db);
		let i = 0;
		const add = async (n: number, channel: string, day: string) => {
			for (let k = 0; k < n; k++)
				await saveSubmission(
					fresh.db,
					fx.c,
					{
						id: `cccccccc-0000-4000-8000-${String(++i).padStart(12, '0')}`,
						district: 'wychavon',
						perspectives: [{ group: 'other', answers: { q1: 'parks' } }],
						about: null
					} as never,
					{ channel, createdAt: `${day}T10:00:00.000Z` }
				);
		};
		await add(5, 'online', '2017-05-25');
		await add(3, 'library', '2017-05-25');
		await add(20, 'school', '2017-05-25');
		await add(30, 'event', '2017-05-25');
		for (const day of ['2017-05-31', '2017-06-08']) {
			await add(15, 'online', day);
			await add(12, 'library', day);
			await add(10, 'school', day);
			await add(10, 'event', day);
		}
		return { fresh, fx };
	} catch (error) {
		await fresh.drop();
		throw error;
	}
}

describeEachEngine("a dated view's channels table and the weeks tables", (engine) => {
	let data: DemoLike;
	beforeAll(async () => {
		data = await weekConsultation(engine);
	}, 120_000);
	afterAll(() => data?.fresh.drop());
	const { view } = siblingViews(() => data, { crosstabs: [], min: MIN });

	it("week 1's view: its channels table hides no partner its weeks table shows", async () => {
		expect(sameViewFailures(await view(WEEK1), MIN, WEEK1)).toEqual([]);
	}, 300_000);

	it("the other people's week 1: the same with a second filter", async () => {
		const qs = `group=other&${WEEK1}`;
		expect(sameViewFailures(await view(qs), MIN, qs, ['group', 'other'])).toEqual([]);
	}, 300_000);

	it('no weeks table shows a margin its channels table hides', async () => {
		const views = ['', WEEK1, WEEK2, 'group=other', `group=other&${WEEK1}`, 'district=wychavon'];
		const failures: string[] = [];
		for (const qs of views) {
			const v = await view(qs);
			const find = (id: string) => [...v.shown.values()].find((t) => t.id === id);
			const truth = (id: string) => [...v.truth.values()].find((t) => t.id === id)!;
			const [channels, weeks] = [find('channels'), find('weeks')];
			if (!channels || !weeks) continue;
			const c = cellsByKey(channels);
			const w = cellsByKey(weeks);
			const [ct, wt] = [cellsByKey(truth('channels')), cellsByKey(truth('weeks'))];
			for (const [ck, wk] of [
				['online|n', '_total|online'],
				['_total|n', '_total|_total']
			]) {
				const n = ct.get(ck)?.n ?? 0;
				if (n === 0 || (wt.get(wk)?.n ?? 0) !== n) continue;
				if (c.get(ck)?.suppressed && !w.get(wk)?.suppressed)
					failures.push(
						`${qs || 'unfiltered'}: channels ${ck} ${c.get(ck)?.text}, weeks ${wk} ${w.get(wk)?.text} (${n})`
					);
			}
		}
		expect(failures).toEqual([]);
	}, 300_000);
});
