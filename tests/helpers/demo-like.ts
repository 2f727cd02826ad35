/**
 * The disclosure and aggregate tests' shared data and views: the small fixture with demo-like data on top
 * (tests/fixtures/analysis), in a fresh prepared database, and the tables a request shows, read as an onlooker
 * sets views side by side and subtracts.
 */
import { afterAll, beforeAll } from 'vitest';
import type { TableData } from '../../src/lib/analysis/tables';
import { analysisFilters, scopeOf } from '../../src/lib/server/analysis/scope';
import { questionThemeTables } from '../../src/lib/server/analysis/dashboard';
import { loadSmallFixture, type Fixture } from '../fixtures/analysis/small';
import { loadDemoLike, viewTables } from '../fixtures/analysis/demo-like';
import { attackSiblings } from './disclosure-attack';
import { type Engine, type FreshDb } from './databases';
import { fixtureDatabase } from './fixture-templates';
import { suiteEnv } from './env';

export interface DemoLike {
	fresh: FreshDb;
	fx: Fixture;
}

/**
 * The small fixture with demo-like data on top, in a fresh prepared database (dropped again if loading fails): a copy
 * of the run's template of it (tests/helpers/fixture-templates.ts), or loaded here.
 */
export async function demoLikeDatabase(engine: Engine['name']): Promise<DemoLike> {
	const { fresh, value: fx } = await fixtureDatabase(engine, 'demo-like', async (f) => {
		const fx = await loadSmallFixture(f.db);
		await loadDemoLike(f, fx);
		return fx;
	});
	return { fresh, fx };
}

/**
 * A describe block's demo-like database: made in its beforeAll with the environment variables of `env` set (so
 * `ANALYSIS_CACHE: 'off'` computes every view from the data), dropped in its afterAll, where those variables and the
 * ones named in `restore` (which the tests set themselves) are put back as they were. The returned object's `fresh`
 * and `fx` are there from the beforeAll on.
 */
export function demoLikeSuite(
	engine: Engine['name'],
	{ env = {}, restore = [] }: { env?: Record<string, string>; restore?: string[] } = {}
): DemoLike {
	const data = {} as DemoLike;
	const vars = suiteEnv(env, restore);
	beforeAll(async () => {
		vars.set();
		Object.assign(data, await demoLikeDatabase(engine));
	}, 120_000);
	afterAll(async () => {
		vars.restore();
		await data.fresh?.drop();
	});
	return data;
}

/** Query strings joined, the empty ones left out. */
export const joinQuery = (...qs: string[]) => qs.filter(Boolean).join('&');

/** Every table (ticks left out) a request with this query string shows, by id and caption. */
export async function viewTablesByCaption(
	{ fresh, fx }: DemoLike,
	qs: string,
	crosstabs: readonly string[]
): Promise<Map<string, TableData>> {
	const filters = await analysisFilters(fresh.db, fx.c, new URLSearchParams(qs));
	const tables = await viewTables(fresh.db, fx, filters, crosstabs);
	return new Map(tables.filter((t) => !t.ticks).map((t) => [`${t.id}|${t.caption}`, t]));
}

/**
 * The question theme tables alone (ticks left out) of a request with this query string, by id and caption: the
 * same tables viewTablesByCaption gives for them (each question's questionThemeTables on the view's own scope, as
 * viewTables reads them), without the dashboard and the cross-tabs, for a test that attacks only these.
 */
export async function themeTablesByCaption({ fresh, fx }: DemoLike, qs: string): Promise<Map<string, TableData>> {
	const filters = await analysisFilters(fresh.db, fx.c, new URLSearchParams(qs));
	const out = new Map<string, TableData>();
	for (const q of fx.c.questions) {
		const t = await questionThemeTables(
			fresh.db,
			fx.c,
			scopeOf(fx.c, filters),
			q.key,
			{ top: 5, minPct: 10 },
			{ base: '/b', filters }
		);
		if (t && t.themes.length) out.set(`${t.counts.id}|${t.counts.caption}`, t.counts);
	}
	return out;
}

