/**
 * The joint attacks of the disclosure tests, over views read as an onlooker reads them (demo-like.ts
 * siblingViews `view`): a two-filter family solved as one system (attackGrid), and a table set beside the
 * line of a wider cross-tab it is (lineFailures). Shared by tests/disclosure-joint.test.ts's pattern and
 * tests/disclosure-random.test.ts.
 */
import type { TableData } from '../../src/lib/analysis/tables';
import { FACE_TO_FACE_CHANNELS } from '../../src/lib/domain/channels';
import { cellsByKey, joinQuery, siblingViews, withoutRows, type DemoLike, type View } from './demo-like';
import { attack, attackGrid, attackJoint, type Additivity, type JointLink } from './disclosure-attack';

type Cells = Map<string, { n: number | null; suppressed?: boolean }>;
const cells = (t: TableData): Cells => new Map(cellsByKey(t));

/** How parts stand to their wholes, from the true counts (what an onlooker is told for the table). */
export function additivity(pairs: [TableData[], TableData][]): Additivity {
	let eq = true;
	let superset = true;
	for (const [parts, whole] of pairs) {
		const sums = new Map<string, number>();
		for (const p of parts) for (const [k, c] of cells(p)) sums.set(k, (sums.get(k) ?? 0) + (c.n ?? 0));
		for (const [k, c] of cells(whole)) {
			const s = sums.get(k) ?? 0;
			if (s !== (c.n ?? 0)) eq = false;
			if (s < (c.n ?? 0)) superset = false;
		}
	}
	return eq ? 'eq' : superset ? 'superset' : 'within';
}

/**
 * Every hidden count the joint attack pins to its true value, across the family of `a` × `b`.
 * `failures`: those worked out from the family; `published`: a one-filter view's hidden count that its
 * slices' pages show outright (each shows the cell or has none, and they add up to it: a line of slices,
 * not the two-way table, gives it). Both are leaks; they are told apart for the reader of the log.
 */
export async function gridFailures(
	view: (qs: string) => Promise<View>,
	min: number,
	a: string,
	as: string[],
	b: string,
	bs: string[],
	{
		structural = process.env.DISCLOSURE_STRUCTURAL_KNOWN === '0' ? 'skip' : 'known'
	}: { structural?: 'known' | 'skip' } = {}
): Promise<{ failures: string[]; published: string[] }> {
	const total = await view('');
	// The filters of the view at `at` (as attackGrid places it).
	const filterAt = ([i, j]: [number, number]) => {
		const out: [string, string][] = [];
		if (i >= 0) out.push([a, as[i]]);
		if (j >= 0) out.push([b, bs[j]]);
		return out;
	};
	const rows = [];
	for (const x of as) rows.push(await view(`${a}=${x}`));
	const columns = [];
	for (const y of bs) columns.push(await view(`${b}=${y}`));
	const grid = [];
	for (const x of as) {
		const line = [];
		for (const y of bs) line.push(await view(joinQuery(`${a}=${x}`, `${b}=${y}`)));
		grid.push(line);
	}
	const failures: string[] = [];
	const published: string[] = [];
	for (const [name, t] of total.shown) {
		const shown = (v: View) => v.shown.get(name) ?? withoutRows(t);
		const truth = (v: View) => v.truth.get(name) ?? withoutRows(t);
		const truthGrid = grid.map((l) => l.map(truth));
		const truthRows = rows.map(truth);
		const truthColumns = columns.map(truth);
		const totalTruth = total.truth.get(name)!;
		const found = attackGrid(
			grid.map((l) => l.map(shown)),
			rows.map(shown),
			columns.map(shown),
			t,
			{
				min,
				a: additivity([
					...truthColumns.map((c, j) => [truthGrid.map((l) => l[j]), c] as [TableData[], TableData]),
					[truthRows, totalTruth]
				]),
				b: additivity([
					...truthRows.map((r, i) => [truthGrid[i], r] as [TableData[], TableData]),
					[truthColumns, totalTruth]
				]),
				truthGrid,
				truthRows,
				truthColumns,
				totalTruth,
				// The public zeros (publicZero; issue #11, dis56). Pinned, they are never reported (below). `'known'` (the
				// default since dis60): given to the attack, as an onlooker who knows the survey has them; that attacker is
				// stronger (seed 25 read 145 cells with it until a cross-tab took those zeros as known:
				// src/lib/analysis/structural-zeros.ts). `'skip'` (DISCLOSURE_STRUCTURAL_KNOWN=0): the attack does not start
				// from them (dis56's default).
				knownIn:
					structural === 'known' ? (at, key) => (publicZero(t, filterAt(at), key) ? [0, 0] : undefined) : undefined
			}
		);
		for (const f of found) {
			if (f.value !== f.truth) continue;
			// A public zero pinned is no read: 0 in every dataset (publicZero).
			if (f.value === 0 && publicZero(t, filterAt(f.at), f.key)) continue;
			const [i, j] = f.at;
			const where =
				[i >= 0 ? `${a}=${as[i]}` : '', j >= 0 ? `${b}=${bs[j]}` : ''].filter(Boolean).join('&') || 'unfiltered';
			const text = `${where}, ${t.caption}: ${f.row} / ${f.column} = ${f.value} (${f.how})`;
			const line = i < 0 && j >= 0 ? grid.map((l) => l[j]) : i >= 0 && j < 0 ? grid[i] : [];
			const lineCells = line.map((v) => cells(shown(v)).get(f.key));
			const fromSlices =
				line.length > 0 &&
				lineCells.every((c) => !c?.suppressed) &&
				lineCells.reduce((s, c) => s + (c?.n ?? 0), 0) === f.value;
			(fromSlices ? published : failures).push(text);
		}
	}
	return { failures, published };
}

