import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { loadSmallFixture, type Fixture } from './fixtures/analysis/small';
import { parseFilters } from '../src/lib/analysis/filters';
import { scopeOf } from '../src/lib/server/analysis/scope';
import * as q from '../src/lib/server/analysis/queries';
import {
	crossTabTable,
	equalityTables,
	groupTables,
	headline,
	questionThemeTables,
	weeksTable
} from '../src/lib/server/analysis/dashboard';

describeEachEngine('analysis aggregate queries', (engine) => {
	let fresh: FreshDb;
	let fx: Fixture;
	const scope = (qs = 'min=0') => scopeOf(fx.c, parseFilters(new URLSearchParams(qs)));
	const links = { base: '/admin/c/x', filters: parseFilters(new URLSearchParams('')) };
	beforeAll(async () => {
		fresh = await preparedDatabase(engine);
		fx = await loadSmallFixture(fresh.db);
	});
	afterAll(() => fresh?.drop());

	it('counts submissions, perspectives and channels (a two-perspective submission counts once as a submission)', async () => {
		const h = await headline(fresh.db, scope());
		expect(h).toEqual({
			submissions: 5,
			perspectives: 6,
			online: 3,
			faceToFace: 2,
			otherChannels: 0,
			equalityCompleted: 2
		});
	});

	it('counts respondent types per perspective and districts per submission', async () => {
		const [types, districts, both] = await groupTables(fresh.db, fx.c, scope(), links);
		const t = Object.fromEntries(types.rows.map((r) => [r.key, r.cells[0].n]));
		// The types now show their total (the perspectives, as in the headline), so it is protected with them.
		expect(t).toEqual({ child: 2, young_person: 1, parent_carer: 2, practitioner: 1, other: 0, _total: 6 });
		// percentages of the 5 submissions: parent_carer 2/5
		expect(types.rows.find((r) => r.key === 'parent_carer')!.cells[0].pct).toBe(40);
		expect(types.notes[0]).toContain('can count under several respondent types');
		const d = Object.fromEntries(districts.rows.map((r) => [r.key, r.cells[0].n]));
		expect(d).toMatchObject({ bromsgrove: 3, redditch: 1, unknown: 1, _total: 5 });
		const bromsgrove = both.columns.findIndex((c) => c.key === 'bromsgrove');
		expect(both.rows.find((r) => r.key === 'parent_carer')!.cells[bromsgrove].n).toBe(2);
		expect(both.rows.find((r) => r.key === 'young_person')!.cells[bromsgrove].n).toBe(1);
	});

	it('keeps not asked, prefer not to say and left blank apart', async () => {
		const [gender, disability] = await equalityTables(fresh.db, scope(), ['gender', 'disability']);
		const g = Object.fromEntries(gender.rows.map((r) => [r.key, r.cells[0].n]));
		expect(g).toMatchObject({ female: 1, male: 0, prefer_not_to_say: 1, left_blank: 1, not_asked: 2, _asked: 3 });
		expect(gender.rows.find((r) => r.key === 'female')!.cells[0].pct).toBeCloseTo(100 / 3);
		const d = Object.fromEntries(disability.rows.map((r) => [r.key, r.cells[0].n]));
		expect(d).toMatchObject({ yes: 1, no: 1, left_blank: 1, not_asked: 2 });
		// with the default threshold of 5 every non-zero count here is hidden
		const [suppressed] = await equalityTables(fresh.db, scope(''), ['gender']);
		expect(suppressed.rows.find((r) => r.key === 'female')!.cells[0].text).toBe('<5');
		expect(suppressed.anySuppressed).toBe(true);
	});

	it('applies the shared filters at every level', async () => {
		expect((await headline(fresh.db, scope('min=0&group=parent_carer'))).submissions).toBe(2);
		expect((await headline(fresh.db, scope('min=0&group=parent_carer'))).perspectives).toBe(2);
		expect((await headline(fresh.db, scope(`min=0&theme=${fx.themes.family}`))).submissions).toBe(2);
		expect((await headline(fresh.db, scope('min=0&question=q2'))).submissions).toBe(2);
		expect((await headline(fresh.db, scope('min=0&channel=face-to-face'))).submissions).toBe(2);
		expect((await headline(fresh.db, scope('min=0&district=unknown'))).submissions).toBe(1);
		expect((await headline(fresh.db, scope('min=0&from=2017-05-24&to=2017-06-06'))).submissions).toBe(3);
		expect((await headline(fresh.db, scope('min=0&question=nope'))).submissions).toBe(0);
		const byQ = await q.answersByQuestion(fresh.db, scope('min=0&group=parent_carer'));
		const q1 = fx.c.questions[0].id;
		expect(byQ.find((r) => r.questionId === q1)!.n).toBe(2);
	});

	it('builds weeks from the opening date', async () => {
		const w = await weeksTable(fresh.db, fx.c, scope());
		expect(w.rows.map((r) => [r.label, r.cells[0].n, r.cells[1].n])).toEqual([
			['Week 1 (2017-05-22 to 2017-05-28)', 2, 0],
			['Week 2 (2017-05-29 to 2017-06-04)', 0, 1],
			['Week 3 (2017-06-05 to 2017-06-11)', 1, 1],
			['Total', 3, 2]
		]);
	});

	it('cross-tabs any two dimensions with row percentages', async () => {
		const t = await crossTabTable(fresh.db, fx.c, scope(), 'channel', 'gender', 'row');
		const online = t.rows.find((r) => r.key === 'online')!;
		const col = (k: string) => t.columns.findIndex((c) => c.key === k);
		expect(online.cells[col('female')]).toMatchObject({ n: 1 });
		expect(online.cells[col('female')].pct).toBeCloseTo(100 / 3);
		expect(t.rows.find((r) => r.key === 'library')!.cells[col('not_asked')].n).toBe(2);
		const byGroup = await crossTabTable(fresh.db, fx.c, scope(), 'group', 'week', 'none');
		expect(byGroup.notes[0]).toContain('one submission can count under several types');
		expect(byGroup.rows.find((r) => r.key === 'parent_carer')!.cells.map((c) => c.n)).toEqual([1, 0, 1, 2]);
	});

	it('builds the theme x group table from answer codings (applies = 1 only, active themes)', async () => {
		const qt = (await questionThemeTables(fresh.db, fx.c, scope(), 'q1', { top: 1, minPct: 0 }, links))!;
		const row = (label: string) => qt.counts.rows.find((r) => r.label === label)!;
		const col = (k: string) => qt.counts.columns.findIndex((c) => c.key === k);
		expect(row('Family').cells[col('young_person')]).toMatchObject({ n: 1, pct: 100 });
		expect(row('Family').cells[col('parent_carer')]).toMatchObject({ n: 1, pct: 50 });
		expect(row('Education').cells[col('parent_carer')]).toMatchObject({ n: 2, pct: 100 });
		expect(row('Pets').cells[col('child')]).toMatchObject({ n: 1, pct: 50 });
		expect(row('Family').cells[col('_all')].n).toBe(2);
		expect(row('Family').cells[col('young_person')].href).toBe(
			`/admin/c/x/review?question=q1&group=young_person&theme=${fx.themes.family}`
		);
		expect(qt.counts.rows.find((r) => r.key === '_answers')!.cells.map((c) => c.n)).toEqual([2, 1, 2, 0, 0, 5]);
		expect(qt.counts.rows.find((r) => r.key === '_uncoded')!.cells.map((c) => c.n)).toEqual([0, 0, 0, 0, 0, 0]);
		// q2 has no coding at all: both its answers count as "no theme yet"
		const q2 = (await questionThemeTables(fresh.db, fx.c, scope(), 'q2', { top: 1, minPct: 0 }, links))!;
		expect(q2.counts.rows.find((r) => r.key === '_uncoded')!.cells.map((c) => c.n)).toEqual([0, 0, 1, 1, 0, 2]);
		// a removed theme (applies = 0) no longer counts
		await fresh.db
			.updateTable('answer_theme')
			.set({ applies: 0, source: 'human' })
			.where('answer_id', '=', fx.answers.S4)
			.where('theme_id', '=', fx.themes.family)
			.execute();
		const after = (await questionThemeTables(fresh.db, fx.c, scope(), 'q1', { top: 1, minPct: 0 }, links))!;
		expect(after.counts.rows.find((r) => r.label === 'Family')!.cells[col('parent_carer')].n).toBe(0);
		await fresh.db
			.updateTable('answer_theme')
			.set({ applies: 1, source: 'auto' })
			.where('answer_id', '=', fx.answers.S4)
			.where('theme_id', '=', fx.themes.family)
			.execute();
		// ticks: top 1 per group (ties share the rank)
		const ticks = Object.fromEntries(qt.ticks.rows.map((r) => [r.label, r.cells.map((c) => c.tick)]));
		expect(ticks.Education).toEqual([false, false, true, false, false]);
		expect(ticks.Pets).toEqual([true, false, false, false, false]);
	});

	it('counts agreement pairs on reviewed answers only', async () => {
		const now = '2017-07-02T00:00:00.000Z';
		// S1yp reviewed: officer kept family (proposed) and added... friends proposed and kept; adds pets (not proposed)
		await fresh.db
			.insertInto('answer_theme')
			.values({
				answer_id: fx.answers.S1yp,
				theme_id: fx.themes.pets,
				source: 'human',
				applies: 1,
				confidence: null,
				user_id: fx.officerId,
				updated_at: now
			})
			.execute();
		// S4 reviewed: family (proposed 0.6) removed
		await fresh.db
			.updateTable('answer_theme')
			.set({ applies: 0, source: 'human' })
			.where('answer_id', '=', fx.answers.S4)
			.where('theme_id', '=', fx.themes.family)
			.execute();
		await fresh.db
			.updateTable('answer')
			.set({ reviewed_at: now, reviewed_by: fx.officerId })
			.where('id', 'in', [fx.answers.S1yp, fx.answers.S4])
			.execute();
		const rows = await q.agreementCounts(fresh.db, scope());
		const q1 = rows.find((r) => r.questionId === fx.c.questions[0].id)!;
		// tp: S1yp family, friends; S4 education = 3; fp: S4 family = 1; fn: S1yp pets = 1
		expect(q1).toMatchObject({ tp: 3, fp: 1, fn: 1, reviewed: 2, answers: 5 });
		expect(rows.find((r) => r.questionId === fx.c.questions[1].id)).toMatchObject({
			tp: 0,
			fp: 0,
			fn: 0,
			reviewed: 0,
			answers: 2
		});
	});

	it("counts agreement's answers and reviewed answers from the aggregates, not by reading every answer", async () => {
		// Every statement sent, as compiled (a plugin sees each one).
		const sent: string[] = [];
		const executor = fresh.db.getExecutor();
		const db = fresh.db.withPlugin({
			transformQuery: (args) => {
				sent.push(executor.compileQuery(args.node, { queryId: 'record' } as never).sql);
				return args.node;
			},
			transformResult: async (args) => args.result
		});
		// A count over the answers themselves (the codings' pairs join answer_theme and read the reviewed ones only).
		const counted = () => sent.filter((t) => /from "answer" where/.test(t)).length;
		const kept = await q.agreementCounts(db, scope());
		expect(counted()).toBe(0);
		expect(sent.some((t) => /from "analysis_agg_answer"/.test(t))).toBe(true);
		expect(kept.find((r) => r.questionId === fx.c.questions[0].id)).toMatchObject({ reviewed: 2, answers: 5 });
		process.env.ANALYSIS_AGREEMENT_KEPT = 'off';
		try {
			sent.length = 0;
			expect(await q.agreementCounts(db, scope())).toEqual(kept);
			expect(counted()).toBe(2);
		} finally {
			delete process.env.ANALYSIS_AGREEMENT_KEPT;
		}
	});
});
