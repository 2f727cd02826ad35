/**
 * The one shape every analysis table takes (screens, charts, exports and the
 * printed report all render the same TableData), and the pure builders that
 * turn database counts into tables: tallies, cross-tabs, and the theme x group
 * table with its significance marks and tick rule.
 */
import { formatPct, groupVsRest, pct, type Direction } from './stats';
import { constraintsInGrid, protectTable, suppressedLabel, type Hidden, type ViewConstraints } from './suppress';
import { envSwitch } from './switches';

export interface Cell {
	/** The count, or null when suppressed. */
	n: number | null;
	/** The percentage shown beside the count (null: none, or suppressed). */
	pct: number | null;
	/** What the cell reads, e.g. "607 (23%)" or "<5". */
	text: string;
	/** A link to the answers behind the cell. */
	href?: string;
	/** Significance of the group vs the rest (theme tables). */
	mark?: Direction;
	/** Ticked under the tick rule (tick tables). */
	tick?: boolean;
	suppressed?: boolean;
}

export interface Row {
	key: string;
	label: string;
	cells: Cell[];
	/** Rows such as totals and "not asked" set apart visually. */
	kind?: 'total' | 'sentinel';
}

export interface TableData {
	id: string;
	caption: string;
	rowHeading: string;
	columns: { key: string; label: string }[];
	rows: Row[];
	notes: string[];
	/** Whether any cell was suppressed (the page then says so). */
	anySuppressed: boolean;
	/** Which kind of chart, if any, draws this table. */
	chart?: 'bar' | 'grouped' | 'stacked';
	/** Whether cells carry percentages (exports add a % column per column). */
	hasPct: boolean;
	/** Tick tables: cells are ticks, not counts. */
	ticks?: boolean;
}

export interface Item {
	key: string;
	label: string;
	n: number;
	kind?: Row['kind'];
}

/** A cell's key within its table (row key, column key), as wider-view constraints name it. */
export function cellKey(row: string, col: string): string {
	return `${row}\u001f${col}`;
}

/**
 * tableCounts and tableHidden of each table already read (issue #19): a filtered page's wider and sibling views
 * read the same built tables (kept per scope, never changed once built) hundreds of times. The maps and sets
 * given out are shared, so they are only read.
 */
const countsOfTable = new WeakMap<TableData, Map<string, number>>();
const hiddenOfTable = new WeakMap<TableData, Set<string>>();

/** Every count a table shows or hides, by cell key (of a table built with min 0, the true counts). Read only. */
export function tableCounts(t: TableData): Map<string, number> {
	let out = countsOfTable.get(t);
	if (out) return out;
	out = new Map<string, number>();
	for (const r of t.rows) r.cells.forEach((c, j) => c.n !== null && out!.set(cellKey(r.key, t.columns[j].key), c.n));
	countsOfTable.set(t, out);
	return out;
}

/** The cell keys a table hides. Read only. */
export function tableHidden(t: TableData): Set<string> {
	let out = hiddenOfTable.get(t);
	if (out) return out;
	out = new Set<string>();
	for (const r of t.rows) r.cells.forEach((c, j) => c.suppressed && out!.add(cellKey(r.key, t.columns[j].key)));
	hiddenOfTable.set(t, out);
	return out;
}

function gridConstraints(v: ViewConstraints | undefined, rowKeys: string[], colKeys: string[]) {
	return constraintsInGrid(v, rowKeys, colKeys, cellKey);
}

/** Two sets of entries to hide as one. */
function union(a?: Set<string>, b?: Set<string>): Set<string> | undefined {
	return a && b ? new Set([...a, ...b]) : (a ?? b);
}

/**
 * A count as en-GB writes it ("12,345"), without Intl: a first filtered page formats the cells of
 * every sibling slice's tables several times over (docs/analysis.md), and toLocaleString was a
 * tenth of its CPU. The same text as n.toLocaleString('en-GB') for integers.
 */
export function formatCount(n: number): string {
	if (!Number.isInteger(n)) return n.toLocaleString('en-GB');
	const digits = String(Math.abs(n));
	const grouped = digits.length > 3 ? digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',') : digits;
	return n < 0 ? `-${grouped}` : grouped;
}

function cellText(n: number, p: number | null, showPct: boolean): string {
	return showPct && p !== null ? `${formatCount(n)} (${formatPct(p)})` : formatCount(n);
}

