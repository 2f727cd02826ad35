import { afterAll, beforeAll, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { Migrator } from 'kysely';
import { migrations } from '../src/lib/server/db/migrations/index';
import { migrateToLatest } from '../src/lib/server/db/migrate';
import { describeEachEngine, emptyDatabase, preparedDatabase, type FreshDb } from './helpers/databases';
import { whereIsWord } from './helpers/marker-search';
import { getConsultation } from '../src/lib/server/consultations/queries';
import { saveSubmission } from '../src/lib/server/submissions/save';
import { referenceFor } from '../src/lib/server/submissions/reference';
import { applyRetention, deleteByReference } from '../src/lib/server/retention/retention';
import { submissionSchema } from '../src/lib/schemas/submission';
import { addLocation } from '../src/lib/server/entry/locations';
import { startSession } from '../src/lib/server/entry/sessions';
import { syncEntries, updateEntry, deleteEntry } from '../src/lib/server/entry/entries';
import { updateFlag } from '../src/lib/server/safeguarding/queue';
import { raiseConcern } from '../src/lib/server/safeguarding/concerns';
import { audit, scrubAuditJson } from '../src/lib/server/audit/index';
import { SLUG } from './helpers/consultation';
import { addUser } from './helpers/users';

describeEachEngine('retention and deletion on request', (engine) => {
	let fresh: FreshDb;
	beforeAll(async () => {
		fresh = await preparedDatabase(engine);
	});
	afterAll(() => fresh?.drop());

	async function submit(text: string) {
		const c = (await getConsultation(fresh.db, SLUG))!;
		const input = submissionSchema.parse({
			id: randomUUID(),
			perspectives: [{ group: 'child', answers: { q1: text, q2: 'school' } }]
		});
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
		const after = await fresh.db
			.selectFrom('answer')
			.select(['id', 'text', 'redacted_text', 'text_deleted_at'])
			.execute();
		expect(after).toHaveLength(before.length);
		expect(after.every((a) => a.text === null && a.redacted_text === null && a.text_deleted_at !== null)).toBe(true);
	});
});

/**
 * A marker word planted in every place a person's words can go, then looked
 * for everywhere after retention and after deletion on request: every text
 * column of every table (both engines) and, on SQLite, the raw bytes of the
 * database file and its write-ahead log.
 */
