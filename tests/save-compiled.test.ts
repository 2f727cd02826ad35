/**
 * The grouped commit's multi-row inserts run from SQL compiled once per shape (submissions/save.ts, insertRows;
 * issue 18): a batch stored through the reused SQL is stored exactly as Kysely's own query stores it
 * (SAVE_COMPILED=0), column for column, on both engines.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { SLUG } from './helpers/consultation';
import { getConsultation, type ConsultationView } from '../src/lib/server/consultations/queries';
import { storeSubmissions, type SaveItem } from '../src/lib/server/submissions/save';
import type { SubmissionInput } from '../src/lib/schemas/submission';

/** Two submissions unlike each other (a district and none, equality answers and none, two perspectives and one). */
const pair = (): SubmissionInput[] =>
	[
		{
			id: randomUUID(),
			district: 'wychavon',
			perspectives: [
				{ group: 'young_person', answers: { q1: 'Somewhere safe', q2: 'Email me at sam@example.com' } },
				{ group: 'parent_carer', answers: { q3: 'Cheaper activities' } }
			],
			about: { ageBand: '18-24', gender: 'self-describe', genderSelfDescribe: 'In my words' },
			language: 'en'
		},
		{
			id: randomUUID(),
			perspectives: [{ group: 'child', answers: { q2: 'Más autobuses por la noche' } }]
		}
	] as never;

describeEachEngine('multi-row inserts from SQL compiled once per shape', (engine) => {
	let fresh: FreshDb;
	let c: ConsultationView;
	const before = process.env.SAVE_COMPILED;

	beforeAll(async () => {
		fresh = await preparedDatabase(engine);
		c = (await getConsultation(fresh.db, SLUG))!;
	}, 120_000);
	afterEach(() => {
		if (before === undefined) delete process.env.SAVE_COMPILED;
		else process.env.SAVE_COMPILED = before;
	});
	afterAll(() => fresh?.drop());

	const store = (inputs: SubmissionInput[]) =>
		fresh.db.transaction().execute((tx) =>
			storeSubmissions(
				tx,
				inputs.map((input): SaveItem => ({ consultation: c, input, meta: { channel: 'online', createdAt: 'T' } }))
			)
		);

	/** What was stored for these submissions, without the ids and references that differ between batches. */
	async function stored(inputs: SubmissionInput[]) {
		const out = [];
		for (const { id } of inputs) {
			const {
				id: _id,
				reference: _r,
				...submission
			} = await fresh.db.selectFrom('submission').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
			const perspectives = await fresh.db
				.selectFrom('perspective')
				.select(['group_code', 'position'])
				.where('submission_id', '=', id)
				.orderBy('position')
				.execute();
			const answers = (
				await fresh.db.selectFrom('answer').selectAll().where('submission_id', '=', id).orderBy('question_id').execute()
			).map(({ id: _a, submission_id: _s, perspective_id: _p, ...a }) => a);
			out.push({ submission, perspectives, answers });
		}
		return out;
	}

	it('stores a batch through the reused SQL exactly as through Kysely', async () => {
		delete process.env.SAVE_COMPILED;
		await store(pair()); // the shape's first batch: compiled by Kysely, kept
		const reused = pair();
		expect((await store(reused)).map((r) => 'status' in r && r.status)).toEqual(['created', 'created']);
		process.env.SAVE_COMPILED = '0';
		const kysely = pair();
		await store(kysely);
		const [a, b] = [await stored(reused), await stored(kysely)];
		expect(a[0].answers).toHaveLength(3);
		expect(a[0].answers.map((x) => x.redacted_text)).toContain('Email me at [email]');
		expect(a).toEqual(b);
	});
});