/**
 * A one-column tally (e.g. respondents by district) with each count as a
 * percentage of `denominator` (default: the sum of the items not of kind 'sentinel' when
 * `pctOfAnswered`, else the sum of all items), small cells suppressed.
 */
export function tally(
	id: string,
	caption: string,
	rowHeading: string,
	items: Item[],
	opts: {
		min: number;
		denominator?: number;
		pctOfAnswered?: boolean;
		notes?: string[];
		total?: boolean;
		chart?: TableData['chart'];
		countLabel?: string;
		hrefFor?: (key: string) => string | undefined;
		/** Decided elsewhere, when this table shares its total with another (one per item, then the total). */
		hidden?: Hidden[];
		/** What wider views of the same table make this one hide (suppress.ts widerViewConstraints). */
		cross?: ViewConstraints;
	}
): TableData {
	const sum = items.reduce((s, i) => s + i.n, 0);
	const answered = items.filter((i) => i.kind !== 'sentinel').reduce((s, i) => s + i.n, 0);
	const denominator = opts.denominator ?? (opts.pctOfAnswered ? answered : sum);
	const showTotal = opts.total !== false;
	// One column whose cells add up to the Total row (when it is shown).
	const own = opts.hidden
		? null
		: protectTable({
				cells: items.map((i) => [i.n]),
				colTotals: showTotal ? [sum] : undefined,
				min: opts.min,
				...gridConstraints(opts.cross, [...items.map((i) => i.key), '_total'], ['n'])
			});
	const prot = own ?? {
		cells: items.map((_, r) => [opts.hidden![r]]),
		colTotals: [opts.hidden![items.length] ?? false],
		any: opts.hidden!.some(Boolean)
	};
	// A percentage of a hidden total would give the total away (n ÷ share).
	const pctShown = !(showTotal && prot.colTotals[0] && opts.denominator === undefined);
	const rows: Row[] = items.map((item, r) => {
		const p = !pctShown
			? null
			: opts.pctOfAnswered && item.kind === 'sentinel'
				? pct(item.n, sum)
				: pct(item.n, denominator);
		const why = prot.cells[r][0];
		return {
			key: item.key,
			label: item.label,
			kind: item.kind,
			cells: [
				why
					? hiddenCell(opts.min, why)
					: { n: item.n, pct: p, text: cellText(item.n, p, p !== null), href: opts.hrefFor?.(item.key) }
			]
		};
	});
	if (showTotal)
		rows.push({
			key: '_total',
			label: 'Total',
			kind: 'total',
			cells: [
				prot.colTotals[0] ? hiddenCell(opts.min, prot.colTotals[0]) : { n: sum, pct: null, text: formatCount(sum) }
			]
		});
	return {
		id,
		caption,
		rowHeading,
		columns: [{ key: 'n', label: opts.countLabel ?? 'Number' }],
		rows,
		notes: opts.notes ?? [],
		anySuppressed: prot.any,
		chart: opts.chart,
		hasPct: true
	};
}

/** A cell that is not shown: "<5" (small) or "[c]" (hidden to protect a small one). */
export function hiddenCell(min: number, why: Hidden, href?: string): Cell {
	return { n: null, pct: null, text: suppressedLabel(min, why), suppressed: true, ...(href ? { href } : {}) };
}

export interface CrossTabInput {
	id: string;
	caption: string;
	rowHeading: string;
	rows: { key: string; label: string }[];
	columns: { key: string; label: string }[];
	/** count for (row key, column key); missing means 0. */
	count: (row: string, col: string) => number;
	min: number;
	percent: 'row' | 'column' | 'none';
	notes?: string[];
	/** Row and column totals; when the categories overlap (one person in two groups), pass the true totals. */
	rowTotals?: (row: string) => number;
	columnTotals?: (col: string) => number;
	grandTotal?: number;
	hrefFor?: (row: string, col: string) => string | undefined;
	chart?: TableData['chart'];
	/** false: no "Total" column (e.g. when the columns count different things). */
	totalColumn?: boolean;
	/** Entries hidden because another view hides the same count (suppress.ts protectLinked). */
	mustHide?: Set<string>;
	/** What wider views of the same table make this one hide (suppress.ts widerViewConstraints). */
	cross?: ViewConstraints;
	/** Entries another table of the view decides (suppress.ts ProtectInput.decided; closed-grid keys). */
	decided?: Map<string, Hidden>;
}

