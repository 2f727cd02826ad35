/**
 * A table that is a line of another view's cross-tab (issue #11, wider.ts crossTabLines): a group's channels
 * table is that group's row of "Respondent group by channel" in the unfiltered view, a district's equality
 * tables are its row of "District by gender", and so on for every table declared in registry.ts
 * CROSS_TAB_LINES. An onlooker sets the two side by side: a count one shows and the other hides is read off,
 * and what the one shows bounds the other's hidden counts, which the attack then uses (both ways). Each
 * one-filter view (every district, group and channel) against both orientations of each cross-tab of the
 * unfiltered view; demo-like data, both engines.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine, type FreshDb } from './helpers/databases';
import type { Fixture } from './fixtures/analysis/small';
import { cellsByKey, demoLikeDatabase } from './helpers/demo-like';
import { attack } from './helpers/disclosure-attack';
import type { TableData } from '../src/lib/analysis/tables';
import type { Dimension } from '../src/lib/analysis/dimensions';
import { CHANNELS } from '../src/lib/domain/channels';
import { analysisFilters } from '../src/lib/server/analysis/scope';
import { CROSS_TAB_LINES, dashboardTables, tableById } from '../src/lib/server/analysis/registry';

const MIN = 5;

/** Every count a line of the cross-tab pins, hidden in one of the two and worked out: each view's hidden counts. */
export function lineFailures(
	table: { shown: TableData; truth: TableData },
	cross: { shown: TableData; truth: TableData },
	at: (k: string) => string,
	column: string,
	where: string
): string[] {
	const out: string[] = [];
	const t = new Map<string, TableData['rows'][number]['cells'][number]>(cellsByKey(table.shown));
	const x = new Map<string, TableData['rows'][number]['cells'][number]>(cellsByKey(cross.shown));
	const rows = table.shown.rows.map((r) => r.key).filter((k) => k === '_total' || !k.startsWith('_'));
	// The line must be the table (the same true counts), else there is nothing to set side by side.
	const tt = new Map<string, { n: number | null }>(cellsByKey(table.truth));
	const xt = new Map<string, { n: number | null }>(cellsByKey(cross.truth));
	if (!rows.every((k) => (xt.get(at(k))?.n ?? 0) === (tt.get(`${k}|${column}`)?.n ?? 0))) return out;
	// Read off: a count one hides (not zero: a line that lacks a cell is zero there) that the other shows.
	const knownT = new Map<string, [number, number]>();
	const knownX = new Map<string, [number, number]>();
	for (const k of rows) {
		const a = t.get(`${k}|${column}`);
		const b = x.get(at(k));
		if (!a || !b) continue;
		if (a.suppressed && !b.suppressed) knownT.set(`${k}|${column}`, [b.n!, b.n!]);
		if (b.suppressed && !a.suppressed) {
			knownX.set(at(k), [a.n!, a.n!]);
			out.push(`${where}: cross-tab hides ${at(k)}, the table shows ${a.n}`);
		}
	}
	// Worked out: each view attacked with what the other shows (only counts neither shows count).
	const label = (u: TableData, f: { row: string; column: string }) =>
		`${u.rows.find((r) => r.label === f.row)?.key}|${u.columns.find((c) => c.label === f.column)?.key}`;
	for (const f of attack(table.shown, { min: MIN, truth: table.truth, known: knownT }))
		if (f.value === f.truth && !knownT.has(label(table.shown, f)))
			out.push(`${where}: table ${f.row} / ${f.column} = ${f.value} (${f.how})`);
	for (const f of attack(cross.shown, { min: MIN, truth: cross.truth, known: knownX }))
		if (f.value === f.truth && !knownX.has(label(cross.shown, f)))
			out.push(`${where}: cross-tab ${f.row} / ${f.column} = ${f.value} (${f.how})`);
	return out;
}

describeEachEngine('disclosure control: tables that are a line of a wider cross-tab', (engine) => {
	let fresh: FreshDb;
	let fx: Fixture;
	beforeAll(async () => {
		({ fresh, fx } = await demoLikeDatabase(engine));
	}, 120_000);
	afterAll(() => fresh?.drop());

	const tablesOf = async (qs: string) => {
		const f = await analysisFilters(fresh.db, fx.c, new URLSearchParams(qs));
		return dashboardTables(fresh.db, fx.c, f, '/b');
	};
	const crossOf = async (a: Dimension, b: Dimension, min: string) => {
		const f = await analysisFilters(fresh.db, fx.c, new URLSearchParams(min));
		return (await tableById(fresh.db, fx.c, f, 'crosstab', new URLSearchParams(`a=${a}&b=${b}&percent=none`), '/b'))!;
	};

	it('no count is read off or worked out between a one-filter view and the cross-tabs without that filter', async () => {
		const filters: [Dimension, string[]][] = [
			['district', [...fx.c.districts.map((d) => d.code), 'unknown']],
			['group', [...fx.c.groups.map((g) => g.code), 'unknown']],
			['channel', [...CHANNELS]]
		];
		const failures: string[] = [];
		const crosses = new Map<string, { shown: TableData; truth: TableData }>();
		const cross = async (a: Dimension, b: Dimension) => {
			const k = `${a}:${b}`;
			if (!crosses.has(k)) crosses.set(k, { shown: await crossOf(a, b, ''), truth: await crossOf(a, b, 'min=0') });
			return crosses.get(k)!;
		};
		for (const [by, values] of filters)
			for (const v of values) {
				const shown = await tablesOf(`${by}=${v}`);
				const truth = await tablesOf(`${by}=${v}&min=0`);
				for (const t of shown) {
					const decl = CROSS_TAB_LINES[t.id];
					if (!decl || decl.dimension === by) continue;
					const table = { shown: t, truth: truth.find((x) => x.id === t.id)! };
					const key = (k: string) => (k === '_total' ? k : (decl.key?.(k) ?? k));
					failures.push(
						...lineFailures(
							table,
							await cross(by, decl.dimension),
							(k) => `${v}|${key(k)}`,
							decl.column,
							`${by}=${v} ${t.id} (rows)`
						),
						...lineFailures(
							table,
							await cross(decl.dimension, by),
							(k) => `${key(k)}|${v}`,
							decl.column,
							`${by}=${v} ${t.id} (columns)`
						)
					);
				}
			}
		console.log(`${engine}: ${failures.length} recovered\n${failures.slice(0, 40).join('\n')}`);
		expect(failures).toEqual([]);
	}, 1_800_000);
});
