/**
 * Composes the dashboard's tables from the aggregate queries. The same tables
 * (by id) feed the screens, the chart data, the per-table exports and the report.
 */
import { analysisDb, type Db } from '../db/connect';
import type { ConsultationView } from '../consultations/queries';
import { FACE_TO_FACE_CHANNELS, CHANNELS } from '../../domain/channels';
import { EQUALITY_QUESTIONS, LEFT_BLANK, NOT_ASKED, type EqualityField } from '../../domain/equality';
import { filterQuery, UNKNOWN, type Filters } from '../../analysis/filters';
import {
	channelLabel,
	DIMENSIONS,
	DIMENSION_LABELS,
	EQUALITY_DIMENSION,
	equalityCategories,
	type Dimension
} from '../../analysis/dimensions';
import {
	crossTab,
	equalityTable,
	cellKey,
	formatCount,
	tally,
	themeTables,
	transposeTable,
	type Cell,
	type TableData,
	type TickRule
} from '../../analysis/tables';
import {
	hiddenKeys,
	isSmall,
	type Hidden,
	protectLinked,
	suppressedLabel,
	type Link,
	type ProtectInput,
	type ViewConstraints
} from '../../analysis/suppress';
import { byWeek, weekBucket, weekOf } from '../../analysis/weeks';
import { pct } from '../../analysis/stats';
import * as q from './queries';
import { memoised, memoisedInFamily, scopeOf, type Scope } from './scope';
import { cousinLabels, ownWider, relatedScope, sameConstraints, widerConstraints } from './wider';
import { mergeConstraints } from '../../analysis/siblings';
import { nestedHides, type NestedSlice, type PageDimension } from '../../analysis/nested';
import { blurLabels } from '../../analysis/labels';
import { pageHiddenMargins, pageShownBounds } from '../../analysis/page-hides';
import { datedWeekSide } from '../../analysis/dated-week-side';
import { onlineTotalBounds, onlineTotalOn } from '../../analysis/online-total';
import { weekHiddenMarginsUnsliced, weekOnlineLabels } from '../../analysis/week-hides';
import { notAskedBounds, notAskedWeekBounds, notAskedWeekSideBounds } from '../../analysis/not-asked-bounds';
import { notAskedWeekDecisions, onlineWeekFloors } from '../../analysis/not-asked-week-side';
import { lonelyEqualityPartners } from '../../analysis/lonely-equality-cells';
import { lineFloors, marginFloorBounds, pageFloorBounds } from '../../analysis/margin-floors';
import { staffQuestionText } from '../../domain/questions';
import { envSwitch } from '../../analysis/switches';
import {
	weekFaceToFaceParts,
	weekLineDecisions,
	weekOnlineDecisions,
	weekShownMargins,
	weeksColumnSide,
	weeksOnlineSide,
	weeksTotalPage,
	weeksGrandTotalHidden
} from '../../analysis/week-side';
import { subLineHides } from '../../analysis/sub-line';
import { presenceTight } from '../../analysis/slice-floors';
import { crossMarginBounds, type CrossSource } from '../../analysis/cross-bounds';
import { answeredFloor, onlineFloorLabels } from '../../analysis/online-floor';
import { grandTotalDecision } from '../../analysis/grand-total';
import { structuralKnownOn, structuralZeroBounds } from '../../analysis/structural-zeros';
import { pinnedConstraints, viewFloors, type PairCounts, type ViewFloors } from '../../analysis/pinned-floors';

export const NOT_KNOWN_GROUP = 'Not known';
export const NOT_GIVEN_DISTRICT = 'Not given';

export interface Headline {
	submissions: number;
	perspectives: number;
	online: number;
	faceToFace: number;
	otherChannels: number;
	equalityCompleted: number;
}

export interface Links {
	/** e.g. /admin/c/<slug> */
	base: string;
	filters: Filters;
	/** No links at all: a table built only for its counts (a wider or sibling view, wider.ts), never shown. */
	none?: boolean;
}

/** The links of a table built only for its counts and what it hides (each cell's link was a twentieth of a first filtered report). */
const countsOnly = (l: Links): Links => ({ ...l, none: true });

/**
 * A table builder's result for a scope, once per request (issue #19). The wider and sibling views of a
 * filtered page build the same wider views' tables again and again (each slice of a 48-slice family asks
 * for its wider views' true counts and shown tables, and every family's lines ask for their totals), and
 * each build protected its tables anew. A scope's tables depend only on its filters (counts and
 * threshold: the memo is shared by scopes that differ only in the threshold, so it is in the key), its
 * wider-view constraints (memoised per scope) and the links asked for, so they are built once per scope.
 * Not within a sibling round (siblingRound: the round's constraints change the tables). The tables are
 * never changed after they are built. ANALYSIS_TABLE_MEMO=off builds every time (the A of the bench).
 */
function builtOnce<T>(s: Scope, key: string, l: Links | undefined, work: () => Promise<T>): Promise<T> {
	if (s.siblingRound || envSwitch('ANALYSIS_TABLE_MEMO') === 'off') return work();
	const links = linksKey(l);
	return memoised(s, `table:${key}:${s.filters.min}:${links}`, work);
}

/** The links asked for, as part of a memo key (none, counts only, or where they point). */
function linksKey(l: Links | undefined): string {
	return !l ? '' : l.none ? 'counts' : JSON.stringify([l.base, l.filters]);
}

/** The tables protected together by sharedTotals (districts, channels, locations): what each of their builds reads. */
const SHARED_IDS = ['districts', 'channels', 'locations'];

function reviewHref(l: Links, extra: Record<string, string | number | undefined>) {
	return l.none ? undefined : `${l.base}/review${filterQuery(l.filters, extra)}`;
}

/** The districts table's rows: the consultation's districts, then "Not given" when any. */
function districtItemsOf(c: ConsultationView, districts: { key: string | null; n: number }[]) {
	return [
		...c.districts.map((d) => ({ key: d.code, label: d.label, n: districts.find((r) => r.key === d.code)?.n ?? 0 })),
		...(districts.some((d) => d.key === null)
			? [{ key: UNKNOWN, label: NOT_GIVEN_DISTRICT, n: districts.find((r) => r.key === null)!.n }]
			: [])
	];
}

export function groupItems(c: ConsultationView) {
	return c.groups.map((g) => ({ key: g.code, label: g.label }));
}

export function weekStart(c: ConsultationView, days: (string | null)[]): string {
	if (c.opensAt) return c.opensAt.slice(0, 10);
	const sorted = days.filter((d): d is string => !!d).sort();
	return sorted[0] ?? new Date().toISOString().slice(0, 10);
}

export async function headline(db: Db, s: Scope): Promise<Headline> {
	const [submissions, perspectives, channels, equality] = await Promise.all([
		q.countSubmissions(db, s),
		q.countPerspectives(db, s),
		q.submissionsBy(db, s, 'channel'),
		q.equalitySummary(db, s)
	]);
	const equalityCompleted = equality.completed;
	const by = (keys: readonly string[]) =>
		channels.filter((r) => r.key && keys.includes(r.key)).reduce((t, r) => t + r.n, 0);
	return {
		submissions,
		perspectives,
		online: by(['online']),
		faceToFace: by(FACE_TO_FACE_CHANNELS),
		otherChannels: submissions - by(['online']) - by(FACE_TO_FACE_CHANNELS),
		equalityCompleted
	};
}

export type HeadlineFigures = Record<keyof Headline, string>;

/**
 * The headline figures as shown: each is a total of a table on the same page, so it reads
 * as that table shows it (submissions: the districts' total; perspectives: the respondent
 * types' total). Online, face to face and imported are sums of channel rows: shown only when
 * every row in the sum is. Completed equality questions is hidden when small.
 */
export function headlineFigures(h: Headline, tables: TableData[], min: number): HeadlineFigures {
	const byId = (id: string) => tables.find((t) => t.id === id);
	const total = (id: string, n: number) =>
		byId(id)?.rows.find((r) => r.key === '_total')?.cells[0].text ?? n.toLocaleString('en-GB');
	const channels = byId('channels');
	const sumOf = (keys: (k: string) => boolean, n: number) => {
		const rows = channels?.rows.filter((r) => r.key !== '_total' && keys(r.key)) ?? [];
		if (rows.some((r) => r.cells[0].suppressed)) return HIDDEN_FIGURE;
		return n.toLocaleString('en-GB');
	};
	const isF2f = (k: string) => (FACE_TO_FACE_CHANNELS as readonly string[]).includes(k);
	return {
		submissions: total('districts', h.submissions),
		perspectives: total('groups', h.perspectives),
		online: sumOf((k) => k === 'online', h.online),
		faceToFace: sumOf(isF2f, h.faceToFace),
		otherChannels: sumOf((k) => k !== 'online' && !isF2f(k), h.otherChannels),
		equalityCompleted: isSmall(h.equalityCompleted, min)
			? suppressedLabel(min, 'primary')
			: h.equalityCompleted.toLocaleString('en-GB')
	};
}

/** A headline figure that would give a hidden count away. */
export const HIDDEN_FIGURE = 'not shown';

export async function weeksTable(db: Db, c: ConsultationView, s: Scope): Promise<TableData> {
	return builtOnce(s, 'weeks', undefined, async () => {
		const [rows, wider] = await Promise.all([
			q.submissionsByDayAndChannel(db, s),
			widerConstraints(s, 'weeks', async (w) => [await weeksTable(db, c, w)], db)
		]);
		return sameInputs(s, 'weeks', [wider.get('weeks')], () => weeksOf(c, s, rows, wider.get('weeks')));
	});
}

/** weeksGrid of each scope's rows (the query's result, kept per scope) already read. */
const gridsOfRows = new WeakMap<object, ReturnType<typeof weeksGridOf>>();

/**
 * The weeks table's counts and rows from a scope's day × channel counts, once per scope: a family's rounds build
 * a slice's weeks table again with each round's constraints (issue #19), from the same rows.
 */
function weeksGrid(c: ConsultationView, rows: { a: string | null; b: string | null; n: number }[]) {
	let g = gridsOfRows.get(rows);
	if (!g || g.c !== c) gridsOfRows.set(rows, (g = weeksGridOf(c, rows)));
	return g;
}

function weeksGridOf(c: ConsultationView, rows: { a: string | null; b: string | null; n: number }[]) {
	const start = weekStart(
		c,
		rows.map((r) => r.a)
	);
	const weeks = byWeek(
		rows.map((r) => ({ day: r.a ?? start, key: r.b === 'online' ? 'online' : 'f2f', n: r.n })),
		start
	);
	const list = [...weeks.keys()];
	return { c, start, weeks, rows: list.map((w) => ({ key: String(w), label: weekBucket(w, start).label })) };
}

function weeksOf(
	c: ConsultationView,
	s: Scope,
	rows: { a: string | null; b: string | null; n: number }[],
	cross: ViewConstraints | undefined
): TableData {
	const { start, weeks, rows: weekRows } = weeksGrid(c, rows);
	return crossTab({
		id: 'weeks',
		caption: 'Responses by week, online and face to face',
		rowHeading: 'Week',
		rows: weekRows,
		columns: [
			{ key: 'online', label: 'Online' },
			{ key: 'f2f', label: 'Face to face and other' }
		],
		count: (r, col) => weeks.get(Number(r))?.get(col) ?? 0,
		min: s.filters.min,
		percent: 'none',
		notes: [`Weeks run from ${start}, the consultation's opening date.`],
		chart: 'stacked',
		cross
	});
}

export async function questionsTable(db: Db, c: ConsultationView, s: Scope, l: Links): Promise<TableData> {
	return builtOnce(s, 'questions', l, async () => {
		const [rows, perspectives, wider] = await Promise.all([
			q.answersByQuestion(db, s),
			q.countPerspectives(db, s),
			widerConstraints(s, 'questions', async (w) => [await questionsTable(db, c, w, countsOnly(l))], db)
		]);
		// By question id, the first row of each (as rows.find gave): every wider and sibling view builds this table.
		const byId = new Map<number, number>();
		for (const r of rows) if (!byId.has(r.questionId)) byId.set(r.questionId, r.n);
		return tally(
			'questions',
			'How many answered each question',
			'Question',
			c.questions.map((qq) => ({
				key: qq.key,
				label: `${qq.key.toUpperCase()}. ${staffQuestionText(qq)}`,
				n: byId.get(qq.id) ?? 0
			})),
			{
				min: s.filters.min,
				denominator: perspectives,
				total: false,
				countLabel: 'Answers (% of responses from each perspective)',
				notes: [
					'Face-to-face engagement trees asked one question per session, so face-to-face responses answer only that question.'
				],
				hrefFor: (key) => reviewHref(l, { question: key }),
				chart: 'bar',
				cross: wider.get('questions')
			}
		);
	});
}

export async function groupTables(db: Db, c: ConsultationView, s: Scope, l: Links): Promise<TableData[]> {
	return builtOnce(s, 'groups:labelled', l, async () => {
		const [types, dist, both] = await cousinLabels(s, await groupTablesPre(db, c, s, l), (w) =>
			groupTablesPre(db, c, w, countsOnly(l))
		);
		const small = both.rows.some((r) => r.cells.some((x) => x.suppressed && x.text.startsWith('<')));
		if (!slicedBy(s.filters) || s.filters.min <= 0 || !small) return [types, dist, both];
		// "Respondent types by district" of a sliced view reads as its page tables read the same counts (pageLabels).
		const [groups, districts] = await Promise.all([
			q.perspectivesByGroup(db, s),
			q.submissionsBy(db, s, 'district_code')
		]);
		const rows = both.rows.filter((r) => !r.key.startsWith('_'));
		const columns = both.columns.filter((x) => !x.key.startsWith('_'));
		const truth = await q.crossCounts(db, s, 'group', 'district');
		const k = (v: string | null) => v ?? UNKNOWN;
		const counts = new Map(truth.rows.map((r) => [`${k(r.a)}|${k(r.b)}`, r.n]));
		const keys = pageLabels(rows, columns, (g, d) => counts.get(`${g}|${d}`) ?? 0, {
			rows: pageTable(types, groups),
			columns: pageTable(dist, districts)
		});
		return [types, dist, blurLabels(both, keys, s.filters.min)];
	});
}