/** A two-way table with totals, row or column percentages and small-cell suppression. */
export function crossTab(input: CrossTabInput): TableData {
	const grid = input.rows.map((r) => input.columns.map((c) => input.count(r.key, c.key)));
	const rowTotal = input.rows.map((r, i) => input.rowTotals?.(r.key) ?? grid[i].reduce((s, n) => s + n, 0));
	const colTotal = input.columns.map((c, j) => input.columnTotals?.(c.key) ?? grid.reduce((s, row) => s + row[j], 0));
	const grand = input.grandTotal ?? rowTotal.reduce((s, n) => s + n, 0);
	const showRowTotals = input.totalColumn !== false;
	const wider = gridConstraints(
		input.cross,
		[...input.rows.map((r) => r.key), '_total'],
		[...input.columns.map((c) => c.key), '_total']
	);
	const prot = protectTable({
		cells: grid,
		rowTotals: showRowTotals ? rowTotal : undefined,
		colTotals: colTotal,
		grand: showRowTotals ? grand : undefined,
		// True totals passed in (overlapping categories) are not the sums of the cells.
		rowsAdd: !input.rowTotals,
		colsAdd: !input.columnTotals,
		min: input.min,
		mustHide: union(input.mustHide, wider.mustHide),
		bounds: wider.bounds,
		blur: wider.blur,
		decided: input.decided
	});
	// Percentages are only shown where their denominator is: n ÷ share would give a hidden total away.
	const rowPct = (n: number, i: number) => (input.percent === 'row' && !prot.rowTotals[i] ? pct(n, rowTotal[i]) : null);
	const colPct = (n: number, j: number) =>
		input.percent === 'column' && !prot.colTotals[j] ? pct(n, colTotal[j]) : null;
	const grandPct = (n: number) => (prot.grand || !showRowTotals ? null : pct(n, grand));
	const rows: Row[] = input.rows.map((r, i) => ({
		key: r.key,
		label: r.label,
		cells: [
			...input.columns.map((c, j): Cell => {
				const why = prot.cells[i][j];
				if (why) return hiddenCell(input.min, why);
				const n = grid[i][j];
				const p = input.percent === 'row' ? rowPct(n, i) : colPct(n, j);
				return { n, pct: p, text: cellText(n, p, p !== null), href: n > 0 ? input.hrefFor?.(r.key, c.key) : undefined };
			}),
			...(showRowTotals
				? [
						totalCell(
							rowTotal[i],
							input.min,
							prot.rowTotals[i],
							input.percent === 'column' ? grandPct(rowTotal[i]) : null
						)
					]
				: [])
		]
	}));
	rows.push({
		key: '_total',
		label: 'Total',
		kind: 'total',
		cells: [
			...colTotal.map((n, j) =>
				totalCell(n, input.min, prot.colTotals[j], input.percent === 'row' ? grandPct(n) : null)
			),
			...(showRowTotals ? [totalCell(grand, input.min, prot.grand, null)] : [])
		]
	});
	return {
		id: input.id,
		caption: input.caption,
		rowHeading: input.rowHeading,
		columns: [...input.columns, ...(showRowTotals ? [{ key: '_total', label: 'Total' }] : [])],
		rows,
		notes: input.notes ?? [],
		anySuppressed: prot.any,
		chart: input.chart,
		hasPct: input.percent !== 'none'
	};
}

/**
 * A cross-tab turned round (rows for columns), with the caption, heading and notes of the turned table: a
 * cross-tab of b by a is built as a by b and turned, so that the two hide the same counts (issue #11: built
 * apart, "Channel by respondent group" hid a count "Respondent group by channel" showed).
 */
export function transposeTable(t: TableData, as: Pick<TableData, 'caption' | 'rowHeading' | 'notes'>): TableData {
	return {
		...t,
		...as,
		columns: t.rows.map((r) => ({ key: r.key, label: r.label })),
		rows: t.columns.map((c, j) => ({
			key: c.key,
			label: c.label,
			...(c.key === '_total' ? { kind: 'total' as const } : {}),
			cells: t.rows.map((r) => r.cells[j])
		}))
	};
}

function totalCell(n: number, min: number, why: Hidden, p: number | null): Cell {
	if (why) return hiddenCell(min, why);
	return { n, pct: p, text: cellText(n, p, p !== null) };
}

export interface TickRule {
	/** Tick a theme that is among the group's top N themes by count (0: not used). */
	top: number;
	/** ...or raised in at least this percentage of the group's answers (0: not used). */
	minPct: number;
}

