import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { getConsultation } from '../src/lib/server/consultations/queries';
import { submitResponse } from '../src/lib/server/survey/submit';
import { createDraft, deleteStaleDrafts, loadDraft, saveDraft, newDraftData } from '../src/lib/server/survey/draft';
import { nextStep, orientationAllowed, previousStep, stepPaths, toSubmissionInput, asPhrase } from '../src/lib/server/survey/flow';
import { readCappedText, BodyTooLargeError } from '../src/lib/server/http/body';

const SLUG = 'worcestershire-cypp-2017';
const KEYS = ['q1', 'q2', 'q3', 'q4', 'q5'];

describe('survey flow (pure)', () => {
	it('walks each chosen perspective through the five questions, then About you and Check', () => {
		const data = { ...newDraftData(), groups: ['young_person', 'parent_carer'] };
		const steps = stepPaths(data, KEYS);
		expect(steps.slice(0, 3)).toEqual(['who', 'where', 'q/1/1']);
		expect(steps).toContain('q/2/5');
		expect(steps.slice(-2)).toEqual(['about', 'check']);
		expect(nextStep(data, KEYS, 'q/1/5')).toBe('q/2/1');
		expect(previousStep(data, KEYS, 'q/2/1')).toBe('q/1/5');
		expect(previousStep(data, KEYS, 'who')).toBe('');
	});

	it('asks sexual orientation only of someone 16 or over who is not answering only as a child', () => {
		expect(orientationAllowed({ groups: ['child'], about: { ageBand: '18-24' } })).toBe(false);
		expect(orientationAllowed({ groups: ['young_person'], about: { ageBand: '13-15' } })).toBe(false);
		expect(orientationAllowed({ groups: ['young_person'], about: null })).toBe(false);
		expect(orientationAllowed({ groups: ['young_person', 'parent_carer'], about: { ageBand: '18-24' } })).toBe(true);
		const data = { ...newDraftData(), groups: ['young_person'], about: { ageBand: '16-17' } };
		expect(stepPaths(data, KEYS).slice(-3)).toEqual(['about', 'about/orientation', 'check']);
	});

	it('turns a draft into the shared submission shape, dropping empty answers and unticked groups', () => {
		const data = {
			...newDraftData(),
			groups: ['parent_carer'],
			district: null,
			answers: { parent_carer: { q1: 'Safe parks', q2: '   ' }, child: { q1: 'left over from an unticked group' } },
			about: { ageBand: '13-15', sexualOrientation: 'gay-lesbian', gender: 'female', genderSelfDescribe: 'ignored' }
		};
		const id = randomUUID();
		expect(toSubmissionInput(data, id, KEYS)).toEqual({
			id,
			district: null,
			perspectives: [{ group: 'parent_carer', answers: { q1: 'Safe parks' } }],
			about: { ageBand: '13-15', gender: 'female' }
		});
		expect(asPhrase('Parent or carer')).toBe('a parent or carer');
		expect(asPhrase('Other interested person')).toBe('another interested person');
	});

	it('stops reading a body without a length once it passes the limit', async () => {
		let pulled = 0;
		const body = new ReadableStream<Uint8Array>({
			pull(c) {
				pulled++;
				c.enqueue(new Uint8Array(16 * 1024));
			}
		});
		const request = new Request('http://x/', { method: 'POST', body, duplex: 'half' } as RequestInit);
		await expect(readCappedText(request, 64 * 1024)).rejects.toBeInstanceOf(BodyTooLargeError);
		expect(pulled).toBeLessThan(8);
		const declared = new Request('http://x/', { method: 'POST', body: 'x', headers: { 'content-length': '70000' } });
		await expect(readCappedText(declared, 64 * 1024)).rejects.toBeInstanceOf(BodyTooLargeError);
	});
});

