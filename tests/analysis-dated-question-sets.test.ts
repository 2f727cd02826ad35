/**
 * A dated question view's families read once for every question, by kept question set (issue #19, helper dash38,
 * redoing dash36's lost change 2). Weeks 3–4 + online + question 2 is protected with every question's week ×
 * channel slices, and queries.ts fromDateFamily read each question's equality combinations and perspective cube
 * with its own pass over the consultation's submissions (five of each, ~2 s of CPU apiece at a million answers),
 * plus one for the scopes without a question. Now the family's scope leaves the question out and its rows are
 * grouped by `submission.question_set` / `perspective.question_set` as well; each question takes the rows of the
 * sets holding it. The tables must be the same as with ANALYSIS_DATED_QUESTION_SETS=off (a read per question, as
 * before), on both engines, and the page must make one equality read and one perspective read where it made one
 * per question.
 */
import { expect, it } from 'vitest';
import { describeEachEngine } from './helpers/databases';
import { demoLikeSuite } from './helpers/demo-like';
import type { Db } from '../src/lib/server/db/connect';
import { dashboardJson, switchPairs, weeks3to4 } from './helpers/dated-query';

/** A date family's read (grouped by the day of the submission) of the equality combinations. */
const equalityRead = (text: string) => / as "date_day"/.test(text) && /"eq_age_band" as "ageBand"/.test(text);
/** A date family's read of the perspective cube. */
const perspectiveRead = (text: string) =>
	/ as "date_day"/.test(text) && /"perspective"\."group_code" as "group_code"/.test(text);

describeEachEngine('dated question views: the families read once, by question set', (engine) => {
	const data = demoLikeSuite(engine, { env: { ANALYSIS_CACHE: 'off' }, restore: ['ANALYSIS_DATED_QUESTION_SETS'] });

	const dated = (extra: string) => weeks3to4(data.fresh.db, data.fx.c.id, extra);
	const view = (qs: string, db: Db = data.fresh.db) => dashboardJson(db, data.fx.c, qs);

	/** The view with the switch off and on, and the statements each made; once per query string in the file. */
	const both = switchPairs(
		'ANALYSIS_DATED_QUESTION_SETS',
		() => data.fresh.db,
		(qs, db) => view(qs, db)
	);

	it('shows the same dashboards as with a read per question', async () => {
		const c = data.fx.c;
		const [q1, q2] = [c.questions[0].key, c.questions[1].key];
		const views = [
			await dated(`channel=online&question=${q2}`),
			await dated(`channel=face-to-face&question=${q1}`),
			await dated(`district=${c.districts[1].code}&question=${q2}`),
			await dated(`district=${c.districts[0].code}`),
			`channel=online&question=${q2}`
		];
		for (const qs of views) {
			const { off, on } = await both(qs);
			expect(on.length, qs).toBeGreaterThan(0);
			expect(on, qs).toEqual(off);
		}
	}, 900_000);

	it("reads weeks 3–4 + online + question 2's equality combinations and perspectives once", async () => {
		const qs = await dated(`channel=online&question=${data.fx.c.questions[1].key}`);
		const { seenOff, seenOn } = await both(qs);
		// Before: a read per question (and the equality combinations once more for the scopes without a question).
		expect(seenOff.filter(equalityRead).length).toBeGreaterThan(data.fx.c.questions.length - 1);
		expect(seenOff.filter(perspectiveRead).length).toBeGreaterThan(data.fx.c.questions.length - 1);
		const equality = seenOn.filter(equalityRead);
		const perspectives = seenOn.filter(perspectiveRead);
		expect(equality.length).toBe(1);
		expect(perspectives.length).toBe(1);
		for (const text of [...equality, ...perspectives]) expect(text).toMatch(/question_set" as "date_set"/);
	}, 600_000);
});
