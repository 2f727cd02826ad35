/**
 * "Not asked" of the equality tables across the channel slices (issue #11, the random audit's seed 20). Online
 * respondents under 16 are not asked, so a view's "Not asked" is its face-to-face submissions (each face-to-face
 * channel's page shows them: nobody there is asked) plus its online slice's "Not asked". Seed 20's unfiltered view
 * showed "Not asked" 49 while `channel=online` hid its 2 as "<5", and the face-to-face channels showed 12, 19 and
 * 16: 49 - 12 - 19 - 16 = 2. The unfiltered view now hides it (wider.ts askedFromChannels). Both engines.
 */
import { expect, it } from 'vitest';
import { describeEachEngine } from './helpers/databases';
import { siblingViews } from './helpers/demo-like';
import { randomConsultation } from './helpers/disclosure-random';

const MIN = 5;
const CHANNELS = ['online', 'library', 'school', 'event', 'paper', 'import'];

describeEachEngine('disclosure control: "Not asked" across the channel slices', (engine) => {
	it('seed 20: no equality count of a channel slice is worked out from the unfiltered view', async () => {
		const data = await randomConsultation(engine, 20);
		try {
			const { view, siblingFailures } = siblingViews(() => data, { crosstabs: [], min: MIN });
			const truth = (await view('channel=online')).truth;
			const eq = [...truth].find(([, t]) => t.id === 'eq-orientation')![1];
			// The case itself: online respondents not asked, a small count.
			const notAsked = eq.rows.find((r) => r.key === 'not_asked')!.cells[0].n!;
			expect(notAsked).toBeGreaterThan(0);
			expect(notAsked).toBeLessThan(MIN);
			const failures = await siblingFailures('', 'channel', CHANNELS);
			expect(failures).toEqual([]);
		} finally {
			await data.fresh.drop();
		}
	}, 600_000);
});