describeEachEngine('every copy of the words is deleted', (engine) => {
	let fresh: FreshDb;
	let admin: { id: number; role: 'admin' };
	let staff: { id: number; role: 'entry' };
	let sessionId: number;
	let consultationId: number;
	const CONTROL = 'Kestrelbeacon';

	beforeAll(async () => {
		fresh = await preparedDatabase(engine);
		admin = {
			id: (await addUser(fresh.db, { email: 'a@x.gov.uk', role: 'admin', password: 'password-long-1' }, null)).id,
			role: 'admin'
		};
		staff = {
			id: (await addUser(fresh.db, { email: 'e@x.gov.uk', role: 'entry', password: 'password-long-1' }, null)).id,
			role: 'entry'
		};
		// Outside any person's words: must survive every purge (and shows the byte search can find a word).
		const loc = await addLocation(
			fresh.db,
			{ name: `${CONTROL} Library`, district: 'redditch', kind: 'library' },
			new Set(['redditch']),
			admin.id
		);
		consultationId = (await getConsultation(fresh.db, SLUG))!.id;
		sessionId = await startSession(
			fresh.db,
			{ consultationId, locationId: loc.id, date: '2017-06-05', channel: 'library', question: 'all', group: '' },
			staff
		);
	});
	afterAll(() => fresh?.drop());

	/** Every place (table.column, or a file) where `word` can still be read (tests/helpers/marker-search.ts). */
	const whereIs = (word: string) => whereIsWord(fresh, engine, word);

	/**
	 * Plants `word` in an online submission (answer, redacted copy, flag excerpt
	 * and note, self-described gender, candidate example, quote, draft, audit rows
	 * as the old writers left them), a face-to-face leaf that staff edited, and
	 * one they deleted. Returns the references of the two kept submissions.
	 */
	async function plantEverywhere(word: string): Promise<string[]> {
		const c = (await getConsultation(fresh.db, SLUG))!;
		const online = await saveSubmission(
			fresh.db,
			c,
			submissionSchema.parse({
				id: randomUUID(),
				perspectives: [
					{
						group: 'child',
						answers: { q1: `My friend Jake said ${word} and my dad hits me ${word} every night`, q2: `${word} school` }
					}
				],
				about: { gender: 'self-describe', genderSelfDescribe: `${word} person` }
			}),
			{ channel: 'online' }
		);
		const q1 = await fresh.db
			.selectFrom('answer')
			.innerJoin('question', 'question.id', 'answer.question_id')
			.select(['answer.id', 'answer.question_id', 'answer.redacted_text', 'answer.text'])
			.where('answer.submission_id', '=', online.id)
			.where('question.key', '=', 'q1')
			.executeTakeFirstOrThrow();
		const flag = await fresh.db
			.selectFrom('safeguarding_flag')
			.select('id')
			.where('answer_id', '=', q1.id)
			.executeTakeFirstOrThrow();
		await updateFlag(fresh.db, flag.id, { status: 'reviewed', note: `Rang school about ${word}` }, admin.id);
		await raiseConcern(
			fresh.db,
			{ answerId: q1.id, level: 'review', note: `Worried about ${word}`, via: 'review' },
			admin
		);
		const theme = await fresh.db
			.selectFrom('theme')
			.select('id')
			.where('question_id', '=', q1.question_id)
			.executeTakeFirstOrThrow();
		await fresh.db
			.insertInto('quote')
			.values({ theme_id: theme.id, answer_id: q1.id, starred_by: admin.id, starred_at: new Date().toISOString() })
			.execute();
		await fresh.db
			.insertInto('survey_draft')
			.values({
				id: randomUUID(),
				consultation_id: c.id,
				submission_id: online.id,
				data: JSON.stringify({ answers: { q3: `${word} draft` } }),
				created_at: new Date().toISOString(),
				updated_at: new Date().toISOString()
			})
			.execute();
		// Audit rows as written before the log kept only ids and field names.
		const legacy = (entity: string, id: string | number, before: string | null, detail: string | null) =>
			fresh.db
				.insertInto('audit_log')
				.values({
					at: new Date().toISOString(),
					user_id: admin.id,
					action: 'legacy',
					entity,
					entity_id: String(id),
					before,
					after: null,
					detail
				})
				.execute();
		await legacy('submission', online.id, JSON.stringify({ text: `${word} before` }), null);
		await legacy('answer', q1.id, null, `viewed ${word}`);
		await legacy('safeguarding_flag', flag.id, JSON.stringify({ status: 'new', note: `${word} note` }), null);

		// Face-to-face: one leaf edited, one deleted by staff.
		const edited = {
			id: randomUUID(),
			sessionId,
			questionKey: 'q1',
			group: 'child',
			district: null,
			text: `${word} as typed`
		};
		const deleted = {
			id: randomUUID(),
			sessionId,
			questionKey: 'q1',
			group: 'child',
			district: null,
			text: `${word} typed by mistake`
		};
		expect((await syncEntries(fresh.db, [edited, deleted], staff)).accepted).toHaveLength(2);
		// Theme discovery keeps example answers as text: the online answer and the leaf as first typed.
		await fresh.db.deleteFrom('theme_candidate').execute();
		await fresh.db
			.insertInto('theme_candidate')
			.values({
				question_id: q1.question_id,
				label: 'Dads',
				phrases: '["dad"]',
				size: 3,
				examples: JSON.stringify([(q1.redacted_text ?? q1.text)!.trim(), edited.text, 'More buses at night']),
				status: 'new',
				created_at: new Date().toISOString()
			})
			.execute();
		// Discovery names a cluster by its words: a word only this person used becomes a label and a phrase.
		await fresh.db
			.insertInto('theme_candidate')
			.values({
				question_id: q1.question_id,
				label: `${word} night`,
				phrases: JSON.stringify([word, 'night']),
				size: 2,
				examples: '[]',
				status: 'new',
				created_at: new Date().toISOString()
			})
			.execute();
		// Staff's notes about the session can name what a child said.
		await fresh.db
			.updateTable('collection_session')
			.set({ notes: `Talked to the boy who said ${word}` })
			.where('id', '=', sessionId)
			.execute();
		await updateEntry(
			fresh.db,
			edited.id,
			{ text: `${word} as corrected`, questionKey: 'q1', group: 'child', district: null },
			staff
		);
		const examples = await fresh.db.selectFrom('theme_candidate').select('examples').executeTakeFirstOrThrow();
		expect(JSON.parse(examples.examples)).not.toContain(edited.text);
		await deleteEntry(fresh.db, deleted.id, staff);
		const audits = await fresh.db
			.selectFrom('audit_log')
			.select(['action', 'before', 'after', 'detail'])
			.where('entity_id', 'in', [edited.id, deleted.id])
			.orderBy('id')
			.execute();
		expect(audits.map((a) => a.action)).toEqual(['entry.update', 'entry.delete']);
		expect(JSON.parse(audits[0].detail!)).toEqual({ fields: ['text'] });
		expect(JSON.stringify(audits)).not.toContain(word);

		const kept = await fresh.db
			.selectFrom('submission')
			.select('reference')
			.where('id', 'in', [online.id, edited.id])
			.execute();
		// The deleted leaf lives on for a few minutes as its undo copy; its reference still reaches it.
		return [...kept.map((k) => k.reference), referenceFor(deleted.id)];
	}

	const EVERY_PLACE = [
		'answer.text',
		'answer.redacted_text',
		'audit_log.before',
		'audit_log.detail',
		'collection_session.notes',
		'entry_undo.snapshot',
		'safeguarding_flag.matches',
		'safeguarding_flag.note',
		'safeguarding_concern.note',
		'submission.eq_gender_self',
		'survey_draft.data',
		'theme_candidate.examples',
		'theme_candidate.label',
		'theme_candidate.phrases'
	];

	it('after deletion on request, nothing of the submission is left anywhere, while other answers stay', async () => {
		const gone = 'Zephyrquill';
		const stays = 'Marrowlark';
		const refs = await plantEverywhere(gone);
		await submit(stays);
		// Another respondent used "dad" too: the "Dads" candidate is not this person's alone and stays.
		await submit(`${stays} my dad drives me`);
		expect(await whereIs(gone)).toEqual(expect.arrayContaining(EVERY_PLACE));

		for (const ref of refs) expect(await deleteByReference(fresh.db, ref)).not.toBeNull();

		expect(await whereIs(gone)).toEqual([]);
		// The search does find what is still there: the other respondent's words and the control.
		expect(await whereIs(stays)).toEqual(
			expect.arrayContaining(['answer.text', ...(engine === 'sqlite' ? ['test.sqlite'] : [])])
		);
		expect(await whereIs(CONTROL)).toContain('location.name');
		const candidates = await fresh.db.selectFrom('theme_candidate').select(['label', 'examples']).execute();
		expect(candidates).toEqual([{ label: 'Dads', examples: JSON.stringify(['More buses at night']) }]);
	});

	it('after retention, no word of the consultation is left anywhere, and the counts remain', async () => {
		const gone = 'Quillonfrost';
		await plantEverywhere(gone);
		const answersBefore = await fresh.db
			.selectFrom('answer')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.executeTakeFirstOrThrow();
		expect(await whereIs(gone)).toEqual(expect.arrayContaining(EVERY_PLACE));

		const result = await applyRetention(fresh.db, { now: new Date('2028-01-01T12:00:00Z') });
		expect(result.consultations[0].answersCleared).toBeGreaterThan(0);

		expect(await whereIs(gone)).toEqual([]);
		expect(await whereIs('Marrowlark')).toEqual([]);
		expect(await whereIs(CONTROL)).toEqual(
			expect.arrayContaining(['location.name', ...(engine === 'sqlite' ? ['test.sqlite'] : [])])
		);
		const answersAfter = await fresh.db
			.selectFrom('answer')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.executeTakeFirstOrThrow();
		expect(Number(answersAfter.n)).toBe(Number(answersBefore.n));
		const flags = await fresh.db
			.selectFrom('safeguarding_flag')
			.select(['level', 'status', 'matches', 'note'])
			.execute();
		expect(flags.length).toBeGreaterThan(0);
		expect(flags.every((f) => f.matches === '[]' && f.note === null && f.level && f.status)).toBe(true);
		// A second run has nothing left to do.
		expect(
			(await applyRetention(fresh.db, { now: new Date('2028-01-01T12:00:00Z') })).consultations[0].answersCleared
		).toBe(0);
	});

	async function submit(text: string) {
		const c = (await getConsultation(fresh.db, SLUG))!;
		return saveSubmission(
			fresh.db,
			c,
			submissionSchema.parse({ id: randomUUID(), perspectives: [{ group: 'child', answers: { q1: text } }] }),
			{ channel: 'online' }
		);
	}
});