/** The groups, districts and "Respondent types by district" tables as protected, before cousinLabels. */
function groupTablesPre(db: Db, c: ConsultationView, s: Scope, l: Links): Promise<TableData[]> {
	return builtOnce(s, 'groups', l, async () => {
		const [groups, districts, cross, submissions, channels, locations, sessions, locationNames] = await Promise.all([
			q.perspectivesByGroup(db, s),
			q.submissionsBy(db, s, 'district_code'),
			q.crossCounts(db, s, 'group', 'district'),
			q.countSubmissions(db, s),
			q.submissionsBy(db, s, 'channel'),
			// The district table's suppression is decided with the channel and location tables (sharedTotals).
			q.submissionsBy(db, s, 'location_id'),
			q.sessionsByLocation(db, s),
			locationNamesOf(db, s)
		]);
		const wider = await sharedWider(db, c, s, l);
		const groupList = [
			...groupItems(c),
			...(groups.some((g) => g.key === null) ? [{ key: UNKNOWN, label: NOT_KNOWN_GROUP }] : [])
		];
		const districtList = districtItemsOnce(c, districts);
		const k = (v: string | null) => v ?? UNKNOWN;
		const overlap =
			'One submission can count under several respondent types (someone can answer as a young person and as a parent, from each perspective), so the types add up to more than the number of submissions.';
		// The types add up to the perspectives (shown as the headline figure), so they get that total.
		// Each table once per set of constraints it reads (sameInputs): a sibling round rebuilds the slice's
		// every table when one of them changed (issue #19).
		const linked = linksKey(l);
		const types = sameInputs(s, `groups:${linked}`, [wider.get('groups')], () =>
			tally(
				'groups',
				'Respondent types',
				'Respondent type',
				groupList.map((g) => ({ key: g.key, label: g.label, n: groups.find((r) => k(r.key) === g.key)?.n ?? 0 })),
				{
					min: s.filters.min,
					denominator: submissions,
					countLabel: 'Number (% of submissions)',
					notes: [overlap],
					hrefFor: (key) => reviewHref(l, { group: key }),
					chart: 'bar',
					cross: wider.get('groups')
				}
			)
		);
		const districtItems = districtList;
		const shared = SHARED_IDS.map((id) => wider.get(id));
		const dist = sameInputs(s, `districts:${linked}`, shared, () =>
			tally('districts', 'Districts', 'District', districtItems, {
				min: s.filters.min,
				countLabel: 'Submissions',
				hrefFor: (key) => reviewHref(l, { district: key }),
				chart: 'bar',
				hidden: sharedTotalsOf(
					s,
					districtItems,
					channelItems(channels),
					locationRows(locations, sessions, locationNames).counts,
					wider
				).districts
			})
		);
		const counts = new Map(cross.rows.map((r) => [`${k(r.a)}|${k(r.b)}`, r.n]));
		const count = (g: string, d: string) => counts.get(`${g}|${d}`) ?? 0;
		// A cell nested in one value of the channel is hidden (nestedCells: true counts only, so no cycle).
		const nested = slicedBy(s.filters)
			? undefined
			: await nestedCells(db, s, 'group', 'district', groupList, districtList, count);
		// In a sliced view it hides the margins the two tables above hide (pageHiddenMargins; issue #11, week seed 196).
		const sides = { rows: pageTable(types, groups), columns: pageTable(dist, districts) };
		const pageHides =
			slicedBy(s.filters) && pageHidesOn() ? pageHiddenMargins(groupList, districtList, count, sides) : undefined;
		// Outside a sliced view its margins are decided by the two tables above (marginsOf), so it reads their constraints too.
		const bothReads = slicedBy(s.filters)
			? [wider.get('groups-districts'), pageHides]
			: [wider.get('groups-districts'), nested, wider.get('groups'), ...shared];
		const both = sameInputs(s, `groups-districts:${linked}`, bothReads, () =>
			crossTab({
				id: 'groups-districts',
				caption: 'Respondent types by district',
				rowHeading: 'Respondent type',
				rows: groupList,
				columns: districtList.map((d) => ({ key: d.key, label: d.label })),
				count,
				min: s.filters.min,
				percent: 'row',
				notes: [overlap, 'Percentages are of the row (the respondent type).'],
				hrefFor: (g, d) => reviewHref(l, { group: g, district: d }),
				cross: slicedBy(s.filters)
					? mergeConstraints(wider.get('groups-districts'), pageHides)
					: mergeConstraints(
							mergeConstraints(wider.get('groups-districts'), pageZeros(groupList, districtList, count)),
							nested
						),
				decided: slicedBy(s.filters) ? undefined : marginsOf(groupList, districtList, count, sides, s.filters.min)
			})
		);
		return [types, dist, both];
	});
}

/**
 * The filter that cuts a view into sibling slices (wider.ts siblingFamily), if any. groupMarginsOf applies only
 * to views without one: in a sliced view the cross-tabs then took shown zeros as partners, which the family of
 * slices pinned (22 zeros on the random audit's seed 1); a family's slices already hide one pattern (siblings.ts).
 */
const slicedBy = (f: Filters) => f.group ?? f.district ?? f.channel ?? f.from ?? f.to ?? f.question;

/**
 * A one-way table of a view whose rows are pages (groups, districts, channels: each value has a view of its
 * own, filtered to it), with its true counts: the table a cross-tab of the same view with that dimension shares
 * its margins with.
 */
interface PageTable {
	table: TableData;
	/** The true count of a row (0 for a value the table does not count). */
	n: (key: string) => number;
	total: number;
	/**
	 * An equality table (equalityPageOf): its values are no pages, so a margin of another count (a gender's
	 * perspectives beside its submissions) is not known from it; only a margin of the same count reads as it reads.
	 */
	equality?: boolean;
}

/**
 * How a cross-tab's margins read where a dimension's values are pages (ProtectInput.decided, closed-grid keys):
 * one rule for the group, district and channel dimensions, on either side of the cross-tab. A margin whose true
 * count is the one-way table's (a group's perspectives in "Respondent types", a channel's submissions in
 * "Responses by channel", a district's in "Districts") reads as that table reads it, and so does the grand total
 * where it is that table's total: the one-way table chooses the partners of those counts once per view, and every
 * cross-tab protects its cells around them (issue #11, seed 1: the groups table hid practitioner 10 as a partner
 * while its cross-tabs showed it, so 46 - 13 - 15 - 10 = 8 pinned two "<5"; seed 9: "Responses by channel" hid
 * its total with online's "<5" while "District by channel" hid school's 5 and showed the total, so 61 - 32 - 5 - 20
 * pinned online at 4). A margin of min or more that no one-way table of the view shows (a channel's perspectives
 * in "Respondent group by channel") is that value's page's total (the channel's groups table shows it), so it is
 * known: shown here, never a partner (seed 9: the cross-tab hid school's 5 perspectives, which the school page's
 * groups table shows, beside online's "<5"), but only where the one-way table shows that value's own count; where
 * it hides it, the margin is left to the cross-tab (seed 1: online's 6 perspectives decided shown beside the grand
 * total, while the channels table hid online, left library's column total 4 with no partner). A small one is left
 * to the cross-tab.
 */
function marginsOf(
	rows: { key: string }[],
	columns: { key: string }[],
	count: (row: string, col: string) => number,
	sides: { rows?: PageTable; columns?: PageTable },
	min: number
): Map<string, Hidden> {
	const out = new Map<string, Hidden>();
	const R = rows.length;
	const C = columns.length;
	const readAs = (t: TableData, key: string): Hidden | undefined => {
		const cell = t.rows.find((r) => r.key === key)?.cells[0];
		if (!cell) return undefined;
		return cell.suppressed ? (cell.text.startsWith('<') ? 'primary' : 'secondary') : false;
	};
	const margin = (page: PageTable | undefined, key: string, n: number): Hidden | undefined => {
		if (!page) return undefined;
		const shown = readAs(page.table, key);
		if (page.n(key) === n) return shown;
		return n >= min && shown === false && !page.equality ? false : undefined;
	};
	let grand = 0;
	rows.forEach((r, i) => {
		const n = columns.reduce((t, c) => t + count(r.key, c.key), 0);
		grand += n;
		const d = margin(sides.rows, r.key, n);
		if (d !== undefined) out.set(`${i},${C}`, d);
	});
	columns.forEach((c, j) => {
		const n = rows.reduce((t, r) => t + count(r.key, c.key), 0);
		const d = margin(sides.columns, c.key, n);
		if (d !== undefined) out.set(`${R},${j}`, d);
	});
	const g = [sides.rows, sides.columns].find((p) => p && p.total === grand && !p.equality);
	// An equality table has no total row: its "Not asked" and "Total asked" both shown publish the grand total.
	const e = [sides.rows, sides.columns].find((p) => p?.equality && p.total === grand);
	const d = g
		? readAs(g.table, '_total')
		: e && readAs(e.table, NOT_ASKED) === false && readAs(e.table, '_asked') === false
			? false
			: undefined;
	if (d !== undefined) out.set(`${R},${C}`, d);
	// A small margin left to the cross-tab beside a shown grand total and its side's other margins all decided
	// shown is pinned by subtraction (seed 20: online's 4 perspectives = 51 - 12 - 19 - 16): leave that side's
	// shown margins to the cross-tab too, so that it can choose a partner.
	if (out.get(`${R},${C}`) === false)
		for (const [len, key, values, sum] of [
			[R, (i: number) => `${i},${C}`, rows, (r: string) => columns.reduce((t, c) => t + count(r, c.key), 0)],
			[C, (j: number) => `${R},${j}`, columns, (c: string) => rows.reduce((t, r) => t + count(r.key, c), 0)]
		] as const) {
			const keys = Array.from({ length: len }, (_, i) => key(i));
			const small = keys.filter((k, i) => !out.has(k) && sum(values[i].key) > 0 && sum(values[i].key) < min);
			const open = keys.filter((k) => !out.has(k) || out.get(k) !== false);
			if (small.length > 0 && open.length === small.length)
				for (const k of keys) if (out.get(k) === false) out.delete(k);
		}
	if (marginPartners() && out.get(`${R},${C}`) === false)
		for (const [len, key, values, sum, page] of [
			[
				R,
				(i: number) => `${i},${C}`,
				rows,
				(r: string) => columns.reduce((t, c) => t + count(r, c.key), 0),
				sides.rows
			],
			[
				C,
				(j: number) => `${R},${j}`,
				columns,
				(c: string) => rows.reduce((t, r) => t + count(r.key, c), 0),
				sides.columns
			]
		] as const) {
			if (!page) continue;
			// A margin decided hidden by its one-way table, beside a grand total decided shown by the other side's table
			// and every other margin of its side decided shown, has no partner on this side (its table's partner, the
			// districts' total, is not this count's total): leave to the cross-tab the margins of min or more decided
			// shown only as "known from their page" (not the one-way table's count), so that it can hide one, and that
			// page hides its total with it (wider.ts crossTabLines).
			const keys = Array.from({ length: len }, (_, i) => key(i));
			const hidden = keys.filter((k, i) => out.get(k) && sum(values[i].key) > 0);
			const open = keys.filter((k) => !out.has(k) || out.get(k) !== false);
			if (hidden.length === 0 || open.length !== hidden.length) continue;
			keys.forEach((k, i) => {
				const n = sum(values[i].key);
				if (out.get(k) === false && n >= min && page.n(values[i].key) !== n) out.delete(k);
			});
		}
	return out;
}

/**
 * marginsOf's rule for a margin decided hidden with no partner on its side (issue #11, the random audit's seed 70);
 * ANALYSIS_MARGIN_PARTNERS=off leaves it out (A/B runs and the tests' proof).
 */
const marginPartners = () => envSwitch('ANALYSIS_MARGIN_PARTNERS') !== 'off';

/**
 * A cross-tab's zero cells as known (bounds [0, 0]), where a dimension's values are pages (with `decided` from
 * marginsOf): a zero at a group's row is a zero that group's own page shows in its table of the other dimension
 * (or a row it leaves out), so it is never a partner here (issue #11, seed 9: "Respondent group by channel" hid
 * child's 0 at school as a partner, which the school page's groups table shows). The page protects its own
 * counts knowing what this cross-tab shows (wider.ts crossTabLines).
 */
function pageZeros(
	rows: { key: string }[],
	columns: { key: string }[],
	count: (row: string, col: string) => number
): ViewConstraints {
	const bounds = new Map<string, [number, number]>();
	for (const r of rows)
		for (const c of columns) if (count(r.key, c.key) === 0) bounds.set(cellKey(r.key, c.key), [0, 0]);
	return { hide: new Set(), bounds };
}

/** pageHiddenMargins in sliced views' "Respondent types by district"; ANALYSIS_PAGE_HIDES=off leaves it out (A/B, proofs). */
const pageHidesOn = () => envSwitch('ANALYSIS_PAGE_HIDES') !== 'off';
/**
 * pageHiddenMargins in sliced views' generic cross-tabs (crossTabTable: "District by channel", "Respondent group by
 * district", "Week by channel", ...; issue #11, week seed 7); ANALYSIS_CROSSTAB_PAGE_HIDES=off leaves it out (A/B, proofs).
 */
