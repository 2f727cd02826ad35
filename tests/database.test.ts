import { afterAll, beforeAll, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { describeEachEngine, emptyDatabase, preparedDatabase, type FreshDb } from './helpers/databases';
import { migrateToLatest } from '../src/lib/server/db/migrate';
import { migrations } from '../src/lib/server/db/migrations/index';
import { getConsultation } from '../src/lib/server/consultations/queries';
import { saveSubmission } from '../src/lib/server/submissions/save';
import { validateForConsultation } from '../src/lib/server/submissions/validate';
import { submissionSchema } from '../src/lib/schemas/submission';
import { LEFT_BLANK, NOT_ASKED, PREFER_NOT } from '../src/lib/domain/equality';
import { SLUG } from './helpers/consultation';

describeEachEngine('migrations', (engine) => {
	let fresh: FreshDb;
	beforeAll(async () => {
		fresh = await emptyDatabase(engine);
	});
	afterAll(() => fresh?.drop());

	it('create every table on an empty database and are idempotent', async () => {
		expect(await migrateToLatest(fresh.db)).toEqual(Object.keys(migrations).sort());
		expect(await migrateToLatest(fresh.db)).toEqual([]);
		const tables = (await fresh.db.introspection.getTables()).map((t) => t.name);
		for (const t of [
			'consultation',
			'submission',
			'perspective',
			'answer',
			'theme',
			'answer_theme',
			'app_user',
			'audit_log'
		]) {
			expect(tables).toContain(t);
		}
	});
});

describeEachEngine('consultation and submissions', (engine) => {
	let fresh: FreshDb;
	beforeAll(async () => {
		fresh = await preparedDatabase(engine);
	});
	afterAll(() => fresh?.drop());

	it('loads the Worcestershire consultation with its groups, districts and five questions', async () => {
		const c = await getConsultation(fresh.db, SLUG);
		expect(c).not.toBeNull();
		expect(c!.groups.map((g) => g.code)).toEqual(['child', 'young_person', 'parent_carer', 'practitioner', 'other']);
		expect(c!.districts.map((d) => d.code)).toEqual([
			'bromsgrove',
			'malvern-hills',
			'redditch',
			'worcester-city',
			'wychavon',
			'wyre-forest',
			'outside'
		]);
		expect(c!.questions.map((q) => q.text).slice(0, 3)).toEqual([
			'What is most important to children and young people?',
			'What are the main issues and challenges for children and young people?',
			'How could the lives of children and young people be improved?'
		]);
		expect(c!.questions.filter((q) => q.wordingToConfirm).map((q) => q.key)).toEqual(['q4', 'q5']);
	});

	it('round-trips a submission answered as a young person and as a parent, once', async () => {
		const c = (await getConsultation(fresh.db, SLUG))!;
		const input = submissionSchema.parse({
			id: randomUUID(),
			district: 'redditch',
			perspectives: [
				{ group: 'young_person', answers: { q1: 'My friends and my little boy', q2: '  ' } },
				{ group: 'parent_carer', answers: { q1: 'Somewhere safe to play', q3: 'Cheaper nursery places' } }
			],
			about: { ageBand: '18-24', gender: PREFER_NOT, disability: 'no' }
		});
		expect(validateForConsultation(c, input)).toEqual({});
		const first = await saveSubmission(fresh.db, c, input, { channel: 'online' });
		const again = await saveSubmission(fresh.db, c, input, { channel: 'online' });
		expect(first.status).toBe('created');
		expect(again).toEqual({ ...first, status: 'replayed' });

		const rows = await fresh.db
			.selectFrom('answer')
			.innerJoin('perspective', 'perspective.id', 'answer.perspective_id')
			.innerJoin('question', 'question.id', 'answer.question_id')
			.select(['perspective.group_code', 'question.key', 'answer.text'])
			.where('answer.submission_id', '=', input.id)
			.orderBy('perspective.position')
			.orderBy('question.key')
			.execute();
		expect(rows).toEqual([
			{ group_code: 'young_person', key: 'q1', text: 'My friends and my little boy' },
			{ group_code: 'parent_carer', key: 'q1', text: 'Somewhere safe to play' },
			{ group_code: 'parent_carer', key: 'q3', text: 'Cheaper nursery places' }
		]);
		const sub = await fresh.db
			.selectFrom('submission')
			.selectAll()
			.where('id', '=', input.id)
			.executeTakeFirstOrThrow();
		expect(sub.eq_gender).toBe(PREFER_NOT);
		expect(sub.eq_disability).toBe('no');
		expect(sub.eq_ethnicity).toBe(LEFT_BLANK);
		expect(sub.eq_sexual_orientation).toBe(LEFT_BLANK);
		const count = await sql<{ n: number }>`select count(*) as n from submission where id = ${input.id}`.execute(
			fresh.db
		);
		expect(Number(count.rows[0].n)).toBe(1);
	});

	it('records face-to-face equality answers as not asked, apart from prefer-not-to-say and blank', async () => {
		const c = (await getConsultation(fresh.db, SLUG))!;
		const input = submissionSchema.parse({
			id: randomUUID(),
			district: null,
			perspectives: [{ group: 'child', answers: { q1: 'my dog' } }]
		});
		await saveSubmission(fresh.db, c, input, { channel: 'library' });
		const sub = await fresh.db
			.selectFrom('submission')
			.selectAll()
			.where('id', '=', input.id)
			.executeTakeFirstOrThrow();
		expect([sub.eq_age_band, sub.eq_gender, sub.eq_disability]).toEqual([NOT_ASKED, NOT_ASKED, NOT_ASKED]);
	});

	it('stores a redacted copy of personal data and flags a possible disclosure in the same commit', async () => {
		const c = (await getConsultation(fresh.db, SLUG))!;
		const input = submissionSchema.parse({
			id: randomUUID(),
			perspectives: [
				{
					group: 'child',
					answers: {
						q1: 'my teacher Mrs Patel is nice, ring 07700 900123',
						q2: 'my step dad hits me when mum is at work'
					}
				}
			]
		});
		await saveSubmission(fresh.db, c, input, { channel: 'online' });
		const rows = await fresh.db
			.selectFrom('answer')
			.innerJoin('question', 'question.id', 'answer.question_id')
			.leftJoin('safeguarding_flag', 'safeguarding_flag.answer_id', 'answer.id')
			.select([
				'question.key',
				'answer.text',
				'answer.redacted_text',
				'answer.pii_kinds',
				'safeguarding_flag.level',
				'safeguarding_flag.status'
			])
			.where('answer.submission_id', '=', input.id)
			.orderBy('question.key')
			.execute();
		expect(rows[0].text).toContain('Mrs Patel');
		expect(rows[0].redacted_text).not.toContain('Patel');
		expect(rows[0].redacted_text).not.toContain('07700');
		expect(rows[0].redacted_text).toContain('[phone]');
		expect(JSON.parse(rows[0].pii_kinds!)).toEqual(['name', 'phone']);
		expect(rows[0].level).toBeNull();
		expect(rows[1].level).toBe('urgent');
		expect(rows[1].status).toBe('new');
	});

	it('stores text with control characters the same way on both engines, and treats an upper-case UUID as the same id', async () => {
		const c = (await getConsultation(fresh.db, SLUG))!;
		const id = randomUUID();
		const input = submissionSchema.parse({
			id: id.toUpperCase(),
			perspectives: [{ group: 'child', answers: { q1: 'my\u0000 cat\u0007\nand dog' } }]
		});
		expect((await saveSubmission(fresh.db, c, input, { channel: 'online' })).status).toBe('created');
		const again = submissionSchema.parse({ id, perspectives: [{ group: 'child', answers: { q1: 'my cat' } }] });
		expect((await saveSubmission(fresh.db, c, again, { channel: 'online' })).status).toBe('replayed');
		const row = await fresh.db
			.selectFrom('answer')
			.select('text')
			.where('submission_id', '=', id)
			.executeTakeFirstOrThrow();
		expect(row.text).toBe('my cat\nand dog');
	});

	it('refuses a submission with no answer at all, and unknown groups and districts', async () => {
		const c = (await getConsultation(fresh.db, SLUG))!;
		const empty = submissionSchema.parse({
			id: randomUUID(),
			perspectives: [{ group: 'child', answers: { q1: ' ' } }]
		});
		expect(validateForConsultation(c, empty)).toHaveProperty('perspectives');
		const bad = submissionSchema.parse({
			id: randomUUID(),
			district: 'atlantis',
			perspectives: [{ group: 'pirate', answers: { q1: 'x' } }]
		});
		expect(validateForConsultation(c, bad)).toMatchObject({
			district: expect.stringContaining('atlantis'),
			'perspectives[0].group': expect.stringContaining('pirate')
		});
	});
});