export const DEFAULT_TICK_RULE: TickRule = { top: 5, minPct: 10 };

export function describeTickRule(rule: TickRule): string {
	const parts: string[] = [];
	if (rule.top > 0) parts.push(`is one of the group's ${rule.top} most often raised themes`);
	if (rule.minPct > 0) parts.push(`was raised in at least ${rule.minPct}% of the group's answers`);
	if (parts.length === 0) return 'No tick rule is set, so nothing is ticked.';
	return `A tick means the theme ${parts.join(', or ')}.`;
}

/**
 * Competition rank of each count among a group's theme counts (1 = most raised;
 * ties share a rank, so two themes tied at the boundary are both "top N").
 */
export function ranks(counts: number[]): number[] {
	return counts.map((n) => 1 + counts.filter((m) => m > n).length);
}

/** Whether a theme gets a tick for a group: top N by count (count > 0), or at least minPct% of the group's answers. */
export function ticked(count: number, rank: number, groupAnswers: number, rule: TickRule): boolean {
	if (count <= 0 || groupAnswers <= 0) return false;
	if (rule.top > 0 && rank <= rule.top) return true;
	if (rule.minPct > 0 && (100 * count) / groupAnswers >= rule.minPct) return true;
	return false;
}

export interface ThemeTableInput {
	question: { key: string; text: string };
	themes: { id: number; label: string }[];
	groups: { key: string; label: string }[];
	/** Answers to the question per group (the denominator of each cell's percentage). */
	groupAnswers: Map<string, number>;
	/** Answers with the theme, per `${themeId}|${groupKey}`. */
	counts: Map<string, number>;
	/** Answers with no theme at all, per group. */
	uncoded?: Map<string, number>;
	min: number;
	rule: TickRule;
	hrefFor?: (themeId: number | null, group: string) => string | undefined;
	/** What wider views of the same table make this one hide (suppress.ts widerViewConstraints). */
	cross?: ViewConstraints;
}

export interface ThemeTables {
	counts: TableData;
	ticks: TableData;
}

/**
 * The per-question theme x respondent-group tables: counts with the percentage of
 * the group's answers and a "notably more / less than the other groups" mark
 * (adjusted standardised residual, 5% two-sided, untested where expected counts
 * are under 5); and the seed-style tick table under a stated rule.
 */
