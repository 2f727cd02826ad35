/**
 * The one shape every analysis table takes (screens, charts, exports and the
 * printed report all render the same TableData), and the pure builders that
 * turn database counts into tables: tallies, cross-tabs, and the theme x group
 * table with its significance marks and tick rule.
 */
import { formatPct, groupVsRest, pct, type Direction } from './stats';
import { suppressGrid, suppressedLabel } from './suppress';

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

function cellText(n: number, p: number | null, showPct: boolean): string {
	return showPct && p !== null ? `${n.toLocaleString('en-GB')} (${formatPct(p)})` : n.toLocaleString('en-GB');
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
	opts: { min: number; denominator?: number; pctOfAnswered?: boolean; notes?: string[]; total?: boolean; chart?: TableData['chart']; countLabel?: string; hrefFor?: (key: string) => string | undefined }
): TableData {
	const sum = items.reduce((s, i) => s + i.n, 0);
	const answered = items.filter((i) => i.kind !== 'sentinel').reduce((s, i) => s + i.n, 0);
	const denominator = opts.denominator ?? (opts.pctOfAnswered ? answered : sum);
	const hidden = suppressGrid(items.map((i) => [i.n]), opts.min, { secondary: opts.total !== false });
	const rows: Row[] = items.map((item, r) => {
		const p = opts.pctOfAnswered && item.kind === 'sentinel' ? pct(item.n, sum) : pct(item.n, denominator);
		return {
			key: item.key,
			label: item.label,
			kind: item.kind,
			cells: [
				hidden[r][0]
					? { n: null, pct: null, text: suppressedLabel(opts.min, item.n), suppressed: true }
					: { n: item.n, pct: p, text: cellText(item.n, p, true), href: opts.hrefFor?.(item.key) }
			]
		};
	});
	if (opts.total !== false) rows.push({ key: '_total', label: 'Total', kind: 'total', cells: [{ n: sum, pct: null, text: sum.toLocaleString('en-GB') }] });
	return {
		id,
		caption,
		rowHeading,
		columns: [{ key: 'n', label: opts.countLabel ?? 'Number' }],
		rows,
		notes: opts.notes ?? [],
		anySuppressed: hidden.some((r) => r[0]),
		chart: opts.chart,
		hasPct: true
	};
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
}

/** A two-way table with totals, row or column percentages and small-cell suppression. */
export function crossTab(input: CrossTabInput): TableData {
	const grid = input.rows.map((r) => input.columns.map((c) => input.count(r.key, c.key)));
	const rowTotal = input.rows.map((r, i) => input.rowTotals?.(r.key) ?? grid[i].reduce((s, n) => s + n, 0));
	const colTotal = input.columns.map((c, j) => input.columnTotals?.(c.key) ?? grid.reduce((s, row) => s + row[j], 0));
	const grand = input.grandTotal ?? rowTotal.reduce((s, n) => s + n, 0);
	const hidden = suppressGrid(grid, input.min);
	const rows: Row[] = input.rows.map((r, i) => ({
		key: r.key,
		label: r.label,
		cells: [
			...input.columns.map((c, j): Cell => {
				if (hidden[i][j]) return { n: null, pct: null, text: suppressedLabel(input.min, grid[i][j]), suppressed: true };
				const n = grid[i][j];
				const p = input.percent === 'row' ? pct(n, rowTotal[i]) : input.percent === 'column' ? pct(n, colTotal[j]) : null;
				return { n, pct: p, text: cellText(n, p, input.percent !== 'none'), href: n > 0 ? input.hrefFor?.(r.key, c.key) : undefined };
			}),
			totalCell(rowTotal[i], input.min, input.percent === 'column' ? pct(rowTotal[i], grand) : null)
		]
	}));
	rows.push({
		key: '_total',
		label: 'Total',
		kind: 'total',
		cells: [
			...colTotal.map((n) => totalCell(n, input.min, input.percent === 'row' ? pct(n, grand) : null)),
			{ n: grand, pct: null, text: grand.toLocaleString('en-GB') }
		]
	});
	return {
		id: input.id,
		caption: input.caption,
		rowHeading: input.rowHeading,
		columns: [...input.columns, { key: '_total', label: 'Total' }],
		rows,
		notes: input.notes ?? [],
		anySuppressed: hidden.some((r) => r.some(Boolean)) || [...rowTotal, ...colTotal].some((n) => n > 0 && n < input.min),
		chart: input.chart,
		hasPct: input.percent !== 'none'
	};
}

