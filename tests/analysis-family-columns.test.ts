/**
 * A date family's rows read once for the family's scopes with and without the page's district or channel (issue
 * #19, helper dash36). Weeks 3–4 + online + question 2 is protected with every week × channel slice of every
 * question and with their wider views without the channel, and queries.ts fromDateFamily read each question's
 * equality combinations and perspectives twice: grouped by day (the scopes without a channel) and by day × channel
 * (the channel scopes), ~2 s of CPU each at a million answers. Rows grouped by the channel as well sum to the same
 * counts, so the family now reads them grouped by the page's district and channel (familyColumns) and every scope
 * sums its own. The tables must be the same as with ANALYSIS_FAMILY_COLUMNS=off (a read per set of columns, as
 * before), on both engines, and no family read may leave out the page's channel (or district).
 */
import { expect, it } from 'vitest';
import { describeEachEngine } from './helpers/databases';
import { demoLikeSuite } from './helpers/demo-like';
import type { Db } from '../src/lib/server/db/connect';
import { dashboardJson, switchPairs, weeks3to4 } from './helpers/dated-query';

/** A date family's read (grouped by the day of the submission). */
const familyRead = (text: string) => / as "date_day"/.test(text);

describeEachEngine(
	'date families: one read for the scopes with and without the page’s channel or district',
	(engine) => {
		const data = demoLikeSuite(engine, { env: { ANALYSIS_CACHE: 'off' }, restore: ['ANALYSIS_FAMILY_COLUMNS'] });

		const dated = (extra: string) => weeks3to4(data.fresh.db, data.fx.c.id, extra);

		/** One request's dashboard, one JSON string per table. */
		const view = (qs: string, db: Db = data.fresh.db) => dashboardJson(db, data.fx.c, qs);

		/**
		 * The view with the switch off and on, and the family reads each made; once per query string in the file (the
		 * read tests ask for two of the equality test's views again: ~20 s of the file's ~110, CI time, 5 December).
		 */
		const pairs = switchPairs(
			'ANALYSIS_FAMILY_COLUMNS',
			() => data.fresh.db,
			(qs, db) => view(qs, db)
		);
		const both = async (qs: string) => {
			const { off, on, seenOff, seenOn } = await pairs(qs);
			return { off, on, readsOff: seenOff.filter(familyRead), readsOn: seenOn.filter(familyRead) };
		};

		it('shows the same dashboards as with a read per set of columns', async () => {
			const c = data.fx.c;
			const [q1, q2] = [c.questions[0].key, c.questions[1].key];
			for (const extra of [
				`channel=online&question=${q2}`,
				`channel=face-to-face&question=${q1}`,
				`district=${c.districts[0].code}`,
				`district=${c.districts[1].code}&question=${q2}`,
				`group=${c.groups[0].code}&channel=online`
			]) {
				const qs = await dated(extra);
				const { off, on } = await both(qs);
				expect(on, qs).toEqual(off);
			}
		}, 900_000);

		it("reads weeks 3–4 + online + question 2's families grouped by channel only", async () => {
			const qs = await dated(`channel=online&question=${data.fx.c.questions[1].key}`);
			const { readsOff, readsOn } = await both(qs);
			const withoutChannel = (reads: string[]) => reads.filter((t) => !/ as "date_channel"/.test(t)).length;
			// Before: each question's equality combinations and perspectives by day alone, beside those by day × channel.
			expect(withoutChannel(readsOff)).toBeGreaterThan(0);
			expect(withoutChannel(readsOn)).toBe(0);
			expect(readsOn.length).toBeLessThan(readsOff.length);
		}, 600_000);

		it("reads weeks 3–4 + a district's families grouped by district only", async () => {
			// The equality test's fourth view (the second district with question 2).
			const qs = await dated(`district=${data.fx.c.districts[1].code}&question=${data.fx.c.questions[1].key}`);
			const { readsOff, readsOn } = await both(qs);
			const withoutDistrict = (reads: string[]) => reads.filter((t) => !/ as "date_district"/.test(t)).length;
			expect(withoutDistrict(readsOff)).toBeGreaterThan(0);
			expect(withoutDistrict(readsOn)).toBe(0);
			expect(readsOn.length).toBeLessThan(readsOff.length);
		}, 600_000);
	}
);