const crossTabPageHidesOn = () => envSwitch('ANALYSIS_CROSSTAB_PAGE_HIDES') !== 'off';
/**
 * The view's equality table as the page side of an equality dimension in sliced views' generic cross-tabs ("Channel
 * by gender", "Location by ethnicity", ...; issue #11, week seed 1 with every pair, dis37);
 * ANALYSIS_CROSSTAB_EQUALITY_HIDES=off leaves it out (A/B, proofs).
 */
const crossTabEqualityHidesOn = () => envSwitch('ANALYSIS_CROSSTAB_EQUALITY_HIDES') !== 'off';
/**
 * The view's equality table as the page side of an equality dimension for a sliced view's cross-tab labels too
 * (pageLabels; issue #11, dis38); ANALYSIS_CROSSTAB_EQUALITY_LABELS=off reads the page tables alone (A/B, proofs).
 */
const crossTabEqualityLabelsOn = () => envSwitch('ANALYSIS_CROSSTAB_EQUALITY_LABELS') !== 'off';

/**
 * What the view's page and equality tables show of a sliced view's cross-tab margins, as bounds for its protection
 * (page-hides.ts pageShownBounds; issue #11, week seed 17 with every pair, dis41). On by default since dis49, which
 * left out the views where nobody was asked (the face-to-face channel's: its sides bounded "Age band by gender" to
 * zeros that the family hid; tests/disclosure-server.test.ts). ANALYSIS_CROSSTAB_SHOWN_MARGINS=off leaves it out.
 */
const crossTabShownMarginsOn = () => envSwitch('ANALYSIS_CROSSTAB_SHOWN_MARGINS') !== 'off';

/** nestedCells; ANALYSIS_NESTED_CELLS=off leaves the cross-tabs without it (A/B runs and the tests' proof). */
const nestedRule = () => envSwitch('ANALYSIS_NESTED_CELLS') !== 'off';
/**
 * The rest of a cross-tab line nested in one value of the third dimension (analysis/nested.ts, issue #11 seed 176);
 * ANALYSIS_NESTED_RESTS=off leaves it out (A/B runs and the tests' proof). Read at each use.
 */
const nestedRests = () => envSwitch('ANALYSIS_NESTED_RESTS') !== 'off';

/** The filter of each dimension whose values are pages (a view filtered to one value of it). */
const PAGE_FILTERS: Partial<Record<Dimension, 'group' | 'district' | 'channel'>> = {
	group: 'group',
	district: 'district',
	channel: 'channel'
};

/** A page dimension's true counts in a scope, as its one-way table counts them (perspectives for the groups). */
async function pageCounts(db: Db, s: Scope, d: Dimension): Promise<Map<string, number>> {
	const rows =
		d === 'group'
			? await q.perspectivesByGroup(db, s)
			: await q.submissionsBy(db, s, d === 'district' ? 'district_code' : 'channel');
	const out = new Map<string, number>();
	for (const r of rows) out.set(r.key ?? UNKNOWN, (out.get(r.key ?? UNKNOWN) ?? 0) + r.n);
	return out;
}

/**
 * Cells of an unfiltered cross-tab of two page dimensions that lie wholly inside one value of the third (issue #11,
 * the random audit's seeds 23 and 43). Of district, respondent type and channel, each pair's cross-tab is a margin
 * of the three-way table, and the pages of two filters publish its slices. Where every submission of a cross-tab
 * cell (Wychavon × online: 6) is of one value of the third dimension (every one an "other" respondent: the other
 * types' online pages show Wychavon 0, and each empty page of three filters says so), the cell is a count of that
 * value's page too, and nested in that page's own count of each side (the "other" page's Wychavon 7): shown beside
 * it, the difference (7 − 6 = 1: the other respondents of Wychavon who came by another channel) is read off, as a
 * wider view's count less a narrower's would be (suppress.ts widerViewConstraints). The slices of two filters
 * cannot hide it: both counts are one-filter margins, fixed for them (seed 23: `group=other&channel=event`'s
 * Wychavon 1; seed 43: `district=wyre-forest&channel=event`'s practitioners 4, from 12 − 8). So the cross-tab
 * hides the nested cell ("[c]", a partner found as for any hidden count), and the pages that are its lines follow
 * it (wider.ts crossTabLines: a count the cross-tab reads "[c]" is hidden in the line). True counts only (the view
 * with no filter, whose tables read no other view's protection: no cycle). Where the difference is zero the two
 * counts are the same count, shown or hidden alike; nothing to do. The same for the rest of a line outside a cell
 * nested in one value (seed 176: analysis/nested.ts nestedHides; ANALYSIS_NESTED_RESTS=off leaves it out).
 */
function nestedCells(
	db: Db,
	s: Scope,
	a: Dimension,
	b: Dimension,
	rows: { key: string }[],
	columns: { key: string }[],
	count: (row: string, col: string) => number
): Promise<ViewConstraints | undefined> {
	const min = s.filters.min;
	const filtered = Object.entries(s.filters).some(([k, v]) => k !== 'min' && v !== undefined);
	const third = (['group', 'district', 'channel'] as const).find((d) => d !== a && d !== b);
	if (!nestedRule() || min <= 0 || filtered || !PAGE_FILTERS[a] || !PAGE_FILTERS[b] || !third)
		return Promise.resolve(undefined);
	return memoised(s, `nested:${a}:${b}:${min}:${nestedRests()}`, async () => {
		const values =
			third === 'group'
				? [...(s.groups ?? []), UNKNOWN]
				: third === 'district'
					? [...(s.districts ?? []), UNKNOWN]
					: [...CHANNELS];
		// Each value of the third dimension: its page's cross-tab counts and its own counts of each side.
		const slices: NestedSlice[] = [];
		for (const v of values) {
			const scope = relatedScope(s, { min: 0, [third]: v } as Filters);
			const [cross, sideA, sideB] = await Promise.all([
				q.crossCounts(db, scope, a, b),
				pageCounts(db, scope, a),
				pageCounts(db, scope, b)
			]);
			const inner = new Map<string, number>();
			for (const r of cross.rows) {
				const k = cellKey(r.a ?? UNKNOWN, r.b ?? UNKNOWN);
				inner.set(k, (inner.get(k) ?? 0) + r.n);
			}
			slices.push({ inner, sideA, sideB });
		}
		const dims = { a: a as PageDimension, b: b as PageDimension, third };
		const hide = nestedHides(dims, rows, columns, count, slices, min, {
			cells: true,
			rests: nestedRests()
		});
		return hide.size ? { hide, bounds: new Map() } : undefined;
	});
}

/** A page table's true counts by key (null read as UNKNOWN), several rows of one key added up. */
function pageTable(table: TableData, counts: { key: string | null; n: number }[]): PageTable {
	const by = new Map<string, number>();
	for (const r of counts) by.set(r.key ?? UNKNOWN, (by.get(r.key ?? UNKNOWN) ?? 0) + r.n);
	return { table, n: (key) => by.get(key) ?? 0, total: counts.reduce((t, r) => t + r.n, 0) };
}

/** The page table of a dimension in scope `s` (the same view's groups, districts or channels table), if it has one. */
async function pageTableOf(db: Db, c: ConsultationView, s: Scope, d: Dimension): Promise<PageTable | undefined> {
	const none: Links = { base: '', filters: s.filters, none: true };
	if (d === 'group') {
		const [[types], groups] = await Promise.all([groupTables(db, c, s, none), q.perspectivesByGroup(db, s)]);
		return pageTable(types, groups);
	}
	if (d === 'district') {
		const [[, dist], districts] = await Promise.all([
			groupTables(db, c, s, none),
			q.submissionsBy(db, s, 'district_code')
		]);
		return pageTable(dist, districts);
	}
	if (d === 'channel') {
		const [[channels], counts] = await Promise.all([channelTables(db, c, s, none), q.submissionsBy(db, s, 'channel')]);
		return pageTable(channels, counts);
	}
	return undefined;
}

/**
 * The equality table of an equality dimension in scope `s` (the table the view shows, with its true counts; its
 * "Total asked" as `n('_asked')`), if `d` is one: a sliced cross-tab's page side (page-hides.ts).
 */
async function equalityPageOf(db: Db, s: Scope, d: Dimension): Promise<PageTable | undefined> {
	const f = EQUALITY_DIMENSION[d];
	if (!f) return undefined;
	const [tables, summary] = await Promise.all([equalityTables(db, s), q.equalitySummary(db, s)]);
	const table = tables.find((t) => t.id === EQUALITY_TABLE_IDS[f]);
	if (!table) return undefined;
	const counts = [...summary.margins[f]].map(([key, n]) => ({ key, n }));
	const side = pageTable(table, counts);
	const asked = counts.filter((r) => r.key !== NOT_ASKED).reduce((t, r) => t + r.n, 0);
	return { ...side, n: (key) => (key === '_asked' ? asked : side.n(key)), equality: true };
}

/**
 * The wider-view constraints of the group and channel tables together (wider.ts): the
 * districts, channels and locations tables are protected together (sharedTotals), so both
 * pages that show them need the constraints of all three.
 */
async function sharedWider(db: Db, c: ConsultationView, s: Scope, l: Links): Promise<Map<string, ViewConstraints>> {
	// One builder for both (their tables are protected together, so their sibling views must be too).
	const [wider, floors, pageFloors] = await Promise.all([
		widerConstraints(
			s,
			'groups+channels',
			async (w) => [...(await groupTables(db, c, w, countsOnly(l))), ...(await channelTables(db, c, w, countsOnly(l)))],
			db
		),
		weeksDistrictFloors(db, c, s),
		pageFloorsOf(db, c, s)
	]);
	if (!floors && !pageFloors.size) return wider;
	const out = new Map(wider);
	if (floors) out.set('channels', mergeConstraints(out.get('channels'), floors)!);
	for (const [id, v] of pageFloors) out.set(id, mergeConstraints(out.get(id), v)!);
	return out;
}

/**
 * The channels table of the view without a filter hides its online row where the weeks table's online column is
 * pinned by the districts' lower bounds (slice-floors.ts presenceTight; issue #11, the random audit's seed 417): that
 * row is the column's total (the weeks table follows it: wider.ts weeksFromChannels), so hidden, with the partner
 * the channels table's protection chooses, the weeks have room again. Read from the true counts (the view's and each
 * district's days by channel), once per scope. ANALYSIS_WEEKS_DISTRICT_FLOORS=off leaves it out (before). Read at use.
 */
function weeksDistrictFloors(db: Db, c: ConsultationView, s: Scope): Promise<ViewConstraints | undefined> {
	const f = s.filters;
	if (envSwitch('ANALYSIS_WEEKS_DISTRICT_FLOORS') === 'off' || f.min <= 0) return Promise.resolve(undefined);
	if (slicedBy(f) !== undefined || f.theme !== undefined) return Promise.resolve(undefined);
	return memoised(s, `weeks-district-floors:${f.min}`, async () => {
		const { start, weeks } = weeksGrid(c, await q.submissionsByDayAndChannel(db, s));
		const present = new Map<number, number>();
		for (const d of [...c.districts.map((x) => x.code), UNKNOWN]) {
			const rows = await q.submissionsByDayAndChannel(db, relatedScope(s, { ...f, district: d }));
			const seen = new Set<number>();
			for (const r of rows) if (r.b === 'online' && r.n > 0) seen.add(weekOf(r.a ?? start, start));
			for (const w of seen) present.set(w, (present.get(w) ?? 0) + 1);
		}
		const column = [...weeks].map(([w, m]) => ({ n: m.get('online') ?? 0, present: present.get(w) ?? 0 }));
		if (!presenceTight(column, f.min)) return undefined;
		return { hide: new Set([cellKey('online', 'n')]), bounds: new Map() };
	});
}

/**
 * What the wider views (and the lines of wider cross-tabs, and the same view's other rules) alone ask of the
 * districts, channels and locations tables of this view: sharedWider without the sibling families (wider.ts
 * ownWider, the same memo). Read by a filtered view's weeks table (wider.ts weeksFromChannels), whose protection
 * the channels table's does not read, so no cycle.
 */
export function sharedOwnWider(db: Db, c: ConsultationView, s: Scope): Promise<Map<string, ViewConstraints>> {
	const page = relatedScope(s, s.filters);
	const l: Links = { base: '', filters: s.filters, none: true };
	return ownWider(
		page,
		'groups+channels',
		async (w) => [...(await groupTables(db, c, w, l)), ...(await channelTables(db, c, w, l))],
		db
	);
}

/** The tables of a scope's memo built with given constraints, by table key (sameInputs). */
const tablesByInputs = new WeakMap<
	Map<string, Promise<unknown>>,
	Map<string, { constraints: (ViewConstraints | undefined)[]; out: unknown }[]>
>();

/**
 * A table of this scope built with these constraints (its wider views' and, within a sibling round, the
 * round's), once per request: a sibling family's rounds rebuild a slice's every table when any of its
 * tables' constraints changed, and most are then built with the constraints they had (issue #19). The
 * scope's counts are fixed within a request, so equal constraints give the same table. `key` names the
 * table, its threshold and its links. The constraints are compared member by member with those of each
 * earlier build of the table (wider.ts sameConstraints; a text of them all was 1.5 MB of strings a
 * request). ANALYSIS_TABLE_MEMO=off builds every time.
 */
function sameInputs<T>(s: Scope, key: string, constraints: (ViewConstraints | undefined)[], work: () => T): T {
	if (envSwitch('ANALYSIS_TABLE_MEMO') === 'off') return work();
	s.memo ??= new Map();
	let byKey = tablesByInputs.get(s.memo);
	if (!byKey) tablesByInputs.set(s.memo, (byKey = new Map()));
	const k = `${key}:${s.filters.min}`;
	let built = byKey.get(k);
	if (!built) byKey.set(k, (built = []));
	for (const b of built)
		if (
			b.constraints.length === constraints.length &&
			b.constraints.every((c, i) => sameConstraints(c, constraints[i]))
		)
			return b.out as T;
	const out = work();
	built.push({ constraints, out });
	return out;
}