function totalCell(n: number, min: number, p: number | null): Cell {
	if (n > 0 && n < min) return { n: null, pct: null, text: suppressedLabel(min), suppressed: true };
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
	const N = groups.reduce((s, g) => s + (input.groupAnswers.get(g.key) ?? 0), 0);
	const grid = themes.map((t) => groups.map((g) => input.counts.get(`${t.id}|${g.key}`) ?? 0));
	const themeTotal = grid.map((row) => row.reduce((s, n) => s + n, 0));
	const hidden = suppressGrid(grid, input.min, { secondary: false });
	const groupRanks = groups.map((_, j) => ranks(grid.map((row) => row[j])));
	const rows: Row[] = themes.map((t, i) => ({
		key: String(t.id),
		label: t.label,
		cells: [
			...groups.map((g, j): Cell => {
				const n = grid[i][j];
				const total = input.groupAnswers.get(g.key) ?? 0;
				const test = groupVsRest({ k: n, n: total, m: themeTotal[i], N });
				const href = n > 0 ? input.hrefFor?.(t.id, g.key) : undefined;
				if (hidden[i][j]) return { n: null, pct: null, text: suppressedLabel(input.min, n), suppressed: true, href };
				const p = pct(n, total);
				return { n, pct: p, text: cellText(n, p, true), href, mark: test.direction };
			}),
			{ n: themeTotal[i], pct: pct(themeTotal[i], N), text: cellText(themeTotal[i], pct(themeTotal[i], N), true), href: themeTotal[i] > 0 ? input.hrefFor?.(t.id, '') : undefined }
		]
	}));
	if (input.uncoded) {
		const un = groups.map((g) => input.uncoded!.get(g.key) ?? 0);
		const sum = un.reduce((s, n) => s + n, 0);
		rows.push({
			key: '_uncoded',
			label: 'No theme yet',
			kind: 'sentinel',
			cells: [
				...groups.map((g, j): Cell => ({ n: un[j], pct: pct(un[j], input.groupAnswers.get(g.key) ?? 0), text: cellText(un[j], pct(un[j], input.groupAnswers.get(g.key) ?? 0), true) })),
				{ n: sum, pct: pct(sum, N), text: cellText(sum, pct(sum, N), true) }
			]
		});
	}
	rows.push({
		key: '_answers',
		label: 'Answers',
		kind: 'total',
		cells: [...groups.map((g) => ({ n: input.groupAnswers.get(g.key) ?? 0, pct: null, text: (input.groupAnswers.get(g.key) ?? 0).toLocaleString('en-GB') })), { n: N, pct: null, text: N.toLocaleString('en-GB') }]
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
		anySuppressed: hidden.some((r) => r.some(Boolean)),
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
					const tick = ticked(grid[i][j], groupRanks[j][i], input.groupAnswers.get(g.key) ?? 0, input.rule);
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
	hrefFor?: (key: string) => string | undefined
): TableData {
	const notAsked = counts.get('not_asked') ?? 0;
	const known = new Set(categories.map((c) => c.key));
	// Values outside the list (e.g. an option retired later) are kept, not dropped.
	const extra = [...counts.keys()].filter((k) => !known.has(k)).map((k) => ({ key: k, label: k, sentinel: false }));
	const all = [...categories.filter((c) => !c.sentinel), ...extra, ...categories.filter((c) => c.sentinel)];
	const asked = all.filter((c) => c.key !== 'not_asked').reduce((s, c) => s + (counts.get(c.key) ?? 0), 0);
	const grid = all.map((c) => [counts.get(c.key) ?? 0]);
	const hidden = suppressGrid(grid, min);
	const rows: Row[] = all.map((c, i) => {
		const n = grid[i][0];
		const p = c.key === 'not_asked' ? null : pct(n, asked);
		return {
			key: c.key,
			label: c.label,
			kind: c.sentinel ? 'sentinel' : undefined,
			cells: [hidden[i][0] ? { n: null, pct: null, text: suppressedLabel(min, n), suppressed: true } : { n, pct: p, text: cellText(n, p, p !== null), href: n > 0 ? hrefFor?.(c.key) : undefined }]
		};
	});
	rows.push({ key: '_asked', label: 'Total asked', kind: 'total', cells: [{ n: asked, pct: null, text: asked.toLocaleString('en-GB') }] });
	return {
		id,
		caption,
		rowHeading: caption,
		columns: [{ key: 'n', label: 'Number (% of those asked)' }],
		rows,
		notes: [
			`Percentages are of the ${asked.toLocaleString('en-GB')} respondents who were asked. ${notAsked.toLocaleString('en-GB')} were not asked (face-to-face responses do not collect equality information) and are not in the percentages.`
		],
		anySuppressed: hidden.some((r) => r[0]),
		chart: 'bar',
		hasPct: true
	};
}
