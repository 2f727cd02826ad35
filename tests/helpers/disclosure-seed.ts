/**
 * The set-up the random audit's per-seed tests share (tests/disclosure-seed-*.test.ts, -week-*.test.ts, …): the
 * seed's random consultation (disclosure-random.ts), its views with the given cross-tabs (demo-like.ts siblingViews),
 * and the database dropped after, whatever the test does; and the proof most of them make, "solve the view (or the
 * family) with a switch value and log what it reads": `seedReads`, `seedViewReads`.
 *
 * `DISCLOSURE_SEED_FORCE` (e.g. `ANALYSIS_DATED_WEEK_SIDES=off,ANALYSIS_DECIDED_BOTH_WAYS=off`) overrides the switch
 * values every `seedReads` sets, its default runs included: a file's "by default: reads nothing" test must then fail,
 * which is how each file's proof is checked (the switch forced on → off without editing the test).
 */
import type { TableData } from '../../src/lib/analysis/tables';
import { tableById } from '../../src/lib/server/analysis/registry';
import { analysisFilters } from '../../src/lib/server/analysis/scope';
import { hiddenCells, siblingViews, type DemoLike, type View } from './demo-like';
import { sameViewFailures } from './disclosure-families';
import { randomConsultation } from './disclosure-random';

type Engine = Parameters<typeof randomConsultation>[0];
type Views = ReturnType<typeof siblingViews>;

export interface SeedOptions {
	crosstabs: readonly string[];
	min: number;
	/** The tables of one view (siblingViews `tables`); every table the request shows when not given. */
	tables?: (data: DemoLike, qs: string) => Promise<Map<string, TableData>>;
}

export async function withRandomSeed<T>(
	engine: Engine,
	seed: number,
	opts: SeedOptions,
	body: (views: Views, data: DemoLike) => Promise<T>
): Promise<T> {
	const data = await randomConsultation(engine, seed);
	try {
		return await body(
			siblingViews(() => data, opts),
			data
		);
	} finally {
		await data.fresh.drop();
	}
}

/**
 * The view's cross-tabs alone (by id and caption, as viewTablesByCaption keys them), for a test whose attack reads
 * only those: each cross-tab is worked out on its own (registry.ts tableById, as the page asks for it), so it is the
 * same table as in the whole view, without the dashboard and the theme tables.
 */
export function crosstabTables(crosstabs: readonly string[]) {
	return async ({ fresh, fx }: DemoLike, qs: string): Promise<Map<string, TableData>> => {
		const filters = await analysisFilters(fresh.db, fx.c, new URLSearchParams(qs));
		const out = new Map<string, TableData>();
		for (const x of crosstabs) {
			const t = (await tableById(fresh.db, fx.c, filters, 'crosstab', new URLSearchParams(x), '/b'))!;
			const caption = `${t.caption} (${x})`;
			out.set(`${t.id}|${caption}`, { ...t, caption });
		}
		return out;
	};
}

/** `DISCLOSURE_SEED_FORCE`'s switch values (above). */
function forced(): Record<string, string> {
	const spec = process.env.DISCLOSURE_SEED_FORCE;
	if (!spec) return {};
	return Object.fromEntries(
		spec
			.split(',')
			.filter(Boolean)
			.map((pair) => pair.split('=') as [string, string])
	);
}

/** Runs `work` with the switches set (undefined: unset, the default), then puts them back as they were. */
export async function withSwitches<T>(
	switches: Record<string, string | undefined>,
	work: () => Promise<T>
): Promise<T> {
	const values = { ...switches, ...forced() };
	const was = new Map(Object.keys(values).map((k) => [k, process.env[k]]));
	for (const [k, v] of Object.entries(values))
		if (v === undefined) delete process.env[k];
		else process.env[k] = v;
	try {
		return await work();
	} finally {
		for (const [k, v] of was)
			if (v === undefined) delete process.env[k];
			else process.env[k] = v;
	}
}

/** What one solve reads, and the protected views' hidden cells (the rule's cost, the report's figure). */
export interface Reads {
	failures: string[];
	hidden: number;
}

/**
 * Random seed `seed` solved by `solve` with `switches` set (undefined: the default), what it reads logged with the
 * hidden cells (the first 20 read, with `quiet` none); the failures.
 */
export async function seedReads(
	engine: Engine,
	seed: number,
	opts: SeedOptions,
	switches: Record<string, string | undefined>,
	solve: (views: Views, data: DemoLike) => Promise<Reads>,
	{ quiet = false }: { quiet?: boolean } = {}
): Promise<string[]> {
	const { failures, hidden } = await withSwitches(switches, () => withRandomSeed(engine, seed, opts, solve));
	const set = Object.entries({ ...switches, ...forced() })
		.map(([k, v]) => `${k}=${v ?? '(default)'}`)
		.join(' ');
	console.log(
		`${engine} seed ${seed}${set ? ` ${set}` : ''}: ${failures.length} read, ${hidden} cells hidden` +
			(quiet ? '' : `\n${failures.slice(0, 20).join('\n')}`)
	);
	return failures;
}

/** The same-view attack (disclosure-families.ts sameViewFailures) on the view at `qs` ('' unfiltered). */
export function oneView(
	qs: string,
	min: number,
	{ filter, ...attack }: { filter?: [string, string] } & NonNullable<Parameters<typeof sameViewFailures>[4]> = {}
): (views: Views) => Promise<Reads> {
	return async ({ view }) => {
		const v: View = await view(qs);
		return { failures: sameViewFailures(v, min, qs || 'unfiltered', filter, attack), hidden: hiddenCells(v) };
	};
}

/** One view of random seed `seed` with `crosstabs` solved with `switches` set, logged (seedReads, oneView). */
export function seedViewReads(
	engine: Engine,
	seed: number,
	{
		crosstabs,
		min,
		qs = '',
		switches = {},
		...attack
	}: {
		crosstabs: readonly string[];
		min: number;
		qs?: string;
		switches?: Record<string, string | undefined>;
	} & Parameters<typeof oneView>[2]
): Promise<string[]> {
	return seedReads(engine, seed, { crosstabs, min }, switches, oneView(qs, min, attack));
}
