/**
 * Many submissions stored in one go (storeSubmissions: the survey's grouped commit and each chunk of an import
 * write one multi-row insert per table, issue 18): each is stored exactly as saveSubmission stores it on its own,
 * a resend is a replay, not a second row, and the aggregates the analysis reads count each submission once.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { SLUG } from './helpers/consultation';
import { rowIdsOf } from './helpers/client-ids';
import { getConsultation, type ConsultationView } from '../src/lib/server/consultations/queries';
import {
	saveSubmission,
	storeSubmissions,
	SubmissionConflictError,
	type SaveItem
} from '../src/lib/server/submissions/save';
import { saveOnline } from '../src/lib/server/survey/writer';
import { referenceFor } from '../src/lib/server/submissions/reference';
import type { SubmissionInput } from '../src/lib/schemas/submission';
import { saveConsultation } from '../src/lib/server/consultations/builder';
import { blankDefinition } from '../src/lib/domain/consultation-form';

const input = (id: string, district: string, answers: Record<string, string>[]): SubmissionInput =>
	({
		id,
		district,
		perspectives: answers.map((a, i) => ({ group: i === 0 ? 'young_person' : 'parent_carer', answers: a })),
		about: { ageBand: '18-24' }
	}) as never;

describeEachEngine('storing many submissions in one go', (engine) => {
	let fresh: FreshDb;
	let c: ConsultationView;

	beforeAll(async () => {
		fresh = await preparedDatabase(engine);
		c = (await getConsultation(fresh.db, SLUG))!;
	}, 120_000);
	afterAll(() => fresh?.drop());

	const storeAll = (items: SaveItem[]) => fresh.db.transaction().execute((tx) => storeSubmissions(tx, items));

	const count = async (table: 'submission' | 'perspective' | 'answer', ids: string[]) =>
		Number(
			(
				await fresh.db
					.selectFrom(table)
					.select((eb) => eb.fn.countAll().as('n'))
					.where(table === 'submission' ? 'id' : 'submission_id', 'in', ids)
					.executeTakeFirstOrThrow()
			).n
		);

	it('stores each once, with its own answers; a resend in the same call or later is a replay', async () => {
		const [a, b, d] = [randomUUID(), randomUUID(), randomUUID()];
		await saveSubmission(fresh.db, c, input(d, 'redditch', [{ q1: 'Stored earlier' }]), { channel: 'online' });
		const results = await storeAll([
			{
				consultation: c,
				input: input(a, 'wychavon', [{ q1: 'Buses', q2: 'Parks' }, { q3: 'Youth club' }]),
				meta: { channel: 'online' }
			},
			{ consultation: c, input: input(b, 'redditch', [{ q2: 'A safe place' }]), meta: { channel: 'online' } },
			// A double tap that reached the same grouped commit, and a resend of one stored before.
			{
				consultation: c,
				input: input(a, 'wychavon', [{ q1: 'Buses', q2: 'Parks' }, { q3: 'Youth club' }]),
				meta: { channel: 'online' }
			},
			{ consultation: c, input: input(d, 'redditch', [{ q1: 'Stored earlier' }]), meta: { channel: 'online' } }
		]);
		expect(results.map((r) => (r instanceof SubmissionConflictError ? r : [r.id, r.status, r.reference]))).toEqual([
			[a, 'created', referenceFor(a)],
			[b, 'created', referenceFor(b)],
			[a, 'replayed', referenceFor(a)],
			[d, 'replayed', referenceFor(d)]
		]);
		expect(await count('submission', [a, b, d])).toBe(3);
		expect(await count('perspective', [a, b, d])).toBe(4);
		expect(await count('answer', [a, b, d])).toBe(5);
		// Each answer under its own submission, perspective and question.
		const rows = await fresh.db
			.selectFrom('answer')
			.innerJoin('perspective', 'perspective.id', 'answer.perspective_id')
			.innerJoin('question', 'question.id', 'answer.question_id')
			.select([
				'answer.submission_id',
				'perspective.position',
				'perspective.submission_id as ps',
				'question.key',
				'answer.text'
			])
			.where('answer.submission_id', 'in', [a, b])
			.execute();
		expect(rows.every((r) => r.ps === r.submission_id)).toBe(true);
		expect(rows.map((r) => `${r.submission_id === a ? 'a' : 'b'}${r.position}${r.key}:${r.text}`).sort()).toEqual(
			['a0q1:Buses', 'a0q2:Parks', 'a1q3:Youth club', 'b0q2:A safe place'].sort()
		);
		// The submission counts the analysis reads: one each.
		const agg = await fresh.db
			.selectFrom('analysis_agg_submission')
			.select(['district_code', 'n'])
			.where('consultation_id', '=', c.id)
			.where('channel', '=', 'online')
			.execute();
		const total = (district: string) =>
			agg.filter((r) => r.district_code === district).reduce((s, r) => s + Number(r.n), 0);
		const stored = async (district: string) =>
			Number(
				(
					await fresh.db
						.selectFrom('submission')
						.select((eb) => eb.fn.countAll().as('n'))
						.where('consultation_id', '=', c.id)
						.where('channel', '=', 'online')
						.where('district_code', '=', district)
						.executeTakeFirstOrThrow()
				).n
			);
		expect(total('wychavon')).toBe(await stored('wychavon'));
		expect(total('redditch')).toBe(await stored('redditch'));
	});

	it('refuses only the submission whose UUID already belongs to another consultation', async () => {
		await saveConsultation(fresh.db, blankDefinition('batch-other', 'Another survey', 'Anyshire Council'), null, null);
		const other = (await getConsultation(fresh.db, 'batch-other'))!.id;
		const taken = randomUUID();
		await saveSubmission(fresh.db, { id: other, questions: [] }, input(taken, 'redditch', []), { channel: 'online' });
		const fine = randomUUID();
		const results = await storeAll([
			{ consultation: c, input: input(fine, 'redditch', [{ q1: 'Fine' }]), meta: { channel: 'online' } },
			{ consultation: c, input: input(taken, 'redditch', [{ q1: 'Clash' }]), meta: { channel: 'online' } }
		]);
		expect(results[0]).toMatchObject({ id: fine, status: 'created' });
		expect(results[1]).toBeInstanceOf(SubmissionConflictError);
		expect(await count('submission', [fine])).toBe(1);
		// The clashing submission's answers are not added to the other consultation's row.
		expect(await count('answer', [taken])).toBe(0);
	});

	it('the grouped commit answers each of many submissions arriving together, one of them twice', async () => {
		const ids = Array.from({ length: 30 }, () => randomUUID());
		const sent = [...ids, ids[0]].map((id, i) =>
			saveOnline(fresh.db, c, input(id, 'wychavon', [{ q2: `Answer ${i % 30}` }]))
		);
		const results = await Promise.all(sent);
		expect(results.filter((r) => r.status === 'created')).toHaveLength(30);
		expect(results.filter((r) => r.status === 'replayed')).toHaveLength(1);
		// By the rows' ids: the server's own (time-ordered) for these random ids (submissions/client-ids.ts).
		const rows = await rowIdsOf(fresh.db, ids);
		expect(new Set(rows).size).toBe(30);
		expect(await count('submission', rows)).toBe(30);
		expect(await count('answer', rows)).toBe(30);
	});
});
