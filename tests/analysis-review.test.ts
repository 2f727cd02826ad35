import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { loadSmallFixture, type Fixture } from './fixtures/analysis/small';
import { parseFilters, parseReviewFilters } from '../src/lib/analysis/filters';
import { scopeOf } from '../src/lib/server/analysis/scope';
import { listAnswers, setAnswerThemes, bulkCode, ReviewError, codeNextPool } from '../src/lib/server/review';
import { setStar, starredQuotes, suggestQuotes } from '../src/lib/server/review/quotes';
import {
	addTheme,
	mergeThemes,
	splitTheme,
	updateTheme,
	decideCandidate,
	discoverCandidates,
	listCandidates,
	CodebookEditError
} from '../src/lib/server/codebook';
import { questionThemeTables } from '../src/lib/server/analysis/dashboard';
import { agreementTable } from '../src/lib/server/analysis/registry';
import { cachedAnalysis, dataVersion } from '../src/lib/server/analysis/cache';

describeEachEngine('review, recoding, codebook and quotes', (engine) => {
	let fresh: FreshDb;
	let fx: Fixture;
	const scope = (qs = 'min=0') => scopeOf(fx.c, parseFilters(new URLSearchParams(qs)));
	const links = { base: '/b', filters: parseFilters(new URLSearchParams('min=0')) };
	const user = () => ({ id: fx.officerId });
	const applied = async (answerId: number) =>
		(
			await fresh.db
				.selectFrom('answer_theme')
				.innerJoin('theme', 'theme.id', 'answer_theme.theme_id')
				.select(['theme.label'])
				.where('answer_id', '=', answerId)
				.where('applies', '=', 1)
				.where('theme.status', '=', 'active')
				.orderBy('theme.label')
				.execute()
		).map((r) => r.label);
	beforeAll(async () => {
		fresh = await preparedDatabase(engine);
		fx = await loadSmallFixture(fresh.db);
	});
	afterAll(() => fresh?.drop());

	it('lists answers behind a cell, uncoded and unreviewed ones, showing redacted text', async () => {
		await fresh.db
			.updateTable('answer')
			.set({ redacted_text: 'my dog [name]' })
			.where('id', '=', fx.answers.S2)
			.execute();
		const child = await listAnswers(
			fresh.db,
			scope(`min=0&question=q1&group=child&theme=${fx.themes.pets}`),
			parseReviewFilters(new URLSearchParams(''))
		);
		expect(child.total).toBe(1);
		expect(child.answers[0]).toMatchObject({
			id: fx.answers.S2,
			text: 'my dog [name]',
			group: 'child',
			reviewedAt: null
		});
		expect(child.answers[0].themes).toEqual([
			{ id: fx.themes.pets, label: 'Pets', applies: true, source: 'auto', confidence: 0.9 }
		]);
		const uncoded = await listAnswers(fresh.db, scope('min=0'), parseReviewFilters(new URLSearchParams('uncoded=1')));
		expect(uncoded.answers.map((a) => a.id).sort()).toEqual([fx.answers.S1pcQ2, fx.answers.S5].sort());
		const low = await listAnswers(fresh.db, scope('min=0'), parseReviewFilters(new URLSearchParams('below=0.7')));
		expect(low.answers.map((a) => a.id)).toEqual([fx.answers.S4]);
	});

	it('code next: the pool is one question’s answers not yet reviewed, listed in the queue’s order, page by page', async () => {
		const rf = parseReviewFilters(new URLSearchParams('next=1'));
		expect(rf.next).toBe(true);
		const pool = await codeNextPool(fresh.db, scope('min=0&question=q1'), rf);
		const all = await listAnswers(
			fresh.db,
			scope('min=0&question=q1'),
			parseReviewFilters(new URLSearchParams('unreviewed=1')),
			100
		);
		expect(pool.map((a) => a.id)).toEqual(all.answers.map((a) => a.id));
		expect(pool.length).toBeGreaterThan(1);
		// each answer goes to the engine with the group it was given as (paired with its words by the learner)
		const groups = new Map(all.answers.map((a) => [a.id, a.group]));
		for (const a of pool) expect(a.perspective, String(a.id)).toBe(groups.get(a.id));
		expect(pool.some((a) => a.perspective)).toBe(true);
		const order = pool.map((a) => a.id).reverse();
		const page1 = await listAnswers(fresh.db, scope('min=0&question=q1'), rf, 1, undefined, order);
		const page2 = await listAnswers(fresh.db, scope('min=0&question=q1'), { ...rf, page: 2 }, 1, undefined, order);
		expect(page1.total).toBe(order.length);
		expect(page1.answers.map((a) => a.id)).toEqual([order[0]]);
		expect(page2.answers.map((a) => a.id)).toEqual([order[1]]);
	});

	it('records an officer’s coding as human decisions, audited, and moves the theme table', async () => {
		const before = (await questionThemeTables(fresh.db, fx.c, scope(), 'q1', { top: 5, minPct: 0 }, links))!;
		const col = before.counts.columns.findIndex((c) => c.key === 'parent_carer');
		const famRow = (t: typeof before) => t.counts.rows.find((r) => r.label === 'Family')!;
		expect(famRow(before).cells[col].n).toBe(1);

		// S1pc ("education"): keep Education, add Family
		const r = await setAnswerThemes(
			fresh.db,
			fx.c.id,
			fx.answers.S1pc,
			[fx.themes.education, fx.themes.family],
			user()
		);
		expect(r).toEqual({ before: ['Education'], after: ['Family', 'Education'] });
		const rows = await fresh.db
			.selectFrom('answer_theme')
			.selectAll()
			.where('answer_id', '=', fx.answers.S1pc)
			.orderBy('theme_id')
			.execute();
		expect(
			rows.map((x) => [x.theme_id, x.source, x.applies, x.confidence === null ? null : Number(x.confidence)])
		).toEqual(
			[
				[fx.themes.family, 'human', 1, null],
				[fx.themes.education, 'human', 1, 0.9]
			].sort((a, b) => (a[0] as number) - (b[0] as number))
		);
		const answer = await fresh.db
			.selectFrom('answer')
			.select(['reviewed_at', 'reviewed_by'])
			.where('id', '=', fx.answers.S1pc)
			.executeTakeFirstOrThrow();
		expect(answer.reviewed_by).toBe(fx.officerId);
		expect(answer.reviewed_at).not.toBeNull();
		const log = await fresh.db
			.selectFrom('audit_log')
			.selectAll()
			.where('action', '=', 'coding.review')
			.where('entity_id', '=', String(fx.answers.S1pc))
			.executeTakeFirstOrThrow();
		expect(log.user_id).toBe(fx.officerId);
		expect(JSON.parse(log.before!)).toEqual({ themes: [fx.themes.education], reviewed: false });
		expect(JSON.parse(log.after!)).toEqual({
			themes: expect.arrayContaining([fx.themes.family, fx.themes.education]),
			reviewed: true
		});
		expect(JSON.parse(log.after!).themes).toHaveLength(2);

		const after = (await questionThemeTables(fresh.db, fx.c, scope(), 'q1', { top: 5, minPct: 0 }, links))!;
		expect(famRow(after).cells[col].n).toBe(2);

		// remove: kept as applies = 0 so recoding never re-adds it
		await setAnswerThemes(fresh.db, fx.c.id, fx.answers.S4, [fx.themes.education], user());
		const removed = await fresh.db
			.selectFrom('answer_theme')
			.selectAll()
			.where('answer_id', '=', fx.answers.S4)
			.where('theme_id', '=', fx.themes.family)
			.executeTakeFirstOrThrow();
		expect([removed.source, removed.applies, Number(removed.confidence)]).toEqual(['human', 0, 0.6]);
		await expect(setAnswerThemes(fresh.db, fx.c.id, fx.answers.S5, [fx.themes.family], user())).rejects.toBeInstanceOf(
			ReviewError
		);
	});

	it('serves a cached page only while the data behind it is unchanged (a recode that swaps codings is seen)', async () => {
		const fp0 = await dataVersion(fresh.db);
		expect(await dataVersion(fresh.db)).toBe(fp0);
		let computed = 0;
		const page = () => cachedAnalysis(fresh.db, fx.c.id, `test-${engine}`, async () => ++computed);
		expect(await page()).toBe(1);
		expect(await page()).toBe(1);
		// swap: one coding switched off and another switched on, same number of rows and of applies = 1
		await fresh.db
			.updateTable('answer_theme')
			.set({ applies: 0 })
			.where('answer_id', '=', fx.answers.S2)
			.where('theme_id', '=', fx.themes.pets)
			.execute();
		await fresh.db
			.insertInto('answer_theme')
			.values({
				answer_id: fx.answers.S3,
				theme_id: fx.themes.pets,
				source: 'auto',
				applies: 0,
				confidence: 0.5,
				user_id: null,
				updated_at: 'x'
			})
			.execute();
		const fp1 = await dataVersion(fresh.db);
		await fresh.db
			.updateTable('answer_theme')
			.set({ applies: 1 })
			.where('answer_id', '=', fx.answers.S3)
			.where('theme_id', '=', fx.themes.pets)
			.execute();
		await fresh.db
			.updateTable('answer_theme')
			.set({ applies: 0 })
			.where('answer_id', '=', fx.answers.S3)
			.where('theme_id', '=', fx.themes.friends)
			.execute();
		await fresh.db
			.updateTable('answer_theme')
			.set({ applies: 1 })
			.where('answer_id', '=', fx.answers.S2)
			.where('theme_id', '=', fx.themes.pets)
			.execute();
		const fp2 = await dataVersion(fresh.db);
		expect(fp2).not.toBe(fp1);
		expect(await page()).toBe(2);
		// put the fixture back
		await fresh.db
			.deleteFrom('answer_theme')
			.where('answer_id', '=', fx.answers.S3)
			.where('theme_id', '=', fx.themes.pets)
			.execute();
		await fresh.db
			.updateTable('answer_theme')
			.set({ applies: 1 })
			.where('answer_id', '=', fx.answers.S3)
			.where('theme_id', '=', fx.themes.friends)
			.execute();
		expect(await page()).toBe(3);
	});

	it('measures agreement on the reviewed answers', async () => {
		const t = await agreementTable(fresh.db, fx.c, parseFilters(new URLSearchParams('')));
		const q1 = t.rows.find((r) => r.key === 'q1')!;
		// reviewed: S1pc (education tp, family fn), S4 (education tp, family fp): tp 2 fp 1 fn 1 -> F1 = 4/6
		expect(q1.cells[0].n).toBe(2);
		expect(q1.cells[4].text).toBe('0.67');
	});

	it('applies a theme to many answers at once', async () => {
		const n = await bulkCode(fresh.db, fx.c.id, [fx.answers.S2, fx.answers.S3], 'apply', fx.themes.friends, user());
		expect(n).toBe(2);
		expect(await applied(fx.answers.S2)).toEqual(['Friends', 'Pets']);
		expect(await applied(fx.answers.S3)).toEqual(['Friends']);
		const logs = await fresh.db
			.selectFrom('audit_log')
			.select('entity_id')
			.where('action', '=', 'coding.apply')
			.execute();
		expect(logs).toHaveLength(2);
		await expect(bulkCode(fresh.db, fx.c.id, [fx.answers.S5], 'apply', fx.themes.friends, user())).rejects.toThrow(
			/another question/
		);
	});

	it('edits the codebook: add, rename, merge (human decisions kept), split by keywords', async () => {
		const q1 = fx.c.questions[0].id;
		const added = await addTheme(
			fresh.db,
			fx.c.id,
			{ questionId: q1, label: 'Animals and nature', keywords: ['dog'] },
			user()
		);
		expect(added.code).toBe('animals-and-nature');
		await expect(
			addTheme(fresh.db, fx.c.id, { questionId: q1, label: 'animals and nature' }, user())
		).rejects.toBeInstanceOf(CodebookEditError);
		await updateTheme(
			fresh.db,
			fx.c.id,
			added.id,
			{ label: 'Animals', description: 'Pets and animals', keywords: ['dog', 'cat'] },
			user()
		);
		const t = await fresh.db.selectFrom('theme').selectAll().where('id', '=', added.id).executeTakeFirstOrThrow();
		expect([t.label, t.description, JSON.parse(t.keywords)]).toEqual(['Animals', 'Pets and animals', ['dog', 'cat']]);

		// merge Pets into Animals: S2 keeps the theme under the new name; Pets retired
		await mergeThemes(fresh.db, fx.c.id, fx.themes.pets, added.id, user());
		expect(await applied(fx.answers.S2)).toEqual(['Animals', 'Friends']);
		const pets = await fresh.db
			.selectFrom('theme')
			.select(['status', 'parent_id'])
			.where('id', '=', fx.themes.pets)
			.executeTakeFirstOrThrow();
		expect(pets).toEqual({ status: 'retired', parent_id: added.id });

		// split Education into School / Learning by keywords: "education" answers match "education" keyword of Learning
		const r = await splitTheme(
			fresh.db,
			fx.c.id,
			fx.themes.education,
			[
				{ label: 'School', keywords: ['school'] },
				{ label: 'Learning', keywords: ['education', 'learning'] }
			],
			user()
		);
		expect(r.unmatched).toBe(0);
		expect(await applied(fx.answers.S1pc)).toEqual(['Family', 'Learning']);
		expect(await applied(fx.answers.S4)).toEqual(['Learning']);
		const edu = await fresh.db
			.selectFrom('theme')
			.select('status')
			.where('id', '=', fx.themes.education)
			.executeTakeFirstOrThrow();
		expect(edu.status).toBe('retired');
		const actions = (
			await fresh.db.selectFrom('audit_log').select('action').where('entity', '=', 'theme').execute()
		).map((a) => a.action);
		expect(actions).toEqual(expect.arrayContaining(['theme.add', 'theme.update', 'theme.merge', 'theme.split']));
	});

	it('accepts and dismisses emerging-theme candidates from the engine', async () => {
		const q2 = fx.c.questions[1].id;
		const found = await discoverCandidates(fresh.db, fx.c.id, q2, user());
		expect(found.looked).toBe(2); // the two q2 answers have no theme
		const now = new Date().toISOString();
		const ins = await fresh.db
			.insertInto('theme_candidate')
			.values([
				{
					question_id: q2,
					label: 'Cuts to services',
					phrases: JSON.stringify(['cuts']),
					size: 2,
					examples: JSON.stringify(['cuts']),
					status: 'new',
					created_at: now
				},
				{
					question_id: q2,
					label: 'Noise',
					phrases: JSON.stringify(['noise']),
					size: 1,
					examples: '[]',
					status: 'new',
					created_at: now
				}
			])
			.returning('id')
			.execute();
		const themeId = await decideCandidate(fresh.db, fx.c.id, ins[0].id, 'accept', user(), 'Service cuts');
		expect(themeId).toBeGreaterThan(0);
		const theme = await fresh.db.selectFrom('theme').selectAll().where('id', '=', themeId!).executeTakeFirstOrThrow();
		expect([theme.label, theme.question_id, JSON.parse(theme.keywords)]).toEqual(['Service cuts', q2, ['cuts']]);
		await decideCandidate(fresh.db, fx.c.id, ins[1].id, 'dismiss', user());
		expect((await listCandidates(fresh.db, q2)).map((c) => c.label)).not.toContain('Noise');
		await expect(decideCandidate(fresh.db, fx.c.id, ins[1].id, 'accept', user())).rejects.toThrow(
			/already been decided/
		);
	});

	it('suggests and stars quotes, never from answers with a safeguarding flag', async () => {
		const friends = fx.themes.friends;
		const now = new Date().toISOString();
		// S3 "friends" gets a safeguarding flag
		await fresh.db
			.insertInto('safeguarding_flag')
			.values({
				answer_id: fx.answers.S3,
				level: 'review',
				matches: '[]',
				status: 'new',
				updated_at: now,
				created_at: now
			})
			.execute();
		const suggested = await suggestQuotes(fresh.db, friends);
		expect(suggested.map((q) => q.answerId)).not.toContain(fx.answers.S3);
		expect(suggested.map((q) => q.answerId)).toContain(fx.answers.S1yp);
		await setStar(fresh.db, fx.c.id, friends, fx.answers.S1yp, true, user());
		await expect(setStar(fresh.db, fx.c.id, friends, fx.answers.S3, true, user())).rejects.toBeInstanceOf(ReviewError);
		// a quote starred before the flag was raised is still left out of the report
		await fresh.db
			.insertInto('quote')
			.values({ theme_id: friends, answer_id: fx.answers.S3, starred_by: fx.officerId, starred_at: now })
			.execute();
		const starred = await starredQuotes(fresh.db, [friends]);
		expect(starred.map((q) => q.answerId)).toEqual([fx.answers.S1yp]);
		expect(starred[0].text).toBe('family and friends');
		expect((await suggestQuotes(fresh.db, friends))[0]).toMatchObject({ answerId: fx.answers.S1yp, starred: true });
	});
	it('splits a theme with the engine\'s matcher: "bully" finds "bullied", "park" finds "parks"', async () => {
		const now = new Date().toISOString();
		await fresh.db
			.updateTable('answer')
			.set({ text: 'I was bullied by my friends', redacted_text: null })
			.where('id', '=', fx.answers.S1yp)
			.execute();
		await fresh.db
			.updateTable('answer')
			.set({ text: 'going to the parks with friends', redacted_text: null })
			.where('id', '=', fx.answers.S3)
			.execute();
		await fresh.db.deleteFrom('answer_theme').where('theme_id', '=', fx.themes.friends).execute();
		await fresh.db
			.insertInto('answer_theme')
			.values(
				[fx.answers.S1yp, fx.answers.S3].map((answer_id) => ({
					answer_id,
					theme_id: fx.themes.friends,
					source: 'auto' as const,
					applies: 1,
					confidence: 0.9,
					user_id: null,
					updated_at: now
				}))
			)
			.execute();
		const r = await splitTheme(
			fresh.db,
			fx.c.id,
			fx.themes.friends,
			[
				{ label: 'Bullying', keywords: ['bully'] },
				{ label: 'Parks', keywords: ['park'] }
			],
			user()
		);
		expect(r.unmatched).toBe(0);
		const labels = async (answerId: number) =>
			(
				await fresh.db
					.selectFrom('answer_theme')
					.innerJoin('theme', 'theme.id', 'answer_theme.theme_id')
					.select('theme.label')
					.where('answer_theme.answer_id', '=', answerId)
					.where('answer_theme.applies', '=', 1)
					.execute()
			).map((x) => x.label);
		expect(await labels(fx.answers.S1yp)).toContain('Bullying');
		expect(await labels(fx.answers.S1yp)).not.toContain('Parks');
		expect(await labels(fx.answers.S3)).toContain('Parks');
	});
});
