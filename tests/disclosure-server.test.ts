/**
 * The differencing attack (tests/helpers/disclosure-attack.ts) on every analysis table and
 * its CSV and Excel export, on demo-like data with small corners (a district of four
 * people, a theme raised by one child), unfiltered and filtered, on both engines.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import Papa from 'papaparse';
import ExcelJS from 'exceljs';
import { describeEachEngine, type FreshDb } from './helpers/databases';
import type { Fixture } from './fixtures/analysis/small';
import { viewTables } from './fixtures/analysis/demo-like';
import { cellsByKey, demoLikeDatabase } from './helpers/demo-like';
import { attack, attackSiblings, type Recovery } from './helpers/disclosure-attack';
import { parseFilters } from '../src/lib/analysis/filters';
import type { Cell, TableData } from '../src/lib/analysis/tables';
import { headline, headlineFigures, HIDDEN_FIGURE } from '../src/lib/server/analysis/dashboard';
import { scopeOf } from '../src/lib/server/analysis/scope';
import { tableCsv, tableXlsx, type SheetCell } from '../src/lib/server/exports/tables';

const FILTERS = [
	'',
	'district=redditch',
	'district=redditch&question=q1',
	'group=child',
	'channel=face-to-face',
	'district=unknown',
	'question=q1&group=practitioner',
	'from=2017-05-22&to=2017-05-28'
];
const CROSSTABS = [
	'a=group&b=district&percent=row',
	'a=age&b=gender&percent=column',
	'a=week&b=channel&percent=none',
	'a=district&b=disability&percent=row',
	'a=location&b=group&percent=none'
];

/** A table read back from an export: the cells as the file gives them, the layout as the screen's. */
function fromSheet(t: TableData, rows: SheetCell[][]): TableData {
	const body = rows.slice(1, 1 + t.rows.length);
	const step = t.hasPct ? 2 : 1;
	return {
		...t,
		rows: t.rows.map((r, i) => ({
			...r,
			cells: r.cells.map((_, j): Cell => {
				const v = body[i][1 + j * step];
				const p = t.hasPct ? body[i][2 + j * step] : null;
				if (typeof v === 'string' && (v.startsWith('<') || v === '[c]'))
					return { n: null, pct: null, text: v, suppressed: true };
				const n = v === null || v === '' ? 0 : Number(v);
				return { n, pct: p === null || p === '' || p === undefined ? null : Number(p), text: String(v) };
			})
		}))
	};
}

