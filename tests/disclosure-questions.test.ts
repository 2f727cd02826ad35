/**
 * The question and theme filters beside their siblings (issue #11): an onlooker opens each question's
 * view (or each theme's) beside the view without that filter, and subtracts. A submission answers several
 * questions and an answer may have several themes (or none), so the slices overlap and need not cover the
 * total: the onlooker is told, per table, whether they add up to it, to at least it, or neither (then each
 * is only at most the total). Demo-like data plus face-to-face-like submissions answering one question
 * each, both engines. With only the wider-view rule the question attack recovered 13 counts (questions are
 * now sibling filters: wider.ts); the theme attack finds nothing either way, and themes are not sibling
 * filters (docs/analysis.md, "Questions are siblings too; themes need not be").
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { loadSmallFixture, type Fixture } from './fixtures/analysis/small';
import { loadDemoLike, viewTables } from './fixtures/analysis/demo-like';
import { attackSiblings } from './helpers/disclosure-attack';
import type { TableData } from '../src/lib/analysis/tables';
import { analysisFilters } from '../src/lib/server/analysis/scope';
import { saveSubmission } from '../src/lib/server/submissions/save';
import { seededRandom } from '../src/lib/util/random';

const MIN = 5;
const CROSSTABS = ['a=group&b=district&percent=row', 'a=week&b=channel&percent=none'];
const join = (...qs: string[]) => qs.filter(Boolean).join('&');

describeEachEngine('disclosure control: question and theme filters as siblings', (engine) => {
	let fresh: FreshDb;
	let fx: Fixture;
	beforeAll(async () => {
		fresh = await preparedDatabase(engine);
		fx = await loadSmallFixture(fresh.db);
		await loadDemoLike(fresh, fx);
		// Face-to-face sessions ask one question each (docs/analysis.md): these submissions answer
		// exactly one of q3, q4 and q5, so those questions' slices hardly overlap, as districts' do not.
		const random = seededRandom(7);
		const pick = <T>(list: T[]) => list[Math.floor(random.next() * list.length)];
		const groups = fx.c.groups.map((g) => g.code);
		const districts = fx.c.districts.map((d) => d.code);
		for (let i = 0; i < 70; i++)
			await saveSubmission(
				fresh.db,
				fx.c,
				{
					id: `bbbbbbbb-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
					district: pick(districts),
					perspectives: [{ group: pick(groups.slice(0, 3)), answers: { [pick(['q3', 'q4', 'q5'])]: 'more to do' } }],
					about: null
				} as never,
				{
					channel: pick(['library', 'school']),
					createdAt: new Date(Date.UTC(2017, 4, 23 + (i % 30), 10)).toISOString()
				}
			);
	}, 120_000);
	afterAll(() => fresh?.drop());

	async function tablesOf(qs: string): Promise<Map<string, TableData>> {
		const filters = await analysisFilters(fresh.db, fx.c, new URLSearchParams(qs));
		const tables = await viewTables(fresh.db, fx, filters, CROSSTABS);
		return new Map(tables.filter((t) => !t.ticks).map((t) => [`${t.id}|${t.caption}`, t]));
	}
	const views = new Map<string, Promise<{ shown: Map<string, TableData>; truth: Map<string, TableData> }>>();
	const view = (qs: string) => {
		let v = views.get(qs);
		if (!v)
			views.set(qs, (v = (async () => ({ shown: await tablesOf(qs), truth: await tablesOf(join(qs, 'min=0')) }))()));
		return v;
	};
	const cells = (t: TableData) =>
		new Map(t.rows.flatMap((r) => r.cells.map((c, j) => [`${r.key}|${t.columns[j].key}`, c] as const)));
	const empty = (t: TableData): TableData => ({ ...t, rows: [] });

	/**
	 * Every hidden count recovered from each value's view of `filter` (with `base` as it is) set beside
	 * the view without it. The onlooker is told whether a table's slices add up to exactly its total,
	 * or overlap and add up to at least it (the stronger of what an onlooker could assume; a value the
	 * attack works out that is not the true count recovers nothing).
	 */
	async function siblingFailures(base: string, filter: string, values: string[]): Promise<string[]> {
		const failures: string[] = [];
		const total = await view(base);
		const slices = [];
		for (const v of values) slices.push(await view(join(base, `${filter}=${v}`)));
		for (const [name, t] of total.shown) {
			const shown = slices.map((x) => x.shown.get(name) ?? empty(t));
			const truths = slices.map((x) => x.truth.get(name) ?? empty(t));
			const totalTruth = total.truth.get(name)!;
			const tt = cells(totalTruth);
			const sums = new Map<string, number>();
			for (const s of truths) for (const [k, c] of cells(s)) sums.set(k, (sums.get(k) ?? 0) + (c.n ?? 0));
			const superset = [...tt].some(([k, c]) => (sums.get(k) ?? 0) !== (c.n ?? 0));
			const within = [...tt].some(([k, c]) => (sums.get(k) ?? 0) < (c.n ?? 0));
			for (const f of attackSiblings(shown, t, { min: MIN, truths, totalTruth, superset, within })) {
				if (f.value !== f.truth) continue;
				const where = f.view < values.length ? `${filter}=${values[f.view]}` : 'the total';
				failures.push(`${base || 'unfiltered'}, ${where}, ${t.caption}: ${f.row} / ${f.column} = ${f.value}`);
			}
		}
		return failures;
	}

	it("no hidden count is recovered from the questions' views subtracted from the view without a question", async () => {
		const failures = await siblingFailures(
			'',
			'question',
			fx.c.questions.map((q) => q.key)
		);
		expect(failures).toEqual([]);
	}, 900_000);

	it("no hidden count is recovered from the themes' views subtracted from the view without a theme", async () => {
		const failures = await siblingFailures('', 'theme', Object.values(fx.themes).map(String));
		expect(failures).toEqual([]);
	}, 900_000);
});
