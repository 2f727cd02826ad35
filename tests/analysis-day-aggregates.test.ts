/**
 * A dated view's answers per question and theme counts from the day aggregates (migration 2026-12-12-0500, issue
 * #19, helper day33): analysis_agg_answer_day and analysis_agg_theme_day, 0220's answer-level tables with the day of
 * the answer's submission in the key. A dated view (weeks 3–4, alone or with a district, channel or group) read them
 * from passes over the question's answers (queries.ts fromDateFamily: one per reader per request, or one per scope
 * when not protected). The tables must be the same as read from the answers (ANALYSIS_DAY_AGGREGATES=off), on both
 * engines, also after writes that move a submission's day, district and channel and delete one; and a dated +
 * district request's theme tables must read no statement over the answers.
 */
import { expect, it } from 'vitest';
import { describeEachEngine } from './helpers/databases';
import { demoLikeSuite } from './helpers/demo-like';
import { addDays } from '../src/lib/analysis/weeks';
import { questionThemeTables, questionsTable } from '../src/lib/server/analysis/dashboard';
import { analysisFilters, scopeOf } from '../src/lib/server/analysis/scope';
import type { Db } from '../src/lib/server/db/connect';
import { firstDay, switchPairs, weeks3to4 } from './helpers/dated-query';

/** A statement that reads the answers table (a pass over a question's answers, or a probe). */
const readsAnswers = (text: string) => /\bfrom "answer"|join "answer"|from answer\b|join answer\b/i.test(text);

describeEachEngine('dated views from the day aggregates', (engine) => {
	const data = demoLikeSuite(engine, { env: { ANALYSIS_CACHE: 'off' }, restore: ['ANALYSIS_DAY_AGGREGATES'] });

	/** Weeks 3–4 from the first submission's day, snapped to whole weeks as the pages do, with `extra`. */
	const dated = (extra: string) => weeks3to4(data.fresh.db, data.fx.c.id, extra);

	/**
	 * The tables of one request the switch can change, one JSON string per table: the dashboard's answers per
	 * question and every question's theme tables. ANALYSIS_DAY_AGGREGATES is read only where a dated scope's
	 * answersByQuestion and themeCounts choose between the day aggregates and the answers (queries.ts, through
	 * dayAggregatable), and on the screens those two are read only by questionsTable and questionThemeTables, whose
	 * protection builds the same table of the wider and sibling scopes (widerConstraints of 'questions'; the theme
	 * families), never another table's. The rest of the dashboard (weeks, groups, channels, equality: ~60% of a
	 * view's CPU, 5 December) runs the same statements either way, so it is not built (ci42).
	 */
	async function view(qs: string, db: Db): Promise<string[]> {
		const c = data.fx.c;
		const filters = await analysisFilters(db, c, new URLSearchParams(qs));
		const s = scopeOf(c, filters);
		const [questions, themes] = await Promise.all([
			questionsTable(db, c, s, { base: '/b', filters }),
			Promise.all(
				c.questions.map((q) => questionThemeTables(db, c, s, q.key, { top: 5, minPct: 10 }, { base: '/b', filters }))
			)
		]);
		return [JSON.stringify(questions), ...themes.map((t) => JSON.stringify(t))];
	}

	/**
	 * Each view with the switch off and on (unset) and the statements each ran, once per query string: as generated
	 * (the second test reads its dated + district pair), and after the first test's writes.
	 */
	const generated = switchPairs('ANALYSIS_DAY_AGGREGATES', () => data.fresh.db, view);
	const afterWrites = switchPairs('ANALYSIS_DAY_AGGREGATES', () => data.fresh.db, view);

	/**
	 * One view of each kind of scope (ci42: each kind once; a second view of a kind ran the same statements with
	 * other values). Weeks 3–4 is a date family of week slices, so every dated view below is read through
	 * fromDateFamily with the family's `extra` columns.
	 */
	async function views(): Promise<string[]> {
		const c = data.fx.c;
		const [d1, d2] = c.districts.map((d) => d.code);
		const group = c.groups[0].code;
		const day = await firstDay(data.fresh.db, data.fx.c.id);
		return [
			// 0: dates alone (week slices: extra day).
			await dated(''),
			// 1: dates + a district (week × district slices: extra day and district). Its family holds every district's
			// slice, tiny Redditch's (no submission in weeks 3–4) included, so Redditch's own view, once here too, is
			// not (it cost a tenth of the file's CPU).
			await dated(`district=${d1}`),
			// 2: dates + district + channel (the channel as the day tables' condition, beside extra columns).
			await dated(`district=${d2}&channel=online`),
			// 3: dates + face to face (a channel set: extra channel).
			await dated('channel=face-to-face'),
			// 4: dates + a respondent type (the day tables' group condition).
			await dated(`group=${group}`),
			// 5: dates + type + district.
			await dated(`group=${group}&district=${d1}`),
			// 6: dates + no district (district is null).
			await dated('district=unknown'),
			// 7: nothing hidden: a dated scope on its own, not protected (no family).
			await dated(`district=${d1}&min=0`),
			// 8: a question filter (the answers per question read with it, the theme tables without it).
			await dated(`question=${c.questions[1].key}`),
			// 9: a from date only.
			`from=${addDays(day, 21)}`,
			// 10: a to date only, with a district.
			`to=${addDays(day, 13)}&district=${d2}`
		];
	}

	/** The views (`pick`: those of these indexes) the same with the switch on and off. */
	async function expectSame(label: string, pairs: typeof generated, pick?: number[]) {
		const all = await views();
		for (const qs of pick ? pick.map((i) => all[i]) : all) {
			const { off, on } = await pairs(qs);
			expect(on, `${label}: ${qs}`).toEqual(off);
		}
	}

	it('shows the same tables as read from the answers, also after moving and deleting submissions', async () => {
		await expectSame('as generated', generated);
		// Writes the triggers keep: submissions moved into weeks 3–4 (day, district, channel), one deleted.
		const db = data.fresh.db;
		const day = await firstDay(data.fresh.db, data.fx.c.id);
		const ids = (
			await db
				.selectFrom('submission')
				.select('id')
				.where('consultation_id', '=', data.fx.c.id)
				.orderBy('created_at', 'desc')
				.limit(12)
				.execute()
		).map((r) => r.id);
		const [d1] = data.fx.c.districts.map((d) => d.code);
		for (const [i, id] of ids.slice(0, 11).entries())
			await db
				.updateTable('submission')
				.set({
					created_at: `${addDays(day, 15 + (i % 10))}T09:30:00.000Z`,
					...(i % 2 === 0 ? { district_code: i % 4 === 0 ? d1 : null } : {}),
					...(i % 3 === 0 ? { channel: 'online' } : {})
				})
				.where('id', '=', id)
				.execute();
		await db.deleteFrom('submission').where('id', '=', ids[11]).execute();
		// Fewer views: the writes' days (0), district (1), channel (2), no district (6), and unprotected (7).
		await expectSame('after the writes', afterWrites, [0, 1, 2, 6, 7]);
	}, 600_000);

	it("reads a dated + district view's tables without a statement over the answers", async () => {
		// The first test's pair as generated (computed here when this test runs alone).
		const { seenOff, seenOn } = await generated(await dated(`district=${data.fx.c.districts[0].code}`));
		const read = seenOff.filter(readsAnswers);
		const kept = seenOn.filter(readsAnswers);
		// Before: each question's family reads (groups and themes, for the view's family and its wider view's).
		expect(read.length).toBeGreaterThanOrEqual(2 * data.fx.c.questions.length);
		expect(kept).toEqual([]);
	}, 600_000);
});