export function themeTables(input: ThemeTableInput): ThemeTables {
	const { themes, groups } = input;
	const answersOf = groups.map((g) => input.groupAnswers.get(g.key) ?? 0);
	const N = answersOf.reduce((s, n) => s + n, 0);
	const grid = themes.map((t) => groups.map((g) => input.counts.get(`${t.id}|${g.key}`) ?? 0));
	const themeTotal = grid.map((row) => row.reduce((s, n) => s + n, 0));
	const un = input.uncoded ? groups.map((g) => input.uncoded!.get(g.key) ?? 0) : null;
	const unSum = un ? un.reduce((s, n) => s + n, 0) : 0;
	// Rows (themes, "No theme yet", "Answers") add up across the groups to "All groups"; the
	// columns do not add up to "Answers" (one answer can raise several themes), so they have no
	// equation, only bounds: a theme's count is at most the group's answers that have a theme.
	const prot = protectTable({
		cells: un ? [...grid, un] : grid,
		rowTotals: un ? [...themeTotal, unSum] : themeTotal,
		colTotals: answersOf,
		grand: N,
		colsAdd: false,
		multiResponse: { noneRow: un ? grid.length : undefined },
		min: input.min,
		...gridConstraints(
			input.cross,
			[...themes.map((t) => String(t.id)), ...(un ? ['_uncoded'] : []), '_answers'],
			[...groups.map((g) => g.key), '_all']
		)
	});
	const answersShown = (j: number) => !prot.colTotals[j];
	const groupRanks = groups.map((_, j) => ranks(grid.map((row) => row[j])));
	const rows: Row[] = themes.map((t, i) => ({
		key: String(t.id),
		label: t.label,
		cells: [
			...groups.map((g, j): Cell => {
				const n = grid[i][j];
				const total = answersOf[j];
				const href = n > 0 ? input.hrefFor?.(t.id, g.key) : undefined;
				const why = prot.cells[i][j];
				if (why) return hiddenCell(input.min, why, href);
				const p = answersShown(j) ? pct(n, total) : null;
				// The mark compares with the theme's and groups' totals: only shown when they are.
				const test = groupVsRest({ k: n, n: total, m: themeTotal[i], N });
				const mark = answersShown(j) && !prot.rowTotals[i] && !prot.grand ? test.direction : undefined;
				return { n, pct: p, text: cellText(n, p, p !== null), href, mark };
			}),
			prot.rowTotals[i]
				? hiddenCell(input.min, prot.rowTotals[i], themeTotal[i] > 0 ? input.hrefFor?.(t.id, '') : undefined)
				: (() => {
						const p = prot.grand ? null : pct(themeTotal[i], N);
						return {
							n: themeTotal[i],
							pct: p,
							text: cellText(themeTotal[i], p, p !== null),
							href: themeTotal[i] > 0 ? input.hrefFor?.(t.id, '') : undefined
						};
					})()
		]
	}));
	if (un) {
		const r = themes.length;
		rows.push({
			key: '_uncoded',
			label: 'No theme yet',
			kind: 'sentinel',
			cells: [
				...groups.map((_, j): Cell => {
					const why = prot.cells[r][j];
					if (why) return hiddenCell(input.min, why);
					const p = answersShown(j) ? pct(un[j], answersOf[j]) : null;
					return { n: un[j], pct: p, text: cellText(un[j], p, p !== null) };
				}),
				prot.rowTotals[r]
					? hiddenCell(input.min, prot.rowTotals[r])
					: {
							n: unSum,
							pct: prot.grand ? null : pct(unSum, N),
							text: cellText(unSum, prot.grand ? null : pct(unSum, N), !prot.grand)
						}
			]
		});
	}
	rows.push({
		key: '_answers',
		label: 'Answers',
		kind: 'total',
		cells: [
			...answersOf.map((n, j) =>
				prot.colTotals[j] ? hiddenCell(input.min, prot.colTotals[j]) : { n, pct: null, text: formatCount(n) }
			),
			prot.grand ? hiddenCell(input.min, prot.grand) : { n: N, pct: null, text: formatCount(N) }
		]
	});
	const counts: TableData = {
		id: `themes-${input.question.key}`,
		caption: `${input.question.text} Themes by respondent group`,
		rowHeading: 'Theme',
		columns: [...groups, { key: '_all', label: 'All groups' }],
		rows,
		notes: [
			'Each cell: answers from the group that raised the theme, and the percentage of that group’s answers. An answer can raise several themes.',
			'▲ the group raised the theme notably more, ▼ notably less, than the other groups (adjusted standardised residual, 5% level); not tested where expected counts are under 5.'
		],
		anySuppressed: prot.any,
		chart: 'grouped',
		hasPct: true
	};
	const ticks: TableData = {
		id: `ticks-${input.question.key}`,
		caption: `Question: ${input.question.text}`,
		rowHeading: 'Answer',
		columns: groups,
		rows: themes
			.map((t, i) => ({
				key: String(t.id),
				label: t.label,
				cells: groups.map((g, j): Cell => {
					// A tick (or its absence) on a hidden count says something about it (at least 10% of
					// a group's answers shown beside it, say, can pin a "<5"): hidden as the count is.
					const why = prot.cells[i][j];
					if (why) return hiddenCell(input.min, why);
					const tick = ticked(grid[i][j], groupRanks[j][i], answersOf[j], input.rule);
					return { n: grid[i][j], pct: null, text: tick ? '✓' : '', tick };
				})
			}))
			.filter((r) => r.cells.some((c) => c.tick)),
		notes: [describeTickRule(input.rule)],
		anySuppressed: false,
		hasPct: false,
		ticks: true
	};
	return { counts, ticks };
}

/**
 * An equality characteristic as counts and percentages. Percentages are of the
 * people who were asked; "prefer not to say" and "left blank" are shown as their
 * own rows (with percentages), and "not asked (face to face)" as a count outside the percentages.
 */