/**
 * A table set beside the line of a wider view's cross-tab that it is: counts one hides and the other shows
 * (the cross-tab's are failures: the table gives them away), then each attacked with what the other shows
 * (a count worked out that neither shows is a failure). `at` maps the table's row key to the cross-tab's cell
 * key. Nothing when the line's true counts are not the table's.
 */
export function lineFailures(
	table: { shown: TableData; truth: TableData },
	cross: { shown: TableData; truth: TableData },
	at: (k: string) => string,
	column: string,
	min: number,
	where: string
): string[] {
	const out: string[] = [];
	const t = cells(table.shown);
	const x = cells(cross.shown);
	const rows = table.shown.rows.map((r) => r.key).filter((k) => k === '_total' || !k.startsWith('_'));
	const tt = cells(table.truth);
	const xt = cells(cross.truth);
	if (!rows.every((k) => (xt.get(at(k))?.n ?? 0) === (tt.get(`${k}|${column}`)?.n ?? 0))) return out;
	const knownT = new Map<string, [number, number]>();
	const knownX = new Map<string, [number, number]>();
	for (const k of rows) {
		const p = t.get(`${k}|${column}`);
		const q = x.get(at(k));
		if (!p || !q) continue;
		if (p.suppressed && !q.suppressed) knownT.set(`${k}|${column}`, [q.n!, q.n!]);
		if (q.suppressed && !p.suppressed) {
			knownX.set(at(k), [p.n!, p.n!]);
			out.push(`${where}: cross-tab hides ${at(k)}, the table shows ${p.n}`);
		}
	}
	const keyOf = (u: TableData, f: { row: string; column: string }) =>
		`${u.rows.find((r) => r.label === f.row)?.key}|${u.columns.find((c) => c.label === f.column)?.key}`;
	for (const f of attack(table.shown, { min, truth: table.truth, known: knownT }))
		if (f.value === f.truth && !knownT.has(keyOf(table.shown, f)))
			out.push(`${where}: table ${f.row} / ${f.column} = ${f.value} (${f.how})`);
	for (const f of attack(cross.shown, { min, truth: cross.truth, known: knownX }))
		if (f.value === f.truth && !knownX.has(keyOf(cross.shown, f)))
			out.push(`${where}: cross-tab ${f.row} / ${f.column} = ${f.value} (${f.how})`);
	return out;
}

/**
 * "Total asked" and "Not asked" across one view's equality tables: tables whose true totals are the same
 * publish the same two counts (the face-to-face respondents are asked none of the questions), so one hidden
 * in one table and shown in another is read off, and each table is then attacked with what the others show.
 */
