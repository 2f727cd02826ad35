/**
 * The analysis bench scores the generated answers before timing the views; on PostgreSQL that rewrite left one
 * dead version of every answer behind (the bench's server runs without autovacuum), and the views then measured
 * the dead rows. After `backfillThenVacuum` the rescored `answer` table has no dead versions left and its
 * statistics are fresh; on SQLite it only scores.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { submitResponse } from '../src/lib/server/survey/submit';
import { SCORING_VERSION } from '../src/lib/safeguarding/version';
import { BACKFILL_TABLES, backfillThenVacuum } from '../scripts/bench/lib/backfill-vacuum';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { SLUG } from './helpers/consultation';

describeEachEngine('the analysis bench vacuums what the risk-score backfill rewrote', (engine) => {
	let fresh: FreshDb;

	beforeEach(async () => {
		fresh = await preparedDatabase(engine);
		for (const district of ['wychavon', 'redditch'])
			expect(
				(
					await submitResponse(fresh.db, SLUG, {
						id: randomUUID(),
						district,
						perspectives: [
							{ group: 'young_person', answers: { q1: 'More buses', q2: 'i get bored at home', q3: 'A skate park' } }
						],
						about: null
					})
				).kind
			).toBe('created');
		// As the generator leaves them: no score yet.
		await fresh.db.updateTable('answer').set({ risk_score: null, risk_version: null }).execute();
	}, 120_000);
	afterEach(async () => {
		await fresh?.drop();
	});

	it('scores every answer, and on PostgreSQL leaves no dead answer rows and analysed tables', async () => {
		const answers = (await fresh.db.selectFrom('answer').select('id').execute()).length;
		const { scored, vacuumMs } = await backfillThenVacuum(fresh.db, 2);
		expect(scored).toBe(answers);
		const versions = await fresh.db.selectFrom('answer').select('risk_version').execute();
		expect(versions.every((a) => a.risk_version === SCORING_VERSION)).toBe(true);
		if (engine === 'sqlite') {
			expect(vacuumMs).toBeNull();
			return;
		}
		expect(vacuumMs).not.toBeNull();
		// Counted from the table's pages, not from the statistics collector (which reports on its own schedule).
		await sql`create extension if not exists pgstattuple`.execute(fresh.db);
		const dead = await sql<{ dead: string }>`select dead_tuple_count as dead from pgstattuple('answer')`.execute(
			fresh.db
		);
		expect(Number(dead.rows[0].dead)).toBe(0);
		const stats = await sql<{ relname: string; analysed: boolean }>`
			select relname, last_analyze is not null as analysed from pg_stat_user_tables
			where relname in (${sql.join([...BACKFILL_TABLES])}) order by relname`.execute(fresh.db);
		expect(stats.rows).toEqual([...BACKFILL_TABLES].sort().map((relname) => ({ relname, analysed: true })));
	});
});