describeEachEngine('submitResponse, the one path for the survey form and the JSON endpoint', (engine) => {
	let fresh: FreshDb;
	beforeAll(async () => {
		fresh = await preparedDatabase(engine);
	});
	afterAll(() => fresh?.drop());

	const body = (id = randomUUID()) => ({
		id,
		district: 'wyre-forest',
		perspectives: [
			{ group: 'young_person', answers: { q1: 'Friends', q3: 'More buses' } },
			{ group: 'parent_carer', answers: { q2: 'Cost of activities' } }
		],
		about: { ageBand: '18-24', sexualOrientation: 'prefer_not_to_say' }
	});

	it('stores a new submission once and answers a resend as a replay with the same reference', async () => {
		const b = body();
		const first = await submitResponse(fresh.db, SLUG, b);
		expect(first.kind).toBe('created');
		const again = await submitResponse(fresh.db, SLUG, { ...b, id: b.id.toUpperCase() });
		expect(again.kind).toBe('replayed');
		if (first.kind === 'created' && again.kind === 'replayed') expect(again.reference).toBe(first.reference);
		const rows = await fresh.db.selectFrom('submission').select(['id', 'eq_sexual_orientation', 'district_code']).where('id', '=', b.id).execute();
		expect(rows).toEqual([{ id: b.id, eq_sexual_orientation: 'prefer_not_to_say', district_code: 'wyre-forest' }]);
		const answers = await fresh.db
			.selectFrom('answer')
			.innerJoin('perspective', 'perspective.id', 'answer.perspective_id')
			.select(['perspective.group_code', 'answer.text'])
			.where('answer.submission_id', '=', b.id)
			.orderBy('answer.id')
			.execute();
		expect(answers).toEqual([
			{ group_code: 'young_person', text: 'Friends' },
			{ group_code: 'young_person', text: 'More buses' },
			{ group_code: 'parent_carer', text: 'Cost of activities' }
		]);
	});

	it('refuses a submission with no answer at all, and unknown groups, with field errors', async () => {
		const empty = await submitResponse(fresh.db, SLUG, { id: randomUUID(), perspectives: [{ group: 'child', answers: { q1: '  ' } }] });
		expect(empty).toMatchObject({ kind: 'invalid', fieldErrors: { perspectives: expect.stringContaining('at least one') } });
		const unknown = await submitResponse(fresh.db, SLUG, { id: randomUUID(), perspectives: [{ group: 'alien', answers: { q1: 'x' } }] });
		expect(unknown).toMatchObject({ kind: 'invalid', fieldErrors: { 'perspectives[0].group': expect.any(String) } });
		const long = await submitResponse(fresh.db, SLUG, { id: randomUUID(), perspectives: [{ group: 'child', answers: { q1: 'x'.repeat(2001) } }] });
		expect(long).toMatchObject({ kind: 'invalid', fieldErrors: { 'perspectives[0].answers.q1': expect.any(String) } });
		const orientation = await submitResponse(fresh.db, SLUG, {
			id: randomUUID(),
			perspectives: [{ group: 'child', answers: { q1: 'x' } }],
			about: { ageBand: '18-24', sexualOrientation: 'bisexual' }
		});
		expect(orientation).toMatchObject({ kind: 'invalid', fieldErrors: { 'about.sexualOrientation': expect.any(String) } });
	});

	it('stores many submissions arriving at once in one go, each once, even with repeats and a bad one among them', async () => {
		const bodies = Array.from({ length: 20 }, () => body());
		const sends = [...bodies, bodies[0], bodies[5]].map((b) => submitResponse(fresh.db, SLUG, b));
		const results = await Promise.all(sends);
		expect(results.filter((r) => r.kind === 'created')).toHaveLength(20);
		expect(results.filter((r) => r.kind === 'replayed')).toHaveLength(2);
		const ids = bodies.map((b) => b.id);
		const stored = await fresh.db.selectFrom('submission').select('id').where('id', 'in', ids).execute();
		expect(stored).toHaveLength(20);
		// A submission whose id already belongs to another consultation fails alone.
		const c = (await getConsultation(fresh.db, SLUG))!;
		const [bad, good] = await Promise.all([
			submitResponse(fresh.db, SLUG, bodies[1], { consultation: { ...c, id: c.id + 1000 } }),
			submitResponse(fresh.db, SLUG, body())
		]);
		expect(bad.kind).toBe('conflict');
		expect(good.kind).toBe('created');
	});

	it('refuses a closed or not-yet-open consultation and an unknown one, storing nothing', async () => {
		const c = (await getConsultation(fresh.db, SLUG))!;
		const b = body();
		expect(await submitResponse(fresh.db, SLUG, b, { consultation: { ...c, status: 'closed' } })).toEqual({ kind: 'closed', state: 'closed' });
		expect(await submitResponse(fresh.db, SLUG, b, { consultation: { ...c, opensAt: '2999-01-01' } })).toEqual({ kind: 'closed', state: 'not-yet-open' });
		expect(await submitResponse(fresh.db, SLUG, b, { consultation: { ...c, closesAt: '2000-01-01' } })).toEqual({ kind: 'closed', state: 'closed' });
		expect(await submitResponse(fresh.db, 'no-such-survey', b)).toEqual({ kind: 'notFound' });
		expect(await fresh.db.selectFrom('submission').select('id').where('id', '=', b.id).execute()).toEqual([]);
	});

	it('keeps drafts by a hashed cookie token and deletes stale ones', async () => {
		const c = (await getConsultation(fresh.db, SLUG))!;
		const { token, draft } = await createDraft(fresh.db, c.id);
		expect(draft.id).not.toBe(token);
		draft.data.groups = ['child'];
		await saveDraft(fresh.db, draft);
		const loaded = await loadDraft(fresh.db, c.id, token);
		expect(loaded?.data.groups).toEqual(['child']);
		expect(loaded?.submissionId).toBe(draft.submissionId);
		expect(await loadDraft(fresh.db, c.id, 'not-a-token')).toBeNull();
		await fresh.db.updateTable('survey_draft').set({ updated_at: '2000-01-01T00:00:00.000Z' }).where('id', '=', draft.id).execute();
		expect(await loadDraft(fresh.db, c.id, token)).toBeNull();
		expect(await deleteStaleDrafts(fresh.db)).toBeGreaterThanOrEqual(1);
		expect(await fresh.db.selectFrom('survey_draft').select('id').where('id', '=', draft.id).execute()).toEqual([]);
	});
});