/** Constraints given by cell key, placed at grid keys (several cells can name one entry: bounds intersect). */
function placeConstraints(
	into: Pick<ProtectInput, 'mustHide' | 'bounds' | 'blur'>,
	v: ViewConstraints | undefined,
	at: [string, string][]
) {
	if (!v) return;
	into.mustHide ??= new Set();
	into.bounds ??= new Map();
	into.blur ??= new Set();
	for (const [key, grid] of at) {
		if (v.hide.has(key)) into.mustHide.add(grid);
		if (v.blur?.has(key)) into.blur.add(grid);
		const b = v.bounds.get(key);
		if (!b) continue;
		const had = into.bounds.get(grid);
		into.bounds.set(grid, had ? [Math.max(had[0], b[0]), Math.min(had[1], b[1])] : b);
	}
}

/**
 * The parts of a scope's tables made from its query rows alone (the channels', districts' and locations' rows, and
 * sharedTotals' key), once per rows read (issue #19, dash37): every build of a slice's group and channel tables made
 * them again (381 location tables' rows a child + Bromsgrove request, each a walk of every location name over every
 * row), from the same rows (the scope's memoised reads, never changed). Read only. ANALYSIS_PART_MEMO=off makes them
 * at each build, as before (read at use).
 */
const partMemoOn = () => envSwitch('ANALYSIS_PART_MEMO') !== 'off';

/** `make(rows)` once per rows array (and `also`, a second object it reads: the consultation, the sessions). */
function partOf<R extends object, A extends object, T>(
	memo: WeakMap<R, { also: A; out: T }[]>,
	rows: R,
	also: A,
	make: () => T
): T {
	if (!partMemoOn()) return make();
	let list = memo.get(rows);
	if (!list) memo.set(rows, (list = []));
	for (const x of list) if (x.also === also) return x.out;
	const out = make();
	list.push({ also, out });
	return out;
}

const channelItemsMemo = new WeakMap<object, { also: object; out: ReturnType<typeof channelItemsOf> }[]>();
const districtItemsMemo = new WeakMap<object, { also: object; out: ReturnType<typeof districtItemsOf> }[]>();
const locationRowsMemo = new WeakMap<
	object,
	{ also: { sessions: object; names: object }; out: ReturnType<typeof locationRowsOf> }[]
>();
/** sharedTotalsOf's key text of each districts', channels' and locations' rows (made once each: partOf). */
const sharedKeyMemo = new WeakMap<object, { also: object; out: WeakMap<object, string> }[]>();
/** channelItems reads its rows alone. */
const NOTHING = {};

/** The channels shown (those with any submissions), in the usual order. */
function channelItems(channels: { key: string | null; n: number }[]) {
	return partOf(channelItemsMemo, channels, NOTHING, () => channelItemsOf(channels));
}

/** The districts table's rows of a scope's rows read (districtItemsOf), once per rows read. */
function districtItemsOnce(c: ConsultationView, districts: { key: string | null; n: number }[]) {
	return partOf(districtItemsMemo, districts, c, () => districtItemsOf(c, districts));
}

function channelItemsOf(channels: { key: string | null; n: number }[]) {
	return CHANNELS.map((ch) => ({
		key: ch as string,
		label: channelLabel(ch),
		n: channels.find((r) => r.key === ch)?.n ?? 0
	})).filter((r) => r.n > 0);
}

/**
 * Districts and channels are two breakdowns of the same submissions and both show that
 * total (as does the headline), so their suppression is decided together: as the margins of
 * a district × channel table whose inner cells are not shown. The location table publishes
 * two of the same counts again: its "No location (online)" row is treated as the online
 * channel (the same respondents when, as usual, only online submissions have no location;
 * treating them as one count can only hide more), and its total is every submission. So the
 * three are protected together (suppress.ts protectLinked): a count hidden in one is hidden
 * in the others, and each is protected with it hidden. Both pages that show them call this
 * with the same counts, so they agree.
 */
export function sharedTotals(
	districts: { key: string; n: number }[],
	channels: { key: string; n: number }[],
	min: number,
	locations: { key: string; n: number }[] = [],
	wider?: Map<string, ViewConstraints>
) {
	const total = districts.reduce((t, d) => t + d.n, 0);
	const margins: ProtectInput = {
		cells: districts.map(() => channels.map(() => undefined)),
		rowTotals: districts.map((d) => d.n),
		colTotals: channels.map((ch) => ch.n),
		grand: total,
		min
	};
	const loc: ProtectInput = {
		cells: locations.map((l) => [l.n]),
		colTotals: [locations.reduce((t, l) => t + l.n, 0)],
		min
	};
	// What wider views make the three tables hide, placed in these grids (the district and
	// channel tables are the margins; each one's total is the grand total).
	const R = districts.length;
	const C = channels.length;
	const inTally = (id: string, items: { key: string }[], grid: (i: number) => string) =>
		placeConstraints(margins, wider?.get(id), [
			...items.map((x, i): [string, string] => [cellKey(x.key, 'n'), grid(i)]),
			[cellKey('_total', 'n'), `${R},${C}`]
		]);
	inTally('districts', districts, (i) => `${i},${C}`);
	inTally('channels', channels, (j) => `${R},${j}`);
	placeConstraints(loc, wider?.get('locations'), [
		...locations.map((x, i): [string, string] => [cellKey(x.key, 'responses'), `${i},0`]),
		[cellKey('_total', 'responses'), `${locations.length},0`]
	]);
	const links: Link[] = [];
	const online = channels.findIndex((ch) => ch.key === 'online');
	const noLocation = locations.findIndex((l) => l.key === UNKNOWN);
	if (locations.length > 0) {
		links.push({ a: 0, at: [districts.length, channels.length], b: 1, bt: [locations.length, 0] });
		if (online >= 0 && noLocation >= 0) links.push({ a: 0, at: [districts.length, online], b: 1, bt: [noLocation, 0] });
	}
	const [p, l] = protectLinked(locations.length > 0 ? [margins, loc] : [margins], links);
	return {
		districts: [...p.rowTotals, p.grand],
		channels: [...p.colTotals, p.grand],
		locations: l ? hiddenKeys(l) : new Set<string>()
	};
}

/**
 * sharedTotals for a scope's counts (the same in both of its callers) with these constraints: the group and
 * channel pages' tables each ask for it, in every build of every slice (sameInputs).
 */
function sharedTotalsOf(
	s: Scope,
	districts: { key: string; n: number }[],
	channels: { key: string; n: number }[],
	locations: { key: string; n: number }[],
	wider: Map<string, ViewConstraints>
): ReturnType<typeof sharedTotals> {
	const ids = ['districts', 'channels', 'locations'];
	// The rows are made once per rows read (partOf), so their text once per three of them.
	const byLocations = partOf(sharedKeyMemo, districts, channels, () => new WeakMap<object, string>());
	let key = partMemoOn() ? byLocations.get(locations) : undefined;
	if (key === undefined) {
		key = JSON.stringify([districts, channels, locations]);
		if (partMemoOn()) byLocations.set(locations, key);
	}
	return sameInputs(
		s,
		`shared-totals:${key}`,
		ids.map((id) => wider.get(id)),
		() => sharedTotals(districts, channels, s.filters.min, locations, wider)
	);
}

/** The location table's rows: every location with responses or sessions, then "No location (online)". */
function locationRows(
	locations: { key: string | null; n: number }[],
	sessions: { key: string | null; n: number }[],
	names: { id: number; name: string }[]
) {
	if (!partMemoOn()) return locationRowsOf(locations, sessions, names);
	let list = locationRowsMemo.get(locations);
	if (!list) locationRowsMemo.set(locations, (list = []));
	for (const x of list) if (x.also.sessions === sessions && x.also.names === names) return x.out;
	const out = locationRowsOf(locations, sessions, names);
	list.push({ also: { sessions, names }, out });
	return out;
}

function locationRowsOf(
	locations: { key: string | null; n: number }[],
	sessions: { key: string | null; n: number }[],
	names: { id: number; name: string }[]
) {
	const used = names.filter(
		(loc) => locations.some((r) => r.key === String(loc.id)) || sessions.some((r) => r.key === String(loc.id))
	);
	const rows = [
		...used.map((loc) => ({ key: String(loc.id), label: loc.name })),
		{ key: UNKNOWN, label: 'No location (online)' }
	];
	const responsesAt = (loc: string) => locations.find((r) => (r.key ?? UNKNOWN) === loc)?.n ?? 0;
	return { rows, responsesAt, counts: rows.map((r) => ({ key: r.key, n: responsesAt(r.key) })) };
}

export async function channelTables(db: Db, c: ConsultationView, s: Scope, l: Links): Promise<TableData[]> {
	return builtOnce(s, 'channels:labelled', l, async () =>
		cousinLabels(s, await channelTablesPre(db, c, s, l), (w) => channelTablesPre(db, c, w, countsOnly(l)))
	);
}

/** The channels and locations tables as protected, before cousinLabels. */
function channelTablesPre(db: Db, c: ConsultationView, s: Scope, l: Links): Promise<TableData[]> {
	return builtOnce(s, 'channels', l, async () => {
		const [channels, districts, locations, sessions, locationNames] = await Promise.all([
			q.submissionsBy(db, s, 'channel'),
			q.submissionsBy(db, s, 'district_code'),
			q.submissionsBy(db, s, 'location_id'),
			q.sessionsByLocation(db, s),
			locationNamesOf(db, s)
		]);
		const items = channelItems(channels);
		const districtCounts = districtItemsOnce(c, districts);
		const { rows: rowsLoc, responsesAt, counts: locCounts } = locationRows(locations, sessions, locationNames);
		const wider = await sharedWider(db, c, s, l);
		// Both tables read only what sharedTotals reads (and the locations table its own constraints): each built
		// once per set of those constraints (sameInputs), not at every sibling round that changed another table.
		const reads = SHARED_IDS.map((id) => wider.get(id));
		const linked = linksKey(l);
		const shared = () => sharedTotalsOf(s, districtCounts, items, locCounts, wider);
		const channelTable = sameInputs(s, `channels:${linked}`, reads, () =>
			tally('channels', 'Responses by channel', 'Channel', items, {
				min: s.filters.min,
				countLabel: 'Submissions',
				hrefFor: (key) => reviewHref(l, { channel: key }),
				chart: 'bar',
				hidden: shared().channels
			})
		);
		const locTable = sameInputs(s, `locations:${linked}`, reads, () => {
			const sessionsAt = (loc: string) => sessions.find((r) => (r.key ?? UNKNOWN) === loc)?.n ?? 0;
			// Responses are people and are protected; sessions held are events, shown as they are.
			const locTable = crossTab({
				id: 'locations',
				caption: 'Responses and collection sessions by location',
				rowHeading: 'Location',
				rows: rowsLoc,
				columns: [{ key: 'responses', label: 'Responses' }],
				count: (loc) => responsesAt(loc),
				min: s.filters.min,
				percent: 'none',
				totalColumn: false,
				mustHide: shared().locations,
				cross: wider.get('locations')
			});
			const sessionsTotal = sessions.reduce((t, r) => t + r.n, 0);
			const sessionCell = (n: number): Cell => ({ n, pct: null, text: formatCount(n) });
			locTable.columns.push({ key: 'sessions', label: 'Sessions held' });
			locTable.rows = locTable.rows.map((r) => ({
				...r,
				cells: [...r.cells, sessionCell(r.key === '_total' ? sessionsTotal : sessionsAt(r.key))]
			}));
			locTable.notes = [`${formatCount(sessionsTotal)} collection sessions held in all.`];
			return locTable;
		});
		return [channelTable, locTable];
	});
}

export const EQUALITY_TABLE_IDS: Record<EqualityField, string> = {
	gender: 'eq-gender',
	disability: 'eq-disability',
	ageBand: 'eq-age',
	ethnicity: 'eq-ethnicity',
	sexualOrientation: 'eq-orientation'
};

export async function equalityTables(
	db: Db,
	s: Scope,
	fields: EqualityField[] = ['gender', 'disability', 'ageBand', 'ethnicity', 'sexualOrientation']
): Promise<TableData[]> {
	return builtOnce(s, `equality:${fields.join(',')}`, undefined, async () => {
		// Each table is a margin of the five answers' combinations (summed in SQL from the aggregates: queries.ts
		// equalitySummary).
		const [equality, wider] = await Promise.all([
			q.equalitySummary(db, s),
			widerConstraints(s, `equality:${fields.join(',')}`, (w) => equalityTables(db, w, fields), db)
		]);
		const margins = equality.margins;
		// Its small rows pinned at their top by the view's cross-tabs read "[c]" and can rise (pinned-floors.ts; dis66).
		const pinned = await pinnedEquality(db, s, fields, margins);
		return fields.map((f) => {
			const id = EQUALITY_TABLE_IDS[f];
			const cross = mergeConstraints(wider.get(id), pinned.get(f));
			return sameInputs(s, id, [cross], () => equalityTableOf(f, margins[f], s.filters.min, cross));
		});
	});
}

function equalityTableOf(
	f: EqualityField,
	counts: Map<string, number>,
	min: number,
	cross: ViewConstraints | undefined
): TableData {
	const t = equalityTable(
		EQUALITY_TABLE_IDS[f],
		EQUALITY_QUESTIONS[f].label,
		equalityCategories(f),
		counts,
		min,
		undefined,
		cross
	);
	if (f === 'sexualOrientation')
		t.notes.push(
			'Sexual orientation is asked only of respondents aged 16 or over, so younger online respondents count as not asked.'
		);
	return t;
}

/** The locations' names, once per request (every scope of the family). */
function locationNamesOf(db: Db, s: Scope) {
	return memoisedInFamily(s, 'location-names', () =>
		analysisDb(db).selectFrom('location').select(['id', 'name']).orderBy('name').execute()
	);
}

