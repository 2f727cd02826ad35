/**
 * The fast path for sibling families (aggregates.ts `sliced`): a filtered view's siblings (every
 * district, group, channel or question) read from one grouped query instead of one query each.
 * What a page shows must not change: every table of every view (dashboard, each question's
 * themes, cross-tabs), protected against its wider and sibling views, is compared with the tables
 * of one query per sibling (ANALYSIS_FAMILY_BATCH=off), on random filter sets and on every member
 * of the district family, on both engines.
 */
import { expect, it } from 'vitest';
import { describeEachEngine } from './helpers/databases';
import { demoLikeSuite } from './helpers/demo-like';
import { viewTables } from './fixtures/analysis/demo-like';
import { parseFilters } from '../src/lib/analysis/filters';
import { seededRandom } from '../src/lib/util/random';
import { cachePairsEnv, pathHandles } from './helpers/path-handles';

const CROSSTABS = ['a=group&b=district&percent=row', 'a=district&b=disability&percent=row'];

describeEachEngine('sibling families in one grouped query', (engine) => {
	// Every view computed from the data, never from the result cache of the other path: each path on its own handle
	// to the database, whose analysis cache entries the other never sees (tests/helpers/path-handles.ts). The cache is
	// on so that the district family's shared work (its wider views and sibling rounds) is done once per path, not
	// once per district; TEST_CACHE_PAIRS=off turns it off with one handle for both, as before.
	const data = demoLikeSuite(engine, { env: cachePairsEnv(), restore: ['ANALYSIS_FAMILY_BATCH'] });
	const handles = pathHandles(() => data);

	/** Every table of the view, each as JSON: with the grouped queries, and with one query per sibling. */
	async function bothPaths(qs: string) {
		const filters = parseFilters(new URLSearchParams(qs));
		process.env.ANALYSIS_FAMILY_BATCH = 'on';
		// One string per table: a failure names the tables that differ, not the whole page.
		const fast = (await viewTables(handles.on(), data.fx, filters, CROSSTABS)).map((t) => JSON.stringify(t));
		process.env.ANALYSIS_FAMILY_BATCH = 'off';
		const slow = (await viewTables(handles.off(), data.fx, filters, CROSSTABS)).map((t) => JSON.stringify(t));
		return { fast, slow };
	}

	it('every member of the district family shows the same tables as with a query per district', async () => {
		// A member the grouped query lost would show zeros (or its siblings' protection would change).
		for (const d of [...data.fx.c.districts.map((x) => x.code), 'unknown']) {
			const t = performance.now();
			const { fast, slow } = await bothPaths(`district=${d}`);
			console.log(`${engine} district=${d}: ${Math.round(performance.now() - t)} ms`);
			expect(fast, d).toEqual(slow);
		}
	}, 600_000);

	it('random filter sets show the same tables either way', async () => {
		const random = seededRandom(19);
		const pick = <T>(values: T[]): T | undefined =>
			random.next() < 0.5 ? undefined : values[Math.floor(random.next() * values.length)];
		const sets: string[] = [];
		// At most two of the sibling filters: three multiply into families too slow for a test file.
		for (let i = 0; sets.length < 4; i++) {
			const p = new URLSearchParams();
			const values: [string, string[]][] = [
				['question', data.fx.c.questions.map((q) => q.key)],
				['group', [...data.fx.c.groups.map((g) => g.code), 'unknown']],
				['district', [...data.fx.c.districts.map((d) => d.code), 'unknown']],
				['channel', ['online', 'library', 'face-to-face']]
			];
			for (const [k, list] of values) {
				const v = pick(list);
				if (v !== undefined) p.set(k, v);
			}
			if ([...p.keys()].length > 2 || [...p.keys()].length === 0) continue;
			if (random.next() < 0.3) p.set('min', String(3 + Math.floor(random.next() * 8)));
			sets.push(p.toString());
		}
		for (const qs of sets) {
			const t = performance.now();
			const { fast, slow } = await bothPaths(qs);
			console.log(`${engine} ${qs}: ${Math.round(performance.now() - t)} ms`);
			expect(fast, qs).toEqual(slow);
		}
	}, 600_000);
});