describeEachEngine('audit rows written before the log kept only ids', (engine) => {
	it('lose their texts, notes and emails on migration, keeping codes and the names of the changed fields', async () => {
		const fresh = await emptyDatabase(engine);
		try {
			const migrator = new Migrator({ db: fresh.db, provider: { getMigrations: async () => migrations } });
			expect((await migrator.migrateTo('2026-11-22-0004-analysis-indexes')).error).toBeUndefined();
			const row = (
				action: string,
				entity: string,
				before: object | null,
				after: object | null,
				detail: string | null = null
			) => ({
				at: '2026-11-01T00:00:00.000Z',
				user_id: null,
				action,
				entity,
				entity_id: '1',
				before: before && JSON.stringify(before),
				after: after && JSON.stringify(after),
				detail
			});
			await fresh.db
				.insertInto('audit_log')
				.values([
					row(
						'entry.update',
						'submission',
						{ text: 'Jake hurts me', questionKey: 'q1', group: null },
						{ text: 'Jake hits me', questionKey: 'q1', group: 'child' }
					),
					row('entry.delete', 'submission', { text: 'my address is 3 Elm Road', questionKey: 'q2' }, null),
					row(
						'safeguarding.update',
						'safeguarding_flag',
						{ status: 'new', note: null },
						{ status: 'referred', note: 'Rang Jake’s school' }
					),
					row(
						'user.update',
						'app_user',
						{ email: 'x@y.gov.uk', role: 'officer' },
						{ email: 'x@y.gov.uk', role: 'admin' }
					),
					row('login.failed', 'app_user', null, null, 'wrong password')
				])
				.execute();
			await migrateToLatest(fresh.db);
			const rows = await fresh.db
				.selectFrom('audit_log')
				.select(['action', 'before', 'after', 'detail'])
				.orderBy('id')
				.execute();
			expect(JSON.stringify(rows)).not.toMatch(/Jake|Elm Road|x@y/);
			const [update, del, flag, user, login] = rows.map((r) => ({
				...r,
				before: JSON.parse(r.before ?? 'null'),
				after: JSON.parse(r.after ?? 'null')
			}));
			expect(update).toMatchObject({
				before: { questionKey: 'q1', group: null },
				after: { questionKey: 'q1', group: 'child' }
			});
			expect(JSON.parse(update.detail!)).toEqual({ fields: ['text'] });
			expect(del.before).toEqual({ questionKey: 'q2' });
			expect(flag).toMatchObject({ before: { status: 'new' }, after: { status: 'referred' } });
			expect(JSON.parse(flag.detail!)).toEqual({ fields: ['note'] });
			expect(user).toMatchObject({ before: { role: 'officer' }, after: { role: 'admin' } });
			expect(login.detail).toBe('wrong password');
		} finally {
			await fresh.drop();
		}
	});
});