export function equalityTotalsFailures(v: View, min: number, where: string): string[] {
	const out: string[] = [];
	const eq = [...v.shown].filter(([, t]) => t.id.startsWith('eq-'));
	const truthOf = (name: string) => cells(v.truth.get(name)!);
	const KEYS = ['_asked|n', 'not_asked|n'];
	for (const [name, t] of eq) {
		const mine = truthOf(name);
		const known = new Map<string, [number, number]>();
		for (const [other, u] of eq) {
			if (other === name) continue;
			const theirs = truthOf(other);
			if (!KEYS.every((k) => (mine.get(k)?.n ?? 0) === (theirs.get(k)?.n ?? 0))) continue;
			const shown = cells(u);
			const here = cells(t);
			for (const k of KEYS) {
				const c = shown.get(k);
				if (!c || c.suppressed || !here.get(k)?.suppressed) continue;
				known.set(k, [c.n!, c.n!]);
				out.push(`${where}: ${t.id} hides ${k}, ${u.id} shows ${c.n}`);
			}
		}
		if (known.size === 0) continue;
		const keyOf = (f: { row: string; column: string }) =>
			`${t.rows.find((r) => r.label === f.row)?.key}|${t.columns.find((c) => c.label === f.column)?.key}`;
		for (const f of attack(t, { min, truth: v.truth.get(name), known }))
			if (f.value === f.truth && !known.has(keyOf(f))) out.push(`${where}: ${t.id} ${f.row} = ${f.value} (${f.how})`);
	}
	return out;
}

/**
 * What each count of a table of one view counts, as `level|dim=value&dim=value` (dimensions sorted; `level|`
 * is the view's total): a one-way table's rows and total, a cross-tab's cells, row and column totals and grand
 * total. Perspectives when the group is a dimension (crossCounts), else submissions. Undefined for a table
 * whose counts are not margins of the cross-tabs (themes, equality, questions); the weeks table's week rows, online
 * column and grand total. A cross-tab with the week as a dimension keys its weeks as the weeks table does (the
 * week's number), so "Week by channel"'s row totals are the weeks table's rows, its online column the weeks table's
 * online cells and its column totals the channels table's counts (issue #11, dis35).
 */
