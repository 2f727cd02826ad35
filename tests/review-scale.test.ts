/**
 * The review list and the quotes page as read at national scale (issue #19): page ids merged from each question's
 * id-ordered answers, totals from the aggregates where they hold the same number, quote candidates read in order
 * from an index. Each is compared with the plain query it replaces (every matching answer counted and sorted), on
 * both engines, over filter combinations, pages, reviewed answers, flags, stars and tied confidences. Keyset pages
 * (the Next / Previous links: `after` / `before` an id) walked forward and back are the offset pages.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import type { Db } from '../src/lib/server/db/connect';
import { flagAnswer } from './helpers/flags';
import { addUser } from './helpers/users';
import { SLUG } from './helpers/consultation';
import { generateAnswers } from '../scripts/generate-answers';
import { getConsultation } from '../src/lib/server/consultations/queries';
import { parseFilters, parseReviewFilters, UNKNOWN } from '../src/lib/analysis/filters';
import { conditions, hasNoActiveTheme, scopeOf } from '../src/lib/server/analysis/scope';
import { listAnswers, setAnswerThemes } from '../src/lib/server/review';
import {
	candidateRoute,
	candidatesOfThemes,
	quoteCandidates,
	setStar,
	suggestQuotes,
	suggestQuotesOfThemes
} from '../src/lib/server/review/quotes';
import { withEnv } from './helpers/env';
import type { ConsultationView } from '../src/lib/server/consultations/queries';

/** The database with every statement it sends recorded as compiled SQL (a plugin sees each one, in transactions too). */
function recording(base: Db): { db: Db; sent: string[] } {
	const sent: string[] = [];
	const executor = base.getExecutor();
	const db = base.withPlugin({
		transformQuery: (args) => {
			sent.push(executor.compileQuery(args.node, { queryId: 'record' } as never).sql);
			return args.node;
		},
		transformResult: async (args) => args.result
	});
	return { db, sent };
}

