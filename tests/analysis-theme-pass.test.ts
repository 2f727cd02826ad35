/**
 * A theme scope's submission cube, equality combinations, perspective cube and answers per question come from one
 * walk over the theme's answers (queries.ts themePass, issue #19). Every table a scope's readers give must equal the
 * separate passes (ANALYSIS_THEME_PASS=off) and the per-table queries on the rows (ANALYSIS_AGGREGATES=off), on both
 * engines, including a submission whose two respondent types both gave an answer with the theme (counted once as a
 * person, twice as perspectives) and a coding that no longer applies; and so must the kept theme cube (migration
 * 2026-12-11-0300, ANALYSIS_THEME_CUBE), whose tables the triggers filled as this file's codings were written.
 */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { describeEachEngine, type FreshDb } from './helpers/databases';
import type { Fixture } from './fixtures/analysis/small';
import { demoLikeDatabase } from './helpers/demo-like';
import { scopeReaders } from './helpers/scope-readers';
import type { Dimension } from '../src/lib/analysis/dimensions';
import { scopeOf } from '../src/lib/server/analysis/scope';
import { relatedScope } from '../src/lib/server/analysis/wider';
import { parseFilters } from '../src/lib/analysis/filters';
import {
	crossCounts,
	equalityCombinations,
	perspectivesByGroup,
	submissionsBy,
	submissionsByDayAndChannel
} from '../src/lib/server/analysis/queries';

const PAIRS: [Dimension, Dimension][] = [
	['district', 'channel'],
	['week', 'channel'],
	['location', 'district'],
	['group', 'district'],
	['group', 'channel'],
	['age', 'gender']
];