describeEachEngine('audit entries', (engine) => {
	it('redact a text a writer still passes, and a purge scrubs words while keeping ids, codes and field names', async () => {
		const fresh = await preparedDatabase(engine);
		try {
			await audit(fresh.db, {
				userId: null,
				action: 'import.commit',
				entity: 'consultation',
				entityId: 1,
				detail: { filename: "my friend Jake O'Neil WR1  2AB jake at gmail dot com.xlsx", rows: 3 }
			});
			const row = await fresh.db
				.selectFrom('audit_log')
				.select('detail')
				.where('action', '=', 'import.commit')
				.executeTakeFirstOrThrow();
			expect(JSON.parse(row.detail!)).toEqual({ filename: 'my friend [name] [postcode] [email].xlsx', rows: 3 });
			expect(
				scrubAuditJson(
					JSON.stringify({
						themes: [3, 4],
						fields: ['text'],
						questionKey: 'q1',
						text: 'Jake hits me',
						note: 'rang Jake'
					})
				)
			).toBe(
				JSON.stringify({ themes: [3, 4], fields: ['text'], questionKey: 'q1', text: '[deleted]', note: '[deleted]' })
			);
			expect(scrubAuditJson('free text about Jake')).toBe('[deleted]');
			expect(scrubAuditJson(null)).toBeNull();
		} finally {
			await fresh.drop();
		}
	});
});
