/**
 * A dated question view's perspective cube from its date family (issue #19, helper dash35). Weeks 3–4 + online +
 * question 2 is protected with every week × channel slice and every question's sibling view, and no kept table has
 * perspectives by both question and day, so each of those scopes ran its own pass over the question's perspectives
 * joined to their submissions (292 statements, about 10 s of a 19 s dashboard at 100,000 answers). Now each
 * question's family reads them once grouped by day and channel (queries.ts perspectiveCube through fromDateFamily).
 * The tables must be the same as with ANALYSIS_DATED_PERSPECTIVES=off (one statement per scope, as before), on both
 * engines, and a request must run no per-scope dated perspective statement. Likewise its channel + question wider and
 * sibling views' equality combinations (no kept table has them by channel and question) come from the same family's
 * rows (ANALYSIS_CHANNEL_EQUALITY=off: a statement per channel scope).
 */
import { expect, it } from 'vitest';
import { describeEachEngine } from './helpers/databases';
import { demoLikeSuite } from './helpers/demo-like';
import type { Db } from '../src/lib/server/db/connect';
import { logged } from './helpers/statement-log';
import { dashboardJson, weeks3to4 } from './helpers/dated-query';

/** One scope's own pass over the perspectives joined to their submissions, within its dates. */
const datedPerspectivePass = (text: string) =>
	/inner join "perspective" on "perspective"."submission_id" = "submission"."id"/.test(text) &&
	/"submission"."created_at" >= /.test(text);

/** One channel scope's own pass over the submissions for its equality combinations (no dates). */
const channelEqualityPass = (text: string) =>
	/"submission"."eq_age_band" as "ageBand"/.test(text) &&
	/"submission"."channel" = /.test(text) &&
	!/created_at/.test(text);

describeEachEngine('dated question views: the perspective cube from the date family', (engine) => {
	const data = demoLikeSuite(engine, {
		env: { ANALYSIS_CACHE: 'off' },
		restore: ['ANALYSIS_DATED_PERSPECTIVES', 'ANALYSIS_CHANNEL_EQUALITY']
	});

	/** Weeks 3–4 from the first submission's day, snapped to whole weeks as the pages do, with `extra`. */
	const dated = (extra: string) => weeks3to4(data.fresh.db, data.fx.c.id, extra);

	/** One request's dashboard, one JSON string per table. */
	const view = (qs: string, db: Db = data.fresh.db) => dashboardJson(db, data.fx.c, qs);

	it('shows the same dashboards as with a statement per scope', async () => {
		const c = data.fx.c;
		const q2 = c.questions[1].key;
		for (const extra of [
			`channel=online&question=${q2}`,
			`question=${q2}`,
			`district=${c.districts[0].code}&question=${c.questions[0].key}`,
			`group=${c.groups[0].code}&question=${q2}`
		]) {
			const qs = await dated(extra);
			delete process.env.ANALYSIS_DATED_PERSPECTIVES;
			const family = await view(qs);
			process.env.ANALYSIS_DATED_PERSPECTIVES = 'off';
			const own = await view(qs);
			delete process.env.ANALYSIS_DATED_PERSPECTIVES;
			expect(family, qs).toEqual(own);
		}
	}, 600_000);

	it('runs no dated perspective pass of its own per scope', async () => {
		const seen: string[] = [];
		const db = logged(data.fresh.db, seen);
		const qs = await dated(`channel=online&question=${data.fx.c.questions[1].key}`);
		process.env.ANALYSIS_DATED_PERSPECTIVES = 'off';
		await view(qs, db);
		const before = seen.filter(datedPerspectivePass).length;
		seen.length = 0;
		delete process.env.ANALYSIS_DATED_PERSPECTIVES;
		await view(qs, db);
		const after = seen.filter(datedPerspectivePass).length;
		// Before: one per week × channel slice of each question (and their wider views).
		expect(before).toBeGreaterThan(20);
		expect(after).toBe(0);
	}, 600_000);

	it("reads a channel + question scope's equality combinations from its family", async () => {
		const c = data.fx.c;
		const q2 = c.questions[1].key;
		for (const qs of [await dated(`channel=online&question=${q2}`), `channel=online&question=${q2}`]) {
			const seen: string[] = [];
			const db = logged(data.fresh.db, seen);
			process.env.ANALYSIS_CHANNEL_EQUALITY = 'off';
			const own = await view(qs, db);
			const before = seen.filter(channelEqualityPass).length;
			seen.length = 0;
			delete process.env.ANALYSIS_CHANNEL_EQUALITY;
			const family = await view(qs, db);
			const after = seen.filter(channelEqualityPass).length;
			expect(family, qs).toEqual(own);
			// Before: one per channel slice of each question.
			expect(before, qs).toBeGreaterThan(5);
			expect(after, qs).toBe(0);
		}
	}, 600_000);
});
