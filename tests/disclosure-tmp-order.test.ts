import { afterAll, beforeAll, it } from 'vitest';
import { describeEachEngine, type FreshDb } from './helpers/databases';
import type { Fixture } from './fixtures/analysis/small';
import { cellsByKey, demoLikeDatabase, siblingViews } from './helpers/demo-like';
const CROSSTABS = ['a=group&b=district&percent=row', 'a=week&b=channel&percent=none'];
describeEachEngine('tmp order', (engine) => {
	let fresh: FreshDb;
	let fx: Fixture;
	beforeAll(async () => {
		({ fresh, fx } = await demoLikeDatabase(engine));
	}, 120_000);
	afterAll(() => fresh?.drop());
	const { view } = siblingViews(() => ({ fresh, fx }), { crosstabs: CROSSTABS, min: 5 });
	it('order', async () => {
		const show = async (q: string) => {
			const v = await view(q);
			for (const [name, t] of v.shown) if (t.id === 'themes-q1') console.log('ORDER', q, name.slice(0, 30), cellsByKey(t).get('1|child')?.text, cellsByKey(t).get('1|_all')?.text);
		};
		await show('group=child');
		if (process.env.ORDER_DISTRICT_FIRST) for (const d of ['bromsgrove']) await show(`district=${d}&group=child`);
	}, 600_000);
});
