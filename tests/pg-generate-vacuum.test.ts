/**
 * PostgreSQL: a bulk load by the generator leaves its tables vacuumed (scripts/generate-answers.ts), so the first
 * views read all-visible pages through index-only scans instead of the heap, write no commit hints, and do not
 * read past the dead rows of the closing rebuild's update of every submission and perspective (at a million
 * answers two thirds of the submission table). Autovacuum would get there in its own time, or never where it is
 * off; the views are measured, and used, right after. Checked in pg_class (set by VACUUM, never by ANALYZE).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { preparedDatabase, TEST_DATABASE_URL, type FreshDb } from './helpers/databases';
import { generateAnswers } from '../scripts/generate-answers';

describe.skipIf(!TEST_DATABASE_URL)('generator on PostgreSQL', () => {
	let fresh: FreshDb;
	beforeAll(async () => {
		fresh = await preparedDatabase('postgres');
		await generateAnswers(fresh.db, { answers: 600, seed: 5 });
	}, 120_000);
	afterAll(() => fresh?.drop());

	it('leaves the loaded tables vacuumed: every page all-visible (so no dead rows left by the rebuild either)', async () => {
		const rows = (
			await sql<{ relname: string; relpages: number; relallvisible: number }>`
				select relname, relpages, relallvisible from pg_class
				where relname in ('answer', 'answer_theme', 'submission', 'perspective') and relkind = 'r'
				order by relname`.execute(fresh.db)
		).rows;
		expect(rows.map((r) => r.relname)).toEqual(['answer', 'answer_theme', 'perspective', 'submission']);
		for (const r of rows) {
			expect(r.relpages, r.relname).toBeGreaterThan(0);
			expect(r.relallvisible, r.relname).toBe(r.relpages);
		}
	});
});
