/**
 * Views that do not nest, beyond the districts (issue #11): an onlooker who can open any filter
 * combination the analysis screens offer (dates, district, group, channel, question) sets views
 * side by side and subtracts. Covered here, on demo-like data on both engines:
 * - overlapping date ranges (1–28 May against 1–27 May gives 28 May), and the weeks as siblings;
 * - the respondent types (groups) and the channels as siblings of the view without that filter;
 * - two sibling filters together: every group's view within one district against that district.
 * Each view is read as a request gives it (analysisFilters: the same parsing as the pages).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine, type FreshDb } from './helpers/databases';
import type { Fixture } from './fixtures/analysis/small';
import { cellsByKey, demoLikeDatabase, siblingViews, withoutRows } from './helpers/demo-like';
import { attack, attackSiblings } from './helpers/disclosure-attack';
import { CHANNELS } from '../src/lib/domain/channels';
import { addDays } from '../src/lib/analysis/weeks';
import { suiteEnv } from './helpers/env';

const MIN = 5;
const CROSSTABS = ['a=group&b=district&percent=row', 'a=week&b=channel&percent=none'];

describeEachEngine('disclosure control across views that do not nest', (engine) => {
	// Room in the analysis cache for every view of a family (as in disclosure-joint and disclosure-random): the
	// views shown are the same, only the repeated work goes (25 → 15 s of CPU, ci38, CI time, 5 December).
	const vars = suiteEnv({ ANALYSIS_CACHE_ENTRIES: '5000' });
	beforeAll(() => vars.set());
	afterAll(() => vars.restore());
	let fresh: FreshDb;
	let fx: Fixture;
	beforeAll(async () => {
		({ fresh, fx } = await demoLikeDatabase(engine));
	}, 120_000);
	afterAll(() => fresh?.drop());

	const { view, siblingFailures } = siblingViews(() => ({ fresh, fx }), { crosstabs: CROSSTABS, min: MIN });

	it("no hidden count is recovered from the groups' views subtracted from the view without a group", async () => {
		const groups = [...fx.c.groups.map((g) => g.code), 'unknown'];
		expect(await siblingFailures('', 'group', groups)).toEqual([]);
	}, 900_000);

	it("no hidden count is recovered from the channels' views subtracted from the view without a channel", async () => {
		expect(await siblingFailures('', 'channel', [...CHANNELS])).toEqual([]);
	}, 900_000);

	it("two sibling filters together: no hidden count is recovered from the groups' views within one district", async () => {
		const groups = [...fx.c.groups.map((g) => g.code), 'unknown'];
		const failures = [
			...(await siblingFailures('district=bromsgrove', 'group', groups)),
			...(await siblingFailures('district=redditch', 'group', groups))
		];
		expect(failures).toEqual([]);
	}, 900_000);

	it('overlapping date ranges: no count of the days between two ranges is small, and no hidden count is recovered', async () => {
		const open = fx.c.opensAt!;
		const ends = [3, 6, 9, 13, 16, 20, 27].map((d) => addDays(open, d));
		const starts = [open, addDays(open, 7), addDays(open, 10)];
		const ranges = starts.flatMap((from) => ends.filter((to) => to >= from).map((to) => ({ from, to })));
		const failures: string[] = [];
		let pairs = 0;
		for (const a of ranges)
			for (const b of ranges) {
				// b contains a: side by side, b − a is the days of b outside a.
				if (!(b.from <= a.from && a.to <= b.to) || (a.from === b.from && a.to === b.to)) continue;
				const [narrow, wide] = [await view(`from=${a.from}&to=${a.to}`), await view(`from=${b.from}&to=${b.to}`)];
				for (const [name, t] of narrow.shown) {
					const w = wide.shown.get(name);
					if (!w) continue;
					pairs++;
					const [nc, wc] = [cellsByKey(t), cellsByKey(w)];
					const fromWide = new Map<string, [number, number]>();
					const fromNarrow = new Map<string, [number, number]>();
					for (const [key, c] of nc) {
						const o = wc.get(key);
						if (!o) continue;
						if (!c.suppressed && !o.suppressed && o.n! - c.n! > 0 && o.n! - c.n! < MIN)
							failures.push(`${a.from}–${a.to} vs ${b.from}–${b.to}, ${t.caption}, ${key}: ${o.n} − ${c.n}`);
						if (c.suppressed && !o.suppressed) fromWide.set(key, [0, o.n!]);
						if (o.suppressed && !c.suppressed) fromNarrow.set(key, [c.n!, Number.POSITIVE_INFINITY]);
					}
					for (const f of attack(t, { min: MIN, truth: narrow.truth.get(name), known: fromWide }))
						failures.push(
							`${a.from}–${a.to} beside ${b.from}–${b.to}, ${t.caption}: ${f.row} / ${f.column} = ${f.value}`
						);
					for (const f of attack(w, { min: MIN, truth: wide.truth.get(name), known: fromNarrow }))
						failures.push(
							`${b.from}–${b.to} beside ${a.from}–${a.to}, ${t.caption}: ${f.row} / ${f.column} = ${f.value}`
						);
				}
			}
		expect(failures).toEqual([]);
		expect(pairs).toBeGreaterThan(100);
	}, 900_000);

	it("the weeks as siblings: no hidden count is recovered from each week's view subtracted from the view without dates", async () => {
		const open = fx.c.opensAt!;
		const failures: string[] = [];
		const weeks = Array.from({ length: 6 }, (_, i) => addDays(open, 7 * i));
		// Each week as a date range (a week's view is the range from its Monday to its Sunday).
		const total = '';
		const qs = weeks.map((w) => `from=${w}&to=${addDays(w, 6)}`);
		for (const q of qs) await view(q);
		const shownSlices = await Promise.all(qs.map((q) => view(q)));
		const t = await view(total);
		for (const [name, tot] of t.shown) {
			const shown = shownSlices.map((x) => x.shown.get(name) ?? withoutRows(tot));
			const truths = shownSlices.map((x) => x.truth.get(name) ?? withoutRows(tot));
			for (const f of attackSiblings(shown, tot, { min: MIN, truths, totalTruth: t.truth.get(name) }))
				if (f.value === f.truth)
					failures.push(
						`${f.view < weeks.length ? weeks[f.view] : 'all'} ${tot.caption}: ${f.row} / ${f.column} = ${f.value}`
					);
		}
		expect(failures).toEqual([]);
	}, 900_000);
});