describeEachEngine('review list and quotes at scale: same rows, order and totals as the plain queries', (engine) => {
	let fresh: FreshDb;
	let c: ConsultationView;
	let themeA: number;
	let themeB: number;
	let otherTheme: number;

	/** The plain query: every matching answer, sorted by id (the review list before issue #19's change). */
	async function plainIds(qs: string): Promise<number[]> {
		const params = new URLSearchParams(qs);
		const s = scopeOf(c, parseFilters(params));
		const rf = parseReviewFilters(params);
		let q = fresh.db
			.selectFrom('answer')
			.innerJoin('perspective', 'perspective.id', 'answer.perspective_id')
			.where((eb) => conditions(eb, s, 'answer'));
		if (rf.unreviewed) q = q.where('answer.reviewed_at', 'is', null);
		if (rf.uncoded) q = q.where((eb) => hasNoActiveTheme(eb));
		if (rf.below !== undefined) {
			const below = rf.below;
			q = q.where((eb) =>
				eb.exists(
					eb
						.selectFrom('answer_theme as c')
						.select(sql`1`.as('one'))
						.whereRef('c.answer_id', '=', 'answer.id')
						.where('c.source', '=', 'auto')
						.where('c.confidence', '<', below)
				)
			);
		}
		return (await q.select('answer.id').orderBy('answer.id').execute()).map((r) => r.id);
	}

	beforeAll(async () => {
		fresh = await preparedDatabase(engine);
		await generateAnswers(fresh.db, { answers: 900, seed: 19 });
		c = (await getConsultation(fresh.db, SLUG))!;
		const officer = await addUser(fresh.db, { email: 'revq@example.org', role: 'officer' });
		const themes = await fresh.db
			.selectFrom('theme')
			.innerJoin('answer_theme', 'answer_theme.theme_id', 'theme.id')
			.select(['theme.id', 'theme.question_id', sql<number>`count(*)`.as('n')])
			.where('answer_theme.applies', '=', 1)
			.groupBy(['theme.id', 'theme.question_id'])
			.orderBy(sql`count(*)`, 'desc')
			.execute();
		themeA = themes[0].id;
		themeB = themes.find((t) => t.question_id === themes[0].question_id && t.id !== themeA)!.id;
		otherTheme = themes.find((t) => t.question_id !== themes[0].question_id)!.id;
		// Reviewed answers (some left with no theme, some coded), in several questions and groups.
		const answers = await fresh.db
			.selectFrom('answer')
			.innerJoin('theme', 'theme.question_id', 'answer.question_id')
			.select(['answer.id', 'answer.question_id', sql<number>`min(theme.id)`.as('theme')])
			.where('theme.status', '=', 'active')
			.groupBy(['answer.id', 'answer.question_id'])
			.orderBy('answer.id')
			.execute();
		for (const [i, a] of answers.entries()) {
			if (i % 9 !== 0) continue;
			await setAnswerThemes(fresh.db, c.id, a.id, i % 2 ? [] : [Number(a.theme)], officer);
		}
		// Ties in confidence (and codings without one, counted as 1) among the quote candidates of theme A.
		const coded = await fresh.db
			.selectFrom('answer_theme')
			.select('answer_id')
			.where('theme_id', '=', themeA)
			.where('applies', '=', 1)
			.orderBy('answer_id')
			.execute();
		for (const [i, r] of coded.entries()) {
			const confidence = i % 5 === 0 ? null : i % 3 === 0 ? 0.5 : undefined;
			if (confidence !== undefined)
				await fresh.db
					.updateTable('answer_theme')
					.set({ confidence })
					.where('theme_id', '=', themeA)
					.where('answer_id', '=', r.answer_id)
					.execute();
		}
		for (const r of coded.filter((_, i) => i % 13 === 2).slice(0, 6))
			await setStar(fresh.db, c.id, themeA, r.answer_id, true, officer);
		for (const r of coded.filter((_, i) => i % 11 === 1 && i % 13 !== 2)) await flagAnswer(fresh.db, r.answer_id);
	}, 120_000);
	afterAll(() => fresh?.drop());

	it('lists the same answers in the same order with the same total, for every filter and page', async () => {
		const filters = [
			'',
			'uncoded=1',
			'unreviewed=1',
			'unreviewed=1&uncoded=1',
			'question=q1',
			'question=q2&unreviewed=1&uncoded=1',
			'question=nope',
			`theme=${'A'}`,
			`theme=${'A'}&unreviewed=1`,
			`theme=${'A'}&uncoded=1`,
			`theme=${'A'}&question=q1`,
			`theme=${'O'}&group=child`,
			'group=child',
			'group=child&unreviewed=1',
			`group=${UNKNOWN}`,
			'district=bromsgrove',
			'district=bromsgrove&group=child&uncoded=1',
			'channel=online&unreviewed=1',
			'channel=library',
			'channel=face-to-face',
			'from=2017-06-01&unreviewed=1',
			'below=0.6',
			'below=0.6&group=young_person'
		].map((f) => f.replace('theme=A', `theme=${themeA}`).replace('theme=O', `theme=${otherTheme}`));
		let nonEmpty = 0;
		for (const f of filters) {
			const expected = await plainIds(f);
			if (expected.length > 20) nonEmpty++;
			const pages = Math.min(Math.ceil(expected.length / 20), 4);
			for (const page of [1, ...Array.from({ length: pages }, (_, i) => i + 1).slice(1), pages + 1]) {
				const params = new URLSearchParams(`${f}&page=${page}`);
				const got = await listAnswers(fresh.db, scopeOf(c, parseFilters(params)), parseReviewFilters(params));
				expect({ f, page, total: got.total }).toEqual({ f, page, total: expected.length });
				expect({ f, page, ids: got.answers.map((a) => a.id) }).toEqual({
					f,
					page,
					ids: expected.slice((page - 1) * 20, page * 20)
				});
			}
		}
		// The comparison is not vacuous: most filters have several pages, and reviewed answers exist.
		expect(nonEmpty).toBeGreaterThan(10);
		expect((await plainIds('')).length - (await plainIds('unreviewed=1')).length).toBeGreaterThan(100);
		expect(themeB).toBeGreaterThan(0);
	});

	it('pages by key (Next: after the last id, Previous: before the first) to the same pages as by offset', async () => {
		const filters = [
			'',
			'unreviewed=1',
			'question=q1&unreviewed=1',
			'group=child&district=bromsgrove',
			'channel=face-to-face&uncoded=1',
			`theme=${themeA}`,
			'below=0.6&unreviewed=1',
			'from=2017-06-01'
		];
		let walked = 0;
		for (const f of filters) {
			const expected = await plainIds(f);
			const pages = Math.ceil(expected.length / 20);
			const read = async (q: string) => {
				const params = new URLSearchParams(`${f}&${q}`);
				return (await listAnswers(fresh.db, scopeOf(c, parseFilters(params)), parseReviewFilters(params))).answers.map(
					(a) => a.id
				);
			};
			// Forward from page 1 by each page's last id, to one past the end (empty).
			let ids = await read('page=1');
			const seen = [ids];
			for (let page = 2; page <= Math.min(pages, 6) + 1 && ids.length; page++) {
				ids = await read(`page=${page}&after=${ids[ids.length - 1]}`);
				expect({ f, page, ids }).toEqual({ f, page, ids: expected.slice((page - 1) * 20, page * 20) });
				seen.push(ids);
				walked++;
			}
			// Back from the last full page reached, by each page's first id.
			let at = seen.filter((p) => p.length === 20).length;
			ids = seen[at - 1] ?? [];
			for (at--; at >= 1 && ids.length; at--) {
				ids = await read(`page=${at}&before=${ids[0]}`);
				expect({ f, page: at, ids }).toEqual({ f, page: at, ids: expected.slice((at - 1) * 20, at * 20) });
				walked++;
			}
		}
		expect(walked).toBeGreaterThan(40);
		// The key reads the page, not the page number (shown only); the switch reads by the page number, as before.
		const all = await plainIds('');
		const params = new URLSearchParams(`page=1&after=${all[39]}`);
		const keyed = () => listAnswers(fresh.db, scopeOf(c, parseFilters(params)), parseReviewFilters(params));
		expect((await keyed()).answers.map((a) => a.id)).toEqual(all.slice(40, 60));
		process.env.REVIEW_KEYSET = 'off';
		try {
			expect((await keyed()).answers.map((a) => a.id)).toEqual(all.slice(0, 20));
		} finally {
			delete process.env.REVIEW_KEYSET;
		}
	});

	it('reads the same quote candidates in the same order (starred first, then confidence, then answer)', async () => {
		const plain = async (themeId: number, group: string | null) => {
			let q = fresh.db
				.selectFrom('answer_theme')
				.innerJoin('answer', 'answer.id', 'answer_theme.answer_id')
				.innerJoin('perspective', 'perspective.id', 'answer.perspective_id')
				.leftJoin('quote', (j) => j.onRef('quote.answer_id', '=', 'answer.id').on('quote.theme_id', '=', themeId))
				.select(['answer.id', 'quote.starred_at'])
				.where('answer_theme.theme_id', '=', themeId)
				.where('answer_theme.applies', '=', 1)
				.where(sql`coalesce(answer.redacted_text, answer.text)`, 'is not', null)
				.where((eb) =>
					eb.not(
						eb.exists(
							eb
								.selectFrom('safeguarding_flag as sf')
								.select(sql`1`.as('one'))
								.whereRef('sf.answer_id', '=', 'answer.id')
						)
					)
				);
			if (group === UNKNOWN) q = q.where('perspective.group_code', 'is', null);
			else if (group) q = q.where('perspective.group_code', '=', group);
			return (
				await q
					.orderBy(sql`case when quote.starred_at is null then 1 else 0 end`)
					.orderBy(sql`coalesce(answer_theme.confidence, 1)`, 'desc')
					.orderBy('answer.id')
					.execute()
			).map((r) => ({ id: r.id, starred: r.starred_at !== null }));
		};
		// Every theme of two questions, for all answers and each group (UNKNOWN too), by the route the aggregates
		// choose and by each route forced: the walk, the group's perspectives first, and the kept quote order (the
		// default unless ANALYSIS_KEPT_QUOTES=off; for all answers each group's order merged). A route must give the
		// plain rows; a "none" (no answer of the group with the theme, by the aggregates) must be right to give nothing.
		const themes = await fresh.db
			.selectFrom('theme')
			.select('id')
			.where('question_id', 'in', (eb) =>
				eb.selectFrom('theme').select('question_id').where('id', 'in', [themeA, otherTheme])
			)
			.orderBy('id')
			.execute();
		const groups = [null, UNKNOWN, ...c.groups.map((g) => g.code)];
		const routes = new Set<string>();
		let checked = 0;
		for (const { id: themeId } of themes)
			for (const group of groups) {
				const all = await plain(themeId, group);
				for (const limit of [3, 40, 400]) {
					const expected = all.slice(0, limit);
					const chosen = await candidateRoute(fresh.db, themeId, group, limit);
					routes.add(chosen);
					for (const route of limit === 40 ? [undefined] : ([undefined, 'walk', 'group', 'kept'] as const)) {
						const got = (await quoteCandidates(fresh.db, themeId, group, limit, route)).map((r) => ({
							id: r.id,
							starred: r.starred_at !== null
						}));
						expect({ themeId, group, limit, route, got }).toEqual({ themeId, group, limit, route, got: expected });
					}
					checked += expected.length;
				}
			}
		// Each route was chosen somewhere (the group's route for a rare group with a large theme).
		expect([...routes].sort()).toEqual(['group', 'none', 'walk']);
		expect(checked).toBeGreaterThan(200);
		// Starred answers are among theme A's candidates, first.
		expect((await quoteCandidates(fresh.db, themeA, null, 3)).every((r) => r.starred_at !== null)).toBe(true);
	}, 180_000);

	it("reads a group's and all answers' candidates from the kept quote order, not by walking the theme's codings", async () => {
		const { db, sent } = recording(fresh.db);
		const walked = () => sent.some((text) => /order by coalesce\(answer_theme.confidence, 1\) desc/.test(text));
		const kept = () => sent.some((text) => /from "?analysis_agg_quote_order"?/.test(text));
		for (const group of ['child', UNKNOWN]) {
			sent.length = 0;
			const rows = await quoteCandidates(db, themeB, group, 40);
			expect(rows.length).toBeGreaterThan(0);
			expect({ group, walked: walked(), kept: kept() }).toEqual({ group, walked: false, kept: true });
		}
		// All answers: on PostgreSQL each group's kept order merged, not the walk; SQLite walks unless told.
		sent.length = 0;
		expect((await quoteCandidates(db, themeB, null, 40)).length).toBe(40);
		const pg = engine === 'postgres';
		expect({ walked: walked(), kept: kept() }).toEqual({ walked: !pg, kept: pg });
		process.env.ANALYSIS_KEPT_QUOTES_ALL = 'on';
		try {
			sent.length = 0;
			await quoteCandidates(db, themeB, null, 40);
			expect({ walked: walked(), kept: kept() }).toEqual({ walked: false, kept: true });
		} finally {
			delete process.env.ANALYSIS_KEPT_QUOTES_ALL;
		}
		// The switches read as before: all answers by the walk, or every group too.
		process.env.ANALYSIS_KEPT_QUOTES_ALL = 'off';
		try {
			sent.length = 0;
			await quoteCandidates(db, themeB, null, 40);
			expect({ walked: walked(), kept: kept() }).toEqual({ walked: true, kept: false });
			sent.length = 0;
			await quoteCandidates(db, themeB, 'child', 40);
			expect({ walked: walked(), kept: kept() }).toEqual({ walked: false, kept: true });
		} finally {
			delete process.env.ANALYSIS_KEPT_QUOTES_ALL;
		}
		process.env.ANALYSIS_KEPT_QUOTES = 'off';
		try {
			for (const group of ['child', null]) {
				sent.length = 0;
				await quoteCandidates(db, themeB, group, 40);
				expect({ group, walked: walked(), kept: kept() }).toEqual({ group, walked: true, kept: false });
			}
		} finally {
			delete process.env.ANALYSIS_KEPT_QUOTES;
		}
	});

	it("reads all answers' candidates from the kept order past a prefix of flagged and starred answers", async () => {
		// Theme B's first 30 answers in the quote order flagged or starred: each kept prefix (the need and 8 more) is
		// left short and followed by the next, after its last row, until the need is met or the theme runs out.
		const order = await quoteCandidates(fresh.db, themeB, null, 400, 'walk');
		expect(order.length).toBeGreaterThan(60);
		const officer = await addUser(fresh.db, { email: 'revq-prefix@example.org', role: 'officer' });
		const touched = order.slice(0, 30).map((r) => r.id);
		for (const [i, id] of touched.entries())
			if (i % 5 === 4) await setStar(fresh.db, c.id, themeB, id, true, officer);
			else await flagAnswer(fresh.db, id);
		try {
			for (const limit of [1, 3, 20, 400]) {
				const walk = (await quoteCandidates(fresh.db, themeB, null, limit, 'walk')).map((r) => [r.id, r.starred_at]);
				const kept = (await quoteCandidates(fresh.db, themeB, null, limit, 'kept')).map((r) => [r.id, r.starred_at]);
				expect({ limit, kept }).toEqual({ limit, kept: walk });
				expect(kept.length).toBe(Math.min(limit, order.length - 24));
			}
		} finally {
			await fresh.db.deleteFrom('safeguarding_flag').where('answer_id', 'in', touched).execute();
			await fresh.db.deleteFrom('quote').where('theme_id', '=', themeB).where('answer_id', 'in', touched).execute();
		}
	});

	it("reads a page's themes together (PostgreSQL) to the same candidates and quotes as theme by theme", async () => {
		// Every theme of two questions (theme A with starred quotes), theme B's first answers in the quote order
		// flagged or starred so that its prefixes are left short and go on after their last row, and each limit.
		const ids = (
			await fresh.db
				.selectFrom('theme')
				.select('id')
				.where('question_id', 'in', (eb) =>
					eb.selectFrom('theme').select('question_id').where('id', 'in', [themeA, otherTheme])
				)
				.orderBy('id')
				.execute()
		).map((t) => t.id);
		expect(ids.length).toBeGreaterThan(4);
		const order = await quoteCandidates(fresh.db, themeB, null, 400, 'walk');
		const officer = await addUser(fresh.db, { email: 'revq-batch@example.org', role: 'officer' });
		const touched = order.slice(0, 20).map((r) => r.id);
		for (const [i, id] of touched.entries())
			if (i % 7 === 6) await setStar(fresh.db, c.id, themeB, id, true, officer);
			else await flagAnswer(fresh.db, id);
		try {
			for (const limit of [1, 3, 20, 400]) {
				const { db, sent } = recording(fresh.db);
				const together = await candidatesOfThemes(db, ids, limit);
				const statements = sent.length;
				for (const id of ids) {
					const alone = await quoteCandidates(fresh.db, id, null, limit);
					expect({ id, limit, got: together.get(id) }).toEqual({ id, limit, got: alone });
				}
				// Theme A and B have stars (read alone, a few statements each); the rest share one read.
				if (engine === 'postgres') expect(statements).toBeLessThan(ids.length);
			}
			// Stars taken off theme B (none left): its short prefixes go on after the shared read.
			await fresh.db.deleteFrom('quote').where('theme_id', '=', themeB).execute();
			for (const limit of [3, 400]) {
				const together = await candidatesOfThemes(fresh.db, ids, limit);
				for (const id of ids)
					expect({ id, limit, got: together.get(id) }).toEqual({
						id,
						limit,
						got: await quoteCandidates(fresh.db, id, null, limit)
					});
			}
			// The page's quotes, as each theme's suggestQuotes (the batch switched off), for all answers and a group.
			for (const group of [null, 'child'])
				expect(await suggestQuotesOfThemes(fresh.db, ids, 6, { group })).toEqual(
					await withEnv('ANALYSIS_PG_QUOTES_BATCH', 'off', () =>
						Promise.all(ids.map((id) => suggestQuotes(fresh.db, id, 6, { group })))
					)
				);
		} finally {
			await fresh.db.deleteFrom('safeguarding_flag').where('answer_id', 'in', touched).execute();
			await fresh.db.deleteFrom('quote').where('theme_id', '=', themeB).where('answer_id', 'in', touched).execute();
		}
	});

	it("keeps a group's quote order through a recoding, a changed respondent type and a moved answer", async () => {
		const readKept = async (themeId: number, group: string) =>
			(await quoteCandidates(fresh.db, themeId, group, 400, 'kept')).map((r) => [r.id, r.group_code]);
		const readWalk = async (themeId: number, group: string) =>
			(await quoteCandidates(fresh.db, themeId, group, 400, 'walk')).map((r) => [r.id, r.group_code]);
		const officer = await addUser(fresh.db, { email: 'revq-kept@example.org', role: 'officer' });
		// A child's answer with theme B: recoded to theme A as well (an officer's coding), its perspective made a
		// young person's, then another child's answer moved onto a parent's perspective.
		const pick = await fresh.db
			.selectFrom('answer_theme')
			.innerJoin('answer', 'answer.id', 'answer_theme.answer_id')
			.innerJoin('perspective', 'perspective.id', 'answer.perspective_id')
			.select(['answer.id', 'answer.perspective_id', 'answer.submission_id'])
			.where('answer_theme.theme_id', '=', themeB)
			.where('answer_theme.applies', '=', 1)
			.where('perspective.group_code', '=', 'child')
			.orderBy('answer.id')
			.limit(2)
			.execute();
		expect(pick.length).toBe(2);
		await setAnswerThemes(fresh.db, c.id, pick[0].id, [themeA, themeB], officer);
		await fresh.db
			.updateTable('perspective')
			.set({ group_code: 'young_person' })
			.where('id', '=', pick[0].perspective_id)
			.execute();
		const parent = await fresh.db
			.selectFrom('perspective')
			.select(['id', 'submission_id'])
			.where('group_code', '=', 'parent_carer')
			.orderBy('id')
			.executeTakeFirstOrThrow();
		await fresh.db
			.updateTable('answer')
			.set({ perspective_id: parent.id, submission_id: parent.submission_id })
			.where('id', '=', pick[1].id)
			.execute();
		for (const themeId of [themeA, themeB])
			for (const group of ['child', 'young_person', 'parent_carer']) {
				const got = await readKept(themeId, group);
				expect({ themeId, group, got }).toEqual({ themeId, group, got: await readWalk(themeId, group) });
			}
		const young = (await readKept(themeB, 'young_person')).map(([id]) => id);
		expect(young).toContain(pick[0].id);
		expect((await readKept(themeB, 'child')).map(([id]) => id)).not.toContain(pick[0].id);
		expect((await readKept(themeB, 'parent_carer')).map(([id]) => id)).toContain(pick[1].id);
	});

	it('reads a theme without starred quotes in no starred statement, and on PostgreSQL each theme in one process', async () => {
		// Every statement quoteCandidates sends, as compiled (a plugin sees each one, in transactions too).
		const { db, sent } = recording(fresh.db);
		const starredRead = (text: string) => /inner join "quote"/.test(text);
		const serial = (text: string) => /set local max_parallel_workers_per_gather = 0/.test(text);
		for (const [themeId, group, anyStarred] of [
			[themeB, null, false],
			[themeB, 'child', false],
			[themeA, null, true]
		] as const) {
			sent.length = 0;
			const rows = await quoteCandidates(db, themeId, group, 40, 'walk');
			expect(rows.length).toBeGreaterThan(0);
			expect({ themeId, group, starredRead: sent.some(starredRead) }).toEqual({
				themeId,
				group,
				starredRead: anyStarred
			});
			// PostgreSQL: the walk runs after a transaction-local "no parallel workers" (a Gather Merge read past the
			// limit in three processes at 1,000,001 answers); SQLite has no such setting and sends none.
			const walk = sent.findIndex((text) => /order by coalesce\(answer_theme.confidence, 1\) desc/.test(text));
			const set = sent.findIndex(serial);
			if (engine === 'postgres') expect(set >= 0 && set < walk).toBe(true);
			else expect(set).toBe(-1);
		}
	});
});
