/**
 * The grouped commit writes each new submission's and perspective's question set with the row (submissions/save.ts,
 * storeSubmissions; issue 18), so that the answers' insert trigger (migration 2026-12-09-0400 on SQLite) has nothing
 * to move: the rows are counted once, under their final sets, instead of being moved through every partial set
 * ('' → '|1|' → '|1|2|' …), which left counts at zero behind. A claim that is wrong is put right in the same
 * commit (settleQuestionSets on SQLite; PostgreSQL's statement-end trigger). Both engines, against a rebuild.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { SLUG } from './helpers/consultation';
import { getConsultation, type ConsultationView } from '../src/lib/server/consultations/queries';
import {
	equalityColumns,
	settleQuestionSets,
	storeSubmissions,
	type SaveItem
} from '../src/lib/server/submissions/save';
import { rebuildAggregates } from '../src/lib/server/analysis/aggregates';
import type { SubmissionInput } from '../src/lib/schemas/submission';
import type { Db } from '../src/lib/server/db/connect';
import { comparableRows, type Row } from './helpers/aggregates';

const QS_TABLES = [
	'analysis_agg_question_set',
	'analysis_agg_question_set_perspective',
	'analysis_agg_question_set_equality'
] as const;

/** The question-set counts (rows at zero apart) and the sets themselves. */
async function counted(db: Db) {
	const out: Record<string, Row[]> = {};
	for (const t of QS_TABLES)
		out[t] = comparableRows(await db.selectFrom(t).selectAll().execute()).filter((r) => r.n !== 0);
	out.sets = comparableRows(await db.selectFrom('submission').select(['id', 'question_set']).execute());
	out.perspectiveSets = comparableRows(await db.selectFrom('perspective').select(['id', 'question_set']).execute());
	return out;
}

/** Count rows left at zero: a row moved from one set to another leaves one behind. */
async function zeros(db: Db): Promise<number> {
	let n = 0;
	for (const t of QS_TABLES)
		n += Number(
			(await db
				.selectFrom(t)
				.select((e) => e.fn.countAll().as('n'))
				.where('n', '=', 0)
				.executeTakeFirst())!.n
		);
	return n;
}

const inputs = (): SubmissionInput[] =>
	[
		{
			id: randomUUID(),
			district: 'wychavon',
			perspectives: [
				{ group: 'young_person', answers: { q1: 'Somewhere safe', q3: 'More buses', q2: '   ' } },
				// The same group twice: a second group would move the submission between group sets (0500's trigger).
				{ group: 'young_person', answers: { q2: 'Cheaper activities' } }
			],
			about: { ageBand: '18-24' }
		},
		{ id: randomUUID(), district: 'redditch', perspectives: [{ group: 'child', answers: { q2: 'A park' } }] },
		{ id: randomUUID(), perspectives: [{ group: 'child', answers: {} }] }
	] as never;

describeEachEngine('question sets claimed by the grouped commit', (engine) => {
	let fresh: FreshDb;
	let c: ConsultationView;

	beforeAll(async () => {
		fresh = await preparedDatabase(engine);
		c = (await getConsultation(fresh.db, SLUG))!;
	}, 120_000);
	afterAll(() => fresh?.drop());

	it('counts each new row once, under its final set, as a rebuild counts it', async () => {
		const before = await zeros(fresh.db);
		const batch = inputs();
		await fresh.db.transaction().execute((tx) =>
			storeSubmissions(
				tx,
				batch.map((input): SaveItem => ({ consultation: c, input, meta: { channel: 'online' } }))
			)
		);
		const q = new Map(c.questions.map((x) => [x.key, x.id]));
		const set = (...keys: string[]) =>
			`|${keys
				.map((k) => q.get(k)!)
				.sort((a, b) => a - b)
				.join('|')}|`;
		const sets = await fresh.db
			.selectFrom('submission')
			.select(['id', 'question_set'])
			.where(
				'id',
				'in',
				batch.map((b) => b.id)
			)
			.execute();
		expect(new Map(sets.map((s) => [s.id, s.question_set]))).toEqual(
			new Map([
				[batch[0].id, set('q1', 'q2', 'q3')],
				[batch[1].id, set('q2')],
				[batch[2].id, '']
			])
		);
		// Nothing was counted under a partial set and moved on (that leaves a row at zero).
		expect(await zeros(fresh.db)).toBe(before);
		const kept = await counted(fresh.db);
		await rebuildAggregates(fresh.db);
		expect(await counted(fresh.db)).toEqual(kept);
	});

	it('puts a wrong claim right in the same commit', async () => {
		const id = randomUUID();
		const [q1, q2] = c.questions.map((x) => x.id);
		const now = new Date().toISOString();
		await fresh.db.transaction().execute(async (tx) => {
			const row = { id, consultation_id: c.id, reference: id.slice(0, 8), channel: 'online' as const };
			const eq = equalityColumns({ perspectives: [] } as never, 'online');
			await tx
				.insertInto('submission')
				.values({
					...row,
					...eq,
					group_set: '|child|',
					question_set: `|${q1}|${q2}|`,
					created_at: now,
					updated_at: now
				})
				.execute();
			const { id: pid } = await tx
				.insertInto('perspective')
				.values({ submission_id: id, group_code: 'child', position: 0, question_set: `|${q1}|${q2}|` })
				.returning('id')
				.executeTakeFirstOrThrow();
			// Only q1 is answered: the claim of q2 is wrong.
			await tx
				.insertInto('answer')
				.values({
					submission_id: id,
					perspective_id: pid,
					question_id: q1,
					text: 'x',
					created_at: now,
					updated_at: now
				})
				.execute();
			await settleQuestionSets(tx, 'perspective', [pid]);
			await settleQuestionSets(tx, 'submission', [id]);
		});
		const s = await fresh.db
			.selectFrom('submission')
			.select('question_set')
			.where('id', '=', id)
			.executeTakeFirstOrThrow();
		expect(s.question_set).toBe(`|${q1}|`);
		const kept = await counted(fresh.db);
		await rebuildAggregates(fresh.db);
		expect(await counted(fresh.db)).toEqual(kept);
	});
});