/** Generic cross-tab of two dimensions. */
export async function crossTabTable(
	db: Db,
	c: ConsultationView,
	s: Scope,
	a: Dimension,
	b: Dimension,
	percent: 'row' | 'column' | 'none'
): Promise<TableData> {
	// A cross-tab and its transpose are one table turned round, so they hide the same counts (issue #11):
	// the one in the order of DIMENSIONS is built, the other read from it.
	if (DIMENSIONS.indexOf(a) > DIMENSIONS.indexOf(b)) {
		const turned = percent === 'row' ? 'column' : percent === 'column' ? 'row' : 'none';
		const t = await crossTabTable(db, c, s, b, a, turned);
		const note = (x: string) =>
			x === 'Percentages are of the row.'
				? 'Percentages are of the column.'
				: x === 'Percentages are of the column.'
					? 'Percentages are of the row.'
					: x;
		return transposeTable(t, {
			caption: `${DIMENSION_LABELS[a]} by ${DIMENSION_LABELS[b].toLowerCase()}`,
			rowHeading: DIMENSION_LABELS[a],
			notes: t.notes.map(note)
		});
	}
	return builtOnce(s, `crosstab:${a}:${b}:${percent}`, undefined, async () => {
		// The rows and columns are those of the view without the filters that cut the data into
		// sibling slices (district, group, channel, dates, question): a slice that left out a column nobody in it
		// is in would publish that column's zeros, which the view without the filter may hide (issue #11:
		// the children's "District by disability" in Malvern Hills, "Not asked" dropped = 0 shown).
		// The same layout in every slice also numbers weeks alike.
		const f = s.filters;
		const sliced = slicedBy(f);
		const layoutScope = sliced === undefined ? undefined : relatedScope(s, { min: f.min, theme: f.theme });
		const [{ level, rows }, wider, layout] = await Promise.all([
			q.crossCounts(db, s, a, b),
			layoutScope ? q.crossCounts(db, layoutScope, a, b).then((x) => x.rows) : Promise.resolve(undefined),
			widerConstraints(
				s,
				`crosstab:${a}:${b}:${percent}`,
				async (w) => [await crossTabTable(db, c, w, a, b, percent)],
				db
			)
		]).then(([counts, layoutRows, w]) => [counts, w, layoutRows ?? counts.rows] as const);
		const needsLocations = a === 'location' || b === 'location';
		const locs = needsLocations ? await locationNamesOf(db, s) : [];
		const start =
			a === 'week' || b === 'week'
				? weekStart(
						c,
						layout.flatMap((r) => [a === 'week' ? r.a : null, b === 'week' ? r.b : null])
					)
				: '';
		const norm = (d: Dimension, v: string | null) =>
			d === 'week' ? (v ? String(weekOfDay(v, start)) : UNKNOWN) : (v ?? UNKNOWN);
		const counts = new Map<string, number>();
		for (const r of rows) {
			const key = `${norm(a, r.a)}|${norm(b, r.b)}`;
			counts.set(key, (counts.get(key) ?? 0) + r.n);
		}
		const present = (d: Dimension, side: 'a' | 'b') =>
			new Set([...rows, ...layout].map((r) => norm(d, side === 'a' ? r.a : r.b)));
		const cats = (d: Dimension, side: 'a' | 'b') => categoriesFor(d, c, present(d, side), locs, start);
		const rowCats = cats(a, 'a');
		const colCats = cats(b, 'b');
		const count = (x: string, y: string) => counts.get(`${x}|${y}`) ?? 0;
		// Only in a view without a sibling filter (slicedBy): a family's slices hide one pattern already.
		// The weeks table decides a week cross-tab's week × online cells in the view without a sibling filter (week-side.ts;
		// issue #11, random seed 406, shaped seed 7). ANALYSIS_WEEKS_ONLINE_CELLS=off leaves them to the cross-tab (before).
		// The view's weeks table as shown and as true (weekSides below, and the sliced rules' week sides).
		const viewWeeks = () =>
			Promise.all([weeksTable(db, c, relatedScope(s, f)), weeksTable(db, c, relatedScope(s, { ...f, min: 0 }))]);
		const weekSides = !sliced && f.min > 0 && (a === 'week' || b === 'week') ? await viewWeeks() : undefined;
		const online =
			weekSides && envSwitch('ANALYSIS_WEEKS_ONLINE_CELLS') !== 'off' ? weeksOnlineSide(...weekSides) : undefined;
		// The week margins the weeks table shows are no partners here (week-side.ts weekShownMargins; issue #11, shaped
		// seed 4, dis40). ANALYSIS_WEEKS_SHOWN_MARGINS=off leaves them to the cross-tab (before).
		const weekTotals =
			weekSides && envSwitch('ANALYSIS_WEEKS_SHOWN_MARGINS') !== 'off'
				? weeksColumnSide(...weekSides, '_total')
				: undefined;
		// The week rows' face-to-face part is a line of its own where the weeks table shows its sum (week-side.ts
		// weekFaceToFaceParts; issue #11, random seed 56, dis40). ANALYSIS_WEEKS_F2F_PART=off leaves it out (before).
		const f2fSide =
			weekSides && envSwitch('ANALYSIS_WEEKS_F2F_PART') !== 'off' ? weeksColumnSide(...weekSides, 'f2f') : undefined;
		// What the view's cross-tabs of two page dimensions say of this one's page margins, as bounds (cross-bounds.ts;
		// issue #11, random seeds 114, 151 and 133, dis42). ANALYSIS_CROSS_BOUNDS=off leaves them out (before).
		const otherBounds =
			!sliced && f.min > 0 && crossBoundsOn()
				? await otherCrossTabBounds(db, c, s, a, b, level, rowCats, colCats, count)
				: undefined;
		// A week cross-tab with a page dimension hides the week margins the weeks table hides (week-hides.ts; issue #11,
		// shaped seeds 62 and 79, dis48). ANALYSIS_WEEKS_HIDDEN_MARGINS=off leaves them to the cross-tab (before).
		const weekHides = (): ViewConstraints | undefined => {
			if (!weekSides || !(PAGE_FILTERS[a] || PAGE_FILTERS[b]) || !weeksHiddenMarginsOn()) return undefined;
			const hide = weekHiddenMarginsUnsliced(rowCats, colCats, count, a === 'week', ...weekSides);
			return hide.size ? { hide, bounds: new Map() } : undefined;
		};
		const weekF2fHides = (): ViewConstraints | undefined => {
			if (!f2fSide) return undefined;
			const hide = new Set<string>();
			for (const part of weekFaceToFaceParts(rowCats, colCats, count, a === 'week', f2fSide, cellKey))
				for (const k of subLineHides(part, s.filters.min)) hide.add(k);
			return hide.size ? { hide, bounds: new Map() } : undefined;
		};
		// An equality dimension's side in the view without a sibling filter is the view's equality table (issue #11,
		// shaped seeds 9-12, dis41: "Gender" hid "Prefer not to say" 1 and "Left blank" 1 with partners "Gender by
		// channel" showed). ANALYSIS_CROSSTAB_EQUALITY_DECIDES=off leaves those margins to the cross-tab (before).
		const equalityDecides = !sliced && f.min > 0 && envSwitch('ANALYSIS_CROSSTAB_EQUALITY_DECIDES') !== 'off';
		const sideFor = async (d: Dimension) =>
			(await pageTableOf(db, c, s, d)) ?? (equalityDecides ? await equalityPageOf(db, s, d) : undefined);
		// A cross-tab with no page dimension reads its grand total as the districts table does (grand-total.ts; issue #11,
		// dis61). ANALYSIS_GRAND_TOTAL_DECIDED=off leaves it to the cross-tab (before).
		const grandPage =
			!sliced &&
			f.min > 0 &&
			level === 'submission' &&
			!PAGE_FILTERS[a] &&
			!PAGE_FILTERS[b] &&
			envSwitch('ANALYSIS_GRAND_TOTAL_DECIDED') !== 'off'
				? await pageTableOf(db, c, s, 'district')
				: undefined;
		let pageDecided = false;
		const equalitySidesRead: { rows?: PageTable; columns?: PageTable } = {};
		const decided = sliced
			? undefined
			: await Promise.all([sideFor(a), sideFor(b)]).then(([rowsPage, colsPage]) => {
					if (rowsPage?.equality) equalitySidesRead.rows = rowsPage;
					if (colsPage?.equality) equalitySidesRead.columns = colsPage;
					pageDecided = !!(rowsPage && !rowsPage.equality) || !!(colsPage && !colsPage.equality);
					const m =
						rowsPage || colsPage
							? marginsOf(rowCats, colCats, count, { rows: rowsPage, columns: colsPage }, s.filters.min)
							: undefined;
					const cells = online && weekOnlineDecisions(rowCats, colCats, count, a === 'week', online);
					const margins = weekTotals && weekShownMargins(rowCats, colCats, count, a === 'week', weekTotals);
					// With no page dimension the whole week line reads as the weeks table's total column (week-side.ts
					// weekLineDecisions; issue #11, shaped seed 5, dis45); a grand total an equality side decides stays its.
					// ANALYSIS_WEEKS_LINE_DECIDES=off leaves the hidden ones to the cross-tab (before).
					const line =
						weekSides && !PAGE_FILTERS[a] && !PAGE_FILTERS[b] && envSwitch('ANALYSIS_WEEKS_LINE_DECIDES') !== 'off'
							? [...weekLineDecisions(rowCats, colCats, count, a === 'week', ...weekSides)].filter(([k]) => !m?.has(k))
							: [];
					const more = [
						...(cells ?? []),
						...(margins ?? []),
						...line,
						...notAskedWeekSides(a, b, rowCats, colCats, count, weekSides)
					];
					// Week sides decide too (pageZeros as before).
					if (more.length) pageDecided = true;
					// The grand total as the districts table reads it (not a page decision: no pageZeros for it).
					const grandKey = `${rowCats.length},${colCats.length}`;
					if (grandPage && !m?.has(grandKey) && !more.some(([k]) => k === grandKey)) {
						const grand = rowCats.reduce((t, r) => t + colCats.reduce((u, x) => u + count(r.key, x.key), 0), 0);
						const g = grandTotalDecision(grandPage.table, grandPage.total, grand);
						if (g !== undefined) more.push([grandKey, g]);
					}
					return more.length ? new Map([...(m ?? []), ...more]) : m;
				});
		// A sliced view's page tables as the view shows itself, not as a sibling round of this cross-tab asks
		// (siblingFamily builds the slice in a copy of its scope): read once, for the hidden margins and the labels.
		const page = sliced === undefined ? undefined : relatedScope(s, s.filters);
		let sidesRead: Promise<{ rows?: PageTable; columns?: PageTable }> | undefined;
		const pageSides = () =>
			(sidesRead ??= Promise.all([pageTableOf(db, c, page!, a), pageTableOf(db, c, page!, b)]).then(
				([rows, columns]) => ({ rows, columns })
			));
		// In a sliced view it hides the margins its page tables hide (pageHiddenMargins; issue #11, week seed 7), an
		// equality dimension's being the view's equality table (week seed 1 with every pair).
		const equalitySides = page && s.filters.min > 0 && crossTabEqualityHidesOn();
		const hasSide = (d: Dimension) => !!PAGE_FILTERS[d] || (equalitySides && !!EQUALITY_DIMENSION[d]);
		const sideOf = async (d: Dimension, pageSide: PageTable | undefined) =>
			pageSide ?? (equalitySides ? await equalityPageOf(db, page!, d) : undefined);
		const pageHides =
			page && s.filters.min > 0 && (hasSide(a) || hasSide(b)) && crossTabPageHidesOn()
				? await pageSides().then(async (p) =>
						pageHiddenMargins(rowCats, colCats, count, {
							rows: await sideOf(a, p.rows),
							columns: await sideOf(b, p.columns)
						})
					)
				: undefined;
		// And it knows what its equality tables show of its margins (pageShownBounds; issue #11, week seed 17 with every
		// pair, dis41). The page tables' shown margins as bounds moved the two-filter families' partners
		// (tests/disclosure-joint.test.ts read 13 cells): equality sides only.
		const equalitySidesOf = async () => ({
			rows: await equalityPageOf(db, page!, a),
			columns: await equalityPageOf(db, page!, b)
		});
		const shownBounds =
			page && s.filters.min > 0 && crossTabShownMarginsOn() && (EQUALITY_DIMENSION[a] || EQUALITY_DIMENSION[b])
				? await equalitySidesOf().then((eqSides) => pageShownBounds(rowCats, colCats, count, eqSides, s.filters.min))
				: undefined;
		// And the online line's total as the view's equality tables bound it, "<5" included (online-total.ts; issue #11,
		// week seed 27 with every pair, dis57). ANALYSIS_CROSSTAB_ONLINE_TOTAL=off leaves it out (before).
		const onlineSide = a === 'channel' ? 'rows' : b === 'channel' ? 'columns' : undefined;
		const onlineBounds =
			page && s.filters.min > 0 && onlineSide && (EQUALITY_DIMENSION[a] || EQUALITY_DIMENSION[b]) && onlineTotalOn()
				? onlineTotalBounds(
						rowCats,
						colCats,
						count,
						onlineSide,
						await pageTableOf(db, c, page, 'channel'),
						await Promise.all(DIMENSIONS.map((d) => equalityPageOf(db, page, d))),
						s.filters.min
					)
				: undefined;
		// And what the view's week cross-tabs publish of them in a view cut by the dates only (dated-week-side.ts; issue
		// #11, week seed 24 with every pair, dis55). ANALYSIS_DATED_WEEK_SIDES=off leaves it out (before).
		const datedSide = async (d: Dimension) => {
			if (d === 'week' || !EQUALITY_DIMENSION[d]) return undefined;
			const [shown, truth, [, weeks]] = await Promise.all([
				crossTabTable(db, c, page!, d, 'week', 'none'),
				crossTabTable(db, c, relatedScope(s, { ...f, min: 0 }), d, 'week', 'none'),
				viewWeeks()
			]);
			return datedWeekSide(
				shown,
				truth,
				weeks.rows.filter((r) => r.key !== '_total')
			);
		};
		const datedBounds =
			page &&
			f.min > 0 &&
			(f.from !== undefined || f.to !== undefined) &&
			[f.district, f.group, f.channel, f.question].every((x) => x === undefined) &&
			a !== 'week' &&
			b !== 'week' &&
			(EQUALITY_DIMENSION[a] || EQUALITY_DIMENSION[b]) &&
			envSwitch('ANALYSIS_DATED_WEEK_SIDES') !== 'off'
				? pageShownBounds(rowCats, colCats, count, { rows: await datedSide(a), columns: await datedSide(b) }, f.min)
				: undefined;
		// A sliced cross-tab counted per submission hides its grand total where the view's weeks table hides the same
		// count (week-side.ts weeksGrandTotalHidden; issue #11, week seed 4 with every pair, dis46: "Gender by age band"
		// showed week 2's 9 beside the weeks table's face to face 7). ANALYSIS_WEEKS_GRAND_HIDES=off leaves it (before).
		const grandKey = cellKey('_total', '_total');
		const grandHidden = async () => {
			const grand = rowCats.reduce((t, r) => t + colCats.reduce((u, x) => u + count(r.key, x.key), 0), 0);
			return grand > 0 && weeksGrandTotalHidden(...(await viewWeeks()), grand);
		};
		const grandHides: ViewConstraints | undefined =
			page &&
			s.filters.min > 0 &&
			level === 'submission' &&
			!pageHides?.hide.has(grandKey) &&
			envSwitch('ANALYSIS_WEEKS_GRAND_HIDES') !== 'off' &&
			(await grandHidden())
				? { hide: new Set([grandKey]), bounds: new Map() }
				: undefined;
		// An equality cross-tab's "Not asked" margin within the bounds the channels table puts on it (not-asked-bounds.ts;
		// issue #11, shaped seed 71, dis48). ANALYSIS_NOT_ASKED_BOUNDS=off leaves them out (before).
		const naBounds = mergeConstraints(
			!sliced && f.min > 0 && notAskedBoundsOn() && (EQUALITY_DIMENSION[a] || EQUALITY_DIMENSION[b])
				? await notAskedChannelBounds(db, c, s, a, b, rowCats, colCats, count)
				: undefined,
			weekSides &&
				(await notAskedWeekConstraints(a, b, rowCats, colCats, count, weekSides, f.min, async () => {
					// The equality × week counts of the view (the submission cube's, memoised per scope) for the online floors.
					const dims = DIMENSIONS.filter((d) => EQUALITY_DIMENSION[d]);
					const lists = await Promise.all(dims.map((d) => q.crossCounts(db, s, d, 'week')));
					const cells = lists.map((l) =>
						l.rows.map((r) => ({ category: r.a ?? UNKNOWN, week: norm('week', r.b), n: r.n }))
					);
					return onlineWeekFloors(cells, NOT_ASKED, f.min);
				}))
		);
		// The unfiltered view's week side for the labels, beside the sides read (equality tables): the weeks table's
		// total column for a count of submissions. ANALYSIS_WEEKS_UNSLICED_LABELS=off leaves it out (before).
		const unslicedWeekSides = (read: { rows?: PageTable; columns?: PageTable }) => {
			if (!weekSides || level !== 'submission' || !weekLabelsOn()) return read;
			const side = (d: Dimension, cats: { key: string; label: string }[]) =>
				d === 'week' ? weeksTotalPage(...weekSides, cats) : undefined;
			return { rows: read.rows ?? side(a, rowCats), columns: read.columns ?? side(b, colCats) };
		};
		// The equality questions' structural zeros (answered × no online channel) are known exactly: never partners
		// (structural-zeros.ts; issue #11, random seed 25, dis60). ANALYSIS_STRUCTURAL_KNOWN=off leaves them out (before).
		const structural =
			f.min > 0 && structuralKnownOn() ? structuralZeroBounds(a, b, rowCats, colCats, count, f.channel) : undefined;
		// A "<5" alone in its row and column of two equality questions: a zero of each line hidden with it
		// (lonely-equality-cells.ts; issue #11, random seed 5 with the "Not asked" × week link, dis67).
		// ANALYSIS_LONELY_EQUALITY_CELLS=off leaves them shown (before).
		const lonely =
			!sliced && level === 'submission' && envSwitch('ANALYSIS_LONELY_EQUALITY_CELLS') !== 'off'
				? lonelyEqualityPartners(a, b, rowCats, colCats, count, f.min)
				: undefined;
		// A small margin within the floor any other cross-tab of the view puts on it from its line (margin-floors.ts;
		// issue #11, dis61's mechanism B, dis62). ANALYSIS_MARGIN_FLOORS=off leaves them out (before).
		const floors: ViewConstraints | undefined =
			!sliced && f.min > 0 && level === 'submission' && envSwitch('ANALYSIS_MARGIN_FLOORS') !== 'off'
				? await marginFloorsOf(db, c, s, a, b, rowCats, colCats, count)
				: undefined;
		// A small entry whose floor from the view's other tables reaches its true count can rise (at min − 1: reads
		// "[c]") (pinned-floors.ts; issue #11, the every-pair unfiltered view's seeds 2 and 5, dis66).
		// ANALYSIS_PINNED_FLOORS=off leaves them out (before).
		const pinned =
			!sliced && f.min > 0 && level === 'submission' && pinnedFloorsOn()
				? await pinnedCrossTab(db, c, s, a, b, rowCats, colCats, count, decided)
				: undefined;
		const built = crossTab({
			id: 'crosstab',
			caption: `${DIMENSION_LABELS[a]} by ${DIMENSION_LABELS[b].toLowerCase()}`,
			rowHeading: DIMENSION_LABELS[a],
			rows: rowCats,
			columns: colCats,
			count,
			min: s.filters.min,
			percent,
			notes: [
				level === 'perspective'
					? 'Counted per respondent type answered: one submission can count under several types.'
					: 'Counted per submission.',
				percent === 'row' ? 'Percentages are of the row.' : percent === 'column' ? 'Percentages are of the column.' : ''
			].filter(Boolean),
			cross: pageDecided
				? mergeConstraints(
						mergeConstraints(
							mergeConstraints(wider.get('crosstab'), pageZeros(rowCats, colCats, count)),
							await nestedCells(db, s, a, b, rowCats, colCats, count)
						),
						mergeConstraints(
							mergeConstraints(mergeConstraints(weekF2fHides(), otherBounds), mergeConstraints(weekHides(), naBounds)),
							mergeConstraints(mergeConstraints(mergeConstraints(structural, lonely), floors), pinned)
						)
					)
				: mergeConstraints(
						mergeConstraints(mergeConstraints(wider.get('crosstab'), pageHides), grandHides),
						mergeConstraints(
							mergeConstraints(mergeConstraints(mergeConstraints(shownBounds, onlineBounds), datedBounds), naBounds),
							mergeConstraints(mergeConstraints(mergeConstraints(structural, lonely), floors), pinned)
						)
					),
			decided
		});
		// Nothing to relabel without a "<5" (most cross-tabs at scale): no page tables read.
		const small = built.rows.some((r) => r.cells.some((x) => x.suppressed && x.text.startsWith('<')));
		// A page × channel cross-tab's lines pinned by the online floors the equality cross-tabs put on them read a "<5"
		// "[c]" (online-floor.ts; issue #11, random seed 10 with the equality cross-tabs, dis53).
		// ANALYSIS_ONLINE_FLOOR_LABELS=off leaves them (before).
		const table =
			!sliced && f.min > 0 && small && (a === 'channel' || b === 'channel') && onlineFloorOn()
				? blurLabels(built, await onlineFloorKeys(db, s, a, b, level, built), f.min)
				: built;
		// The view without a sibling filter: an equality table's "[c]" reads "[c]" here too where a line's count is its
		// (shaped seed 6, dis41: "Gender" read female "[c]" (4), the margin it decides read "[c]", and the line's one
		// cell "<5" gave it away as at most 4). Labels only.
		if (!sliced && s.filters.min > 0 && small && (equalitySidesRead.rows || equalitySidesRead.columns))
			return blurLabels(
				table,
				pageLabels(rowCats, colCats, count, unslicedWeekSides(equalitySidesRead)),
				s.filters.min
			);
		// A week cross-tab's week side there is the weeks table's total column, for its labels (week-hides.ts; issue #11,
		// shaped seed 63, dis48: "Week by channel" read week 1's total "<5" where "Responses by week" read "[c]").
		if (!sliced && s.filters.min > 0 && small && weekSides && weekLabelsOn())
			return blurLabels(table, pageLabels(rowCats, colCats, count, unslicedWeekSides({})), s.filters.min);
		if (!sliced || s.filters.min <= 0 || !small) return table;
		// A sliced view: its page tables' "[c]" read "[c]" here too (pageLabels), an equality dimension's page table
		// being the view's equality table (dis38: district=wychavon's "Gender" read "Not asked" "[c]" (4) where
		// "Gender by channel" read its row total "<5", so online "<5" + at most 4 = the shown total 8 pinned both).
		const pages = await pageSides();
		const equalitySide = async (d: Dimension, p: PageTable | undefined) =>
			p ?? (crossTabEqualityLabelsOn() ? await equalityPageOf(db, page!, d) : undefined);
		// A week's side is the view's weeks table (its total column) for a count of submissions (week-side.ts
		// weeksTotalPage; issue #11, random seed 456, dis44). ANALYSIS_WEEK_PAGE_LABELS=off leaves weeks out (before).
		const weekSide = async (d: Dimension, cats: { key: string; label: string }[]) =>
			d === 'week' && level === 'submission' && envSwitch('ANALYSIS_WEEK_PAGE_LABELS') !== 'off'
				? weeksTotalPage(...(await viewWeeks()), cats)
				: undefined;
		const sides = {
			rows: (await equalitySide(a, pages.rows)) ?? (await weekSide(a, rowCats)),
			columns: (await equalitySide(b, pages.columns)) ?? (await weekSide(b, colCats))
		};
		const keys = pageLabels(rowCats, colCats, count, sides);
		if (shownLines()) for (const k of shownLineLabels(table, rowCats, colCats, count, sides)) keys.add(k);
		// Its week × online cells read "[c]" where the weeks table's online column does (week-hides.ts weekOnlineLabels;
		// issue #11, random seed 31, dis48). ANALYSIS_WEEK_ONLINE_LABELS=off leaves them (before).
		if ((a === 'week' || b === 'week') && level === 'submission' && weekOnlineLabelsOn())
			for (const k of weekOnlineLabels(rowCats, colCats, count, a === 'week', ...(await viewWeeks()))) keys.add(k);
		return blurLabels(table, keys, s.filters.min);
	});
}