describeEachEngine('a theme scope from one pass over its answers', (engine) => {
	let fresh: FreshDb;
	let fx: Fixture;
	let themes: { id: number; question_id: number }[];
	beforeAll(async () => {
		({ fresh, fx } = await demoLikeDatabase(engine));
		themes = await fresh.db.selectFrom('theme').select(['id', 'question_id']).orderBy('id').execute();
		const [t] = themes;
		// Both respondent types of some two-type submissions gave an answer with the first theme.
		const pairs = await sql<{ a: number; b: number }>`
			select a1.id as a, a2.id as b from answer a1
			join answer a2 on a2.submission_id = a1.submission_id and a2.question_id = a1.question_id and a2.id > a1.id
			where a1.question_id = ${t.question_id} order by a1.id limit 5`.execute(fresh.db);
		const now = new Date().toISOString();
		for (const p of pairs.rows)
			for (const answerId of [p.a, p.b])
				await fresh.db
					.insertInto('answer_theme')
					.values({ answer_id: answerId, theme_id: t.id, source: 'human', applies: 1, updated_at: now })
					.onConflict((oc) => oc.columns(['answer_id', 'theme_id']).doUpdateSet({ applies: 1 }))
					.execute();
		// And one of the theme's codings no longer applies (removed by a reviewer): not counted.
		const kept = await fresh.db
			.selectFrom('answer_theme')
			.select('answer_id')
			.where('theme_id', '=', t.id)
			.where('applies', '=', 1)
			.orderBy('answer_id', 'desc')
			.executeTakeFirstOrThrow();
		await fresh.db
			.updateTable('answer_theme')
			.set({ applies: 0 })
			.where('theme_id', '=', t.id)
			.where('answer_id', '=', kept.answer_id)
			.execute();
	}, 120_000);
	afterEach(() => {
		delete process.env.ANALYSIS_AGGREGATES;
		delete process.env.ANALYSIS_THEME_PASS;
		delete process.env.ANALYSIS_THEME_CUBE;
		delete process.env.ANALYSIS_FAMILY_SLICES;
	});
	afterAll(() => fresh?.drop());

	async function readers(qs: string, mode: 'cube' | 'pass' | 'separate' | 'rows') {
		delete process.env.ANALYSIS_AGGREGATES;
		delete process.env.ANALYSIS_THEME_PASS;
		delete process.env.ANALYSIS_THEME_CUBE;
		if (mode === 'rows') process.env.ANALYSIS_AGGREGATES = 'off';
		if (mode !== 'cube') process.env.ANALYSIS_THEME_CUBE = 'off';
		if (mode === 'separate') process.env.ANALYSIS_THEME_PASS = 'off';
		return scopeReaders(fresh.db, fx.c, qs, PAIRS);
	}

	it('has a submission whose two respondent types both gave an answer with the theme', async () => {
		const rows = await sql<{ n: number }>`
			select count(*) as n from (
				select a.submission_id from answer_theme ft join answer a on a.id = ft.answer_id
				where ft.theme_id = ${themes[0].id} and ft.applies = 1
				group by a.submission_id having count(distinct a.perspective_id) > 1) x`.execute(fresh.db);
		expect(Number(rows.rows[0].n)).toBeGreaterThan(0);
	});

	it('counts the same from the kept theme cube, the pass, the separate passes and the rows, under every filter', async () => {
		const [t] = themes;
		const other = themes.find((x) => x.question_id !== t.question_id) ?? themes[1];
		const filters = [
			`theme=${t.id}`,
			`theme=${other.id}`,
			...fx.c.questions.map((q) => `question=${q.key}&theme=${t.id}`),
			`question=q1&theme=${other.id}`,
			`theme=${t.id}&district=bromsgrove`,
			`theme=${t.id}&district=unknown&channel=online`,
			`question=q2&theme=${t.id}&channel=face-to-face`,
			`theme=${t.id}&from=2017-06-01&to=2017-06-20`,
			`question=q1&theme=${t.id}&group=child`,
			`question=nope&theme=${t.id}`,
			'theme=999999'
		];
		let people = 0;
		let perspectives = 0;
		for (const qs of filters) {
			const pass = await readers(qs, 'pass');
			// The kept theme cube (migration 2026-12-11-0300), read where the family has no date or group filter.
			expect(await readers(qs, 'cube'), `${qs} (kept theme cube)`).toEqual(pass);
			expect(pass, `${qs} (separate passes)`).toEqual(await readers(qs, 'separate'));
			expect(pass, `${qs} (rows)`).toEqual(await readers(qs, 'rows'));
			if (qs === `theme=${t.id}`) {
				people = Number(pass.submissions);
				perspectives = Number(pass.perspectives);
			}
		}
		// The theme has people, and some of them count twice as perspectives (the distinct counts matter).
		expect(people).toBeGreaterThan(10);
		expect(perspectives).toBeGreaterThan(people);
	}, 240_000);

	// code28: a question + theme page's scopes (every question's, as its sibling views) take their slices of the
	// family's rows from one pass (queries.ts slicesOfFamily), shared by the scopes of one request. Each question's
	// tables must be what each scope gave slicing alone (ANALYSIS_FAMILY_SLICES=off), rows in the same order, and
	// what the rows give (sorted), whichever question is read first.
	it("gives every question's scope of one request the tables of its own slice, in the same order", async () => {
		const [t, second] = themes;
		const keys = fx.c.questions.map((q) => q.key);
		async function family(theme: number, order: string[], mode: 'on' | 'off' | 'rows') {
			delete process.env.ANALYSIS_AGGREGATES;
			process.env.ANALYSIS_FAMILY_SLICES = mode === 'off' ? 'off' : 'on';
			if (mode === 'rows') process.env.ANALYSIS_AGGREGATES = 'off';
			const first = scopeOf(fx.c, parseFilters(new URLSearchParams(`question=${order[0]}&theme=${theme}`)));
			const out: Record<string, unknown> = {};
			for (const key of order) {
				const s = key === order[0] ? first : relatedScope(first, { ...first.filters, question: key });
				const tables = {
					equality: await equalityCombinations(fresh.db, s),
					districts: await submissionsBy(fresh.db, s, 'district_code'),
					days: await submissionsByDayAndChannel(fresh.db, s),
					groups: await perspectivesByGroup(fresh.db, s),
					cross: (await crossCounts(fresh.db, s, 'group', 'district')).rows
				};
				out[key] =
					mode === 'rows'
						? Object.fromEntries(
								Object.entries(tables).map(([k, rows]) => [k, rows.map((r) => JSON.stringify(r)).sort()])
							)
						: tables;
			}
			return out;
		}
		const sortedOf = (x: Record<string, unknown>) =>
			Object.fromEntries(
				Object.entries(x).map(([q, tables]) => [
					q,
					Object.fromEntries(
						Object.entries(tables as Record<string, unknown[]>).map(([k, rows]) => [
							k,
							rows.map((r) => JSON.stringify(r)).sort()
						])
					)
				])
			);
		for (const theme of [t.id, second.id])
			for (const order of [keys, [...keys].reverse()]) {
				const on = await family(theme, order, 'on');
				expect(on, `theme ${theme}, ${order.join(',')}`).toEqual(await family(theme, order, 'off'));
				expect(sortedOf(on), `theme ${theme}, ${order.join(',')} (rows)`).toEqual(await family(theme, order, 'rows'));
				// Some question of the theme's family has rows, and some has none (the theme is one question's).
				expect(Object.values(on).some((x) => (x as { equality: unknown[] }).equality.length > 0)).toBe(true);
			}
	}, 240_000);
});
