/**
 * The question sets kept at the grain a question page reads them (migration 2026-12-12-0900, issue #19): the question
 * family's rows by set read from analysis_agg_question_set_total / _equality_total (the sums over the group set, and
 * the district for the equality) when the family's scope has no group filter. The tables must be those sums, every
 * reader of a question scope must give what the tables with the group set give (ANALYSIS_QUESTION_SET_TOTALS=off),
 * and a question + theme page must show the same tables; on both engines. That they are kept by every write is
 * tests/analysis-aggregates*.test.ts's incremental = rebuilt property (AGGREGATE_TABLES lists them).
 */
import { expect, it } from 'vitest';
import { sql } from 'kysely';
import { describeEachEngine } from './helpers/databases';
import { demoLikeSuite } from './helpers/demo-like';
import { scopeReaders } from './helpers/scope-readers';
import { viewTables } from './fixtures/analysis/demo-like';
import { activeThemes } from '../src/lib/server/analysis/queries';
import { rebuildAggregates } from '../src/lib/server/analysis/aggregates';
import { parseFilters } from '../src/lib/analysis/filters';
import type { Dimension } from '../src/lib/analysis/dimensions';

const PAIRS: [Dimension, Dimension][] = [
	['district', 'channel'],
	['age', 'gender']
];
const EQ = 'eq_age_band, eq_gender, eq_disability, eq_ethnicity, eq_sexual_orientation';

describeEachEngine('question sets kept without the group set', (engine) => {
	const data = demoLikeSuite(engine, {
		env: { ANALYSIS_CACHE: 'off', ANALYSIS_AGGREGATES: 'on', ANALYSIS_QUESTION_SLICES: 'on' },
		restore: ['ANALYSIS_QUESTION_SET_TOTALS', 'ANALYSIS_THEME_CUBE_ARRAYS']
	});
	const readers = async (qs: string, totals: boolean) => {
		process.env.ANALYSIS_QUESTION_SET_TOTALS = totals ? 'on' : 'off';
		return scopeReaders(data.fresh.db, data.fx.c, qs, PAIRS);
	};

	it('holds the sums of the tables with the group set', async () => {
		const db = data.fresh.db;
		const rows = async (q: string) =>
			(await sql.raw<Record<string, unknown>>(q).execute(db)).rows
				.map((r) => JSON.stringify(Object.values(r).map((v) => String(v))))
				.sort();
		const cube = 'consultation_id, question_set, district_code, channel, location_id, day';
		const total = await rows(`select ${cube}, n from analysis_agg_question_set_total where n <> 0`);
		expect(total.length).toBeGreaterThan(50);
		expect(total).toEqual(
			await rows(`select ${cube}, sum(n) as n from analysis_agg_question_set group by ${cube} having sum(n) <> 0`)
		);
		const eq = `consultation_id, question_set, ${EQ}`;
		const equality = await rows(`select ${eq}, n from analysis_agg_question_set_equality_total where n <> 0`);
		expect(equality.length).toBeGreaterThan(20);
		expect(equality).toEqual(
			await rows(`select ${eq}, sum(n) as n from analysis_agg_question_set_equality group by ${eq} having sum(n) <> 0`)
		);
	});

	it('gives every question scope the figures the tables with the group set give', async () => {
		const { c } = data.fx;
		const g = c.groups[0].code;
		const d = c.districts[0].code;
		let rows = 0;
		for (const rest of [
			'min=5',
			`district=${d}&min=5`,
			`group=${g}&min=5`,
			'district=unknown&min=5',
			'channel=online&min=5',
			'from=2017-06-01&to=2017-06-20&min=5'
		]) {
			for (const q of c.questions.map((x) => x.key)) {
				const qs = `question=${q}&${rest}`;
				const on = await readers(qs, true);
				expect(on, qs).toEqual(await readers(qs, false));
				rows += (on.districts as string[]).length + (on.equality as string[]).length;
			}
		}
		expect(rows).toBeGreaterThan(100);
	}, 600_000);

	// With the theme cube's two large reads as arrays too (queries.ts keptThemeCube, ANALYSIS_THEME_CUBE_ARRAYS).
	it('shows the same tables on a question + theme page', async () => {
		const { c } = data.fx;
		const [theme] = await activeThemes(data.fresh.db, [c.questions[0].id]);
		for (const qs of [`question=${c.questions[0].key}&theme=${theme.id}`, `question=${c.questions[1].key}`]) {
			const page = async (on: boolean) => {
				process.env.ANALYSIS_QUESTION_SET_TOTALS = on ? 'on' : 'off';
				process.env.ANALYSIS_THEME_CUBE_ARRAYS = on ? 'on' : 'off';
				const tables = await viewTables(data.fresh.db, data.fx, parseFilters(new URLSearchParams(qs)), [
					'a=district&b=disability&percent=row'
				]);
				return tables.map((t) => JSON.stringify(t));
			};
			const on = await page(true);
			expect(on.length, qs).toBeGreaterThan(5);
			expect(on, qs).toEqual(await page(false));
		}
	}, 600_000);

	it('reads a question page from the kept totals (a wrong total shows; the switch off does not read it)', async () => {
		const db = data.fresh.db;
		const qs = `question=${data.fx.c.questions[0].key}&min=5`;
		const before = await readers(qs, true);
		try {
			await sql`update analysis_agg_question_set_equality_total set n = n + 1000`.execute(db);
			await sql`update analysis_agg_question_set_total set n = n + 1000`.execute(db);
			const wrong = await readers(qs, true);
			expect(wrong.equality).not.toEqual(before.equality);
			expect(wrong.days).not.toEqual(before.days);
			expect(await readers(qs, false)).toEqual(before);
		} finally {
			await rebuildAggregates(db);
		}
		expect(await readers(qs, true)).toEqual(before);
	}, 600_000);
});
