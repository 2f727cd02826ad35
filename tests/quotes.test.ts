/**
 * Suggested quotes and an officer's wording of them (issue #14 item 6), on both engines:
 * near-identical answers once with a count, filtered by group, short answers not pushed out
 * by long ones; a trimmed or edited quote is what the report and the public page show, the
 * answer is kept as given, and the audit says what changed without the words.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { flagAnswer } from './helpers/flags';
import { loadSmallFixture, type Fixture } from './fixtures/analysis/small';
import { saveSubmission } from '../src/lib/server/submissions/save';
import { setQuoteWording, setStar, starredQuotes, suggestQuotes } from '../src/lib/server/review/quotes';
import { ReviewError } from '../src/lib/server/review';
import { resultsQuotes, setQuotePublic } from '../src/lib/server/results';
import { nowIso } from '../src/lib/server/util/time';
import { reportData } from '../src/lib/server/report/data';
import { sharedReportData } from '../src/lib/server/report/shared';
import { parseFilters, parseTickRule } from '../src/lib/analysis/filters';
import { scopeOf } from '../src/lib/server/analysis/scope';

describeEachEngine('quotes', (engine) => {
	let fresh: FreshDb;
	let fx: Fixture;
	const user = () => ({ id: fx.officerId });
	const said: Record<string, number> = {};

	/** One answer to q1 from a group, coded with the pets theme. */
	async function pets(key: string, group: string, text: string, confidence = 0.9) {
		const id = randomUUID();
		await saveSubmission(
			fresh.db,
			fx.c,
			{ id, district: 'redditch', perspectives: [{ group, answers: { q1: text } }], about: null } as never,
			{ channel: 'online', createdAt: '2017-06-01T10:00:00.000Z' }
		);
		const a = await fresh.db
			.selectFrom('answer')
			.select('id')
			.where('submission_id', '=', id)
			.executeTakeFirstOrThrow();
		await fresh.db
			.insertInto('answer_theme')
			.values({
				answer_id: a.id,
				theme_id: fx.themes.pets,
				source: 'auto',
				applies: 1,
				confidence,
				user_id: null,
				updated_at: nowIso()
			})
			.execute();
		said[key] = a.id;
	}

	beforeAll(async () => {
		fresh = await preparedDatabase(engine);
		fx = await loadSmallFixture(fresh.db);
		await pets('pets1', 'child', 'my pets');
		await pets('pets2', 'child', 'My pets!');
		await pets('pets3', 'parent_carer', 'my  pets.');
		const long =
			'In my professional experience across several settings, the wellbeing of children is supported by a range of factors including, but not limited to, companion animals, structured routines and consistent adults, which together ';
		for (let i = 0; i < 4; i++) await pets(`long${i}`, 'practitioner', `${long}(${i})`, 1);
		await pets('club', 'young_person', 'Walking the dog with my brother after school makes me happy', 0.7);
	}, 120_000);
	afterAll(async () => {
		await fresh?.drop();
	});

	it('shows "my pets" once with how many said it, and lets short answers from young people through', async () => {
		const q = await suggestQuotes(fresh.db, fx.themes.pets, 4);
		const mine = q.filter((x) => x.text.toLowerCase().startsWith('my pets'));
		expect(mine).toHaveLength(1);
		expect(mine[0].alike).toBe(3);
		// 4 long practitioner answers coded with more confidence do not take all the places
		expect(q.filter((x) => x.group === 'practitioner').length).toBeLessThanOrEqual(2);
		expect(q.map((x) => x.answerId)).toContain(said.club);
	});

	it('filters by respondent group', async () => {
		const q = await suggestQuotes(fresh.db, fx.themes.pets, 6, { group: 'parent_carer' });
		expect(q.map((x) => [x.answerId, x.alike])).toEqual([[said.pets3, 1]]);
		const none = await suggestQuotes(fresh.db, fx.themes.pets, 6, { group: 'unknown' });
		expect(none).toEqual([]);
	});

	it('trims and edits a quote for publication: the report and the public page show it, the answer is kept, the audit has no words', async () => {
		const id = said.club;
		await setStar(fresh.db, fx.c.id, fx.themes.pets, id, true, user());
		await setQuoteWording(fresh.db, fx.c.id, fx.themes.pets, id, { kind: 'trim', part: 'Walking the dog' }, user());
		let [q] = await starredQuotes(fresh.db, [fx.themes.pets]);
		expect(q).toMatchObject({
			text: 'Walking the dog […]',
			change: 'trimmed',
			reworded: true,
			original: 'Walking the dog with my brother after school makes me happy'
		});
		await setQuotePublic(fresh.db, fx.c.id, fx.themes.pets, id, true, user());
		expect((await resultsQuotes(fresh.db, fx.c.id, true)).map((x) => x.text)).toEqual(['Walking the dog […]']);

		// Words not in the answer are not a trim: refused on the field, nothing changed
		const refused = await setQuoteWording(
			fresh.db,
			fx.c.id,
			fx.themes.pets,
			id,
			{ kind: 'trim', part: 'Walking the cat' },
			user()
		).catch((e) => e);
		expect(refused).toBeInstanceOf(ReviewError);
		expect((refused as ReviewError).field).toBe('part');

		// An edit is redacted again before it is kept
		const { redacted } = await setQuoteWording(
			fresh.db,
			fx.c.id,
			fx.themes.pets,
			id,
			{ kind: 'edit', text: 'Walking the dog makes me happy, email me on sam.jones@example.com' },
			user()
		);
		expect(redacted).toBe(true);
		[q] = await starredQuotes(fresh.db, [fx.themes.pets]);
		expect(q.text).toMatch(/^Walking the dog makes me happy/);
		expect(q.text).not.toContain('sam.jones@example.com');
		expect((await resultsQuotes(fresh.db, fx.c.id, true))[0].text).toBe(q.text);

		const answer = await fresh.db
			.selectFrom('answer')
			.select(['text', 'redacted_text'])
			.where('id', '=', id)
			.executeTakeFirstOrThrow();
		expect(answer.text).toBe('Walking the dog with my brother after school makes me happy');

		const log = await fresh.db
			.selectFrom('audit_log')
			.select(['action', 'entity', 'entity_id', 'detail'])
			.where('action', 'in', ['quote.trim', 'quote.edit', 'quote.restore'])
			.orderBy('id')
			.execute();
		expect(log.map((r) => [r.action, r.entity, r.entity_id])).toEqual([
			['quote.trim', 'answer', String(id)],
			['quote.edit', 'answer', String(id)]
		]);
		for (const r of log) {
			expect(JSON.parse(r.detail!)).toMatchObject({
				themeId: fx.themes.pets,
				fields: expect.arrayContaining(['span_start'])
			});
			expect(r.detail).not.toMatch(/dog|Walking|sam/i);
		}

		await setQuoteWording(fresh.db, fx.c.id, fx.themes.pets, id, { kind: 'restore' }, user());
		[q] = await starredQuotes(fresh.db, [fx.themes.pets]);
		expect(q).toMatchObject({ text: answer.text, reworded: false });
	});

	it('never words a flagged answer', async () => {
		const id = said.pets1;
		await setStar(fresh.db, fx.c.id, fx.themes.pets, id, true, user());
		await flagAnswer(fresh.db, id);
		await expect(
			setQuoteWording(fresh.db, fx.c.id, fx.themes.pets, id, { kind: 'edit', text: 'pets' }, user())
		).rejects.toBeInstanceOf(ReviewError);
		expect((await suggestQuotes(fresh.db, fx.themes.pets, 10)).map((q) => q.answerId)).not.toContain(id);
	});

	it('prints a quote redacted in the staff report when its answer has no redacted copy, as the share link does', async () => {
		await pets('unredacted', 'parent_carer', 'my pets keep me going');
		const id = said.unredacted;
		// As an answer kept before redaction was stored (or imported without it): the raw text only.
		await fresh.db
			.updateTable('answer')
			.set({
				text: 'Call me on 07700 900123, write to sam.jones@example.com or come round to B97 4DS after school',
				redacted_text: null
			})
			.where('id', '=', id)
			.execute();
		await setStar(fresh.db, fx.c.id, fx.themes.pets, id, true, user());
		await setQuotePublic(fresh.db, fx.c.id, fx.themes.pets, id, true, user());
		const none = new URLSearchParams();
		const filters = parseFilters(none);
		const staff = await reportData(fresh.db, fx.c, filters, scopeOf(fx.c, filters), parseTickRule(none), '/admin');
		const printed = (data: typeof staff) => data.quotes.flatMap((t) => t.quotes).find((q) => q.answerId === id)?.text;
		expect(printed(staff)).toBe('Call me on [phone], write to [email] or come round to [postcode] after school');
		expect(printed((await sharedReportData(fresh.db, fx.c)).report)).toBe(printed(staff));
	});

	it('suggests a quote redacted on the quotes page when its answer has no redacted copy', async () => {
		await pets('unredactedSuggested', 'young_person', 'my pets are my best friends');
		const id = said.unredactedSuggested;
		// As an answer kept before redaction was stored (or imported without it): the raw text only.
		await fresh.db
			.updateTable('answer')
			.set({ text: 'Ring me on 07700 900123 about my pets', redacted_text: null })
			.where('id', '=', id)
			.execute();
		const suggested = async () => (await suggestQuotes(fresh.db, fx.themes.pets, 50)).find((q) => q.answerId === id);
		expect((await suggested())?.text).toBe('Ring me on [phone] about my pets');
		// Starred and trimmed, it still shows redacted.
		await setStar(fresh.db, fx.c.id, fx.themes.pets, id, true, user());
		await setQuoteWording(fresh.db, fx.c.id, fx.themes.pets, id, { kind: 'trim', part: 'on 07700 900123' }, user());
		expect((await suggested())?.text).toBe('[…] on [phone] […]');
	});
});