/** onlineFloorLabels in the view without a sibling filter; ANALYSIS_ONLINE_FLOOR_LABELS=off leaves it out (before). */
const onlineFloorOn = () => envSwitch('ANALYSIS_ONLINE_FLOOR_LABELS') !== 'off';

/**
 * The "<5" entries of a group or district × channel cross-tab to read "[c]" (online-floor.ts): the floors of its
 * online cells are what the view's equality cross-tabs by the same page dimension (counted alike) say of them, the
 * answered rows of each equality field on that line (only the online survey asks).
 */
async function onlineFloorKeys(
	db: Db,
	s: Scope,
	a: Dimension,
	b: Dimension,
	level: 'perspective' | 'submission',
	t: TableData
): Promise<Set<string>> {
	const p = a === 'channel' ? b : a;
	if (p !== 'district' && p !== 'group') return new Set();
	const onRows = p === a;
	const min = s.filters.min;
	const view = relatedScope(s, s.filters);
	const floors = new Map<string, number>();
	const raise = (key: string, n: number) => {
		if (n > (floors.get(key) ?? 0)) floors.set(key, n);
	};
	for (const e of Object.keys(EQUALITY_DIMENSION) as Dimension[]) {
		const first = DIMENSIONS.indexOf(e) < DIMENSIONS.indexOf(p);
		const counts = first ? await q.crossCounts(db, view, e, p) : await q.crossCounts(db, view, p, e);
		if (counts.level !== level) continue;
		// Per value of the page dimension (and overall): the answered equality cells' least values.
		const cells = new Map<string, Map<string, number>>();
		for (const r of counts.rows) {
			const v = (first ? r.a : r.b) ?? UNKNOWN;
			const k = (first ? r.b : r.a) ?? UNKNOWN;
			if (v === NOT_ASKED) continue;
			for (const line of [k, '_total']) {
				const m = cells.get(line) ?? new Map<string, number>();
				m.set(v, (m.get(v) ?? 0) + r.n);
				cells.set(line, m);
			}
		}
		for (const [k, m] of cells) {
			let floor = 0;
			for (const n of m.values()) floor += answeredFloor(n, min);
			raise(onRows ? cellKey(k, 'online') : cellKey('online', k), floor);
		}
	}
	return floors.size ? onlineFloorLabels(t, floors, min) : new Set();
}

/** week-hides.ts's two rules in the view without a sibling filter (dis48); each switch `=off` leaves its rule out. */
const weeksHiddenMarginsOn = () => envSwitch('ANALYSIS_WEEKS_HIDDEN_MARGINS') !== 'off';
const weekLabelsOn = () => envSwitch('ANALYSIS_WEEKS_UNSLICED_LABELS') !== 'off';
const weekOnlineLabelsOn = () => envSwitch('ANALYSIS_WEEK_ONLINE_LABELS') !== 'off';

