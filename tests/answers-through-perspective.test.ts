/**
 * Migration 2026-12-12-0400 has the aggregate triggers find "the answers of submission S" through S's perspectives.
 * A perspective's deletion deletes its answers by the foreign key's cascade, after the perspective row is gone: the
 * answers' own triggers (and the submission triggers their question-set update fires) then run while some answers of
 * the perspective still exist but no perspective row leads to them. Found by the aggregates property test
 * (tests/analysis-aggregates.test.ts: submit, delete-perspective, auto-code, edit-district, add-answer); these are
 * the same writes, fixed, on both engines: each must leave the kept aggregates as a rebuild gives them.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { expectRebuildUnchanged } from './helpers/aggregates';
import { loadSmallFixture, type Fixture } from './fixtures/analysis/small';
import { saveSubmission } from '../src/lib/server/submissions/save';
import { deleteByReference } from '../src/lib/server/retention/retention';
import { referenceFor } from '../src/lib/server/submissions/reference';

describeEachEngine("a perspective's answers deleted with it keep the aggregates", (engine) => {
	let fresh: FreshDb;
	let fx: Fixture;
	/** One theme of each question (the consultation's first three), made for these tests. */
	const themeOf = new Map<number, number>();
	const at = '2017-07-01T00:00:00.000Z';

	beforeAll(async () => {
		process.env.ANALYSIS_CACHE = 'off';
		fresh = await preparedDatabase(engine);
		fx = await loadSmallFixture(fresh.db);
		for (const [i, q] of fx.c.questions.slice(0, 3).entries()) {
			const row = await fresh.db
				.insertInto('theme')
				.values({
					question_id: q.id,
					code: `ltp-${i}`,
					label: `Through ${i}`,
					keywords: JSON.stringify([`ltp${i}`]),
					position: 200 + i,
					status: 'active',
					created_at: at,
					updated_at: at
				})
				.returning('id')
				.executeTakeFirstOrThrow();
			themeOf.set(q.id, row.id);
		}
	}, 120_000);
	afterAll(() => fresh?.drop());

	/** A submission with these groups' perspectives, each answering the first three questions, every answer coded. */
	async function coded(groups: string[], district = 'redditch'): Promise<string> {
		const db = fresh.db;
		const id = randomUUID();
		const keys = fx.c.questions.slice(0, 3).map((q) => q.key);
		await saveSubmission(
			db,
			fx.c,
			{
				id,
				district,
				perspectives: groups.map((group) => ({
					group,
					answers: Object.fromEntries(keys.map((k) => [k, `words for ${k}`]))
				})),
				about: null
			} as never,
			{ channel: 'online', createdAt: '2017-06-10T10:00:00.000Z' }
		);
		const answers = await db
			.selectFrom('answer')
			.select(['id', 'question_id'])
			.where('submission_id', '=', id)
			.execute();
		expect(answers.length).toBe(groups.length * keys.length);
		await db
			.insertInto('answer_theme')
			.values(
				answers.map((a) => ({
					answer_id: a.id,
					theme_id: themeOf.get(a.question_id)!,
					source: 'auto' as const,
					applies: 1,
					confidence: 0.9,
					user_id: null,
					updated_at: at
				}))
			)
			.execute();
		await expectRebuildUnchanged(db, 'after the coded submission');
		return id;
	}

	const perspectivesOf = async (id: string) =>
		(
			await fresh.db
				.selectFrom('perspective')
				.select('id')
				.where('submission_id', '=', id)
				.orderBy('position')
				.execute()
		).map((r) => r.id);

	it('one perspective of two deleted', async () => {
		const db = fresh.db;
		const id = await coded(['child', 'parent']);
		const [first] = await perspectivesOf(id);
		await db.deleteFrom('perspective').where('id', '=', first).execute();
		await expectRebuildUnchanged(db, 'after deleting the first of two perspectives');
		expect(await perspectivesOf(id)).toHaveLength(1);
	});

	it("a submission's only perspective deleted, then its group edited and an answer deleted elsewhere", async () => {
		const db = fresh.db;
		const id = await coded(['young_person']);
		const other = await coded(['child', 'parent'], 'wychavon');
		await db.deleteFrom('perspective').where('submission_id', '=', id).execute();
		await expectRebuildUnchanged(db, 'after deleting the only perspective');
		await db
			.updateTable('perspective')
			.set({ group_code: 'young_person' })
			.where('submission_id', '=', other)
			.execute();
		await expectRebuildUnchanged(db, 'after editing the group');
		const answer = await db
			.selectFrom('answer')
			.select('id')
			.where('submission_id', '=', other)
			.orderBy('id', 'desc')
			.executeTakeFirstOrThrow();
		await db.deleteFrom('answer').where('id', '=', answer.id).execute();
		await expectRebuildUnchanged(db, 'after deleting an answer');
	});

	it('every perspective of a submission deleted in one statement', async () => {
		const db = fresh.db;
		const id = await coded(['child', 'parent', 'young_person']);
		await db.deleteFrom('perspective').where('submission_id', '=', id).execute();
		await expectRebuildUnchanged(db, 'after deleting all three perspectives at once');
	});

	it('a submission deleted (its perspectives and answers by cascade)', async () => {
		const db = fresh.db;
		const id = await coded(['child', 'parent']);
		await deleteByReference(db, referenceFor(id));
		await expectRebuildUnchanged(db, 'after deleting the submission');
		await db
			.deleteFrom('submission')
			.where('id', '=', await coded(['parent', 'child']))
			.execute();
		await expectRebuildUnchanged(db, 'after deleting a submission by hand');
	});

	it('no perspective is left marked as leaving', async () => {
		// The marker rows live only while a perspective's deletion runs (migration 2026-12-12-0400).
		const rows = await fresh.db
			.selectFrom('perspective_leaving' as never)
			.selectAll()
			.execute();
		expect(rows).toEqual([]);
	});
});
