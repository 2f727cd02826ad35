/**
 * A table that is a line of another view's cross-tab (issue #11, wider.ts crossTabLines): a group's channels
 * table is that group's row of "Respondent group by channel" in the unfiltered view, a district's equality
 * tables are its row of "District by gender", and so on for every table declared in registry.ts
 * CROSS_TAB_LINES. An onlooker sets the two side by side: a count one shows and the other hides is read off,
 * and what the one shows bounds the other's hidden counts, which the attack then uses (both ways). Each
 * one-filter view (every district, group and channel) against both orientations of each cross-tab of the
 * unfiltered view; demo-like data, both engines.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine, type FreshDb } from './helpers/databases';
import type { Fixture } from './fixtures/analysis/small';
import { demoLikeDatabase, joinQuery, siblingViews } from './helpers/demo-like';
import { equalityTotalsFailures, lineFailures } from './helpers/disclosure-families';
import type { TableData } from '../src/lib/analysis/tables';
import type { Dimension } from '../src/lib/analysis/dimensions';
import { CHANNELS } from '../src/lib/domain/channels';
import { analysisFilters } from '../src/lib/server/analysis/scope';
import { CROSS_TAB_LINES, dashboardTables, tableById } from '../src/lib/server/analysis/registry';

const MIN = 5;

describeEachEngine('disclosure control: tables that are a line of a wider cross-tab', (engine) => {
	let fresh: FreshDb;
	let fx: Fixture;
	beforeAll(async () => {
		({ fresh, fx } = await demoLikeDatabase(engine));
	}, 120_000);
	afterAll(() => fresh?.drop());

	const tablesOf = async (qs: string) => {
		const f = await analysisFilters(fresh.db, fx.c, new URLSearchParams(qs));
		return dashboardTables(fresh.db, fx.c, f, '/b');
	};
	const crossOf = async (a: Dimension, b: Dimension, min: string) => {
		const f = await analysisFilters(fresh.db, fx.c, new URLSearchParams(min));
		return (await tableById(fresh.db, fx.c, f, 'crosstab', new URLSearchParams(`a=${a}&b=${b}&percent=none`), '/b'))!;
	};

	it('no count is read off or worked out between a one-filter view and the cross-tabs without that filter', async () => {
		const filters: [Dimension, string[]][] = [
			['district', [...fx.c.districts.map((d) => d.code), 'unknown']],
			['group', [...fx.c.groups.map((g) => g.code), 'unknown']],
			['channel', [...CHANNELS]]
		];
		const failures: string[] = [];
		const crosses = new Map<string, { shown: TableData; truth: TableData }>();
		const cross = async (a: Dimension, b: Dimension) => {
			const k = `${a}:${b}`;
			if (!crosses.has(k)) crosses.set(k, { shown: await crossOf(a, b, ''), truth: await crossOf(a, b, 'min=0') });
			return crosses.get(k)!;
		};
		for (const [by, values] of filters)
			for (const v of values) {
				const shown = await tablesOf(`${by}=${v}`);
				const truth = await tablesOf(`${by}=${v}&min=0`);
				for (const t of shown) {
					const decl = CROSS_TAB_LINES[t.id];
					if (!decl || decl.dimension === by) continue;
					const table = { shown: t, truth: truth.find((x) => x.id === t.id)! };
					const key = (k: string) => (k === '_total' ? k : (decl.key?.(k) ?? k));
					failures.push(
						...lineFailures(
							table,
							await cross(by, decl.dimension),
							(k) => `${v}|${key(k)}`,
							decl.column,
							MIN,
							`${by}=${v} ${t.id} (rows)`
						),
						...lineFailures(
							table,
							await cross(decl.dimension, by),
							(k) => `${key(k)}|${v}`,
							decl.column,
							MIN,
							`${by}=${v} ${t.id} (columns)`
						)
					);
				}
			}
		console.log(`${engine}: ${failures.length} recovered\n${failures.slice(0, 40).join('\n')}`);
		// The one-filter views' tables give nothing away beside the cross-tab line they are.
		expect(failures.filter((f) => !f.includes(': cross-tab '))).toEqual([]);
		// Not asserted (open, docs/analysis.md "What is not covered"): the cross-tab side. The unfiltered
		// cross-tab of an equality field hides a district's (group's) "Not asked" that the one-district view's
		// equality tables show (one gives it away by its rows, so all show it), and its partners then fall to
		// subtraction: 40 counts on the demo-like data (both engines), logged above.
	}, 1_800_000);

	it('a cross-tab and its transpose hide the same counts', async () => {
		const dims: Dimension[] = ['group', 'district', 'channel', 'gender', 'disability', 'age'];
		const failures: string[] = [];
		for (const qs of ['', 'district=bromsgrove', 'group=child'])
			for (const [i, a] of dims.entries())
				for (const b of dims.slice(i + 1)) {
					const f = await analysisFilters(fresh.db, fx.c, new URLSearchParams(qs));
					const one = (x: Dimension, y: Dimension) =>
						tableById(fresh.db, fx.c, f, 'crosstab', new URLSearchParams(`a=${x}&b=${y}&percent=none`), '/b');
					const ab = (await one(a, b))!;
					const ba = (await one(b, a))!;
					const hiddenBa = new Set(
						ba.rows.flatMap((r) => r.cells.flatMap((c, j) => (c.suppressed ? [`${ba.columns[j].key}|${r.key}`] : [])))
					);
					for (const r of ab.rows)
						r.cells.forEach((c, j) => {
							const k = `${r.key}|${ab.columns[j].key}`;
							if (!!c.suppressed !== hiddenBa.has(k)) failures.push(`${qs || 'unfiltered'} ${a} × ${b}: ${k}`);
						});
				}
		console.log(`${engine} transpose: ${failures.length} differ\n${failures.slice(0, 20).join('\n')}`);
		expect(failures).toEqual([]);
	}, 600_000);

	const { view } = siblingViews(() => ({ fresh, fx }), { crosstabs: [], min: MIN });

	// 23 read off on the demo-like data while wider.ts knownZeros and askedFromChannels were behind a switch (a
	// one-district view's Disability hid "Total asked" that its Gender showed); both are always on now.
	it('"Total asked" and "Not asked": none hidden in one equality table and shown in another, nothing worked out', async () => {
		const districts = [...fx.c.districts.map((d) => d.code), 'unknown'];
		const groups = [...fx.c.groups.map((g) => g.code), 'unknown'];
		const queries = [
			'',
			...districts.map((d) => `district=${d}`),
			...groups.map((g) => `group=${g}`),
			...[...CHANNELS].map((c) => `channel=${c}`),
			...districts.flatMap((d) => groups.map((g) => joinQuery(`district=${d}`, `group=${g}`)))
		];
		const failures: string[] = [];
		for (const qs of queries) failures.push(...equalityTotalsFailures(await view(qs), MIN, qs || 'unfiltered'));
		console.log(`${engine} equality totals: ${failures.length} recovered\n${failures.slice(0, 40).join('\n')}`);
		expect(failures).toEqual([]);
	}, 1_800_000);
});
