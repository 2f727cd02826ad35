/**
 * Recoding is resumable: a recode stopped between chunks (the server shutting down) leaves its
 * progress stored, and the next recode of the same question continues after the last answer it
 * wrote instead of starting again, on both engines.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { until } from './helpers/wait';
import { SLUG } from './helpers/consultation';
import { getConsultation } from '../src/lib/server/consultations/queries';
import { codingJobState, recodeQuestion, stopBackgroundCoding } from '../src/lib/server/coding/index';
import { rebuildAggregates } from '../src/lib/server/analysis/aggregates';
import { envSwitch } from '../src/lib/analysis/switches';

const ANSWERS = 6000;
const WORDS = ['more buses', 'safe parks', 'a youth club', 'cheaper swimming', 'help with homework', 'my friends'];

describeEachEngine('resumable recoding', (engine) => {
	let fresh: FreshDb;
	let questionId = 0;
	beforeAll(async () => {
		fresh = await preparedDatabase(engine);
		const c = (await getConsultation(fresh.db, SLUG))!;
		questionId = c.questions.find((q) => q.key === 'q2')!.id;
		const at = '2017-06-01T10:00:00.000Z';
		// PostgreSQL: the rows go in with the row triggers off, in one transaction, and the aggregates are then rebuilt
		// from them, as the bulk generator does (scripts/generate-answers.ts): fired per row, the triggers took 60–120 s
		// for these 18,000 rows under CI's load (the hook timed out at 120 s), the inserts under 2 s here. The same rows
		// and aggregates either way; TEST_RESUME_BULK=off fires the triggers as before. SQLite fires them (about 1 s).
		const bulk = engine === 'postgres' && envSwitch('TEST_RESUME_BULK') !== 'off';
		await fresh.db.transaction().execute(async (tx) => {
			if (bulk) await sql`set local session_replication_role = replica`.execute(tx);
			await sql`
				WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${ANSWERS})
				INSERT INTO submission (id, consultation_id, reference, channel, district_code, is_demo, eq_age_band,
					eq_gender, eq_disability, eq_ethnicity, eq_sexual_orientation, created_at, updated_at)
				SELECT 'r-' || CAST(i AS TEXT), ${c.id}, 'R' || CAST(i AS TEXT), 'online', NULL, 1, 'not_asked', 'not_asked',
					'not_asked', 'not_asked', 'not_asked', ${at}, ${at}
				FROM n`.execute(tx);
			await sql`INSERT INTO perspective (submission_id, group_code, position)
				SELECT id, 'young_person', 0 FROM submission WHERE id LIKE 'r-%'`.execute(tx);
			const cases = WORDS.map((w, i) => `WHEN ${i} THEN '${w}'`).join(' ');
			await sql`INSERT INTO answer (submission_id, perspective_id, question_id, text, redacted_text, created_at, updated_at)
				SELECT p.submission_id, p.id, ${questionId},
					'we need ' || CASE MOD(p.id, ${WORDS.length}) ${sql.raw(cases)} END || ' ' || CAST(p.id AS TEXT), NULL, ${at}, ${at}
				FROM perspective p WHERE p.submission_id LIKE 'r-%'`.execute(tx);
		});
		if (bulk) {
			await rebuildAggregates(fresh.db, { skipRowTriggers: true });
			// The data version's trigger was off too (the analysis cache keys on it).
			await fresh.db
				.updateTable('data_version')
				.set({ version: sql<number>`version + 1` })
				.where('id', '=', 1)
				.execute();
		}
	}, 120_000);
	afterAll(async () => {
		await stopBackgroundCoding(); // also stops the engine's worker thread
		await fresh?.drop();
	});

	const codedAt = async () =>
		new Map(
			(
				await fresh.db
					.selectFrom('answer')
					.select(['id', 'coded_at'])
					.where('question_id', '=', questionId)
					.where('coded_at', 'is not', null)
					.execute()
			).map((r) => [r.id, r.coded_at])
		);

	it('stops between chunks keeping its progress, and the next recode continues from there', async () => {
		const total = ANSWERS;
		const stop = new AbortController();
		const first = recodeQuestion(fresh.db, questionId, stop.signal);
		await until(
			() => (codingJobState()?.kind === 'recoding' ? codingJobState()!.done : 0) >= 100,
			'a chunk is written'
		);
		stop.abort();
		const firstCoded = await first;
		expect(firstCoded).toBeGreaterThanOrEqual(100);
		expect(firstCoded).toBeLessThan(total);
		const saved = await fresh.db
			.selectFrom('coding_progress')
			.select(['after_id', 'done'])
			.where('question_id', '=', questionId)
			.executeTakeFirstOrThrow();
		expect(saved.done).toBe(firstCoded);
		const before = await codedAt();
		expect(before.size).toBe(firstCoded);
		expect(Math.max(...before.keys())).toBe(saved.after_id);

		// "Restart": the next recode of the same question with the same codebook continues.
		const secondCoded = await recodeQuestion(fresh.db, questionId);
		expect(secondCoded).toBe(total - firstCoded);
		const after = await codedAt();
		expect(after.size).toBe(total);
		// The answers coded before the stop were not coded again.
		for (const [id, at] of before) expect(after.get(id)).toBe(at);
		expect(
			await fresh.db.selectFrom('coding_progress').select('question_id').where('question_id', '=', questionId).execute()
		).toEqual([]);
		// A recode started from scratch (no progress stored) codes every answer again.
		expect(await recodeQuestion(fresh.db, questionId)).toBe(total);
	}, 240_000);
});
