/**
 * A dated view's family in one query per reader (queries.ts fromDateFamily, issue #19, helper dated): a date range +
 * district view is protected with every week × district slice (wider.ts siblingFamily), and the aggregates have no
 * days for answers, themes or equality answers, so each slice ran its own scans (at 100,000 answers, weeks 3–4 +
 * Redditch: 355 theme statements of each kind for one request's theme tables, 25 s of CPU for the report). The
 * tables must be the same as with one query per scope (ANALYSIS_DATE_FAMILY=off), on both engines, and the theme
 * tables of a dated + district view must read each question's theme counts in a few statements, not one per slice.
 */
import { expect, it } from 'vitest';
import { describeEachEngine } from './helpers/databases';
import { demoLikeSuite } from './helpers/demo-like';
import type { TableData } from '../src/lib/analysis/tables';
import { dashboardTables } from '../src/lib/server/analysis/registry';
import { questionThemeTables } from '../src/lib/server/analysis/dashboard';
import { analysisFilters, scopeOf } from '../src/lib/server/analysis/scope';
import type { Db } from '../src/lib/server/db/connect';
import { logged } from './helpers/statement-log';
import { weeks3to4 } from './helpers/dated-query';

describeEachEngine('a dated family read in one query per reader', (engine) => {
	// The family's reads over the answers (the day aggregates of migration 2026-12-12-0500 answer these views
	// without them, and are compared with this path in tests/analysis-day-aggregates.test.ts).
	const data = demoLikeSuite(engine, {
		env: { ANALYSIS_CACHE: 'off', ANALYSIS_DAY_AGGREGATES: 'off' },
		restore: ['ANALYSIS_DATE_FAMILY']
	});

	/** Weeks 3–4 from the first submission's day, snapped to whole weeks as the pages do, with `extra`. */
	const dated = (extra: string) => weeks3to4(data.fresh.db, data.fx.c.id, extra);

	/** One request's dashboard and every question's theme tables, one JSON string per table. */
	async function view(qs: string, db: Db = data.fresh.db): Promise<string[]> {
		const c = data.fx.c;
		const filters = await analysisFilters(db, c, new URLSearchParams(qs));
		const s = scopeOf(c, filters);
		const tables: TableData[] = await dashboardTables(db, c, filters, '/b', s);
		const themes = await Promise.all(
			c.questions.map((q) => questionThemeTables(db, c, s, q.key, { top: 5, minPct: 10 }, { base: '/b', filters }))
		);
		return [...tables.map((t) => JSON.stringify(t)), ...themes.map((t) => JSON.stringify(t))];
	}

	/**
	 * The view with the family (switch unset) and then with one query per scope (ANALYSIS_DATE_FAMILY=off), and the
	 * statements each made; once per query string in the file (the second test's view is one of the first's). Logged
	 * on the database's analysis lane, as the views of the app are (tests/helpers/statement-log.ts logged).
	 */
	const pairs = new Map<
		string,
		Promise<{ family: string[]; own: string[]; seenFamily: string[]; seenOwn: string[] }>
	>();
	const both = (qs: string) => {
		if (!pairs.has(qs))
			pairs.set(
				qs,
				(async () => {
					const seenFamily: string[] = [];
					const seenOwn: string[] = [];
					delete process.env.ANALYSIS_DATE_FAMILY;
					const family = await view(qs, logged(data.fresh.db, seenFamily));
					process.env.ANALYSIS_DATE_FAMILY = 'off';
					const own = await view(qs, logged(data.fresh.db, seenOwn));
					return { family, own, seenFamily, seenOwn };
				})()
			);
		return pairs.get(qs)!;
	};

	it('shows the same tables as one query per scope', async () => {
		const [d1, d2] = data.fx.c.districts.map((d) => d.code);
		const group = data.fx.c.groups[0].code;
		// One view of each kind of scope (ci42). Tiny Redditch's dated view is not among them: the dated + district
		// view's family holds every week × district slice, Redditch's included, each read from the family's rows.
		const views = [
			// Dates alone: a family of week slices.
			await dated(''),
			// Dates + a district: week × district slices (the district left out of the family's scope).
			await dated(`district=${d1}`),
			// Dates + district + channel: both left out of the family's scope, each slice summing its own rows.
			await dated(`district=${d2}&channel=online`),
			// Dates + a respondent type: the type kept in the family's scope.
			await dated(`group=${group}`),
			// Dates + no district (a null district in the family's rows).
			await dated('district=unknown'),
			// Nothing hidden: neither protected nor in a family, so its own statements either way (cheap).
			await dated(`district=${d1}&min=0`)
		];
		for (const qs of views) {
			const { family, own } = await both(qs);
			expect(family, qs).toEqual(own);
		}
	}, 600_000);

	it("reads a dated + district view's theme counts in a few statements, not one per slice", async () => {
		const qs = await dated(`district=${data.fx.c.districts[0].code}`);
		const themeStatements = (seen: string[]) =>
			seen.filter((s) => s.includes('"answer_theme"."theme_id" as "t"')).length;

		const { seenFamily, seenOwn } = await both(qs);
		const family = themeStatements(seenFamily);
		const own = themeStatements(seenOwn);
		const questions = data.fx.c.questions.length;
		// Before: one per question for each dated scope of the family (every week × district slice and wider view).
		expect(own).toBeGreaterThan(10 * questions);
		expect(family).toBeLessThanOrEqual(4 * questions);
	}, 600_000);
});