const notAskedBoundsOn = () => envSwitch('ANALYSIS_NOT_ASKED_BOUNDS') !== 'off';

/**
 * notAskedBounds (not-asked-bounds.ts) of each equality side of a cross-tab whose other dimension is not the channel
 * (a channel cross-tab has the face-to-face cells and the channel margins the channels table decides), from the
 * view's channels table.
 */
async function notAskedChannelBounds(
	db: Db,
	c: ConsultationView,
	s: Scope,
	a: Dimension,
	b: Dimension,
	rows: { key: string }[],
	columns: { key: string }[],
	count: (row: string, col: string) => number
): Promise<ViewConstraints | undefined> {
	const onRows = !!EQUALITY_DIMENSION[a] && b !== 'channel';
	const onColumns = !!EQUALITY_DIMENSION[b] && a !== 'channel';
	if (!onRows && !onColumns) return undefined;
	const channels = await pageTableOf(db, c, s, 'channel');
	if (!channels) return undefined;
	const bounds = new Map<string, [number, number]>();
	const min = s.filters.min;
	if (onRows)
		for (const [k, v] of notAskedBounds(rows, columns, count, true, NOT_ASKED, channels, 'online', min))
			bounds.set(k, v);
	if (onColumns)
		for (const [k, v] of notAskedBounds(rows, columns, count, false, NOT_ASKED, channels, 'online', min))
			bounds.set(k, v);
	return bounds.size ? { hide: new Set(), bounds } : undefined;
}

/**
 * An equality × week cross-tab's "Not asked" × week cells within the bounds the weeks table's face-to-face column puts
 * on them, in the view without a sibling filter (not-asked-bounds.ts notAskedWeekBounds; issue #11, week seed 24,
 * dis58: the unfiltered "Disability by week" took "Not asked" × week 2 (7) as the partner of a "<5" while "Responses by
 * week" showed week 2's face to face 7). ANALYSIS_NOT_ASKED_WEEKS=off leaves them out (before).
 */
async function notAskedWeekConstraints(
	a: Dimension,
	b: Dimension,
	rows: { key: string }[],
	columns: { key: string }[],
	count: (row: string, col: string) => number,
	weekSides: [TableData, TableData],
	min: number,
	floors: () => Promise<Map<string, number>>
): Promise<ViewConstraints | undefined> {
	if (envSwitch('ANALYSIS_NOT_ASKED_WEEKS') === 'off') return undefined;
	const weekIsRows = a === 'week' && !!EQUALITY_DIMENSION[b];
	if (!weekIsRows && !(b === 'week' && EQUALITY_DIMENSION[a])) return undefined;
	const f2f = weeksColumnSide(...weekSides, 'f2f');
	if (!f2f) return undefined;
	// The week's whole row as the side, with the online floors the view's equality × week cross-tabs can show
	// (not-asked-bounds.ts notAskedWeekSideBounds; issue #11, random seeds 2, 5 and 12, dis59). With
	// ANALYSIS_NOT_ASKED_WEEK_SIDES=off the face-to-face cell alone (dis58, before).
	const online = weeksColumnSide(...weekSides, 'online');
	const total = weeksColumnSide(...weekSides, '_total');
	const floor = online && total && notAskedWeekSidesOn() ? await floors() : undefined;
	const bounds =
		online && total && floor
			? notAskedWeekSideBounds(
					rows,
					columns,
					count,
					weekIsRows,
					NOT_ASKED,
					{ f2f, online, total },
					min,
					(w) => floor.get(w) ?? 0
				)
			: notAskedWeekBounds(rows, columns, count, weekIsRows, NOT_ASKED, f2f, min);
	return bounds.size ? { hide: new Set(), bounds } : undefined;
}

/** dis59's rules (notAskedWeekSides, notAskedWeekSideBounds) on: ANALYSIS_NOT_ASKED_WEEKS (dis58's) too. */
const notAskedWeekSidesOn = () =>
	envSwitch('ANALYSIS_NOT_ASKED_WEEKS') !== 'off' && envSwitch('ANALYSIS_NOT_ASKED_WEEK_SIDES') !== 'off';

/**
 * An equality × week cross-tab's "Not asked" × week cells as the weeks table's face-to-face column reads them, in the
 * view without a sibling filter (not-asked-week-side.ts notAskedWeekDecisions; issue #11, random seeds 2, 5, 12 and 25
 * with the equality × week cross-tabs, dis59). ANALYSIS_NOT_ASKED_WEEK_SIDES=off (or ANALYSIS_NOT_ASKED_WEEKS=off)
 * leaves them to the cross-tab (before). Closed-grid keys.
 */
function notAskedWeekSides(
	a: Dimension,
	b: Dimension,
	rows: { key: string }[],
	columns: { key: string }[],
	count: (row: string, col: string) => number,
	weekSides: [TableData, TableData] | undefined
): [string, Hidden][] {
	if (!weekSides || !notAskedWeekSidesOn()) return [];
	const weekIsRows = a === 'week' && !!EQUALITY_DIMENSION[b];
	if (!weekIsRows && !(b === 'week' && EQUALITY_DIMENSION[a])) return [];
	const f2f = weeksColumnSide(...weekSides, 'f2f');
	return f2f ? [...notAskedWeekDecisions(rows, columns, count, weekIsRows, NOT_ASKED, f2f)] : [];
}

/**
 * The floors the view's cross-tabs put on a dimension's small counts (margin-floors.ts lineFloors): its cross-tabs
 * with every other dimension counted at `level`, from the true counts. Per submission the group is left out (counted
 * per respondent type), as it is on either side; per respondent type only the group's own lines (dis64).
 */
async function dimensionFloors(
	db: Db,
	c: ConsultationView,
	s: Scope,
	d: Dimension,
	level: 'perspective' | 'submission' = 'submission'
): Promise<Map<string, number> | undefined> {
	if ((d === 'group') !== (level === 'perspective')) return undefined;
	const lines = await Promise.all(
		DIMENSIONS.filter((e) => e !== d && e !== 'group').map(async (e) => {
			const first = DIMENSIONS.indexOf(d) < DIMENSIONS.indexOf(e);
			const got = await q.crossCounts(db, s, first ? d : e, first ? e : d);
			if (got.level !== level) return [];
			const pairs = got.rows.map((r) => ({ d: first ? r.a : r.b, e: first ? r.b : r.a, n: r.n }));
			const start =
				d === 'week' || e === 'week'
					? weekStart(
							c,
							pairs.map((p) => (d === 'week' ? p.d : p.e))
						)
					: '';
			const norm = (x: Dimension, v: string | null) =>
				x === 'week' ? (v ? String(weekOfDay(v, start)) : UNKNOWN) : (v ?? UNKNOWN);
			return pairs.map((p) => ({ key: norm(d, p.d), other: norm(e, p.e), n: p.n }));
		})
	);
	return lineFloors(lines, s.filters.min);
}

/**
 * The floors the view's other cross-tabs put on this one's small margins (margin-floors.ts; issue #11, dis62): for
 * each side's dimension, its cross-tabs counted per submission with every other dimension, from the true counts.
 */
async function marginFloorsOf(
	db: Db,
	c: ConsultationView,
	s: Scope,
	a: Dimension,
	b: Dimension,
	rowCats: { key: string }[],
	colCats: { key: string }[],
	count: (r: string, c: string) => number
): Promise<ViewConstraints | undefined> {
	const [rowFloors, colFloors] = await Promise.all([dimensionFloors(db, c, s, a), dimensionFloors(db, c, s, b)]);
	const bounds = marginFloorBounds(rowCats, colCats, count, rowFloors, colFloors, s.filters.min);
	return bounds.size ? { hide: new Set(), bounds } : undefined;
}

/**
 * The page tables of the view without a sibling filter protected knowing the floors the view's cross-tabs put on
 * their small rows (margin-floors.ts pageFloorBounds; issue #11, the every-pair unfiltered view's random seed 15,
 * dis64): "Respondent types" from the group's lines per respondent type, "Districts" and "Responses by channel" from
 * their dimensions' lines per submission. From the true counts, once per scope (no table read, so no cycle).
 * ANALYSIS_PAGE_FLOORS=off leaves them out (before). Read at use.
 */
function pageFloorsOf(db: Db, c: ConsultationView, s: Scope): Promise<Map<string, ViewConstraints>> {
	const f = s.filters;
	if (envSwitch('ANALYSIS_PAGE_FLOORS') === 'off' || f.min <= 0 || slicedBy(f) !== undefined)
		return Promise.resolve(new Map());
	return memoised(s, `page-floors:${f.min}`, async () => {
		const k = (v: string | null) => v ?? UNKNOWN;
		const [groups, districts, channels] = await Promise.all([
			q.perspectivesByGroup(db, s),
			q.submissionsBy(db, s, 'district_code'),
			q.submissionsBy(db, s, 'channel')
		]);
		const out = new Map<string, ViewConstraints>();
		for (const [id, d, rows] of [
			['groups', 'group', groups],
			['districts', 'district', districts],
			['channels', 'channel', channels]
		] as const) {
			const items = rows.map((r) => ({ key: k(r.key), n: r.n }));
			// Only a row of 2 to min − 1 can take a floor (pageFloorBounds): none, no cross-tab read (a large consultation).
			if (!items.some((i) => i.n >= 2 && i.n < f.min)) continue;
			const level = d === 'group' ? 'perspective' : 'submission';
			const bounds = pageFloorBounds(items, await dimensionFloors(db, c, s, d, level), f.min);
			if (bounds.size) out.set(id, { hide: new Set(), bounds });
		}
		return out;
	});
}

/** pinned-floors.ts in the view without a sibling filter; ANALYSIS_PINNED_FLOORS=off leaves it out (before). */
const pinnedFloorsOn = () => envSwitch('ANALYSIS_PINNED_FLOORS') !== 'off';

/**
 * The floors the view's cross-tabs (every pair of dimensions counted per submission, from the true counts) put on
 * its small counts (pinned-floors.ts viewFloors), once per scope. The location with no location is the online
 * channel where the two counts agree.
 */
function viewFloorsOf(db: Db, s: Scope, opensAt: string | null | undefined): Promise<ViewFloors> {
	const c = { opensAt } as ConsultationView;
	return memoised(s, `pinned-floors:${s.filters.min}`, async () => {
		const dims = DIMENSIONS.filter((d) => d !== 'group');
		const pairs = await Promise.all(
			dims.flatMap((d, i) =>
				dims.slice(i + 1).map(async (e): Promise<PairCounts | undefined> => {
					const got = await q.crossCounts(db, s, d, e);
					if (got.level !== 'submission') return undefined;
					const start =
						d === 'week' || e === 'week'
							? weekStart(
									c,
									got.rows.map((r) => (d === 'week' ? r.a : r.b))
								)
							: '';
					const norm = (x: Dimension, v: string | null) =>
						x === 'week' ? (v ? String(weekOfDay(v, start)) : UNKNOWN) : (v ?? UNKNOWN);
					return { a: d, b: e, rows: got.rows.map((r) => ({ x: norm(d, r.a), y: norm(e, r.b), n: r.n })) };
				})
			)
		);
		const list = pairs.filter((p): p is PairCounts => !!p);
		const online = new Map<string, string>([['channel', 'online']]);
		const byChannel = list.find((p) => p.a === 'channel' && p.b === 'location');
		if (byChannel) {
			const sum = (ok: (r: PairCounts['rows'][number]) => boolean) =>
				byChannel.rows.reduce((t, r) => t + (ok(r) ? r.n : 0), 0);
			const noLocation = sum((r) => r.y === UNKNOWN);
			if (
				noLocation > 0 &&
				noLocation === sum((r) => r.x === 'online') &&
				noLocation === sum((r) => r.x === 'online' && r.y === UNKNOWN)
			)
				online.set('location', UNKNOWN);
		}
		const equality = new Set(DIMENSIONS.filter((d) => EQUALITY_DIMENSION[d]));
		return viewFloors(list, s.filters.min, { equality, notAsked: NOT_ASKED, online });
	});
}

/** A cross-tab's bounds and blurs for its small entries pinned at their floors (pinned-floors.ts pinnedConstraints). */
async function pinnedCrossTab(
	db: Db,
	c: ConsultationView,
	s: Scope,
	a: Dimension,
	b: Dimension,
	rowCats: { key: string }[],
	colCats: { key: string }[],
	count: (r: string, c: string) => number,
	decided: Map<string, Hidden> | undefined
): Promise<ViewConstraints | undefined> {
	const min = s.filters.min;
	// A "<5" another table decides stays "<5" here (ProtectInput.decided): at min − 1 the bounds [n, ∞) would pin it.
	// That table's own rule is what can free it (the equality tables: pinnedEquality).
	const R = rowCats.length;
	const C = colCats.length;
	const small = (n: number, grid: string) => n >= 2 && n < min && !(n === min - 1 && decided?.get(grid) === 'primary');
	const rowN = (r: string) => colCats.reduce((t, x) => t + count(r, x.key), 0);
	const colN = (x: string) => rowCats.reduce((t, r) => t + count(r.key, x), 0);
	// Nothing from 1 to min − 1 (most cross-tabs at scale): no floors read.
	const any = rowCats.some((r) => colCats.some((x) => isSmall(count(r.key, x.key), min)));
	if (!any) return undefined;
	const floors = await viewFloorsOf(db, s, c.opensAt ?? s.opensAt);
	const entries: { key: string; n: number; floor: number; exact?: boolean }[] = [];
	rowCats.forEach((r, i) => {
		colCats.forEach((x, j) => {
			const n = count(r.key, x.key);
			if (small(n, `${i},${j}`))
				entries.push({ key: cellKey(r.key, x.key), n, floor: floors.cell(a, b, r.key, x.key) });
		});
		const n = rowN(r.key);
		if (n > 0 && (n >= min || small(n, `${i},${C}`)))
			entries.push({ key: cellKey(r.key, '_total'), n, floor: floors.margin(a, r.key), exact: floors.exact(a, r.key) });
	});
	colCats.forEach((x, j) => {
		const n = colN(x.key);
		if (n > 0 && (n >= min || small(n, `${R},${j}`)))
			entries.push({ key: cellKey('_total', x.key), n, floor: floors.margin(b, x.key), exact: floors.exact(b, x.key) });
	});
	const out = pinnedConstraints(entries, min);
	return out.bounds.size || out.hide.size ? out : undefined;
}

