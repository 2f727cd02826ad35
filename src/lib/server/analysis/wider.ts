/**
 * Suppression across views (issue #11): a filtered table and the same table with fewer filters
 * can be opened side by side, and subtracting one from the other gives the answers outside the
 * filter. For each table a filtered view shows, this builds the same table for every wider view
 * (each set of the active filters left out) and hands the pure rule (suppress.ts
 * widerViewConstraints) their true counts and what each of them hides; the table is then
 * protected with what that rule says. Wider views are protected the same way first (down to the
 * unfiltered view, which has none), all within one request's scopes, so each is built once.
 */
import { FILTER_KEYS, type Filters } from '../../analysis/filters';
import { tableCounts, tableHidden, type TableData } from '../../analysis/tables';
import { widerViewConstraints, type ViewConstraints } from '../../analysis/suppress';
import { memoised, type Scope } from './scope';

type FilterKey = Exclude<(typeof FILTER_KEYS)[number], 'min'>;

/** The filters that narrow the data in this scope (all but the threshold). */
function narrowing(f: Filters): FilterKey[] {
	return FILTER_KEYS.filter((k): k is FilterKey => k !== 'min' && f[k] !== undefined);
}

/**
 * The scope for other filters within the same request (one per set of filters, shared by every
 * table). Scopes whose filters differ only in the threshold share their query results: the
 * counts do not depend on it (and the wider-view memo is used only by scopes with a threshold).
 */
export function relatedScope(s: Scope, filters: Filters): Scope {
	s.family ??= new Map([[JSON.stringify(s.filters), s]]);
	const key = JSON.stringify(filters);
	let r = s.family.get(key);
	if (!r) {
		const sameCounts = [...s.family.values()].find(
			(x) => JSON.stringify({ ...x.filters, min: 0 }) === JSON.stringify({ ...filters, min: 0 })
		);
		if (sameCounts) sameCounts.memo ??= new Map();
		r = {
			consultationId: s.consultationId,
			questionIds: s.questionIds,
			filters,
			family: s.family,
			memo: sameCounts?.memo
		};
		s.family.set(key, r);
	}
	return r;
}

/** Every proper subset of the active filters, as the filters of a wider view. */
function widerFilters(f: Filters): Filters[] {
	const active = narrowing(f);
	const out: Filters[] = [];
	for (let mask = 0; mask < (1 << active.length) - 1; mask++) {
		const w: Filters = { min: f.min };
		active.forEach((k, i) => {
			if (mask & (1 << i)) (w as unknown as Record<string, unknown>)[k] = f[k];
		});
		out.push(w);
	}
	return out;
}

/**
 * What each table `build` makes must hide in this scope because of the wider views of it, by
 * table id (empty when nothing narrows the data or suppression is off). `tag` names the
 * builder, so that a scope works each out once.
 */
export function widerConstraints(
	s: Scope,
	tag: string,
	build: (scope: Scope) => Promise<TableData[]>
): Promise<Map<string, ViewConstraints>> {
	if (s.filters.min <= 0 || narrowing(s.filters).length === 0) return Promise.resolve(new Map());
	return memoised(s, `wider:${tag}`, async () => {
		const truthOf = (f: Filters) => build(relatedScope(s, { ...f, min: 0 }));
		const [own, ...wider] = await Promise.all([
			truthOf(s.filters),
			...widerFilters(s.filters).map(async (f) => {
				const [truth, shown] = await Promise.all([truthOf(f), build(relatedScope(s, f))]);
				return { truth, shown };
			})
		]);
		const out = new Map<string, ViewConstraints>();
		own.forEach((t) => {
			const views = wider.flatMap((w) => {
				const truth = w.truth.find((x) => x.id === t.id);
				const shown = w.shown.find((x) => x.id === t.id);
				return truth && shown ? [{ counts: tableCounts(truth), hidden: tableHidden(shown) }] : [];
			});
			out.set(t.id, widerViewConstraints(tableCounts(t), views, s.filters.min));
		});
		return out;
	});
}
