/** The equality audit's cross-tabs of the shaped consultations: gender by channel, week and district, and "Week by channel". */
export const EQUALITY_CROSSTABS = [
	'a=gender&b=channel&percent=none',
	'a=gender&b=week&percent=none',
	'a=gender&b=district&percent=none',
	'a=week&b=channel&percent=none'
];

/**
 * A random consultation shaped for the weeks and channels tables (issue #11, dis38): the small fixture plus 11 to 65
 * submissions of "Other interested person" and parents or carers in Wychavon, Redditch and Malvern Hills, few
 * face-to-face ones (library 0–5, school 0–4, event 3–22 against online 8–32), weighted at random across the three
 * weeks. The random audit's generator (disclosure-random.ts) spreads submissions over more districts and types; this
 * one puts small counts where the weeks table, "Responses by channel" and "Week by channel" share them. Seeded, so a
 * failure can be replayed.
 */
import { expect } from 'vitest';
import { preparedDatabase } from './databases';
import { loadSmallFixture } from '../fixtures/analysis/small';
import { siblingViews, type DemoLike } from './demo-like';
import { sameViewFailures } from './disclosure-families';
import type { TableData } from '../../src/lib/analysis/tables';
import { saveSubmission } from '../../src/lib/server/submissions/save';
import { seededRandom } from '../../src/lib/util/random';

export async function shapedConsultation(
	engine: Parameters<typeof preparedDatabase>[0],
	seed: number
): Promise<DemoLike> {
	const fresh = await preparedDatabase(engine);
	try {
		const fx = await loadSmallFixture(fresh.db);
		const r = seededRandom(seed * 7919 + 13);
		const counts = {
			online: 8 + r.int(25),
			library: r.int(6),
			school: r.next() < 0.5 ? 0 : r.int(5),
			event: 3 + r.int(20)
		};
		let i = 0;
		const districts = ['wychavon', 'redditch', 'malvern-hills'].filter((d) => fx.c.districts.some((x) => x.code === d));
		const dw = districts.map(() => 1 + r.int(5));
		const weekW = [1 + r.int(4), 1 + r.int(4), 1 + r.int(4)];
		for (const [channel, n] of Object.entries(counts) as [keyof typeof counts, number][])
			for (let k = 0; k < n; k++) {
				const week = r.weighted(weekW.map((w, j): [number, number] => [j, w]));
				await saveSubmission(
					fresh.db,
					fx.c,
					{
						id: `dddddddd-0000-4000-8000-${String(++i).padStart(12, '0')}`,
						district: r.weighted(districts.map((d, j): [string, number] => [d, dw[j]])),
						perspectives: [{ group: r.next() < 0.7 ? 'other' : 'parent_carer', answers: { q1: 'parks' } }],
						about: channel === 'online' ? { gender: r.pick(['female', 'male']) } : null
					} as never,
					{ channel, createdAt: new Date(Date.UTC(2017, 4, 22 + week * 7 + r.int(7), 10)).toISOString() }
				);
			}
		return { fresh, fx };
	} catch (error) {
		await fresh.drop();
		throw error;
	}
}

/**
 * Shaped seed `seed`'s unfiltered view with the equality cross-tabs, attacked with its equality tables in the
 * attacker's hands (nothing may be read off at `min` 5), then `check` on its shown tables; the database dropped after.
 */
export async function attackShapedEquality(
	engine: Parameters<typeof preparedDatabase>[0],
	seed: number,
	check: (tables: TableData[]) => void = () => {}
): Promise<void> {
	const min = 5;
	const data = await shapedConsultation(engine, seed);
	try {
		const { view } = siblingViews(() => data, { crosstabs: EQUALITY_CROSSTABS, min });
		const v = await view('');
		expect(sameViewFailures(v, min, 'unfiltered', undefined, { equality: true })).toEqual([]);
		check([...v.shown.values()]);
	} finally {
		await data.fresh.drop();
	}
}
