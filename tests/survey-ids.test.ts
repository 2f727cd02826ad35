import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { withEnv } from './helpers/env';
import { SLUG } from './helpers/consultation';
import { getConsultation } from '../src/lib/server/consultations/queries';
import { createDraft } from '../src/lib/server/survey/draft';
import { newSubmissionId, uuidV7 } from '../src/lib/server/survey/ids';
import { parseSubmission, submitResponse } from '../src/lib/server/survey/submit';
import { referenceFor } from '../src/lib/server/submissions/reference';

/** The version digit of a UUID, and whether its variant is RFC 9562's (10xx). */
const version = (id: string) => id[14];
const rfcVariant = (id: string) => /^[89ab]$/.test(id[19]);
/** The time in ms a version-7 UUID carries (its first 48 bits). */
const timeOf = (id: string) => parseInt(id.replace(/-/g, '').slice(0, 12), 16);

describe('time-ordered submission ids (issue #18, thirty-first round)', () => {
	it('makes RFC 9562 version-7 UUIDs carrying the time, later ones sorting later', () => {
		const at = Date.UTC(2026, 11, 6, 10, 0, 0, 123);
		const id = uuidV7(at);
		expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
		expect(timeOf(id)).toBe(at);
		const ids = Array.from({ length: 200 }, (_, i) => uuidV7(at + i));
		expect([...ids].sort()).toEqual(ids);
		// Random beyond the time: two ids of the same millisecond differ.
		expect(new Set(Array.from({ length: 1000 }, () => uuidV7(at))).size).toBe(1000);
	});

	it('are accepted by the submission schema as they are', () => {
		const id = uuidV7();
		const parsed = parseSubmission({ id, perspectives: [{ group: 'young_person', answers: { q1: 'Buses' } }] });
		expect('fieldErrors' in parsed).toBe(false);
		expect((parsed as { id: string }).id).toBe(id);
	});

	it('newSubmissionId is time-ordered by default and random with SURVEY_TIME_ORDERED_IDS=off', async () => {
		await withEnv('SURVEY_TIME_ORDERED_IDS', undefined, async () => {
			const id = newSubmissionId();
			expect(version(id)).toBe('7');
			expect(rfcVariant(id)).toBe(true);
		});
		await withEnv('SURVEY_TIME_ORDERED_IDS', 'off', async () => expect(version(newSubmissionId())).toBe('4'));
	});
});

describeEachEngine('the survey draft gives its submission a time-ordered id', (engine) => {
	let fresh: FreshDb;
	beforeAll(async () => {
		fresh = await preparedDatabase(engine);
	});
	afterAll(() => fresh?.drop());

	it('a new draft carries a version-7 id, in the order the drafts were started; off gives version 4', async () => {
		const c = (await getConsultation(fresh.db, SLUG))!;
		const ids: string[] = [];
		for (let i = 0; i < 5; i++) {
			const before = Date.now();
			const { draft } = await createDraft(fresh.db, c.id);
			expect(version(draft.submissionId)).toBe('7');
			expect(timeOf(draft.submissionId)).toBeGreaterThanOrEqual(before);
			expect(timeOf(draft.submissionId)).toBeLessThanOrEqual(Date.now());
			ids.push(draft.submissionId);
			// The next draft in a later millisecond (polled, not slept), so the order is the time's, not chance.
			const deadline = Date.now() + 1000;
			while (Date.now() <= timeOf(draft.submissionId) && Date.now() < deadline) await Promise.resolve();
		}
		expect([...ids].sort()).toEqual(ids);
		const stored = await fresh.db
			.selectFrom('survey_draft')
			.select('submission_id')
			.where('submission_id', 'in', ids)
			.execute();
		expect(stored.map((r) => r.submission_id).sort()).toEqual(ids);
		await withEnv('SURVEY_TIME_ORDERED_IDS', 'off', async () => {
			const { draft } = await createDraft(fresh.db, c.id);
			expect(version(draft.submissionId)).toBe('4');
		});
	});

	it("a draft's id is stored once, a resend is a replay with the same reference, and a random id still works", async () => {
		const c = (await getConsultation(fresh.db, SLUG))!;
		const { draft } = await createDraft(fresh.db, c.id);
		const body = {
			id: draft.submissionId,
			district: 'wychavon',
			perspectives: [{ group: 'young_person', answers: { q1: 'Somewhere safe to meet friends', q2: 'Buses' } }],
			about: { ageBand: '18-24' }
		};
		const first = await submitResponse(fresh.db, SLUG, body);
		expect(first).toMatchObject({
			kind: 'created',
			id: draft.submissionId,
			reference: referenceFor(draft.submissionId)
		});
		const again = await submitResponse(fresh.db, SLUG, body);
		expect(again).toMatchObject({
			kind: 'replayed',
			id: draft.submissionId,
			reference: referenceFor(draft.submissionId)
		});
		const rows = await fresh.db
			.selectFrom('answer')
			.select(['text', 'redacted_text', 'risk_score'])
			.where('submission_id', '=', draft.submissionId)
			.orderBy('question_id')
			.execute();
		expect(rows.map((r) => r.text)).toEqual(['Somewhere safe to meet friends', 'Buses']);
		expect(rows.every((r) => r.redacted_text !== null && r.risk_score !== null)).toBe(true);
		// An API client's random id is kept as before.
		const random = await withEnv('SURVEY_TIME_ORDERED_IDS', 'off', async () => newSubmissionId());
		expect(await submitResponse(fresh.db, SLUG, { ...body, id: random })).toMatchObject({
			kind: 'created',
			id: random
		});
	});
});