/** The equality tables' small rows pinned at their floors (pinned-floors.ts), in the view without a sibling filter. */
async function pinnedEquality(
	db: Db,
	s: Scope,
	fields: EqualityField[],
	margins: Record<EqualityField, Map<string, number>>
): Promise<Map<EqualityField, ViewConstraints>> {
	const out = new Map<EqualityField, ViewConstraints>();
	const min = s.filters.min;
	if (!pinnedFloorsOn() || min <= 0 || slicedBy(s.filters) !== undefined) return out;
	if (!fields.some((f) => [...margins[f].values()].some((n) => isSmall(n, min)))) return out;
	const floors = await viewFloorsOf(db, s, s.opensAt);
	for (const f of fields) {
		const d = DIMENSIONS.find((x) => EQUALITY_DIMENSION[x] === f)!;
		// "Left blank" is the cross-tabs' unknown (a null answer) as well as its own code.
		const keys = (key: string) => (key === LEFT_BLANK ? [key, UNKNOWN] : [key]);
		const entries = [...margins[f]]
			.filter(([key, n]) => n > 0 && key !== NOT_ASKED)
			.map(([key, n]) => ({
				key: cellKey(key, 'n'),
				n,
				floor: Math.max(...keys(key).map((k) => floors.margin(d, k))),
				exact: keys(key).some((k) => floors.exact(d, k))
			}));
		const got = pinnedConstraints(entries, min);
		if (got.bounds.size || got.hide.size) out.set(f, got);
	}
	return out;
}

/** otherCrossTabBounds in the view without a sibling filter; ANALYSIS_CROSS_BOUNDS=off leaves it out (before). */
const crossBoundsOn = () => envSwitch('ANALYSIS_CROSS_BOUNDS') !== 'off';

/**
 * The bounds the view's cross-tabs of two page dimensions put on a cross-tab's margins of a page dimension
 * (cross-bounds.ts; issue #11, random seeds 114, 151 and 133, dis42): "Week by channel"'s channel totals as
 * "District by channel" and "Respondent group by channel" show them, counted alike (same level, same true counts).
 * Only for a cross-tab with one page dimension: the cross-tabs of two page dimensions read no other cross-tab here,
 * so no cycle.
 */
async function otherCrossTabBounds(
	db: Db,
	c: ConsultationView,
	s: Scope,
	a: Dimension,
	b: Dimension,
	level: 'perspective' | 'submission',
	rows: { key: string }[],
	columns: { key: string }[],
	count: (row: string, col: string) => number
): Promise<ViewConstraints | undefined> {
	if (!!PAGE_FILTERS[a] === !!PAGE_FILTERS[b]) return undefined;
	const p = PAGE_FILTERS[a] ? a : b;
	const onRows = p === a;
	const shared = onRows ? rows : columns;
	const margin = (key: string) =>
		onRows ? columns.reduce((t, x) => t + count(key, x.key), 0) : rows.reduce((t, x) => t + count(x.key, key), 0);
	const grand = rows.reduce((t, r) => t + columns.reduce((u, x) => u + count(r.key, x.key), 0), 0);
	const view = relatedScope(s, s.filters);
	const sources: CrossSource[] = [];
	for (const other of ['group', 'district', 'channel'] as const) {
		if (other === p) continue;
		// The counts in DIMENSIONS order (as the cross-tab reads them), the table with the shared dimension on its rows.
		const first = DIMENSIONS.indexOf(p) < DIMENSIONS.indexOf(other);
		const [table, truth] = await Promise.all([
			crossTabTable(db, c, view, p, other, 'none'),
			first ? q.crossCounts(db, view, p, other) : q.crossCounts(db, view, other, p)
		]);
		if (truth.level !== level) continue;
		const by = new Map<string, number>();
		let total = 0;
		for (const r of truth.rows) {
			const k = (first ? r.a : r.b) ?? UNKNOWN;
			by.set(k, (by.get(k) ?? 0) + r.n);
			total += r.n;
		}
		sources.push({ table, n: (k) => by.get(k) ?? 0, total });
	}
	return crossMarginBounds(shared, onRows, margin, grand, sources, s.filters.min);
}

/**
 * The entries of a sliced view's cross-tab that read "[c]" because the view's page table reads the same count "[c]"
 * (issue #11, the random audit's seed 12): an entry on a row (column) whose count is that value's count in the page
 * table (the row's or column's total, or a cell that is all of it, the others being zeros), where the page table
 * reads it "[c]", and the grand total where it is the page table's total and that reads "[c]". In a district's view
 * the channels table read online 1 and school 1 "[c]" beside library 5 and the total 7, while "District by channel"
 * (the district's row and the column totals: the same counts) read them "<5", so 7 − 5 = 1 + 1 with each at least 1
 * pinned both. The unfiltered view's cross-tabs take their margins' decisions from the page tables (marginsOf); a
 * sliced view's are protected with their family of slices, so only the labels follow (labels.ts blurLabels):
 * taking the decisions too, as first tried, moved the family's partners and let other seeds read off more.
 */
function pageLabels(
	rows: { key: string }[],
	columns: { key: string }[],
	count: (row: string, col: string) => number,
	sides: { rows?: PageTable; columns?: PageTable }
): Set<string> {
	const out = new Set<string>();
	const blurred = (p: PageTable | undefined, key: string) => {
		const cell = p?.table.rows.find((r) => r.key === key)?.cells[0];
		return !!cell?.suppressed && !cell.text.startsWith('<');
	};
	const rowTotal = (r: string) => columns.reduce((t, c) => t + count(r, c.key), 0);
	const colTotal = (c: string) => rows.reduce((t, r) => t + count(r.key, c), 0);
	const line = (p: PageTable | undefined, key: string, entries: [string, number][]) => {
		if (!p || !blurred(p, key)) return;
		for (const [k, n] of entries) if (n > 0 && n === p.n(key)) out.add(k);
	};
	for (const r of rows)
		line(sides.rows, r.key, [
			...columns.map((c): [string, number] => [cellKey(r.key, c.key), count(r.key, c.key)]),
			[cellKey(r.key, '_total'), rowTotal(r.key)]
		]);
	for (const c of columns)
		line(sides.columns, c.key, [
			...rows.map((r): [string, number] => [cellKey(r.key, c.key), count(r.key, c.key)]),
			[cellKey('_total', c.key), colTotal(c.key)]
		]);
	const grand = rows.reduce((t, r) => t + rowTotal(r.key), 0);
	for (const p of [sides.rows, sides.columns])
		if (p && p.total === grand && blurred(p, '_total')) out.add(cellKey('_total', '_total'));
	return out;
}

/** shownLineLabels in sliced cross-tabs; ANALYSIS_SHOWN_LINES=off turns it off (A/B runs and the seed-24 test's proof). */
const shownLines = () => envSwitch('ANALYSIS_SHOWN_LINES') !== 'off';

/**
 * The "<5" entries of a sliced view's cross-tab on a line whose total the cross-tab hides while the view's page
 * table shows that same count (issue #11, the random audit's seed 24). In `group=child` the districts table showed
 * Outside Worcestershire 8 and "District by channel" hid that row's total beside School 0, Event 0 and two "<5":
 * 8 = two counts of at most 4 pinned both at 4. Read "[c]" (any count), the two give 8 no bound. Labels only
 * (blurLabels), so no family's partners move, unlike the margins rule in sliced views (docs/analysis.md).
 */
function shownLineLabels(
	table: TableData,
	rows: { key: string }[],
	columns: { key: string }[],
	count: (row: string, col: string) => number,
	sides: { rows?: PageTable; columns?: PageTable }
): Set<string> {
	const out = new Set<string>();
	const hidden = (row: string, col: string) => {
		const j = table.columns.findIndex((x) => x.key === col);
		return !!table.rows.find((r) => r.key === row)?.cells[j]?.suppressed;
	};
	const shown = (p: PageTable | undefined, key: string) => {
		const cell = p?.table.rows.find((r) => r.key === key)?.cells[0];
		return !!cell && !cell.suppressed;
	};
	for (const r of rows) {
		const n = columns.reduce((t, c) => t + count(r.key, c.key), 0);
		if (n > 0 && shown(sides.rows, r.key) && sides.rows?.n(r.key) === n && hidden(r.key, '_total'))
			for (const c of columns) out.add(cellKey(r.key, c.key));
	}
	for (const c of columns) {
		const n = rows.reduce((t, r) => t + count(r.key, c.key), 0);
		if (n > 0 && shown(sides.columns, c.key) && sides.columns?.n(c.key) === n && hidden('_total', c.key))
			for (const r of rows) out.add(cellKey(r.key, c.key));
	}
	return out;
}

function weekOfDay(day: string, start: string) {
	return Math.floor((Date.parse(`${day}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / (7 * 86_400_000)) + 1;
}

function categoriesFor(
	d: Dimension,
	c: ConsultationView,
	present: Set<string>,
	locs: { id: number; name: string }[],
	start: string
) {
	const withUnknown = (list: { key: string; label: string }[], unknownLabel: string) => [
		...list,
		...(present.has(UNKNOWN) && !list.some((x) => x.key === UNKNOWN) ? [{ key: UNKNOWN, label: unknownLabel }] : []),
		...[...present].filter((p) => p !== UNKNOWN && !list.some((x) => x.key === p)).map((p) => ({ key: p, label: p }))
	];
	const eq = EQUALITY_DIMENSION[d];
	if (eq)
		return withUnknown(
			equalityCategories(eq).filter((cat) => present.has(cat.key)),
			'Left blank'
		);
	switch (d) {
		case 'group':
			return withUnknown(groupItems(c), NOT_KNOWN_GROUP);
		case 'district':
			return withUnknown(
				c.districts.map((x) => ({ key: x.code, label: x.label })),
				NOT_GIVEN_DISTRICT
			);
		case 'channel':
			return withUnknown(
				CHANNELS.filter((ch) => present.has(ch)).map((ch) => ({ key: ch, label: channelLabel(ch) })),
				'Unknown'
			);
		case 'location':
			return withUnknown(
				locs.filter((x) => present.has(String(x.id))).map((x) => ({ key: String(x.id), label: x.name })),
				'No location (online)'
			);
		case 'week':
			return [...present]
				.filter((p) => p !== UNKNOWN)
				.map(Number)
				.sort((x, y) => x - y)
				.map((w) => ({ key: String(w), label: weekBucket(w, start).label }));
		default:
			return withUnknown([], 'Unknown');
	}
}

export interface QuestionThemes {
	question: { id: number; key: string; text: string };
	counts: TableData;
	ticks: TableData;
	themes: { id: number; label: string; total: number }[];
}

/** The theme x group tables of one question. */
export async function questionThemeTables(
	db: Db,
	c: ConsultationView,
	s: Scope,
	questionKey: string,
	rule: TickRule,
	l: Links,
	opts: { includeUnknownGroup?: boolean; groups?: string[] } = {}
): Promise<QuestionThemes | null> {
	return builtOnce(s, `themes:${questionKey}:${JSON.stringify(rule)}:${JSON.stringify(opts)}`, l, async () => {
		const question = c.questions.find((x) => x.key === questionKey);
		if (!question) return null;
		const [counts, themes, wider] = await Promise.all([
			q.themeCounts(db, s, question.id),
			// The filters do not change a question's themes: once per request for every scope of the family.
			memoisedInFamily(s, `active-themes:${question.id}`, () => q.activeThemes(db, [question.id])),
			widerConstraints(
				s,
				`themes:${questionKey}:${JSON.stringify(opts)}`,
				async (w) => {
					const t = await questionThemeTables(db, c, w, questionKey, rule, countsOnly(l), opts);
					return t ? [t.counts] : [];
				},
				db
			)
		]);
		const k = (v: string | null) => v ?? UNKNOWN;
		let groups = groupItems(c);
		if (opts.groups) groups = groups.filter((g) => opts.groups!.includes(g.key));
		if (opts.includeUnknownGroup !== false && counts.groups.some((g) => g.key === null))
			groups = [...groups, { key: UNKNOWN, label: NOT_KNOWN_GROUP }];
		if (s.filters.group) groups = groups.filter((g) => g.key === s.filters.group);
		const tables = themeTables({
			question: { key: question.key, text: staffQuestionText(question) },
			themes: themes.map((t) => ({ id: t.id, label: t.label })),
			groups,
			groupAnswers: new Map(counts.groups.map((g) => [k(g.key), g.n])),
			counts: new Map(counts.themes.map((r) => [`${r.themeId}|${k(r.group)}`, r.n])),
			uncoded: new Map(counts.uncoded.map((r) => [k(r.key), r.n])),
			min: s.filters.min,
			rule,
			hrefFor: (themeId, group) =>
				reviewHref(l, { question: question.key, theme: themeId ?? undefined, group: group || undefined }),
			cross: wider.get(`themes-${question.key}`)
		});
		const totalFor = (id: number) => counts.themes.filter((r) => r.themeId === id).reduce((t, r) => t + r.n, 0);
		return {
			question: { id: question.id, key: question.key, text: staffQuestionText(question) },
			...tables,
			themes: themes.map((t) => ({ id: t.id, label: t.label, total: totalFor(t.id) }))
		};
	});
}

export { scopeOf, pct };
