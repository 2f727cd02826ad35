/**
 * A group family's slices of the group-set tables in one query (aggregates.ts joinSetMembers, issue #19): a group
 * view's sibling groups (and the group's own slice) read "submissions whose set contains G" for every G at once,
 * the sets joined to their members and grouped by the member. Every reader of a group-set table must give, for
 * each group (and "not known"), under district and channel filters too, the figures of the plain queries on the
 * submissions (ANALYSIS_AGGREGATES=off) and of one query per group (ANALYSIS_SET_SLICES=off), on both engines; and
 * the page's tables must not change.
 */
import { expect, it } from 'vitest';
import { describeEachEngine } from './helpers/databases';
import { groupSetSlicesSuite } from './helpers/group-set-slices';
import { viewTables } from './fixtures/analysis/demo-like';
import { countSubmissions } from '../src/lib/server/analysis/queries';
import { scopeOf } from '../src/lib/server/analysis/scope';
import { parseFilters } from '../src/lib/analysis/filters';
import type { Dimension } from '../src/lib/analysis/dimensions';

const PAIRS: [Dimension, Dimension][] = [
	['district', 'channel'],
	['location', 'week'],
	['district', 'disability'],
	['age', 'gender']
];

describeEachEngine('group-set slices in one query', (engine) => {
	const { data, expectEveryGroupAs } = groupSetSlicesSuite(engine, 'ANALYSIS_SET_SLICES', PAIRS);

	it(
		'gives every group its own figures, as the plain queries and one query per group do',
		() => expectEveryGroupAs([{ ANALYSIS_AGGREGATES: 'off' }, { ANALYSIS_SET_SLICES: 'off' }]),
		300_000
	);

	it('reads the group family from one query per reader', async () => {
		// The request's one read of the group sets (set-family.ts) answers these scopes first: off, to see the readers.
		process.env.ANALYSIS_SET_FAMILY = 'off';
		process.env.ANALYSIS_AGGREGATES = 'on';
		process.env.ANALYSIS_SET_SLICES = 'on';
		const s = scopeOf(data.fx.c, parseFilters(new URLSearchParams(`group=${data.fx.c.groups[0].code}&min=5`)));
		await countSubmissions(data.fresh.db, s);
		// The family's scope without the group holds the sliced rows of every group (and none per group).
		const base = [...s.family!.values()].find((x) => x.filters.group === undefined);
		expect([...(base?.memo?.keys() ?? [])]).toContain('slices:submissions:group:sets');
		process.env.ANALYSIS_SET_SLICES = 'off';
		const s2 = scopeOf(data.fx.c, parseFilters(new URLSearchParams(`group=${data.fx.c.groups[0].code}&min=5`)));
		await countSubmissions(data.fresh.db, s2);
		expect(s2.family === undefined || [...s2.family.values()].every((x) => x.filters.group !== undefined)).toBe(true);
		delete process.env.ANALYSIS_SET_FAMILY;
	});

	it('shows the same tables on a group + district page', async () => {
		const qs = `group=${data.fx.c.groups[0].code}&district=${data.fx.c.districts[0].code}`;
		const page = async (on: boolean) => {
			process.env.ANALYSIS_SET_SLICES = on ? 'on' : 'off';
			const tables = await viewTables(data.fresh.db, data.fx, parseFilters(new URLSearchParams(qs)), [
				'a=district&b=disability&percent=row'
			]);
			return tables.map((t) => JSON.stringify(t));
		};
		expect(await page(true)).toEqual(await page(false));
	}, 600_000);
});
