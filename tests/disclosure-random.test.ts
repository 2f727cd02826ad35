/**
 * The joint check as an audit over random data (issue #11): random small consultations (the small fixture
 * plus a few dozen submissions with random districts, respondent types, channels, days and equality
 * answers, from a seeded generator so a failure can be replayed), and on each every attack the demo-like
 * tests make: every view family of two sibling filters (district × group, district × channel, group ×
 * channel) solved as one system (attackGrid), and every table that is a line of a wider cross-tab set
 * beside it (lineFailures). Both engines. Run with DISCLOSURE_AUDIT=1; DISCLOSURE_SEEDS="3,4,5" replays or widens the seeds (seed
 * modulo 3 picks the family).
 */
import { expect, it } from 'vitest';
import { describeEachEngine, preparedDatabase } from './helpers/databases';
import { loadSmallFixture } from './fixtures/analysis/small';
import { joinQuery, siblingViews, type DemoLike } from './helpers/demo-like';
import { equalityTotalsFailures, gridFailures, lineFailures } from './helpers/disclosure-families';
import { saveSubmission } from '../src/lib/server/submissions/save';
import { seededRandom } from '../src/lib/util/random';
import type { Dimension } from '../src/lib/analysis/dimensions';
import type { TableData } from '../src/lib/analysis/tables';
import { CROSS_TAB_LINES, tableById } from '../src/lib/server/analysis/registry';
import { analysisFilters } from '../src/lib/server/analysis/scope';

const MIN = 5;
const SEEDS = (process.env.DISCLOSURE_SEEDS ?? '1,2,3').split(',').map(Number);
const FAMILIES = [
	['district', 'group'],
	['district', 'channel'],
	['group', 'channel']
] as const;
const CROSSTABS = [
	'a=group&b=district&percent=row',
	'a=district&b=channel&percent=none',
	'a=week&b=channel&percent=none'
];

/** A random small consultation on top of the small fixture: 30 to 80 submissions, skewed at random. */
async function randomConsultation(engine: Parameters<typeof preparedDatabase>[0], seed: number): Promise<DemoLike> {
	const fresh = await preparedDatabase(engine);
	try {
		const fx = await loadSmallFixture(fresh.db);
		const r = seededRandom(seed);
		const weights = (n: number) => Array.from({ length: n }, () => (r.next() < 0.3 ? 0.2 : 1 + r.int(6)));
		const groups = fx.c.groups.map((g) => g.code);
		const districts = fx.c.districts.map((d) => d.code);
		const channels = ['online', 'library', 'school', 'event'] as const;
		const wg = weights(groups.length);
		const wd = weights(districts.length);
		const wc = weights(channels.length);
		const of = <T>(list: readonly T[], w: number[]) => r.weighted(list.map((v, i): [T, number] => [v, w[i]]));
		const n = 30 + r.int(51);
		for (let i = 0; i < n; i++) {
			const channel = of(channels, wc);
			const first = of(groups, wg);
			const perspectives = [{ group: first, answers: { q1: 'family and school' } }];
			if (channel === 'online' && r.next() < 0.1)
				perspectives.push({ group: groups.find((g) => g !== first)!, answers: { q1: 'friends' } });
			const about =
				channel === 'online'
					? {
							gender: r.pick(['female', 'male', 'prefer_not_to_say']),
							disability: r.pick(['yes', 'no', 'no', 'no']),
							ageBand: r.pick(['under-13', '13-15', '18-24', '35-49'])
						}
					: null;
			await saveSubmission(
				fresh.db,
				fx.c,
				{
					id: `bbbbbbbb-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
					district: r.next() < 0.05 ? null : of(districts, wd),
					perspectives,
					about
				} as never,
				{ channel, createdAt: new Date(Date.UTC(2017, 4, 22 + r.int(21), 10)).toISOString() }
			);
		}
		return { fresh, fx };
	} catch (error) {
		await fresh.drop();
		throw error;
	}
}

describeEachEngine('disclosure control: the joint attacks over random consultations', (engine) => {
	for (const seed of SEEDS)
		// An audit, not part of every run: tens of minutes per seed at the load of a shared machine, and it
		// still finds zeros (docs/analysis.md, "What is not covered"). DISCLOSURE_AUDIT=1 runs it.
		it.skipIf(!process.env.DISCLOSURE_AUDIT)(
			`seed ${seed}: no hidden count is recovered by any family or cross-tab line`,
			async () => {
				const data = await randomConsultation(engine, seed);
				try {
					const { view } = siblingViews(() => data, { crosstabs: CROSSTABS, min: MIN });
					const { fx } = data;
					const values: Record<string, string[]> = {
						district: [...fx.c.districts.map((d) => d.code), 'unknown'],
						group: [...fx.c.groups.map((g) => g.code), 'unknown'],
						channel: ['online', 'library', 'school', 'event', 'paper', 'import']
					};
					const failures: string[] = [];
					// One family per seed, in turn (each is a few minutes on a loaded machine).
					const [a, b] = FAMILIES[seed % FAMILIES.length];
					const grid = await gridFailures(view, MIN, a, values[a], b, values[b]);
					failures.push(...grid.failures, ...grid.published);
					// Each one-filter view's tables beside the unfiltered cross-tab they are a line of.
					const cross = new Map<string, { shown: TableData; truth: TableData }>();
					const crossOf = async (x: Dimension, y: Dimension) => {
						const k = `a=${x}&b=${y}&percent=none`;
						if (!cross.has(k)) {
							const build = async (qs: string) =>
								(await tableById(
									data.fresh.db,
									fx.c,
									await analysisFilters(data.fresh.db, fx.c, new URLSearchParams(qs)),
									'crosstab',
									new URLSearchParams(k),
									'/b'
								))!;
							cross.set(k, { shown: await build(''), truth: await build('min=0') });
						}
						return cross.get(k)!;
					};
					for (const [by, list] of Object.entries(values))
						for (const v of list) {
							const w = await view(joinQuery(`${by}=${v}`));
							failures.push(...equalityTotalsFailures(w, MIN, `${by}=${v}`));
							for (const [name, t] of w.shown) {
								const decl = CROSS_TAB_LINES[t.id];
								if (!decl || decl.dimension === by) continue;
								const key = (k: string) => (k === '_total' ? k : (decl.key?.(k) ?? k));
								failures.push(
									...lineFailures(
										{ shown: t, truth: w.truth.get(name)! },
										await crossOf(by as Dimension, decl.dimension),
										(k) => `${v}|${key(k)}`,
										decl.column,
										MIN,
										`${by}=${v} ${t.id}`
									)
								);
							}
						}
					console.log(`${engine} seed ${seed}: ${failures.length} recovered\n${failures.slice(0, 40).join('\n')}`);
					expect(failures).toEqual([]);
				} finally {
					await data.fresh.drop();
				}
			},
			3_600_000
		);
});
