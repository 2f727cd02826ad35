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
import { sql } from 'kysely';
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

	/**
	 * One request's dashboard and the statements it ran, under the switches as they are set now; once per query
	 * string and setting of the two switches in the file (the three tests ask for weeks 3–4 + online + question 2
	 * with both switches on three times, and with ANALYSIS_DATED_PERSPECTIVES=off twice; ANALYSIS_CACHE is off, so
	 * a repeat runs the same statements and shows the same tables). The statements are logged on the database's
	 * analysis lane, as the views of the app are (tests/helpers/statement-log.ts logged).
	 */
	const runs = new Map<string, Promise<{ tables: string[]; seen: string[] }>>();
	const run = (qs: string) => {
		const key = [qs, process.env.ANALYSIS_DATED_PERSPECTIVES, process.env.ANALYSIS_CHANNEL_EQUALITY].join('|');
		if (!runs.has(key))
			runs.set(
				key,
				(async () => {
					const seen: string[] = [];
					return { tables: await view(qs, logged(data.fresh.db, seen)), seen };
				})()
			);
		return runs.get(key)!;
	};

	/** Perspectives (all channels) that answered question `key` on the day `day` (YYYY-MM-DD). */
	const perspectivesOn = async (key: string, day: string) => {
		const id = data.fx.c.questions.find((q) => q.key === key)!.id;
		const row = await data.fresh.db
			.selectFrom('perspective')
			.innerJoin('submission', 'submission.id', 'perspective.submission_id')
			.select((e) => e.fn.countAll<number>().as('n'))
			.where('submission.consultation_id', '=', data.fx.c.id)
			.where('perspective.question_set', 'like', `%|${id}|%`)
			.where(sql<string>`substr(submission.created_at, 1, 10)`, '=', day)
			.executeTakeFirstOrThrow();
		return Number(row.n);
	};

	it('shows the same dashboards as with a statement per scope', async () => {
		const c = data.fx.c;
		const [q1, q2] = [c.questions[0].key, c.questions[1].key];
		// The question view's last day has perspectives (question 1; question 2 has none on that day), so a family
		// read that left out a scope's last day would change its respondent types (ci42: it went unnoticed).
		const q1View = await dated(`question=${q1}`);
		expect(await perspectivesOn(q1, new URLSearchParams(q1View).get('to')!), q1View).toBeGreaterThan(0);
		for (const extra of [
			`channel=online&question=${q2}`,
			`question=${q1}`,
			`district=${c.districts[0].code}&question=${c.questions[0].key}`,
			`group=${c.groups[0].code}&question=${q2}`
		]) {
			const qs = await dated(extra);
			delete process.env.ANALYSIS_DATED_PERSPECTIVES;
			const family = (await run(qs)).tables;
			process.env.ANALYSIS_DATED_PERSPECTIVES = 'off';
			const own = (await run(qs)).tables;
			delete process.env.ANALYSIS_DATED_PERSPECTIVES;
			expect(family, qs).toEqual(own);
		}
	}, 600_000);

	it('runs no dated perspective pass of its own per scope', async () => {
		const qs = await dated(`channel=online&question=${data.fx.c.questions[1].key}`);
		process.env.ANALYSIS_DATED_PERSPECTIVES = 'off';
		const before = (await run(qs)).seen.filter(datedPerspectivePass).length;
		delete process.env.ANALYSIS_DATED_PERSPECTIVES;
		const after = (await run(qs)).seen.filter(datedPerspectivePass).length;
		// Before: one per week × channel slice of each question (and their wider views).
		expect(before).toBeGreaterThan(20);
		expect(after).toBe(0);
	}, 600_000);

	it("reads a channel + question scope's equality combinations from its family", async () => {
		const c = data.fx.c;
		const q2 = c.questions[1].key;
		for (const qs of [await dated(`channel=online&question=${q2}`), `channel=online&question=${q2}`]) {
			process.env.ANALYSIS_CHANNEL_EQUALITY = 'off';
			const { tables: own, seen: seenOwn } = await run(qs);
			const before = seenOwn.filter(channelEqualityPass).length;
			delete process.env.ANALYSIS_CHANNEL_EQUALITY;
			const { tables: family, seen: seenFamily } = await run(qs);
			const after = seenFamily.filter(channelEqualityPass).length;
			expect(family, qs).toEqual(own);
			// Before: one per channel slice of each question.
			expect(before, qs).toBeGreaterThan(5);
			expect(after, qs).toBe(0);
		}
	}, 600_000);
});