function countsOf(t: TableData): ((row: string, column: string) => string | undefined) | undefined {
	const key = (dims: [string, string | undefined][]) => {
		const level = dims.some(([d]) => d === 'group') ? 'p' : 's';
		const set = dims.filter(([, v]) => v !== undefined && v !== '_total').sort(([a], [b]) => a.localeCompare(b));
		return `${level}|${set.map(([d, v]) => `${d}=${v}`).join('&')}`;
	};
	const oneWay: Record<string, [string, string]> = {
		groups: ['group', 'n'],
		districts: ['district', 'n'],
		channels: ['channel', 'n'],
		locations: ['location', 'responses']
	};
	// "Responses by week": a week's row total is that week's submissions, its online column the online channel's
	// and its grand total the view's; the other column ("Face to face and other") is a sum of channels, no one
	// count, so it links nothing (issue #11, seed 20: the weeks table showed the total 50 the channels table hid).
	if (t.id === 'weeks')
		return (row, c) =>
			c === 'f2f'
				? undefined
				: key([
						['week', row],
						['channel', c === 'online' ? 'online' : undefined]
					]);
	if (oneWay[t.id]) {
		const [dim, column] = oneWay[t.id];
		// The level is the dimension's (the groups table counts perspectives, its total included).
		return (row, c) => (c === column ? key([[dim, row]]) : undefined);
	}
	const dims =
		t.id === 'groups-districts'
			? ['group', 'district']
			: t.id === 'crosstab'
				? /\(a=(\w+)&b=(\w+)/.exec(t.caption)?.slice(1, 3)
				: undefined;
	if (!dims) return undefined;
	// The same dimension twice (the cross-tab page offers it): a diagonal cell and its row and column totals are one
	// value's count; a cell off the diagonal is a shown zero, no count of any other table.
	if (dims[0] === dims[1])
		return (row, column) =>
			row === column || column === '_total'
				? key([[dims[0], row]])
				: row === '_total'
					? key([[dims[0], column]])
					: undefined;
	return (row, column) =>
		key([
			[dims[0], row],
			[dims[1], column]
		]);
}

/**
 * With `equality` (sameViewFailures; issue #11, dis38): an equality table's categories ("Not asked", "Left blank" and
 * the other sentinels included) as that value's count of the equality dimension, the count a cross-tab with that
 * dimension shows as the category's row or column total (submissions: the equality tables count one "about you" per
 * submission). "Total asked" links nothing (no cross-tab shows it as one count). Off by default, as before.
 * With `asked` too (issue #11, dis52): "Total asked" as the view's online count (only the online channel asks the
 * questions), the count the channels table, the weeks table's online column total and a channel cross-tab's online
 * margin show; linked, as every count here, only where the true counts agree.
 */
function equalityCountsOf(
	t: TableData,
	asked = false
): ((row: string, column: string) => string | undefined) | undefined {
	const dim = /^eq-(\w+)$/.exec(t.id)?.[1];
	if (!dim) return undefined;
	return (row, column) =>
		column !== 'n'
			? undefined
			: !row.startsWith('_')
				? `s|${dim}=${row}`
				: asked && row === '_asked'
					? 's|channel=online'
					: undefined;
}

/** The equality dimensions of the cross-tabs (dimensions.ts EQUALITY_DIMENSION's keys). */
const EQUALITY_DIMENSIONS = new Set(['gender', 'disability', 'age', 'ethnicity', 'orientation']);

/**
 * With `notAskedWeeks` (sameViewFailures; issue #11, dis58): a week's face-to-face count in the weeks table ("Face to
 * face and other" × week w) as the "Not asked" × week w cell of every equality × week cross-tab. Only the online survey
 * asks the equality questions (src/lib/server/submissions/save.ts equalityColumns stores every other channel's
 * submissions "Not asked"), so the two are one count, and the tables say so ("Not asked (face to face)"). Seed 24's
 * unfiltered "Disability by week" took "Not asked" × week 2 (7) as the one partner of its "<5" while "Responses by
 * week" showed week 2's face to face 7 (dis55's last paragraph). Linked, as every count here, only where the true
 * counts agree. The key (`s|notasked=1&week=w`) keeps `week=` so a dated view's other weeks stay known zeros. On by
 * default since 6 December evening (every audit run with it read nothing once dis66's pinned floors and dis67's lonely
 * equality cells were merged); DISCLOSURE_NOT_ASKED_WEEKS=0 turns it off for every caller that does not say.
 */
function notAskedWeekCountsOf(
	t: TableData,
	base: (row: string, column: string) => string | undefined
): (row: string, column: string) => string | undefined {
	const key = (week: string) => `s|notasked=1&week=${week}`;
	if (t.id === 'weeks')
		return (row, column) => (column === 'f2f' && !row.startsWith('_') ? key(row) : base(row, column));
	const dims = t.id === 'crosstab' ? /\(a=(\w+)&b=(\w+)/.exec(t.caption)?.slice(1, 3) : undefined;
	if (!dims) return base;
	const [a, b] = dims;
	if (a === 'week' && EQUALITY_DIMENSIONS.has(b))
		return (row, column) => (column === 'not_asked' && !row.startsWith('_') ? key(row) : base(row, column));
	if (b === 'week' && EQUALITY_DIMENSIONS.has(a))
		return (row, column) => (row === 'not_asked' && !column.startsWith('_') ? key(column) : base(row, column));
	return base;
}

/**
 * Whether cell `key` (`row|column`) of table `t`, in a view that keeps `channels` (undefined: every channel), is 0 by
 * the survey's design in every possible dataset (issue #11, dis56: the random audit's seed 25 read 135 such zeros).
 * Only the online survey asks the equality questions: every other channel's submissions are stored "Not asked" in
 * every equality field (src/lib/server/submissions/save.ts equalityColumns, the only writer of those columns), and
 * the tables say so ("Not asked (face to face)"). So a count of submissions with an answered equality value (any
 * category but "Not asked", "Left blank" and "Prefer not to say" included, and an equality table's "Total asked")
 * on no online channel is 0 whatever the data: the view's channel filter, or the cell's own channel in a cross-tab
 * with the channel, excludes online. An onlooker knows these zeros without reading any table, so the attacker takes
 * them as known and does not count them when the family pins them. Nothing else is taken as known: a "Not asked" or
 * total cell, an online view's cell, a cell of a table with no equality dimension are read as before (a zero pinned
 * there is reported, tests/disclosure-structural-attacker.test.ts).
 */
export function structuralZero(t: TableData, channels: readonly string[] | undefined, key: string): boolean {
	const [row, column] = key.split('|');
	const eqTable = /^eq-/.test(t.id);
	const dims = eqTable ? undefined : t.id === 'crosstab' ? /\(a=(\w+)&b=(\w+)/.exec(t.caption)?.slice(1, 3) : undefined;
	if (!eqTable && !dims) return false;
	const coords: [string, string][] = eqTable
		? [['equality', row]]
		: [
				[dims![0], row],
				[dims![1], column]
			];
	const answered = coords.some(
		([d, v]) => (d === 'equality' || EQUALITY_DIMENSIONS.has(d)) && v !== '_total' && v !== 'not_asked'
	);
	if (!answered) return false;
	// The channels the cell can count: the view's, narrowed by the cell's own channel coordinate.
	let kept: readonly string[] | undefined = channels;
	for (const [d, v] of coords) if (d === 'channel' && v !== '_total') kept = (kept ?? [v]).filter((c) => c === v);
	return kept !== undefined && !kept.includes('online');
}

/**
 * Whether cell `key` of table `t` is 0 in a view with filters `filter` (dimension, value) whatever the data: a cross-tab
 * cell of a filtered dimension at a value the filter leaves out (the cross-tab keeps the unfiltered layout; as
 * sameViewFailures' `knownIn`), or a structural zero of the equality questions (structuralZero). Added with the latter
 * (issue #11, dis56): once the equality zeros were given, the family also pinned "Gender by channel"'s online column
 * in the face-to-face slices, which is 0 by the filter.
 */
function publicZero(t: TableData, filter: [string, string][], key: string): boolean {
	const dims = t.id === 'crosstab' ? /\(a=(\w+)&b=(\w+)/.exec(t.caption)?.slice(1, 3) : undefined;
	const [row, column] = key.split('|');
	// The channel's filter zeros of a table with an equality dimension only, beside the equality questions' zeros: given
	// the filter zeros of every table (the district's and group's too), the family pinned some 500 more zeros of seed
	// 25's "District by channel" and "Respondent group by district" (all zeros, not traced: left to the audit as before).
	const equality = /^eq-/.test(t.id) || !!dims?.some((d) => EQUALITY_DIMENSIONS.has(d));
	for (const [dim, value] of filter) {
		if (dim !== 'channel' || !equality) continue;
		const kept = filterValues(dim, value);
		if (dims?.some((d, x) => d === dim && [row, column][x] !== '_total' && !kept.includes([row, column][x])))
			return true;
	}
	const channel = filter.find(([d]) => d === 'channel');
	return structuralZero(t, channel && filterValues(...channel), key);
}

/** The values a filter `dim`=`value` keeps: the face-to-face channel filter is its channels (what the filter says). */
function filterValues(dim: string, value: string): readonly string[] {
	return dim === 'channel' && value === 'face-to-face' ? FACE_TO_FACE_CHANNELS : [value];
}

/**
 * Every hidden count one view gives away by its tables together (issue #11, seed 1: the unfiltered groups table
 * hid practitioner 10 as the partner of child and parent "<5" while "Respondent types by district" showed
 * practitioner's row total 10, and the groups table's total less the groups shown pinned both). The tables share
 * margins: a group's count in the groups table is its row total in every cross-tab with the group as a
 * dimension, a district's submissions are the district row total of the district × channel cross-tab, the grand
 * totals are one count, and a cross-tab's cells are its transpose's. All the view's tables are solved together
 * (attackJoint) with those counts linked where their true counts agree (so a declared identity that does not
 * hold, as "No location (online)" against a location cross-tab counting perspectives, links nothing). `weeks`: a
 * dated view's weeks (the weeks table's row keys); a week cross-tab's counts of any other week are zero by the
 * dates, known to everyone.
 */
export function sameViewFailures(
	v: View,
	min: number,
	where: string,
	filter?: [string, string],
	{
		weeks,
		equality,
		asked,
		notAskedWeeks = process.env.DISCLOSURE_NOT_ASKED_WEEKS !== '0'
	}: { weeks?: readonly string[]; equality?: boolean; asked?: boolean; notAskedWeeks?: boolean } = {}
): string[] {
	const tables: { t: TableData; truth: TableData; counts: (r: string, c: string) => string | undefined }[] = [];
	for (const [name, t] of v.shown) {
		const base = countsOf(t) ?? (equality ? equalityCountsOf(t, asked) : undefined);
		const counts = base && notAskedWeeks ? notAskedWeekCountsOf(t, base) : base;
		if (counts && !t.ticks) tables.push({ t, truth: v.truth.get(name)!, counts });
	}
	const byCount = new Map<string, { table: number; key: string; n: number }[]>();
	tables.forEach(({ t, truth, counts }, x) => {
		const tc = cells(truth);
		for (const r of t.rows)
			for (const c of t.columns) {
				const what = counts(r.key, c.key);
				const key = `${r.key}|${c.key}`;
				if (!what || !tc.has(key)) continue;
				const list = byCount.get(what) ?? [];
				list.push({ table: x, key, n: tc.get(key)!.n ?? 0 });
				byCount.set(what, list);
			}
	});
	const links: JointLink[] = [];
	for (const list of byCount.values())
		for (let i = 1; i < list.length; i++)
			if (list[i].n === list[0].n && list[i].table !== list[0].table)
				links.push({ a: list[0].table, aKey: list[0].key, b: list[i].table, bKey: list[i].key });
	// A view filtered to one value shows zeros for every other value (a cross-tab keeps the unfiltered layout):
	// everyone knows those are zero, so they are given, not recovered.
	// The filter's values: "channel=face-to-face" is every face-to-face channel (issue #11, dis53: read as one value,
	// every other channel's count was taken as zero and the attack threw "the published tables are inconsistent").
	const inside = filter && new Set(filterValues(filter[0], filter[1]));
	const valueOf = filter && new RegExp(`[|&]${filter[0]}=([^&]+)`);
	const outside = (what: string) => {
		const v = valueOf?.exec(what)?.[1];
		return v !== undefined && !inside!.has(v);
	};
	const knownIn = (x: number, key: string): [number, number] | undefined => {
		const [r, c] = key.split('|');
		const what = tables[x].counts(r, c);
		if (!what) return undefined;
		const week = /[|&]week=([^&]+)/.exec(what)?.[1];
		return outside(what) || (weeks && week && !weeks.includes(week)) ? [0, 0] : undefined;
	};
	// A hidden count another table of the view shows is published, not worked out; told apart for the log.
	const shownElsewhere = new Set<string>();
	for (const l of links)
		for (const [x, k, y, j] of [
			[l.a, l.aKey, l.b, l.bKey],
			[l.b, l.bKey, l.a, l.aKey]
		] as const)
			if (cells(tables[x].t).get(k)?.suppressed && !cells(tables[y].t).get(j)?.suppressed)
				shownElsewhere.add(`${x}|${k}`);
	// What is reported: a small count (1 to min−1) worked out. A pinned zero or count of min or more is not a
	// disclosure in itself (such counts are published), and a filtered view's cross-tabs hide, as "[c]", counts
	// its one-way tables show (a slice hides what any of its siblings hides: siblings.ts), so they are pinned
	// there without telling anything the view does not show; a small count they pin is still reported.
	const out: string[] = [];
	for (const f of attackJoint(tables, links, { min, knownIn }))
		if (f.value === f.truth && f.value > 0 && f.value < min)
			out.push(
				`${where}, ${tables[f.table].t.caption}: ${f.row} / ${f.column} = ${f.value} (${shownElsewhere.has(`${f.table}|${f.key}`) ? 'shown in another table' : f.how})`
			);
	return out;
}

/** The audit's cross-tabs of an unfiltered view: groups × districts, districts × channels, weeks × channels. */
export const UNFILTERED_CROSSTABS = [
	'a=group&b=district&percent=row',
	'a=district&b=channel&percent=none',
	'a=week&b=channel&percent=none'
];

/** What a consultation's unfiltered view gives away with those cross-tabs (sameViewFailures); drops it after. */
export async function unfilteredFailures(data: DemoLike, min: number): Promise<string[]> {
	try {
		const { view } = siblingViews(() => data, { crosstabs: UNFILTERED_CROSSTABS, min });
		return sameViewFailures(await view(''), min, 'unfiltered');
	} finally {
		await data.fresh.drop();
	}
}