describeEachEngine('disclosure control on every table and export', (engine) => {
	let fresh: FreshDb;
	let fx: Fixture;
	beforeAll(async () => {
		({ fresh, fx } = await demoLikeDatabase(engine));
	}, 120_000);
	afterAll(() => fresh?.drop());

	/**
	 * Every table a filter gives, computed once per filter for the whole file: the tests only read
	 * the data, and they ask for the same views again and again (about a hundred asks, far fewer
	 * views). The key ignores the order of the query's parameters, which the filters do too.
	 */
	const views = new Map<string, ReturnType<typeof tablesFor>>();
	function allTables(qs: string) {
		const key = [...new URLSearchParams(qs)]
			.map(([k, v]) => `${k}=${v}`)
			.sort()
			.join('&');
		let view = views.get(key);
		if (!view) views.set(key, (view = tablesFor(qs)));
		return view;
	}

	/** Every table a filter gives: the dashboard's, each question's themes, and several cross-tabs. */
	async function tablesFor(qs: string) {
		const filters = parseFilters(new URLSearchParams(qs));
		const tables = await viewTables(fresh.db, fx, filters, CROSSTABS);
		const figures = headlineFigures(await headline(fresh.db, scopeOf(fx.c, filters)), tables, filters.min);
		return { tables, figures };
	}

	it('no hidden count is recovered from any table on screen, unfiltered or filtered', async () => {
		let hidden = 0;
		let tablesSeen = 0;
		const failures: (Recovery & { filter: string; table: string })[] = [];
		for (const qs of FILTERS) {
			const shown = await allTables(qs);
			const truth = await allTables(`${qs}${qs ? '&' : ''}min=0`);
			const submissions =
				shown.figures.submissions === HIDDEN_FIGURE ||
				shown.figures.submissions.startsWith('<') ||
				shown.figures.submissions === '[c]'
					? undefined
					: Number(shown.figures.submissions.replace(/,/g, ''));
			shown.tables.forEach((t, i) => {
				tablesSeen++;
				for (const r of t.rows)
					for (const c of r.cells)
						if (c.suppressed) {
							hidden++;
							// Nothing about a hidden count travels with the table (the page's data, the chart).
							expect(c.n).toBeNull();
							expect(c.pct).toBeNull();
							expect(c.mark).toBeUndefined();
						}
				for (const f of attack(t, { min: 5, truth: truth.tables[i], submissions }))
					failures.push({ ...f, filter: qs, table: t.caption });
			});
		}
		expect(failures).toEqual([]);
		// The data really does have small cells in every filter, so the test has something to attack.
		expect(tablesSeen).toBeGreaterThan(150);
		expect(hidden).toBeGreaterThan(200);
	}, 300_000);

	it('no hidden count is recovered by setting a filtered view beside a wider one (theme table for one district against all, dashboard filtered against not)', async () => {
		const failures: string[] = [];
		let pairs = 0;
		let hiddenForWider = 0;
		const view = async (qs: string) => ({
			shown: (await allTables(qs)).tables,
			truth: (await allTables(`${qs}${qs ? '&' : ''}min=0`)).tables
		});
		for (const qs of FILTERS.filter(Boolean)) {
			const params = [...new URLSearchParams(qs)];
			// Every wider view: the same page with some of the filters left out.
			for (let mask = 0; mask < (1 << params.length) - 1; mask++) {
				const wqs = new URLSearchParams(params.filter((_, i) => mask & (1 << i))).toString();
				const [narrow, wide] = [await view(qs), await view(wqs)];
				narrow.shown.forEach((t, i) => {
					const w = wide.shown[i];
					if (t.ticks || !w || w.caption !== t.caption) return;
					pairs++;
					const [nc, wc] = [cellsByKey(t), cellsByKey(w)];
					const [nt, wt] = [cellsByKey(narrow.truth[i]), cellsByKey(wide.truth[i])];
					const fromWide = new Map<string, [number, number]>();
					const fromNarrow = new Map<string, [number, number]>();
					for (const [key, c] of nc) {
						const o = wc.get(key);
						if (!o) continue;
						if (c.suppressed && nt.get(key)!.n !== wt.get(key)!.n) hiddenForWider++;
						// Shown in both: the difference is the answers outside the filter.
						if (!c.suppressed && !o.suppressed) {
							const rest = o.n! - c.n!;
							if (rest > 0 && rest < 5) failures.push(`${qs} vs "${wqs}", ${t.caption}, ${key}: ${o.n} − ${c.n}`);
						}
						// Hidden on one side: the other bounds it (a count is at most its wider count).
						if (c.suppressed && !o.suppressed) fromWide.set(key, [0, o.n!]);
						if (o.suppressed && !c.suppressed) fromNarrow.set(key, [c.n!, Number.POSITIVE_INFINITY]);
					}
					for (const f of attack(t, { min: 5, truth: narrow.truth[i], known: fromWide }))
						failures.push(
							`${qs} (with "${wqs}" beside it), ${t.caption}: ${f.row} / ${f.column} = ${f.value} by ${f.how}`
						);
					for (const f of attack(w, { min: 5, truth: wide.truth[i], known: fromNarrow }))
						failures.push(
							`"${wqs}" (with ${qs} beside it), ${w.caption}: ${f.row} / ${f.column} = ${f.value} by ${f.how}`
						);
				});
			}
		}
		expect(failures).toEqual([]);
		expect(pairs).toBeGreaterThan(200);
		// The data does make views hide counts because of a wider view, so the rule is exercised.
		expect(hiddenForWider).toBeGreaterThan(10);
	}, 600_000);

	// Views that do not nest (issue #11): subtracting every other district's view from the view without
	// a district recovered hidden counts (e.g. "Responses by week", week 2 face to face: four districts
	// "<5" under "<5" in all districts, so each is 1) until sibling views were protected together
	// (siblings.ts; docs/analysis.md, "Views that do not nest").
	it("no hidden count is recovered from sibling views: every district's view and the view without a district, subtracted", async () => {
		const failures: string[] = [];
		let lines = 0;
		const districts = [...fx.c.districts.map((d) => d.code), 'unknown'];
		const byName = (ts: TableData[]) => new Map(ts.filter((t) => !t.ticks).map((t) => [`${t.id}|${t.caption}`, t]));
		const empty = (t: TableData): TableData => ({ ...t, rows: [] });
		for (const base of ['', 'question=q1', 'group=child']) {
			const join = (qs: string, extra: string) => [qs, extra].filter(Boolean).join('&');
			const total = byName((await allTables(base)).tables);
			const totalTruth = byName((await allTables(join(base, 'min=0'))).tables);
			const slices = await Promise.all(
				districts.map(async (d) => ({
					shown: byName((await allTables(join(base, `district=${d}`))).tables),
					truth: byName((await allTables(join(base, `district=${d}&min=0`))).tables)
				}))
			);
			for (const [name, t] of total) {
				// A table a district's view leaves out (a theme table with no answers there) shows it nothing: zeros.
				const shown = slices.map((x) => x.shown.get(name) ?? empty(t));
				const truths = slices.map((x) => x.truth.get(name) ?? empty(t));
				lines++;
				for (const f of attackSiblings(shown, t, { min: 5, truths, totalTruth: totalTruth.get(name) })) {
					// Only a right value is a recovery (a wrong one would be the attack's own mistake, and fail too).
					const where = f.view < districts.length ? `district=${districts[f.view]}` : 'all districts';
					failures.push(
						`${base || 'unfiltered'}, ${where}, ${t.caption}: ${f.row} / ${f.column} = ${f.value} (truth ${f.truth})`
					);
				}
			}
		}
		expect(failures).toEqual([]);
		expect(lines).toBeGreaterThan(40);
	}, 600_000);

	it('the small corners are hidden: the district of four, the theme one child raised, "No theme yet", "Answers", "All groups"', async () => {
		const { tables } = await allTables('district=redditch&question=q1');
		const themes = tables.find((t) => t.id === 'themes-q1')!;
		const pets = themes.rows.find((r) => r.label === 'Pets')!;
		expect(pets.cells.filter((c) => c.suppressed).length).toBeGreaterThanOrEqual(2);
		expect(pets.cells.at(-1)!.suppressed).toBe(true);
		const answers = themes.rows.find((r) => r.key === '_answers')!;
		expect(answers.cells.at(-1)!.suppressed).toBe(true);
		expect(answers.cells.filter((c) => c.suppressed).length).toBeGreaterThanOrEqual(2);
		const districts = tables.find((t) => t.id === 'districts')!;
		expect(districts.rows.find((r) => r.key === '_total')!.cells[0].suppressed).toBe(true);
		// Unfiltered, "Pets" is one child in the whole consultation: hidden, and so is its "All groups".
		const all = (await allTables('')).tables.find((t) => t.id === 'themes-q1')!;
		const petsAll = all.rows.find((r) => r.label === 'Pets')!;
		expect(petsAll.cells.filter((c) => c.suppressed).map((c) => c.text)).toContain('<5');
		expect(petsAll.cells.at(-1)!.suppressed).toBe(true);
	}, 120_000);

	it('the headline figures read as the tables they total', async () => {
		const { tables, figures } = await allTables('district=redditch');
		const total = (id: string) => tables.find((t) => t.id === id)!.rows.find((r) => r.key === '_total')!.cells[0].text;
		expect(figures.submissions).toBe(total('districts'));
		expect(figures.submissions).toBe(total('channels'));
		expect(figures.perspectives).toBe(total('groups'));
		// Hidden: "<5" before the cross-tab line rule (wider.ts crossTabLines), "[c]" with it (a label that says
		// less: the unfiltered district × channel cross-tab's Redditch line is now passed in as known counts).
		expect(['<5', '[c]']).toContain(figures.submissions);
	}, 120_000);

	it('no hidden count is recovered from the CSV or Excel export of any table', async () => {
		const failures: (Recovery & { filter: string; table: string; format: string })[] = [];
		for (const qs of ['', 'district=redditch', 'group=child']) {
			const shown = await allTables(qs);
			const truth = await allTables(`${qs}${qs ? '&' : ''}min=0`);
			for (const [i, t] of shown.tables.entries()) {
				if (t.ticks) continue;
				const csv = Papa.parse<string[]>(tableCsv(t), { skipEmptyLines: true }).data.slice(1);
				const fromCsv = fromSheet(t, csv);
				// The file says what the screen says, cell by cell.
				fromCsv.rows.forEach((r, ri) =>
					r.cells.forEach((c, ci) =>
						expect(c.suppressed ? c.text : c.n, `${t.caption} ${r.label}`).toEqual(
							t.rows[ri].cells[ci].suppressed ? t.rows[ri].cells[ci].text : t.rows[ri].cells[ci].n
						)
					)
				);
				for (const f of attack(fromCsv, { min: 5, truth: truth.tables[i] }))
					failures.push({ ...f, filter: qs, table: t.caption, format: 'csv' });
				const wb = new ExcelJS.Workbook();
				await wb.xlsx.load((await tableXlsx([t])) as unknown as ArrayBuffer);
				const ws = wb.worksheets[0];
				const sheet: SheetCell[][] = [];
				for (let r = 2; r <= 2 + t.rows.length; r++) sheet.push(((ws.getRow(r).values as SheetCell[]) ?? []).slice(1));
				for (const f of attack(fromSheet(t, sheet), { min: 5, truth: truth.tables[i] }))
					failures.push({ ...f, filter: qs, table: t.caption, format: 'xlsx' });
			}
		}
		expect(failures).toEqual([]);
	}, 300_000);
});
