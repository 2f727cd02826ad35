/**
 * The face-to-face channel's view with a sliced cross-tab's shown margins on (ANALYSIS_CROSSTAB_SHOWN_MARGINS, the
 * default; analysis/page-hides.ts pageShownBounds; issue #11, dis49). Nobody in that view was asked the equality
 * questions: "Age band" and "Gender" read every band and gender 0 beside "Not asked (face to face)" 40. Taken as
 * bounds, those sides pinned "Age band by gender"'s margins (0 off the "Not asked" line, 40 on it and in the grand
 * total), while the channels' family still hid its zeros as "[c]", so each hidden zero read off by subtraction
 * (tests/disclosure-server.test.ts's first two tests, 26 cells of "Age band by gender" and "District by disability").
 * A view where nobody was asked takes no bounds from its equality tables. Each table attacked alone, default
 * switches, both engines.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine, type FreshDb } from './helpers/databases';
import type { Fixture } from './fixtures/analysis/small';
import { viewTables } from './fixtures/analysis/demo-like';
import { demoLikeDatabase } from './helpers/demo-like';
import { attack } from './helpers/disclosure-attack';
import { parseFilters } from '../src/lib/analysis/filters';

const CROSSTABS = ['a=age&b=gender&percent=column', 'a=district&b=disability&percent=row'];

describeEachEngine('the face-to-face view with shown margins (dis49)', (engine) => {
	let fresh: FreshDb;
	let fx: Fixture;
	beforeAll(async () => {
		({ fresh, fx } = await demoLikeDatabase(engine));
	}, 120_000);
	afterAll(() => fresh?.drop());

	it('channel=face-to-face: no hidden zero of an equality cross-tab reads off', async () => {
		const qs = 'channel=face-to-face';
		const shown = await viewTables(fresh.db, fx, parseFilters(new URLSearchParams(qs)), CROSSTABS);
		const truth = await viewTables(fresh.db, fx, parseFilters(new URLSearchParams(`${qs}&min=0`)), CROSSTABS);
		const failures: string[] = [];
		let hidden = 0;
		shown.forEach((t, i) => {
			if (!t.caption.includes(' by ')) return;
			for (const r of t.rows) hidden += r.cells.filter((c) => c.suppressed).length;
			for (const f of attack(t, { min: 5, truth: truth[i] }))
				failures.push(`${t.caption}: ${f.row} / ${f.column} = ${f.value} by ${f.how}`);
		});
		expect(failures).toEqual([]);
		// The family does hide cells there (the channels' siblings), so the attack has something to read.
		expect(hidden).toBeGreaterThan(0);
	}, 300_000);
});
