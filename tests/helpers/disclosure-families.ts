/**
 * The joint attacks of the disclosure tests, over views read as an onlooker reads them (demo-like.ts
 * siblingViews `view`): a two-filter family solved as one system (attackGrid), and a table set beside the
 * line of a wider cross-tab it is (lineFailures). Shared by tests/disclosure-joint.test.ts's pattern and
 * tests/disclosure-random.test.ts.
 */
import type { TableData } from '../../src/lib/analysis/tables';
import { cellsByKey, joinQuery, withoutRows, type View } from './demo-like';
import { attack, attackGrid, type Additivity } from './disclosure-attack';

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
	bs: string[]
): Promise<{ failures: string[]; published: string[] }> {
	const total = await view('');
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
				totalTruth
			}
		);
		for (const f of found) {
			if (f.value !== f.truth) continue;
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
