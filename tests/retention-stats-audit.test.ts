/**
 * PostgreSQL keeps samples of column values outside the table: ANALYZE writes a column's most common values and
 * a histogram to pg_statistic (read through pg_stats), and they stay there until the next ANALYZE. After
 * retention or deletion on request the words must leave those too (reclaimSpace runs VACUUM (ANALYZE) on the
 * tables it touched). PostgreSQL only: SQLite's sqlite_stat1 holds counts, no values.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { preparedDatabase, TEST_DATABASE_URL, type FreshDb } from './helpers/databases';
import { getConsultation } from '../src/lib/server/consultations/queries';
import { saveSubmission } from '../src/lib/server/submissions/save';
import { submissionSchema } from '../src/lib/schemas/submission';
import { applyRetention, deleteByReference } from '../src/lib/server/retention/retention';
import { SLUG } from './helpers/consultation';

describe.skipIf(!TEST_DATABASE_URL)('retention audit: planner statistics [postgres]', () => {
	let fresh: FreshDb;
	beforeAll(async () => {
		fresh = await preparedDatabase('postgres');
	});
	afterAll(() => fresh?.drop());

	/** Tables and columns whose planner statistics (most common values, histogram) show the word. */
	async function statsHolding(word: string): Promise<string[]> {
		const r = await sql<{ at: string }>`
			select tablename || '.' || attname as at from pg_stats
			where schemaname = 'public'
			and (coalesce(most_common_vals::text, '') like ${'%' + word + '%'}
			  or coalesce(histogram_bounds::text, '') like ${'%' + word + '%'})
			order by 1`.execute(fresh.db);
		return r.rows.map((x) => x.at);
	}

	async function submitMany(text: string, n: number) {
		const c = (await getConsultation(fresh.db, SLUG))!;
		const refs: string[] = [];
		for (let i = 0; i < n; i++)
			refs.push(
				(
					await saveSubmission(
						fresh.db,
						c,
						submissionSchema.parse({
							id: randomUUID(),
							perspectives: [{ group: 'child', answers: { q1: text } }],
							about: { gender: 'self-describe', genderSelfDescribe: text }
						}),
						{ channel: 'online' }
					)
				).reference
			);
		return refs;
	}

	it('after deletion on request, the words are gone from pg_stats', async () => {
		const word = 'Thistlewhorl';
		const refs = await submitMany(`${word} lives at home`, 6);
		await submitMany('more buses please', 3);
		await sql`analyze`.execute(fresh.db);
		expect(await statsHolding(word)).toEqual(expect.arrayContaining(['answer.text', 'submission.eq_gender_self']));
		for (const ref of refs) expect(await deleteByReference(fresh.db, ref)).not.toBeNull();
		expect(await statsHolding(word)).toEqual([]);
	});

	it('after retention, the words are gone from pg_stats', async () => {
		const word = 'Corvellian';
		await submitMany(`${word} is my name`, 6);
		await sql`analyze`.execute(fresh.db);
		expect(await statsHolding(word)).toEqual(expect.arrayContaining(['answer.text', 'submission.eq_gender_self']));
		await applyRetention(fresh.db, { now: new Date('2028-01-01T12:00:00Z') });
		expect(await statsHolding(word)).toEqual([]);
	});
});
