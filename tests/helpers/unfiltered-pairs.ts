/**
 * The unfiltered view of a random seed (disclosure-random.ts) with every cross-tab pair the cross-tab page offers,
 * solved by the same-view attacker (disclosure-families.ts sameViewFailures) (issue #11, dis60 found it leaking in a
 * scratch scan, dis61 committed the scan): tests/disclosure-unfiltered-pairs.test.ts.
 */
import { DIMENSIONS } from '../../src/lib/analysis/dimensions';
import type { Engine } from './databases';
import type { TableData } from '../../src/lib/analysis/tables';
import { siblingViews, type View, hiddenCells } from './demo-like';
import { sameViewFailures } from './disclosure-families';
import { randomConsultation } from './disclosure-random';

export const PAIRS_MIN = 5;

/**
 * Every cross-tab the cross-tab page offers, one of each pair (45: a cross-tab and its transpose are one table, and one
 * dimension by itself is refused), as tests/disclosure-weeks-own.test.ts ALL_CROSSTABS.
 */
export const ALL_PAIRS = DIMENSIONS.flatMap((a, i) => DIMENSIONS.slice(i + 1).map((b) => `a=${a}&b=${b}&percent=none`));

/** "1-30", "2,5,12" or a mix ("1-3,12") as a list of seeds. */
export function seedsOf(spec: string): number[] {
	return spec.split(',').flatMap((part) => {
		const [lo, hi] = part.split('-').map(Number);
		return hi === undefined ? [lo] : Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
	});
}

/** What the unfiltered view of random seed `seed` with `crosstabs` gives away (plain attacker), and its hidden cells. */
export async function pairsSeed(
	engine: Engine['name'],
	seed: number,
	crosstabs: readonly string[] = ALL_PAIRS
): Promise<{ failures: string[]; hidden: number }> {
	const data = await randomConsultation(engine, seed);
	try {
		const { view } = siblingViews(() => data, { crosstabs, min: PAIRS_MIN });
		const v = await view('');
		const hidden = hiddenCells(v);
		return { failures: sameViewFailures(v, PAIRS_MIN, 'unfiltered'), hidden };
	} finally {
		await data.fresh.drop();
	}
}

/** The view with only the tables `keep` names (the others shown to nobody). */
export function viewOf(v: View, keep: ReadonlySet<string>): View {
	const only = (m: Map<string, TableData>) => new Map([...m].filter(([k]) => keep.has(k)));
	return { shown: only(v.shown), truth: only(v.truth) };
}

/**
 * The smallest set of the view's tables (greedy removal, cross-tabs first, then the page tables) whose joint solve still
 * reads a failure containing `target` (the first failure of the whole view when none is given). Each table of the
 * view is protected on its own (a cross-tab reads what it needs itself), so leaving a table out of the solve is the
 * view without it.
 */
export function greedyTables(v: View, target?: string): { kept: string[]; failures: string[] } {
	const solve = (keep: Set<string>) => sameViewFailures(viewOf(v, keep), PAIRS_MIN, 'unfiltered');
	const all = new Set(v.shown.keys());
	const whole = solve(all);
	const aim = target ?? whole[0];
	if (!aim) return { kept: [], failures: [] };
	const reads = (keep: Set<string>) => solve(keep).some((f) => f.includes(aim));
	const keep = new Set(all);
	const order = [...all].sort((x, y) => Number(!x.startsWith('crosstab|')) - Number(!y.startsWith('crosstab|')));
	for (const name of order) {
		keep.delete(name);
		if (!reads(keep)) keep.add(name);
	}
	return { kept: [...keep], failures: solve(keep) };
}

/** The unfiltered view of random seed `seed` with `crosstabs`, built once, and `work` on it. */
export async function withPairsView<T>(
	engine: Engine['name'],
	seed: number,
	work: (v: View) => T | Promise<T>,
	crosstabs: readonly string[] = ALL_PAIRS
): Promise<T> {
	const data = await randomConsultation(engine, seed);
	try {
		const { view } = siblingViews(() => data, { crosstabs, min: PAIRS_MIN });
		return await work(await view(''));
	} finally {
		await data.fresh.drop();
	}
}
