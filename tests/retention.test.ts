import { afterAll, beforeAll, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { getConsultation } from '../src/lib/server/consultations/queries';
import { saveSubmission } from '../src/lib/server/submissions/save';
import { applyRetention, deleteByReference } from '../src/lib/server/retention/retention';
import { submissionSchema } from '../src/lib/schemas/submission';

const SLUG = 'worcestershire-cypp-2017';

describeEachEngine('retention and deletion on request', (engine) => {
	let fresh: FreshDb;
	beforeAll(async () => {
		fresh = await preparedDatabase(engine);
	});
	afterAll(() => fresh?.drop());

	async function submit(text: string) {
		const c = (await getConsultation(fresh.db, SLUG))!;
		const input = submissionSchema.parse({ id: randomUUID(), perspectives: [{ group: 'child', answers: { q1: text, q2: 'school' } }] });
		return saveSubmission(fresh.db, c, input, { channel: 'online' });
	}

	it('deletes one submission and all its answers by the reference the respondent was given', async () => {
		const keep = await submit('my cat');
		const gone = await submit('my dog');
		const typed = gone.reference.toLowerCase().replace('-', ' ');
		expect(await deleteByReference(fresh.db, typed)).toEqual({ id: gone.id, reference: gone.reference, answers: 2 });
		expect(await deleteByReference(fresh.db, gone.reference)).toBeNull();
		const left = await fresh.db.selectFrom('answer').select('submission_id').execute();
		expect(left.every((a) => a.submission_id !== gone.id)).toBe(true);
		expect(left.some((a) => a.submission_id === keep.id)).toBe(true);
	});

	it('clears answer texts only after the retention date, keeping the answer rows and their count', async () => {
		await submit('swimming');
		const before = await fresh.db.selectFrom('answer').select(['id', 'text']).execute();
		const notYet = await applyRetention(fresh.db, { now: new Date('2027-12-31T12:00:00Z') });
		expect(notYet.consultations).toEqual([]);

		const dry = await applyRetention(fresh.db, { now: new Date('2028-01-01T12:00:00Z'), dryRun: true });
		expect(dry.consultations[0].answersCleared).toBe(before.length);
		expect((await fresh.db.selectFrom('answer').select('text').where('text', 'is', null).execute()).length).toBe(0);

		const done = await applyRetention(fresh.db, { now: new Date('2028-01-01T12:00:00Z') });
		expect(done.consultations).toEqual([{ slug: SLUG, retentionUntil: '2027-12-31', answersCleared: before.length }]);
		const after = await fresh.db.selectFrom('answer').select(['id', 'text', 'redacted_text', 'text_deleted_at']).execute();
		expect(after).toHaveLength(before.length);
		expect(after.every((a) => a.text === null && a.redacted_text === null && a.text_deleted_at !== null)).toBe(true);
	});
});