/** A table's cells by row and column key. */
export const cellsByKey = (t: TableData) =>
	new Map(t.rows.flatMap((r) => r.cells.map((c, j) => [`${r.key}|${t.columns[j].key}`, c] as const)));

/** The table with no rows: what a view that does not show it tells the onlooker. */
export const withoutRows = (t: TableData): TableData => ({ ...t, rows: [] });

export interface View {
	shown: Map<string, TableData>;
	/** The same tables with nothing hidden, to tell a real recovery from a wrong guess. */
	truth: Map<string, TableData>;
}

/**
 * Views by query string (each read once per file: the tests ask for the same views again and again), and the
 * sibling attack on them: each value of one filter's view (with `base` as it is) subtracted from the view
 * without that filter. `data` is read when a view is first asked for (after the file's beforeAll).
 */
export function siblingViews(
	data: () => DemoLike,
	opts: {
		crosstabs: readonly string[];
		min: number;
		/** The tables of one view by id and caption, instead of every table the request shows (viewTablesByCaption). */
		tables?: (data: DemoLike, qs: string) => Promise<Map<string, TableData>>;
	}
) {
	const views = new Map<string, Promise<View>>();
	const tablesOf = (qs: string) =>
		opts.tables ? opts.tables(data(), qs) : viewTablesByCaption(data(), qs, opts.crosstabs);
	const view = (qs: string) => {
		let v = views.get(qs);
		if (!v)
			views.set(
				qs,
				(v = (async () => ({ shown: await tablesOf(qs), truth: await tablesOf(joinQuery(qs, 'min=0')) }))())
			);
		return v;
	};

	/**
	 * Every hidden count recovered. Where the slices overlap (a submission with two perspectives is in two groups'
	 * views), the onlooker knows only that they add up to at least the total; with `mayMiss` (a submission that
	 * answered no question, an answer with no theme) they need not cover it either, and the onlooker is told the
	 * stronger of the two that holds for each table. A value the attack works out that is not the true count
	 * recovers nothing.
	 */
	async function siblingFailures(
		base: string,
		filter: string,
		values: string[],
		{ mayMiss = false }: { mayMiss?: boolean } = {}
	): Promise<string[]> {
		const failures: string[] = [];
		const total = await view(base);
		const slices = [];
		for (const v of values) slices.push(await view(joinQuery(base, `${filter}=${v}`)));
		for (const [name, t] of total.shown) {
			const shown = slices.map((x) => x.shown.get(name) ?? withoutRows(t));
			const truths = slices.map((x) => x.truth.get(name) ?? withoutRows(t));
			const totalTruth = total.truth.get(name)!;
			const tt = cellsByKey(totalTruth);
			const sums = new Map<string, number>();
			for (const s of truths) for (const [k, c] of cellsByKey(s)) sums.set(k, (sums.get(k) ?? 0) + (c.n ?? 0));
			const superset = [...tt].some(([k, c]) => (sums.get(k) ?? 0) !== (c.n ?? 0));
			const within = mayMiss && [...tt].some(([k, c]) => (sums.get(k) ?? 0) < (c.n ?? 0));
			for (const f of attackSiblings(shown, t, { min: opts.min, truths, totalTruth, superset, within })) {
				if (f.value !== f.truth) continue;
				const where = f.view < values.length ? `${filter}=${values[f.view]}` : 'the total';
				failures.push(`${base || 'unfiltered'}, ${where}, ${t.caption}: ${f.row} / ${f.column} = ${f.value}`);
			}
		}
		return failures;
	}

	return { view, siblingFailures };
}

/** How many cells a protected view hides across all its tables (the per-seed tests' cost figure). */
export function hiddenCells(view: { shown: Map<string, { rows: { cells: { suppressed?: boolean }[] }[] }> }): number {
	let hidden = 0;
	for (const t of view.shown.values()) for (const r of t.rows) hidden += r.cells.filter((c) => c.suppressed).length;
	return hidden;
}
