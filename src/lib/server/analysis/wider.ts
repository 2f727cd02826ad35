/**
 * Suppression across views (issue #11): a filtered table and the same table with fewer filters
 * can be opened side by side, and subtracting one from the other gives the answers outside the
 * filter. For each table a filtered view shows, this builds the same table for every wider view
 * (each set of the active filters left out) and hands the pure rule (suppress.ts
 * widerViewConstraints) their true counts and what each of them hides; the table is then
 * protected with what that rule says. Wider views are protected the same way first (down to the
 * unfiltered view, which has none), all within one request's scopes, so each is built once.
 */
import { FILTER_KEYS, UNKNOWN, type Filters } from '../../analysis/filters';
import { cellKey, tableCounts, tableHidden, type TableData } from '../../analysis/tables';
import { protectLine, widerViewConstraints, type Hidden, type ViewConstraints } from '../../analysis/suppress';
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
			memo: sameCounts?.memo,
			districts: s.districts
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
	if (s.filters.min <= 0) return Promise.resolve(new Map());
	if (narrowing(s.filters).length === 0 && !s.joint) return Promise.resolve(new Map());
	// A slice being protected with its siblings is a different view of the same filters: its own memo key.
	const key = s.joint
		? `wider:${tag}:joint:${JSON.stringify([...s.joint].map(([t, k]) => [t, [...k.hide], [...k.relabel]]))}`
		: `wider:${tag}`;
	return memoised(s, key, async () => {
		const out = await nestedConstraints(s, build);
		const extra = s.joint ?? (s.filters.district && s.districts ? await siblingHides(s, tag, build) : undefined);
		for (const [id, keys] of extra ?? []) {
			const v: ViewConstraints = out.get(id) ?? { hide: new Set<string>(), bounds: new Map() };
			v.relabel ??= new Set();
			for (const k of keys.hide) v.hide.add(k);
			for (const k of keys.relabel) v.relabel.add(k);
			out.set(id, v);
		}
		return out;
	});
}

/** Cell keys a slice must hide, and small ones it must show as "[c]", because of its siblings. */
interface Extra {
	hide: Set<string>;
	relabel: Set<string>;
}

/** Nested views: the same table with fewer filters (see the module comment). */
async function nestedConstraints(
	s: Scope,
	build: (scope: Scope) => Promise<TableData[]>
): Promise<Map<string, ViewConstraints>> {
	if (narrowing(s.filters).length === 0) return new Map();
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
}

/**
 * Sibling views (issue #11): one district's view, every other district's and the view without the
 * district filter add up (for every cell, the districts' counts sum to the total), so an onlooker
 * who opens them all can subtract. The districts (and "not given") are protected together as one
 * table with a district dimension: each slice as usual, then each cell's line across the slices and
 * the total (protectLine), hiding partners in slices, then each slice again with those hidden, until
 * nothing more is hidden. Every sibling works out the same result (the same inputs, in the same
 * order; memoised on the shared wider scope within a request), so what they show is consistent.
 * Returns the cell keys this slice hides because of its siblings, by table id.
 */
async function siblingHides(
	s: Scope,
	tag: string,
	build: (scope: Scope) => Promise<TableData[]>
): Promise<Map<string, Extra>> {
	const base = relatedScope(s, { ...s.filters, district: undefined });
	const values = [...s.districts!, UNKNOWN];
	const all = await memoised(base, `siblings:district:${tag}`, () => jointSlices(base, values, build));
	return all.get(s.filters.district!) ?? new Map();
}

async function jointSlices(
	base: Scope,
	values: string[],
	build: (scope: Scope) => Promise<TableData[]>
): Promise<Map<string, Map<string, Extra>>> {
	const min = base.filters.min;
	const slice = (v: string, f: Filters) => relatedScope(base, { ...f, district: v });
	const [totalShown, totalTruth, truths] = await Promise.all([
		build(base),
		build(relatedScope(base, { ...base.filters, min: 0 })),
		Promise.all(values.map((v) => build(slice(v, { ...base.filters, min: 0 }))))
	]);
	const extra = values.map(() => new Map<string, Extra>());
	const sliceCounts = truths.map((ts) => new Map(ts.map((t) => [t.id, tableCounts(t)])));
	let shown: TableData[][] = [];
	for (let round = 0; round < 20; round++) {
		shown = await Promise.all(
			values.map((v, i) => {
				const scope = slice(v, base.filters);
				scope.memo ??= new Map();
				// The same counts (shared memo), protected again with what the line asks for.
				return build({ ...scope, joint: extra[i] });
			})
		);
		const sliceHidden = shown.map((ts) => new Map(ts.map((t) => [t.id, t])));
		let added = false;
		for (const t of totalTruth) {
			const shownTotal = totalShown.find((x) => x.id === t.id);
			if (!shownTotal) continue;
			const totalHid = new Map(
				shownTotal.rows.flatMap((r) =>
					r.cells.map((c, j) => [cellKey(r.key, shownTotal.columns[j].key), c.suppressed ? c.text : ''] as const)
				)
			);
			const counts = tableCounts(t);
			// What each slice shows at each cell: "<5" (primary), "[c]" (secondary) or the count.
			const labels = sliceHidden.map((m) => {
				const x = m.get(t.id);
				return new Map(
					(x?.rows ?? []).flatMap((r) =>
						r.cells.map((c, j) => [cellKey(r.key, x!.columns[j].key), c.suppressed ? c.text : ''] as const)
					)
				);
			});
			const asHidden = (text: string | undefined): Hidden =>
				!text ? false : text.startsWith('<') ? 'primary' : 'secondary';
			for (const [key, total] of counts) {
				const vals = sliceCounts.map((m) => m.get(t.id)?.get(key));
				const hid = labels.map((l) => asHidden(l.get(key)));
				const totalHidden = asHidden(totalHid.get(key));
				if (!hid.some(Boolean) && !totalHidden) continue;
				const line = protectLine(
					vals.map((v) => v ?? 0),
					hid,
					total,
					totalHidden,
					min,
					vals.map((v) => v === undefined)
				);
				line.forEach((h, i) => {
					if (!h || h === hid[i] || vals[i] === undefined) return;
					let e = extra[i].get(t.id);
					if (!e) extra[i].set(t.id, (e = { hide: new Set(), relabel: new Set() }));
					(hid[i] ? e.relabel : e.hide).add(key);
					added = true;
				});
			}
		}
		if (!added) break;
	}
	// Each slice's final state: what it hides, and which of its small counts read "[c]".
	return new Map(
		values.map((v, i) => [
			v,
			new Map(
				shown[i].map((t) => {
					const e: Extra = { hide: tableHidden(t), relabel: new Set() };
					for (const r of t.rows)
						r.cells.forEach(
							(c, j) => c.suppressed && !c.text.startsWith('<') && e.relabel.add(cellKey(r.key, t.columns[j].key))
						);
					return [t.id, e];
				})
			)
		])
	);
}
