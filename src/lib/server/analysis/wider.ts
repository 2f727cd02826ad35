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
import { mergeConstraints, siblingConstraints } from '../../analysis/siblings';
import { UNKNOWN } from '../../analysis/filters';
import type { Db } from '../db/connect';
import { cachedAnalysis } from './cache';
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
			districts: s.districts,
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

/** Constraints of two sources on the same tables, by table id, as one. */
function mergeMaps(a: Map<string, ViewConstraints>, b: Map<string, ViewConstraints>): Map<string, ViewConstraints> {
	const out = new Map(a);
	for (const [id, v] of b) out.set(id, mergeConstraints(out.get(id), v)!);
	return out;
}

/**
 * What each table `build` makes must hide in this scope because of the wider views of it, and
 * of its sibling views (the other districts, for a district view), by table id (empty when
 * nothing narrows the data or suppression is off). `tag` names the builder, so that a scope
 * works each out once; with `db`, the result is also kept across requests while the data
 * version is unchanged (cache.ts), so a filtered page pays for its wider and sibling views once.
 */
export function widerConstraints(
	s: Scope,
	tag: string,
	build: (scope: Scope) => Promise<TableData[]>,
	db?: Db
): Promise<Map<string, ViewConstraints>> {
	if (s.filters.min <= 0 || narrowing(s.filters).length === 0) return Promise.resolve(new Map());
	// A sibling being protected with its siblings: its wider views' constraints and the round's.
	if (s.siblingRound) {
		const round = s.siblingRound;
		return ownWider(s, tag, build).then((own) => mergeMaps(own, round));
	}
	const work = async () => {
		const own = await ownWider(s, tag, build);
		if (s.filters.district === undefined || !s.districts) return own;
		const family = await siblingFamily(s, tag, build, db);
		return mergeMaps(own, family.get(s.filters.district) ?? new Map());
	};
	return memoised(s, `constraints:${tag}:${s.filters.min}`, () =>
		db ? cachedAnalysis(db, s.consultationId, `constraints|${tag}|${JSON.stringify(s.filters)}`, work) : work()
	);
}

/** The constraints from the wider views alone (each set of the active filters left out). */
function ownWider(
	s: Scope,
	tag: string,
	build: (scope: Scope) => Promise<TableData[]>
): Promise<Map<string, ViewConstraints>> {
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

const sameConstraints = (a: ViewConstraints | undefined, b: ViewConstraints | undefined) =>
	JSON.stringify(a && [[...a.hide].sort(), [...a.bounds].sort(), [...(a.blur ?? [])].sort()]) ===
	JSON.stringify(b && [[...b.hide].sort(), [...b.bounds].sort(), [...(b.blur ?? [])].sort()]);

/**
 * Sibling views (siblings.ts): every district's view (and "not given") of the same tables, with
 * the other filters as they are, protected together against the view without a district. Each
 * district is first protected as on its own (with its wider views); then, round by round, every
 * district is rebuilt with what siblingConstraints says (the cells any of them or the total hides,
 * hidden in all; bounds from the lines; "<5" that would pin read "[c]") until a round changes
 * nothing, so every district's page, which applies the same final constraints, shows what was
 * checked. Worked out once per request for all districts (on the scope without a district).
 */
function siblingFamily(
	s: Scope,
	tag: string,
	build: (scope: Scope) => Promise<TableData[]>,
	db?: Db
): Promise<Map<string, Map<string, ViewConstraints>>> {
	const base: Filters = { ...s.filters };
	delete base.district;
	const bs = relatedScope(s, base);
	// Kept across requests too (with db), so the next district's page finds its constraints worked out.
	const work = async () => {
		const values = [...(s.districts ?? []), UNKNOWN];
		const slices = values.map((v) => {
			const scope = relatedScope(s, { ...base, district: v });
			scope.memo ??= new Map();
			return scope;
		});
		const total = (await build(bs)).filter((t) => !t.ticks);
		let extras: Map<string, ViewConstraints>[] = values.map(() => new Map());
		const blur = new Map<string, Set<string>>();
		for (let round = 0; round < 12; round++) {
			// One district after another: all at once would ask the database for every district's
			// counts together (a PostgreSQL pool would run out of connections under load).
			const shown: TableData[][] = [];
			for (const [i, scope] of slices.entries()) shown.push(await build({ ...scope, siblingRound: extras[i] }));
			const next: Map<string, ViewConstraints>[] = values.map(() => new Map());
			for (const t of total) {
				const r = siblingConstraints(
					shown.map((ts) => ts.find((x) => x.id === t.id)),
					t,
					s.filters.min,
					blur.get(t.id),
					round > 0 ? extras.map((m) => m.get(t.id) ?? { hide: new Set(), bounds: new Map() }) : undefined
				);
				blur.set(t.id, r.blur);
				r.perSlice.forEach((c, i) => next[i].set(t.id, c));
			}
			const settled = next.every(
				(m, i) => m.size === extras[i].size && [...m].every(([id, c]) => sameConstraints(c, extras[i].get(id)))
			);
			extras = next;
			if (settled) break;
		}
		return new Map(values.map((v, i) => [v, extras[i]]));
	};
	return memoised(bs, `siblings:${tag}:${s.filters.min}`, () =>
		db ? cachedAnalysis(db, s.consultationId, `siblings|${tag}|${JSON.stringify(base)}`, work) : work()
	);
}
