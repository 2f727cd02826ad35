/**
 * A random small consultation for the disclosure audit (tests/disclosure-random.test.ts): the small fixture plus
 * 30 to 80 submissions with random districts, respondent types, channels, days and equality answers, from a
 * seeded generator so that a failure can be replayed.
 */
import type { preparedDatabase } from './databases';
import { fixtureDatabase } from './fixture-templates';
import { loadSmallFixture } from '../fixtures/analysis/small';
import type { DemoLike } from './demo-like';
import { saveSubmission } from '../../src/lib/server/submissions/save';
import { seededRandom } from '../../src/lib/util/random';

/** A random small consultation on top of the small fixture: 30 to 80 submissions, skewed at random. */
export async function randomConsultation(
	engine: Parameters<typeof preparedDatabase>[0],
	seed: number
): Promise<DemoLike> {
	// The small fixture from the run's template of it (tests/helpers/fixture-templates.ts), or loaded here.
	const { fresh, value: fx } = await fixtureDatabase(engine, 'small', (f) => loadSmallFixture(f.db));
	try {
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
