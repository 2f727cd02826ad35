/**
 * The consultation builder's rules, on both engines: a new consultation from
 * scratch is a complete, loadable definition; a duplicate is independent of its
 * original; a question or group with answers cannot be removed; a change of
 * wording after answers is a new version and each answer keeps the version it
 * was given; export → import → export gives the same bytes; the lifecycle only
 * moves draft → open → closed → archived.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
	BuilderError,
	definitionText,
	duplicateConsultation,
	lifecycleState,
	moveConsultation,
	parseDefinitionText,
	saveConsultation,
	storedDefinition,
	templates
} from '../src/lib/server/consultations/builder';
import { withoutNpmBanner } from '../src/lib/server/consultations/definition';
import { getConsultation, getConsultationCached, openState } from '../src/lib/server/consultations/queries';
import { submitResponse } from '../src/lib/server/survey/submit';
import { stepPaths, toSubmissionInput } from '../src/lib/server/survey/flow';
import { shapeOf } from '../src/lib/server/survey/context';
import { definitionInput, draftOf } from '../src/lib/domain/consultation-form';
import { questionForm } from '../src/lib/schemas/survey';
import { translationFields, withTranslation } from '../src/lib/domain/translation-form';
import { planImport } from '../src/lib/server/import/plan';
import { wordingsAsAsked } from '../src/lib/server/consultations/wordings';
import { codebookFile, importCodebookFile } from '../src/lib/server/consultations/codebook-files';
import { parseCodebook } from '../src/lib/themes/codebook';
import { asRespondentsSeeIt } from '../src/lib/server/survey/context';
import { saveSubmission } from '../src/lib/server/submissions/save';
import { submissionSchema } from '../src/lib/schemas/submission';
import { consultationFileSchema, type ConsultationFile } from '../src/lib/schemas/consultation-file';
import { blankDefinition } from '../src/lib/domain/consultation-form';
import { migrateToLatest } from '../src/lib/server/db/migrate';
import { openDatabase } from '../src/lib/server/db/connect';
import { parseDatabaseUrl } from '../src/lib/server/db/config';
import { describeEachEngine, emptyDatabase, preparedDatabase, type FreshDb } from './helpers/databases';
import { SLUG } from './helpers/consultation';

async function answer(db: FreshDb['db'], slug: string, group: string, answers: Record<string, string>) {
	const c = (await getConsultation(db, slug))!;
	const input = submissionSchema.parse({ id: randomUUID(), perspectives: [{ group, answers }] });
	await saveSubmission(db, c, input, { channel: 'online' });
}

describeEachEngine('consultation builder', (engine) => {
	let fresh: FreshDb;
	beforeAll(async () => {
		fresh = await preparedDatabase(engine);
	});
	afterAll(async () => {
		await fresh?.drop();
	});

	it('creates a consultation from scratch with complete defaults that the file schema accepts', async () => {
		const def = blankDefinition('youth-review', 'Youth service review', 'Anyshire Council');
		expect(consultationFileSchema.safeParse(def).success).toBe(true);
		await saveConsultation(fresh.db, def, null, null);
		const view = (await getConsultation(fresh.db, 'youth-review'))!;
		expect(view.status).toBe('draft');
		expect(view.groups.map((g) => g.code)).toEqual(['child', 'young_person', 'parent_carer', 'practitioner', 'other']);
		expect(view.privacyNotice.length).toBeGreaterThan(100);
		expect(view.content.privacy.length).toBeGreaterThan(0);
		await expect(saveConsultation(fresh.db, def, null, null)).rejects.toThrow(/already a consultation/);
	});

	it('ships the youth club template: 3 questions, children and young people only', () => {
		const youth = templates().find((t) => t.name === 'youth-club')!;
		expect(youth.definition.questions).toHaveLength(3);
		expect(youth.definition.groups.map((g) => g.code)).toEqual(['child', 'young_person']);
		expect(templates().some((t) => t.definition.slug === SLUG)).toBe(true);
	});

	it('duplicates a consultation as an independent draft copy', async () => {
		await duplicateConsultation(fresh.db, SLUG, { slug: 'cypp-copy', title: 'A copy' }, null);
		const copy = (await storedDefinition(fresh.db, 'cypp-copy'))!;
		expect(copy.status).toBe('draft');
		expect(copy.codebooks).toBeUndefined();
		copy.questions[0].text = 'Reworded in the copy only';
		copy.groups = copy.groups.slice(0, 3);
		await saveConsultation(fresh.db, copy, 'cypp-copy', null);
		const original = (await getConsultation(fresh.db, SLUG))!;
		expect(original.questions[0].text).toBe('What is most important to children and young people?');
		expect(original.groups).toHaveLength(5);
		const copied = (await getConsultation(fresh.db, 'cypp-copy'))!;
		expect(copied.questions[0].text).toBe('Reworded in the copy only');
		expect(copied.groups).toHaveLength(3);
		expect(copied.id).not.toBe(original.id);
	});

	it('refuses to remove a question or group with answers, writing nothing, but lets it be hidden', async () => {
		const def = blankDefinition('removals', 'Removals', 'Anyshire Council');
		def.questions.push({ key: 'q2', text: 'Second?', easyRead: 'Second?' });
		await saveConsultation(fresh.db, def, null, null);
		await moveConsultation(fresh.db, 'removals', 'open', null);
		await answer(fresh.db, 'removals', 'child', { q2: 'an answer to q2' });

		const withoutQ2 = { ...def, title: 'Changed title', questions: [def.questions[0]] };
		const refused = await saveConsultation(fresh.db, withoutQ2, 'removals', null).catch((e) => e);
		expect(refused).toBeInstanceOf(BuilderError);
		expect(refused.message).toMatch(/q2 has answers/);
		const after = (await getConsultation(fresh.db, 'removals'))!;
		expect(after.title).toBe('Removals');
		expect(after.questions.map((q) => q.key)).toEqual(['q1', 'q2']);

		const withoutChild = { ...def, groups: def.groups.filter((g) => g.code !== 'child') };
		await expect(saveConsultation(fresh.db, withoutChild, 'removals', null)).rejects.toThrow(/"child" has answers/);

		// A question nobody answered can go; an answered one can be hidden from new respondents.
		const hidden: ConsultationFile = {
			...def,
			questions: [{ ...def.questions[1], hidden: true }],
			groups: def.groups.map((g) => (g.code === 'child' ? { ...g, hidden: true } : g))
		};
		await saveConsultation(fresh.db, hidden, 'removals', null);
		const view = (await getConsultation(fresh.db, 'removals'))!;
		expect(view.questions.map((q) => [q.key, q.hidden])).toEqual([['q2', true]]);
		const respondents = asRespondentsSeeIt(view);
		expect(respondents.questions).toEqual([]);
		expect(respondents.groups.map((g) => g.code)).not.toContain('child');
	});

	it('versions a wording changed after answers, and counts the answers per wording', async () => {
		const def = blankDefinition('wordings', 'Wordings', 'Anyshire Council');
		await saveConsultation(fresh.db, def, null, null);
		// Before any answers, a change of wording simply replaces it.
		def.questions[0].text = 'What matters to you?';
		await saveConsultation(fresh.db, def, 'wordings', null);
		await moveConsultation(fresh.db, 'wordings', 'open', null);
		const id = (await getConsultation(fresh.db, 'wordings'))!.id;
		expect(await wordingsAsAsked(fresh.db, id)).toEqual([]);

		await answer(fresh.db, 'wordings', 'child', { q1: 'first wording answer one' });
		await answer(fresh.db, 'wordings', 'parent_carer', { q1: 'first wording answer two' });
		def.questions[0].text = 'What matters most to you and your friends?';
		await saveConsultation(fresh.db, def, 'wordings', null);
		await answer(fresh.db, 'wordings', 'young_person', { q1: 'second wording answer' });

		const asked = await wordingsAsAsked(fresh.db, id);
		expect(asked).toHaveLength(1);
		expect(asked[0].versions.map((v) => [v.version, v.text, v.answers])).toEqual([
			[1, 'What matters to you?', 2],
			[2, 'What matters most to you and your friends?', 1]
		]);
		// Saving again without a change makes no new version.
		await saveConsultation(fresh.db, def, 'wordings', null);
		expect((await wordingsAsAsked(fresh.db, id))[0].versions).toHaveLength(2);
	});

	it("honours each question's character limit and required/optional on the JSON API and the question page", async () => {
		const def = blankDefinition('limits', 'Limits', 'Anyshire Council');
		def.questions[0] = { ...def.questions[0], maxLength: 10, required: true };
		def.questions.push({ key: 'q2', text: 'Anything else?', easyRead: 'Anything else?' });
		await saveConsultation(fresh.db, def, null, null);
		await moveConsultation(fresh.db, 'limits', 'open', null);
		const view = (await getConsultation(fresh.db, 'limits'))!;
		expect(view.questions.map((q) => [q.key, q.maxLength, q.required])).toEqual([
			['q1', 10, true],
			['q2', 2000, false]
		]);
		const send = (answers: Record<string, string>) =>
			submitResponse(fresh.db, 'limits', { id: randomUUID(), perspectives: [{ group: 'child', answers }] });
		// Over the question's own limit (counted as the page counts: 11 emoji are 11 characters).
		const long = await send({ q1: '😀'.repeat(11) });
		expect(long).toMatchObject({ kind: 'invalid', fieldErrors: { 'perspectives[0].answers.q1': /10 characters/ } });
		// A required question left blank, even when another is answered.
		const blank = await send({ q2: 'something' });
		expect(blank).toMatchObject({ kind: 'invalid', fieldErrors: { 'perspectives[0].answers.q1': /required/ } });
		expect((await send({ q1: '😀'.repeat(10) })).kind).toBe('created');
		// The question page: the GOV.UK messages, with the limit.
		const page = (answer: string) => questionForm(false, view.questions[0]).safeParse({ answer });
		expect(page('').error?.issues[0].message).toBe('Enter your answer to this question');
		expect(page('x'.repeat(11)).error?.issues[0].message).toBe(
			'Your answer must be 10 characters or fewer (this has 11)'
		);
		expect(page('x'.repeat(10)).success).toBe(true);
		expect(questionForm(false, view.questions[1]).safeParse({ answer: '' }).success).toBe(true);
		// Import: a row over the question's limit is refused with the limit.
		const plan = planImport(
			view,
			{ format: 'csv', headers: ['Text', 'Question'], rows: [{ rowNumber: 2, cells: ['x'.repeat(11), 'q1'] }] },
			{ text: 0, question: 1, group: -1, district: -1, location: -1, id: -1, date: -1, channel: -1 },
			'hash'
		);
		expect(JSON.stringify(plan)).toMatch(/the limit is 10/);
		// The limit can never be above the installation's one maximum.
		def.questions[0].maxLength = 2001;
		expect(consultationFileSchema.safeParse(def).success).toBe(false);
	});

	it('asks only the "About you" questions the consultation chose, and none when it chose none', async () => {
		const def = blankDefinition('about-choice', 'About choice', 'Anyshire Council');
		def.about = { asked: ['gender', 'ethnicity'] };
		await saveConsultation(fresh.db, def, null, null);
		await moveConsultation(fresh.db, 'about-choice', 'open', null);
		let view = (await getConsultation(fresh.db, 'about-choice'))!;
		const data = {
			groups: ['parent_carer'],
			answers: {},
			aboutWanted: true,
			about: { gender: 'woman', disability: 'yes' }
		};
		expect(stepPaths(data as never, shapeOf(view)).filter((s) => s.startsWith('about'))).toEqual([
			'about',
			'about/gender',
			'about/ethnicity'
		]);
		// An answer kept from before is not sent; the API refuses a question not asked.
		expect(toSubmissionInput(data as never, randomUUID(), shapeOf(view)).about).toEqual({ gender: 'woman' });
		const refused = await submitResponse(fresh.db, 'about-choice', {
			id: randomUUID(),
			perspectives: [{ group: 'parent_carer', answers: { q1: 'hello' } }],
			about: { disability: 'yes' }
		});
		expect(refused).toMatchObject({ kind: 'invalid', fieldErrors: { 'about.disability': /not asked/ } });
		def.about = { asked: [] };
		await saveConsultation(fresh.db, def, 'about-choice', null);
		view = (await getConsultation(fresh.db, 'about-choice'))!;
		expect(stepPaths(data as never, shapeOf(view)).some((s) => s.startsWith('about'))).toBe(false);
		// The builder's form round-trip: all five asked is the default and is left out of the file.
		const all = definitionInput(
			{ ...draftOf(def), aboutAsked: draftOf(blankDefinition('x', 'x', 'x')).aboutAsked },
			def
		);
		expect(all.about).toBeUndefined();
		expect(definitionInput(draftOf(def), def).about).toEqual({ asked: [] });
	});

	it('shows a saved wording at once to submissions, even right after a cached read', async () => {
		const def = blankDefinition('instant', 'Instant', 'Anyshire Council');
		await saveConsultation(fresh.db, def, null, null);
		await moveConsultation(fresh.db, 'instant', 'open', null);
		await answer(fresh.db, 'instant', 'child', { q1: 'one' });
		const first = (await getConsultationCached(fresh.db, 'instant'))!;
		expect(first.questions[0].text).toBe('What matters most to you?');
		// One copy: the stamp check and the no-query read give the same object while nothing changes.
		expect(await getConsultationCached(fresh.db, 'instant')).toBe(first);
		expect(await getConsultationCached(fresh.db, 'instant', { reuseForMs: 60_000 })).toBe(first);
		def.questions[0].text = 'What would make things better?';
		await saveConsultation(fresh.db, def, 'instant', null);
		const after = (await getConsultationCached(fresh.db, 'instant'))!;
		expect(after.questions[0].text).toBe('What would make things better?');
		expect(after.questions[0].wordingVersion).toBe(2);
		// The submission path's no-query copy (this process) is dropped by the save too.
		def.questions[0].text = 'What would you change?';
		await saveConsultation(fresh.db, def, 'instant', null);
		expect(
			(await getConsultationCached(fresh.db, 'instant', { reuseForMs: 60_000 }))!.questions[0].wordingVersion
		).toBe(3);
	});

	it('sees a write made by another app instance at the next stamp check, and after the no-query time', async () => {
		const def = blankDefinition('elsewhere', 'Elsewhere', 'Anyshire Council');
		await saveConsultation(fresh.db, def, null, null);
		await moveConsultation(fresh.db, 'elsewhere', 'open', null);
		await answer(fresh.db, 'elsewhere', 'child', { q1: 'one' });
		const cached = (await getConsultationCached(fresh.db, 'elsewhere'))!;
		expect(cached.questions[0].wordingVersion).toBe(1);
		// Another instance: the same database through its own connection, so nothing in this process hears of it.
		const other = await openDatabase(parseDatabaseUrl(fresh.url));
		try {
			def.questions[0].text = 'Reworded on another instance';
			await saveConsultation(other.db, def, 'elsewhere', null);
			await moveConsultation(other.db, 'elsewhere', 'closed', null);
		} finally {
			await other.close();
		}
		// Within the no-query time this process still has its copy (the writer rechecks open/closed in its commit).
		expect((await getConsultationCached(fresh.db, 'elsewhere', { reuseForMs: 60_000 }))!.status).toBe('open');
		const now = (await getConsultationCached(fresh.db, 'elsewhere'))!;
		expect(now.status).toBe('closed');
		expect(now.questions[0].text).toBe('Reworded on another instance');
		expect(now.questions[0].wordingVersion).toBe(2);
		expect((await getConsultationCached(fresh.db, 'elsewhere', { reuseForMs: 0 }))!.status).toBe('closed');
		// Reopened by hand, leaving updated_at alone: whether it is open is still the row's.
		await fresh.db.updateTable('consultation').set({ status: 'open' }).where('slug', '=', 'elsewhere').execute();
		expect((await getConsultationCached(fresh.db, 'elsewhere'))!.status).toBe('open');
	});

	it("edits one language's words through the builder form, keeping what the form does not show", async () => {
		const def = blankDefinition('welsh', 'Welsh', 'Anyshire Council');
		def.questions[0].byGroup = { child: { text: 'What do you like?' } };
		def.translations = { cy: { privacyNotice: 'Hysbysiad preifatrwydd' }, pl: { title: 'Tytuł' } };
		def.districts = [{ code: 'north', label: 'North' }];
		const ids = translationFields(def, 'cy').map((f) => f.id);
		// Every word a respondent sees that the council wrote: group and area names and the privacy notice too.
		expect(ids).toEqual([
			'title',
			'description',
			'privacyNotice',
			...def.groups.flatMap((g) => [`g-${g.code}-label`, `g-${g.code}-easyReadLabel`]),
			'd-north',
			'q-q1-text',
			'q-q1-easyRead',
			'q-q1-byGroup-child-text'
		]);
		expect(translationFields(def, 'cy').find((f) => f.id === 'privacyNotice')!.value).toBe('Hysbysiad preifatrwydd');
		const edited = withTranslation(def, 'cy', {
			title: ' Cymreig ',
			description: '',
			privacyNotice: 'Hysbysiad preifatrwydd',
			'g-child-label': 'Plentyn (12 neu iau)',
			'd-north': 'Y Gogledd',
			'q-q1-text': 'Beth sydd bwysicaf i chi?',
			'q-q1-easyRead': '',
			'q-q1-byGroup-child-text': 'Beth wyt ti’n ei hoffi?'
		});
		expect(edited.translations).toEqual({
			cy: {
				privacyNotice: 'Hysbysiad preifatrwydd',
				title: 'Cymreig',
				groups: { child: { label: 'Plentyn (12 neu iau)' } },
				districts: { north: 'Y Gogledd' },
				questions: {
					q1: { text: 'Beth sydd bwysicaf i chi?', byGroup: { child: { text: 'Beth wyt ti’n ei hoffi?' } } }
				}
			},
			pl: { title: 'Tytuł' }
		});
		await saveConsultation(fresh.db, consultationFileSchema.parse(edited), null, null);
		const view = (await getConsultation(fresh.db, 'welsh'))!;
		expect(view.translations.cy?.questions?.q1?.text).toBe('Beth sydd bwysicaf i chi?');
		expect(view.translations.cy?.groups?.child?.label).toBe('Plentyn (12 neu iau)');
		// Emptying every field removes the language, and the file is as before.
		const cleared = withTranslation({ ...def, translations: { pl: { title: 'Tytuł' } } }, 'cy', {});
		expect(cleared.translations).toEqual({ pl: { title: 'Tytuł' } });
	});

	it('moves only draft → open → closed → archived (and reopens a closed one)', async () => {
		await saveConsultation(fresh.db, blankDefinition('life', 'Life', 'Anyshire Council'), null, null);
		await expect(moveConsultation(fresh.db, 'life', 'archived', null)).rejects.toThrow(/draft cannot be made archived/);
		await moveConsultation(fresh.db, 'life', 'open', null);
		expect(openState((await getConsultation(fresh.db, 'life'))!)).toBe('open');
		await moveConsultation(fresh.db, 'life', 'closed', null);
		await moveConsultation(fresh.db, 'life', 'archived', null);
		expect((await lifecycleState(fresh.db, 'life'))!.state).toBe('archived');
		const view = (await getConsultation(fresh.db, 'life'))!;
		expect(openState(view)).toBe('closed');
		await expect(moveConsultation(fresh.db, 'life', 'open', null)).rejects.toThrow(/archived cannot be made open/);
		// The exported file says what the database says.
		expect((await storedDefinition(fresh.db, 'life'))!.status).toBe('closed');
	});

	it('exports and imports a consultation byte-identically, into another installation', async () => {
		const exported = definitionText((await storedDefinition(fresh.db, SLUG))!);
		const other = await emptyDatabase(engine);
		try {
			await migrateToLatest(other.db);
			// What `npm run consultation -- export SLUG > FILE` writes without --silent: npm's banner first.
			const file = `\n> app@0.0.0 consultation\n> tsx scripts/consultation.ts export ${SLUG}\n\n${exported}`;
			expect(withoutNpmBanner(file)).toBe(exported);
			const read = parseDefinitionText(file);
			if (!read.ok) throw new Error(JSON.stringify(read.errors));
			await saveConsultation(other.db, read.definition, null, null);
			const again = definitionText((await storedDefinition(other.db, SLUG))!);
			expect(again).toBe(exported);
			expect(Buffer.from(again).equals(Buffer.from(exported))).toBe(true);
		} finally {
			await other.drop();
		}
	});

	it('refuses a file that is not a consultation, naming the field', () => {
		const bad = parseDefinitionText(JSON.stringify({ ...blankDefinition('x', 'X', 'Y'), questions: [] }));
		expect(bad.ok).toBe(false);
		if (!bad.ok) expect(bad.errors.file).toMatch(/at least one question/);
		const notJson = parseDefinitionText('{ nope');
		expect(notJson.ok).toBe(false);
	});

	it('exports a codebook as the file the CLI reads and imports it into a question without themes', async () => {
		const source = (await getConsultation(fresh.db, SLUG))!;
		const text = (await codebookFile(fresh.db, source.id, 'q1'))!;
		const shipped = parseCodebook(text);
		expect(shipped.themes.length).toBeGreaterThan(5);
		await saveConsultation(fresh.db, blankDefinition('codebook-target', 'Target', 'Anyshire Council'), null, null);
		const target = (await getConsultation(fresh.db, 'codebook-target'))!;
		expect(await importCodebookFile(fresh.db, target.id, 'q1', text, null)).toBe(shipped.themes.length);
		const back = parseCodebook((await codebookFile(fresh.db, target.id, 'q1'))!);
		expect(back).toEqual(shipped);
		// A question that has themes keeps them: its codebook is edited, not replaced.
		await expect(importCodebookFile(fresh.db, target.id, 'q1', text, null)).rejects.toThrow(/already has themes/);
		await expect(importCodebookFile(fresh.db, target.id, 'q1', '{"themes": []}', null)).rejects.toThrow(/not valid/);
	});
});