export function equalityTable(
	id: string,
	caption: string,
	categories: { key: string; label: string; sentinel: boolean }[],
	counts: Map<string, number>,
	min: number,
	hrefFor?: (key: string) => string | undefined,
	cross?: ViewConstraints
): TableData {
	const notAsked = counts.get('not_asked') ?? 0;
	const known = new Set(categories.map((c) => c.key));
	// Values outside the list (e.g. an option retired later) are kept, not dropped.
	const extra = [...counts.keys()].filter((k) => !known.has(k)).map((k) => ({ key: k, label: k, sentinel: false }));
	const all = [...categories.filter((c) => !c.sentinel), ...extra, ...categories.filter((c) => c.sentinel)];
	const askedCats = all.filter((c) => c.key !== 'not_asked');
	const asked = askedCats.reduce((s, c) => s + (counts.get(c.key) ?? 0), 0);
	// Two levels: the answers add up to "Total asked", and asked + not asked = the submissions
	// (shown on the same page), so protect it as columns (asked | not asked) under that grand total.
	const isNotAsked = (c: { key: string }) => c.key === 'not_asked';
	// Wider views' constraints in this layout: "not asked" is its cell and its column's total.
	const wider = gridConstraints(cross, [...all.map((c) => c.key), '_asked'], ['n']);
	const naAt = all.findIndex(isNotAsked);
	for (const [from, to] of naAt >= 0 ? [[`${naAt},0`, [`${naAt},1`, `${all.length},1`]] as const] : []) {
		if (wider.mustHide?.delete(from)) to.forEach((k) => wider.mustHide!.add(k));
		if (wider.blur?.delete(from)) to.forEach((k) => wider.blur!.add(k));
		const b = wider.bounds?.get(from);
		if (b) {
			wider.bounds!.delete(from);
			to.forEach((k) => wider.bounds!.set(k, b));
		}
	}
	// The grand total is the view's submissions, shown on the same page, unless the channels table (which
	// publishes them too) hides its total: then it is hidden here as well, and may be a partner.
	if (cross?.totalHidden) (wider.mustHide ??= new Set()).add(`${all.length},2`);
	// The layout's structural zeros ("not asked" in the asked column, every answer in the not-asked one) appear on
	// no page and are always 0: known exactly, so never chosen as a partner. As a partner such a zero protects
	// nothing — a lone hidden answer is then its "Total asked" less the shown zeros (seed 169's "Left blank" = 6).
	// ANALYSIS_STRUCTURAL_ZEROS=off = before.
	if (envSwitch('ANALYSIS_STRUCTURAL_ZEROS') !== 'off') {
		const bounds = (wider.bounds ??= new Map());
		all.forEach((c, i) => bounds.set(isNotAsked(c) ? `${i},0` : `${i},1`, [0, 0]));
	}
	const prot = protectTable({
		...wider,
		cells: all.map((c) => (isNotAsked(c) ? [0, notAsked] : [counts.get(c.key) ?? 0, 0])),
		colTotals: [asked, notAsked],
		grand: asked + notAsked,
		grandShownElsewhere: !cross?.totalHidden,
		min
	});
	const askedHidden = prot.colTotals[0];
	// "Not asked" is both a cell and its column's total in that layout: one number on screen,
	// hidden if either is, and "[c]" if either says so.
	const naIndex = all.findIndex(isNotAsked);
	const naCell = naIndex >= 0 ? prot.cells[naIndex][1] : false;
	const naHidden: Hidden =
		naCell === 'secondary' || prot.colTotals[1] === 'secondary' ? 'secondary' : naCell || prot.colTotals[1];
	const fmt = (n: number, why: Hidden) => (why ? suppressedLabel(min, why) : formatCount(n));
	const rows: Row[] = all.map((c, i) => {
		const n = counts.get(c.key) ?? 0;
		const why = isNotAsked(c) ? naHidden : prot.cells[i][0];
		const p = isNotAsked(c) || askedHidden ? null : pct(n, asked);
		return {
			key: c.key,
			label: c.label,
			kind: c.sentinel ? 'sentinel' : undefined,
			cells: [
				why
					? hiddenCell(min, why)
					: { n, pct: p, text: cellText(n, p, p !== null), href: n > 0 ? hrefFor?.(c.key) : undefined }
			]
		};
	});
	rows.push({
		key: '_asked',
		label: 'Total asked',
		kind: 'total',
		cells: [askedHidden ? hiddenCell(min, askedHidden) : { n: asked, pct: null, text: formatCount(asked) }]
	});
	return {
		id,
		caption,
		rowHeading: caption,
		columns: [{ key: 'n', label: 'Number (% of those asked)' }],
		rows,
		notes: [
			`Percentages are of the ${fmt(asked, askedHidden)} respondents who were asked. ${fmt(notAsked, naHidden)} were not asked (face-to-face responses do not collect equality information) and are not in the percentages.`
		],
		anySuppressed: prot.any,
		chart: 'bar',
		hasPct: true
	};
}
