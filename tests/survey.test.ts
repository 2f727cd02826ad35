import { rowIdOf, rowIdsOf } from './helpers/client-ids';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { getConsultation } from '../src/lib/server/consultations/queries';
import { submitResponse } from '../src/lib/server/survey/submit';
import { createDraft, deleteStaleDrafts, loadDraft, saveDraft, newDraftData } from '../src/lib/server/survey/draft';
import {
	nextStep,
	orientationAllowed,
	previousStep,
	resumeStep,
	stepPaths,
	toSubmissionInput,
	asPhrase,
	type SurveyShape
} from '../src/lib/server/survey/flow';
import { aboutQuestion, audienceFor } from '../src/lib/domain/about-you';
import { consultationContent } from '../src/lib/domain/consultation-content';
import { readCappedText, BodyTooLargeError } from '../src/lib/server/http/body';
import { SLUG } from './helpers/consultation';
import { moveConsultation, saveConsultation } from '../src/lib/server/consultations/builder';
import { blankDefinition } from '../src/lib/domain/consultation-form';

const KEYS: SurveyShape = {
	questionKeys: ['q1', 'q2', 'q3', 'q4', 'q5'],
	groups: [
		{ code: 'child', ageMin: 0, ageMax: 12 },
		{ code: 'young_person', ageMin: 13, ageMax: 24 },
		{ code: 'parent_carer', ageMin: null, ageMax: null }
	]
};

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
		const data = { ...newDraftData(), groups: ['young_person'], about: { ageBand: '16-17' }, aboutWanted: true };
		expect(stepPaths(data, KEYS).slice(-7)).toEqual([
			'about',
			'about/age',
			'about/gender',
			'about/disability',
			'about/ethnicity',
			'about/orientation',
			'check'
		]);
	});

	it('asks "About you" one question per page only after a yes, and never asks a child the age their group already gives', () => {
		const base = { ...newDraftData(), groups: ['child'] };
		expect(stepPaths({ ...base, aboutWanted: false, about: {} }, KEYS).slice(-2)).toEqual(['about', 'check']);
		expect(stepPaths({ ...base, aboutWanted: true, about: {} }, KEYS).slice(-5)).toEqual([
			'about',
			'about/gender',
			'about/disability',
			'about/ethnicity',
			'check'
		]);
		// The child's age band is recorded from the group they ticked; "No" stores nothing but "left blank".
		const id = randomUUID();
		const child = {
			...base,
			answers: { child: { q1: 'Play' } },
			aboutWanted: true,
			about: { gender: 'prefer_not_to_say' }
		};
		expect(toSubmissionInput(child, id, KEYS).about).toEqual({ ageBand: 'under-13', gender: 'prefer_not_to_say' });
		expect(toSubmissionInput({ ...child, aboutWanted: false, about: {} }, id, KEYS).about).toEqual({});
		// A young person is offered only the bands that fit 13 to 24; a parent every band.
		const young = audienceFor(['young_person'], KEYS.groups);
		expect(aboutQuestion('age', young, false).options.map((o) => o.code)).toEqual(['13-15', '16-17', '18-24']);
		expect(aboutQuestion('age', audienceFor(['parent_carer'], KEYS.groups), false).options).toHaveLength(8);
	});

	it('words "About you" for a child and for easy read, with "Prefer not to say" kept and codes unchanged', () => {
		const child = audienceFor(['child'], KEYS.groups);
		const gender = aboutQuestion('gender', child, false);
		expect(gender.legend).toBe('Are you a boy or a girl?');
		expect(gender.options.map((o) => [o.code, o.label])).toEqual([
			['female', 'Girl'],
			['male', 'Boy'],
			['self-describe', 'I describe myself another way']
		]);
		expect(aboutQuestion('disability', child, false).hint).not.toMatch(/12 months/);
		const adult = audienceFor(['parent_carer'], KEYS.groups);
		expect(aboutQuestion('disability', adult, false).hint).toMatch(/12 months/);
		const easyGender = aboutQuestion('gender', adult, true);
		expect(easyGender.options.map((o) => o.label)).not.toContain('Female');
		expect(easyGender.preferNotLabel).toBe('I prefer not to say');
		const easyEthnicity = aboutQuestion('ethnicity', adult, true).options;
		const standardEthnicity = aboutQuestion('ethnicity', adult, false).options;
		expect(easyEthnicity.map((o) => o.code)).toEqual(standardEthnicity.map((o) => o.code));
		expect(standardEthnicity.filter((o) => o.label.startsWith('Any other'))).toHaveLength(5);
		expect(easyEthnicity.filter((o) => o.label.startsWith('Any other'))).toEqual([]);
		expect(easyEthnicity.find((o) => o.code === 'white-british')!.label).toBe(
			'British: English, Welsh, Scottish or Northern Irish'
		);
	});

	it('"Continue your answers" returns to the page the person was going to, or Check if that page no longer exists', () => {
		const data = { ...newDraftData(), groups: ['parent_carer'], at: 'q/1/3' };
		expect(resumeStep(data, KEYS)).toBe('q/1/3');
		expect(resumeStep({ ...data, at: 'q/2/1' }, KEYS)).toBe('check');
		expect(resumeStep({ ...newDraftData() }, KEYS)).toBe('who');
	});

	it('gives every consultation a complete privacy notice, accessibility statement and results text', () => {
		const content = consultationContent({
			organisation: 'Anytown Council',
			title: 'T',
			opensAt: '2026-01-05',
			closesAt: '2026-03-01',
			retentionUntil: '2027-12-31',
			fields: {}
		});
		const privacy = content.privacy.map((s) => s.heading + ' ' + s.paragraphs.join(' ')).join('\n');
		for (const part of [
			/lawful basis/i,
			/Article 6\(1\)\(e\)/,
			/What we collect/,
			/December 2027/,
			/Your rights/,
			/data protection officer/i,
			/ico\.org\.uk/
		])
			expect(privacy).toMatch(part);
		const a11y = content.accessibility.map((s) => s.heading + ' ' + s.paragraphs.join(' ')).join('\n');
		for (const part of [
			/Compliance status/,
			/partially compliant/,
			/not accessible/,
			/Enforcement procedure/,
			/Equality Advisory and Support Service/
		])
			expect(a11y).toMatch(part);
		expect(content.results.when).toContain('1 March 2026');
		expect(content.results.where).toContain('Anytown Council');
		const own = consultationContent({
			organisation: 'A',
			title: 'T',
			opensAt: null,
			closesAt: null,
			retentionUntil: null,
			fields: { results: { when: 'In June.' }, contact: { name: 'Team', email: 'team@example.gov.uk' } }
		});
		expect(own.results.when).toBe('In June.');
		expect(own.privacy.find((s) => s.heading === 'Your rights')!.paragraphs.join(' ')).toContain('team@example.gov.uk');
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
		// The row's id is a time-ordered one of the server's when the client's is random (submissions/client-ids.ts).
		const row = await rowIdOf(fresh.db, b.id);
		const rows = await fresh.db
			.selectFrom('submission')
			.select(['id', 'client_id', 'eq_sexual_orientation', 'district_code'])
			.where('id', '=', row)
			.execute();
		expect(rows).toEqual([
			{ id: row, client_id: b.id, eq_sexual_orientation: 'prefer_not_to_say', district_code: 'wyre-forest' }
		]);
		const answers = await fresh.db
			.selectFrom('answer')
			.innerJoin('perspective', 'perspective.id', 'answer.perspective_id')
			.select(['perspective.group_code', 'answer.text'])
			.where('answer.submission_id', '=', row)
			.orderBy('answer.id')
			.execute();
		expect(answers).toEqual([
			{ group_code: 'young_person', text: 'Friends' },
			{ group_code: 'young_person', text: 'More buses' },
			{ group_code: 'parent_carer', text: 'Cost of activities' }
		]);
	});

	it('refuses a submission with no answer at all, and unknown groups, with field errors', async () => {
		const empty = await submitResponse(fresh.db, SLUG, {
			id: randomUUID(),
			perspectives: [{ group: 'child', answers: { q1: '  ' } }]
		});
		expect(empty).toMatchObject({
			kind: 'invalid',
			fieldErrors: { perspectives: expect.stringContaining('at least one') }
		});
		const unknown = await submitResponse(fresh.db, SLUG, {
			id: randomUUID(),
			perspectives: [{ group: 'alien', answers: { q1: 'x' } }]
		});
		expect(unknown).toMatchObject({ kind: 'invalid', fieldErrors: { 'perspectives[0].group': expect.any(String) } });
		const long = await submitResponse(fresh.db, SLUG, {
			id: randomUUID(),
			perspectives: [{ group: 'child', answers: { q1: 'x'.repeat(2001) } }]
		});
		expect(long).toMatchObject({ kind: 'invalid', fieldErrors: { 'perspectives[0].answers.q1': expect.any(String) } });
		const orientation = await submitResponse(fresh.db, SLUG, {
			id: randomUUID(),
			perspectives: [{ group: 'child', answers: { q1: 'x' } }],
			about: { ageBand: '18-24', sexualOrientation: 'bisexual' }
		});
		expect(orientation).toMatchObject({
			kind: 'invalid',
			fieldErrors: { 'about.sexualOrientation': expect.any(String) }
		});
	});

	it('stores many submissions arriving at once in one go, each once, even with repeats and a bad one among them', async () => {
		const bodies = Array.from({ length: 20 }, () => body());
		const sends = [...bodies, bodies[0], bodies[5]].map((b) => submitResponse(fresh.db, SLUG, b));
		const results = await Promise.all(sends);
		expect(results.filter((r) => r.kind === 'created')).toHaveLength(20);
		expect(results.filter((r) => r.kind === 'replayed')).toHaveLength(2);
		const ids = bodies.map((b) => b.id);
		const stored = await fresh.db
			.selectFrom('submission')
			.select('id')
			.where('id', 'in', await rowIdsOf(fresh.db, ids))
			.execute();
		expect(stored).toHaveLength(20);
		// A submission whose id already belongs to another consultation fails alone.
		await saveConsultation(fresh.db, blankDefinition('other-survey', 'Another survey', 'Anyshire Council'), null, null);
		await moveConsultation(fresh.db, 'other-survey', 'open', null);
		const [bad, good] = await Promise.all([
			submitResponse(fresh.db, 'other-survey', {
				id: bodies[1].id,
				perspectives: [{ group: 'child', answers: { q1: 'Same id, another survey' } }]
			}),
			submitResponse(fresh.db, SLUG, body())
		]);
		expect(bad.kind).toBe('conflict');
		expect(good.kind).toBe('created');
	});

	it('stores a grouped commit with every answer on its own perspective, screened, redacted and counted under its groups', async () => {
		const c = (await getConsultation(fresh.db, SLUG))!;
		const questionOf = new Map(c.questions.map((q) => [q.id, q.key]));
		const one = (group: string, q1: string) => ({
			id: randomUUID(),
			perspectives: [{ group, answers: { q1, q2: `${group} second` } }]
		});
		const sent = [
			one('child', 'my step dad hits me when mum is at work'),
			body(),
			one('parent_carer', 'Call me on 07700 900123 about the buses'),
			{ ...body(), perspectives: [...body().perspectives].reverse() }
		];
		const results = await Promise.all(sent.map((b) => submitResponse(fresh.db, SLUG, b)));
		expect(results.map((r) => r.kind)).toEqual(['created', 'created', 'created', 'created']);
		for (const b of sent) {
			const rows = await fresh.db
				.selectFrom('answer')
				.innerJoin('perspective', 'perspective.id', 'answer.perspective_id')
				.select(['perspective.group_code', 'perspective.position', 'answer.question_id', 'answer.text'])
				.where('answer.submission_id', '=', await rowIdOf(fresh.db, b.id))
				.execute();
			const expected = b.perspectives.flatMap((p, position) =>
				Object.entries(p.answers).map(([key, text]) => `${position} ${p.group} ${key} ${text}`)
			);
			expect(
				rows.map((r) => `${r.position} ${r.group_code} ${questionOf.get(r.question_id)} ${r.text}`).sort()
			).toEqual(expected.sort());
			const { group_set } = await fresh.db
				.selectFrom('submission')
				.select('group_set')
				.where('id', '=', await rowIdOf(fresh.db, b.id))
				.executeTakeFirstOrThrow();
			expect(group_set).toBe(`|${[...new Set(b.perspectives.map((p) => p.group))].sort().join('|')}|`);
		}
		const rowIds = await rowIdsOf(
			fresh.db,
			sent.map((b) => b.id)
		);
		const flagged = await fresh.db
			.selectFrom('safeguarding_flag')
			.innerJoin('answer', 'answer.id', 'safeguarding_flag.answer_id')
			.select('answer.submission_id')
			.where('answer.submission_id', 'in', rowIds)
			.execute();
		expect(flagged.map((f) => f.submission_id)).toEqual([rowIds[0]]);
		const phone = await fresh.db
			.selectFrom('answer')
			.select(['redacted_text', 'pii_kinds'])
			.where('submission_id', '=', rowIds[2])
			.where('text', 'like', 'Call me%')
			.executeTakeFirstOrThrow();
		expect(phone.redacted_text).not.toContain('07700 900123');
		expect(phone.pii_kinds).toContain('phone');
	});

	it('refuses a closed or not-yet-open consultation and an unknown one, storing nothing', async () => {
		const c = (await getConsultation(fresh.db, SLUG))!;
		const b = body();
		expect(await submitResponse(fresh.db, SLUG, b, { consultation: { ...c, status: 'closed' } })).toEqual({
			kind: 'closed',
			state: 'closed'
		});
		expect(await submitResponse(fresh.db, SLUG, b, { consultation: { ...c, opensAt: '2999-01-01' } })).toEqual({
			kind: 'closed',
			state: 'not-yet-open'
		});
		expect(await submitResponse(fresh.db, SLUG, b, { consultation: { ...c, closesAt: '2000-01-01' } })).toEqual({
			kind: 'closed',
			state: 'closed'
		});
		expect(await submitResponse(fresh.db, 'no-such-survey', b)).toEqual({ kind: 'notFound' });
		expect(
			await fresh.db
				.selectFrom('submission')
				.select('id')
				.where((eb) => eb.or([eb('id', '=', b.id), eb('client_id', '=', b.id)]))
				.execute()
		).toEqual([]);
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
		// Past its idle life a draft is not just hidden: opening it deletes it.
		await fresh.db
			.updateTable('survey_draft')
			.set({ updated_at: '2000-01-01T00:00:00.000Z' })
			.where('id', '=', draft.id)
			.execute();
		expect(await loadDraft(fresh.db, c.id, token)).toBeNull();
		expect(await fresh.db.selectFrom('survey_draft').select('id').where('id', '=', draft.id).execute()).toEqual([]);
	});

	it('forgets a draft left for longer than its idle life (2 hours by default, SURVEY_DRAFT_IDLE_MINUTES)', async () => {
		const c = (await getConsultation(fresh.db, SLUG))!;
		const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
		const left = await createDraft(fresh.db, c.id);
		const recent = await createDraft(fresh.db, c.id);
		await fresh.db
			.updateTable('survey_draft')
			.set({ updated_at: ago(125) })
			.where('id', '=', left.draft.id)
			.execute();
		await fresh.db
			.updateTable('survey_draft')
			.set({ updated_at: ago(100) })
			.where('id', '=', recent.draft.id)
			.execute();
		expect(await loadDraft(fresh.db, c.id, recent.token)).not.toBeNull();
		expect(await deleteStaleDrafts(fresh.db)).toBeGreaterThanOrEqual(1);
		const ids = (await fresh.db.selectFrom('survey_draft').select('id').execute()).map((r) => r.id);
		expect(ids).toContain(recent.draft.id);
		expect(ids).not.toContain(left.draft.id);
		process.env.SURVEY_DRAFT_IDLE_MINUTES = '30';
		try {
			expect(await loadDraft(fresh.db, c.id, recent.token)).toBeNull();
		} finally {
			delete process.env.SURVEY_DRAFT_IDLE_MINUTES;
		}
	});
});
