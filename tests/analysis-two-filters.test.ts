/**
 * A group view's group-set counts from one read per request (issue #19, helper dash37; set-family.ts). A view
 * filtered to a respondent type and a district (child + Bromsgrove) is protected with every type × district slice
 * and the types' family, and each group-set reader (submissions, districts, channels, locations, days × channels,
 * districts × channels, the equality margins) was a statement of its own joining the sets to their members with
 * `replace(group_set, …)`: most of the view's SQL at a million answers, over tables of a few thousand rows. Now
 * each group-set table is read once per request and every scope sums its own rows. The tables must be the same as
 * with ANALYSIS_SET_FAMILY=off (and ANALYSIS_PART_MEMO=off: the dashboard's rows made at each build), on both
 * engines, and the view must run no member-join statement.
 */
import { expect, it } from 'vitest';
import { describeEachEngine } from './helpers/databases';
import { demoLikeSuite } from './helpers/demo-like';
import type { Db } from '../src/lib/server/db/connect';
import { logged } from './helpers/statement-log';
import { dashboardJson, weeks3to4 } from './helpers/dated-query';
import { crossTabTable } from '../src/lib/server/analysis/dashboard';
import { analysisFilters, scopeOf } from '../src/lib/server/analysis/scope';
import type { Dimension } from '../src/lib/analysis/dimensions';

/** A group-set reader joining the sets to the types (aggregates.ts joinSetMembers; both engines' forms). */
const memberJoin = (text: string) => /analysis_agg_group_set/.test(text) && /replace\(/.test(text);

const SWITCHES = ['ANALYSIS_SET_FAMILY', 'ANALYSIS_PART_MEMO'];

describeEachEngine('two filters: a group view’s group-set counts from one read per request', (engine) => {
	const data = demoLikeSuite(engine, { env: { ANALYSIS_CACHE: 'off' }, restore: SWITCHES });

	/**
	 * One request's dashboard and its filters (their statements run on `db`) and the cross-tabs `pairs` (on `crossDb`),
	 * one JSON string per table.
	 */
	async function view(qs: string, pairs: readonly [Dimension, Dimension][], db: Db, crossDb: Db) {
		const c = data.fx.c;
		const out = await dashboardJson(db, c, qs);
		const filters = await analysisFilters(db, c, new URLSearchParams(qs));
		for (const [a, b] of pairs)
			out.push(JSON.stringify(await crossTabTable(crossDb, c, scopeOf(c, filters), a, b, 'row')));
		return out;
	}

	/** The cross-tabs the first test reads beside each dashboard. */
	const PAIRS: readonly [Dimension, Dimension][] = [
		['district', 'channel'],
		['location', 'week'],
		['week', 'channel'],
		['district', 'gender']
	];

	/**
	 * The view (its dashboard and the cross-tabs PAIRS) with the switches off and on, and the statements each
	 * dashboard ran (the cross-tabs' apart); once per query string in the file (the second test's view is the
	 * first's first: its pair of dashboards was computed twice, the same statements each time). Logged on the
	 * database's analysis lane, as the views of the app are (tests/helpers/statement-log.ts logged).
	 */
	const pairs = new Map<string, ReturnType<typeof compute>>();
	async function compute(qs: string) {
		const seenOff: string[] = [];
		const seenOn: string[] = [];
		const crossOff: string[] = [];
		const crossOn: string[] = [];
		for (const k of SWITCHES) process.env[k] = 'off';
		const off = await view(qs, PAIRS, logged(data.fresh.db, seenOff), logged(data.fresh.db, crossOff));
		for (const k of SWITCHES) delete process.env[k];
		const on = await view(qs, PAIRS, logged(data.fresh.db, seenOn), logged(data.fresh.db, crossOn));
		return { off, on, seenOff, seenOn };
	}
	const both = (qs: string) => {
		if (!pairs.has(qs)) pairs.set(qs, compute(qs));
		return pairs.get(qs)!;
	};

	it('shows the same tables as with a statement per reader', async () => {
		const c = data.fx.c;
		const g0 = c.groups[0].code;
		const [d0, d1] = [c.districts[0].code, c.districts[1].code];
		// One view of each kind of scope (ci42). Not among them: a second type + district view with min=8 (the
		// threshold changes what is hidden, not which group-set rows are read or how a scope sums them: the first
		// view's reads) and type + online (a single channel; face to face sums several channels' rows, the wider case).
		for (const qs of [
			// A type and a district: every type × district slice and the types' family.
			`group=${g0}&district=${d0}`,
			// A type alone.
			`group=${g0}`,
			// No type (group is null) and a district.
			`group=unknown&district=${d1}`,
			// A type and a channel set (the face-to-face channels summed).
			`group=${g0}&channel=face-to-face`,
			// A type and dates (the group-set readers by day).
			await weeks3to4(data.fresh.db, c.id, `group=${g0}`)
		]) {
			const { off, on } = await both(qs);
			expect(on, qs).toEqual(off);
		}
	}, 900_000);

	it("reads a group and district view's group sets without joining them to the types", async () => {
		const c = data.fx.c;
		const { seenOff, seenOn } = await both(`group=${c.groups[0].code}&district=${c.districts[0].code}`);
		// Before: each group-set reader of the view's families, a member join each (ten at a million answers).
		expect(seenOff.filter(memberJoin).length).toBeGreaterThanOrEqual(5);
		expect(seenOn.filter(memberJoin).length).toBe(0);
		expect(seenOn.length).toBeLessThan(seenOff.length);
	}, 600_000);
});
