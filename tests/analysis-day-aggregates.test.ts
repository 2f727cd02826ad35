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
import type { TableData } from '../src/lib/analysis/tables';
import { addDays } from '../src/lib/analysis/weeks';
import { dashboardTables } from '../src/lib/server/analysis/registry';
import { questionThemeTables } from '../src/lib/server/analysis/dashboard';
import { analysisFilters, scopeOf } from '../src/lib/server/analysis/scope';
import type { Db } from '../src/lib/server/db/connect';
import { logged } from './helpers/statement-log';
import { firstDay, weeks3to4 } from './helpers/dated-query';

/** A statement that reads the answers table (a pass over a question's answers, or a probe). */
const readsAnswers = (text: string) => /\bfrom "answer"|join "answer"|from answer\b|join answer\b/i.test(text);

describeEachEngine('dated views from the day aggregates', (engine) => {
	const data = demoLikeSuite(engine, { env: { ANALYSIS_CACHE: 'off' }, restore: ['ANALYSIS_DAY_AGGREGATES'] });

	/** The first submission's day. */
	/** Weeks 3–4 from the first submission's day, snapped to whole weeks as the pages do, with `extra`. */
	const dated = (extra: string) => weeks3to4(data.fresh.db, data.fx.c.id, extra);

	/** One request's dashboard and every question's theme tables, one JSON string per table. */
	async function view(qs: string, db: Db = data.fresh.db, dashboard = true): Promise<string[]> {
		const c = data.fx.c;
		const filters = await analysisFilters(db, c, new URLSearchParams(qs));
		const s = scopeOf(c, filters);
		const tables: TableData[] = dashboard ? await dashboardTables(db, c, filters, '/b', s) : [];
		const themes = await Promise.all(
			c.questions.map((q) => questionThemeTables(db, c, s, q.key, { top: 5, minPct: 10 }, { base: '/b', filters }))
		);
		return [...tables.map((t) => JSON.stringify(t)), ...themes.map((t) => JSON.stringify(t))];
	}

	async function views(): Promise<string[]> {
		const c = data.fx.c;
		const [d1, d2] = c.districts.map((d) => d.code);
		const group = c.groups[0].code;
		const day = await firstDay(data.fresh.db, data.fx.c.id);
		return [
			await dated(''),
			await dated(`district=${d1}`),
			await dated('district=redditch'),
			await dated(`district=${d2}&channel=online`),
			await dated('channel=face-to-face'),
			await dated(`group=${group}`),
			await dated(`group=${group}&district=${d1}`),
			await dated('district=unknown'),
			await dated(`district=${d1}&min=0`),
			await dated(`question=${c.questions[1].key}`),
			`from=${addDays(day, 21)}`,
			`to=${addDays(day, 13)}&district=${d2}`
		];
	}

	/** The views (`pick`: those of these indexes) the same with the switch on and off. */
	async function expectSame(label: string, pick?: number[]) {
		const all = await views();
		for (const qs of pick ? pick.map((i) => all[i]) : all) {
			delete process.env.ANALYSIS_DAY_AGGREGATES;
			const kept = await view(qs);
			process.env.ANALYSIS_DAY_AGGREGATES = 'off';
			const read = await view(qs);
			delete process.env.ANALYSIS_DAY_AGGREGATES;
			expect(kept, `${label}: ${qs}`).toEqual(read);
		}
	}

	it('shows the same tables as read from the answers, also after moving and deleting submissions', async () => {
		await expectSame('as generated');
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
		// Fewer views (the whole set took two minutes an engine): the writes' days, districts and channels.
		await expectSame('after the writes', [0, 1, 3, 7, 8]);
	}, 600_000);

	it("reads a dated + district view's theme tables without a statement over the answers", async () => {
		const seen: string[] = [];
		const db = logged(data.fresh.db, seen);
		const qs = await dated(`district=${data.fx.c.districts[0].code}`);

		delete process.env.ANALYSIS_DAY_AGGREGATES;
		await view(qs, db, false);
		const kept = seen.filter(readsAnswers);
		seen.length = 0;
		process.env.ANALYSIS_DAY_AGGREGATES = 'off';
		await view(qs, db, false);
		const read = seen.filter(readsAnswers);
		delete process.env.ANALYSIS_DAY_AGGREGATES;
		// Before: each question's family reads (groups and themes, for the view's family and its wider view's).
		expect(read.length).toBeGreaterThanOrEqual(2 * data.fx.c.questions.length);
		expect(kept).toEqual([]);
	}, 600_000);
});
