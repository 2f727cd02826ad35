/**
 * Every table the analysis screens show, by id, so that any of them can be
 * exported (CSV or XLSX) exactly as shown, with the same filters.
 */
import type { Db } from '../db/connect';
import type { ConsultationView } from '../consultations/queries';
import type { Filters } from '../../analysis/filters';
import { crossTabProblem, parseCrossTab, parseTickRule } from '../../analysis/filters';
import { isDimension, type Dimension } from '../../analysis/dimensions';
import type { TableData } from '../../analysis/tables';
import type { ViewConstraints } from '../../analysis/suppress';
import { agreement } from '../../analysis/stats';
import * as d from './dashboard';
import { agreementCounts } from './queries';
import { scopeOf, type Scope } from './scope';
import { staffQuestionText } from '../../domain/questions';

/** All the dashboard's tables, in page order. */
export async function dashboardTables(
	db: Db,
	c: ConsultationView,
	filters: Filters,
	base: string,
	scope?: Scope
): Promise<TableData[]> {
	const s = scope ?? scopeOf(c, filters);
	const l = { base, filters };
	const [weeks, questions, groups, channels, equality] = await Promise.all([
		d.weeksTable(db, c, s),
		d.questionsTable(db, c, s, l),
		d.groupTables(db, c, s, l),
		d.channelTables(db, c, s, l),
		d.equalityTables(db, s)
	]);
	return [weeks, questions, ...groups, ...channels, ...equality];
}

/**
 * Every table on the analysis screens, for tables.xlsx: the dashboard's, then each question's
 * theme table and tick table (with the tick rule on screen), then the agreement table. Each is
 * built by the same builder as its screen, so it is suppressed exactly as shown.
 */
export async function everyTable(
	db: Db,
	c: ConsultationView,
	filters: Filters,
	base: string,
	params: URLSearchParams
): Promise<TableData[]> {
	const s = scopeOf(c, filters);
	const rule = parseTickRule(params);
	const [dashboard, perQuestion, agree] = await Promise.all([
		dashboardTables(db, c, filters, base, s),
		Promise.all(c.questions.map((q) => d.questionThemeTables(db, c, s, q.key, rule, { base, filters }))),
		agreementTable(db, c, filters)
	]);
	const themeTables = perQuestion.flatMap((qt) => (qt ? [qt.counts, qt.ticks] : []));
	return [...dashboard, ...themeTables, agree];
}

export async function agreementTable(db: Db, c: ConsultationView, filters: Filters): Promise<TableData> {
	const rows = await agreementCounts(db, scopeOf(c, filters));
	const fmt = (v: number | null) => (v === null ? '–' : v.toFixed(2));
	const line = (
		key: string,
		label: string,
		r: { tp: number; fp: number; fn: number; reviewed: number; answers: number }
	) => {
		const a = agreement(r.tp, r.fp, r.fn);
		const cells = [r.reviewed, r.answers, a.precision, a.recall, a.f1].map((v, i) =>
			i < 2
				? { n: v as number, pct: null, text: (v as number).toLocaleString('en-GB') }
				: { n: v === null ? null : Math.round((v as number) * 100) / 100, pct: null, text: fmt(v as number | null) }
		);
		return { key, label, cells };
	};
	const sum = rows.reduce(
		(t, r) => ({
			tp: t.tp + r.tp,
			fp: t.fp + r.fp,
			fn: t.fn + r.fn,
			reviewed: t.reviewed + r.reviewed,
			answers: t.answers + r.answers
		}),
		{ tp: 0, fp: 0, fn: 0, reviewed: 0, answers: 0 }
	);
	return {
		id: 'agreement',
		caption: 'Agreement between the automatic coding and officers’ coding, on reviewed answers',
		rowHeading: 'Question',
		columns: [
			{ key: 'reviewed', label: 'Answers reviewed' },
			{ key: 'answers', label: 'Answers' },
			{ key: 'precision', label: 'Precision' },
			{ key: 'recall', label: 'Recall' },
			{ key: 'f1', label: 'F1' }
		],
		rows: [
			...c.questions.map((q) =>
				line(
					q.key,
					`${q.key.toUpperCase()}. ${staffQuestionText(q)}`,
					rows.find((r) => r.questionId === q.id) ?? { tp: 0, fp: 0, fn: 0, reviewed: 0, answers: 0 }
				)
			),
			{ ...line('_all', 'All questions', sum), kind: 'total' as const }
		],
		notes: [
			'Precision: of the themes the automatic coding gave, the share the officer kept. Recall: of the themes the officer’s final coding has, the share the automatic coding had found. F1 combines the two (1 = perfect agreement).',
			'Only answers an officer has reviewed are compared; "–" means nothing to compare yet.'
		],
		anySuppressed: false,
		hasPct: false
	};
}

/** One table by id, for exports; null when the id is unknown. */
export async function tableById(
	db: Db,
	c: ConsultationView,
	filters: Filters,
	id: string,
	params: URLSearchParams,
	base: string
): Promise<TableData | null> {
	const s = scopeOf(c, filters);
	const l = { base, filters };
	if (id === 'weeks') return d.weeksTable(db, c, s);
	if (id === 'questions') return d.questionsTable(db, c, s, l);
	if (id === 'groups' || id === 'districts' || id === 'groups-districts')
		return (await d.groupTables(db, c, s, l)).find((t) => t.id === id) ?? null;
	if (id === 'channels' || id === 'locations')
		return (await d.channelTables(db, c, s, l)).find((t) => t.id === id) ?? null;
	const eq = (Object.entries(d.EQUALITY_TABLE_IDS) as [keyof typeof d.EQUALITY_TABLE_IDS, string][]).find(
		([, tid]) => tid === id
	);
	if (eq) return (await d.equalityTables(db, s, [eq[0]]))[0];
	if (id === 'crosstab') {
		const x = parseCrossTab(params, isDimension);
		if (crossTabProblem(x)) return null;
		return d.crossTabTable(db, c, s, x.a as Dimension, x.b as Dimension, x.percent);
	}
	if (id === 'agreement') return agreementTable(db, c, filters);
	const m = /^(themes|ticks)-([a-z0-9_-]+)$/.exec(id);
	if (m) {
		const qt = await d.questionThemeTables(db, c, s, m[2], parseTickRule(params), { base, filters });
		return qt ? (m[1] === 'themes' ? qt.counts : qt.ticks) : null;
	}
	return null;
}

export { CROSS_TAB_LINES, FILTER_DIMENSIONS, PUBLISHED_CROSS_TABS } from '../../analysis/lines';

/**
 * The cross-tab of `a` by `b` in scope `s`, as its page shows it (crossTabTable: counts and what it
 * hides do not depend on the percentages). Built from the scope alone (wider.ts has no
 * ConsultationView): rows and columns are keyed by code, which is all the protection reads.
 */
export function crossTabOf(db: Db, s: Scope, a: Dimension, b: Dimension): Promise<TableData> {
	return d.crossTabTable(db, viewOf(s), s, a, b, 'none');
}

/**
 * The channels table of scope `s`, counts only, as its page shows it (what it hides): wider.ts reads a view's
 * "Total asked" off its online channel (the survey is the only channel that asks the equality questions).
 */
export async function channelsTableOf(db: Db, s: Scope): Promise<TableData> {
	const tables = await d.channelTables(db, viewOf(s), s, { base: '', filters: s.filters, none: true });
	return tables.find((t) => t.id === 'channels')!;
}

/**
 * The weeks table of scope `s` as its page shows it: wider.ts reads a dated view's channels table as the view
 * without the dates' weeks rows (weekChannelsLine).
 */
export function weeksTableOf(db: Db, s: Scope): Promise<TableData> {
	return d.weeksTable(db, viewOf(s), s);
}

/**
 * What the wider views alone ask of the channels table of scope `s` (dashboard.ts sharedOwnWider): wider.ts hides a
 * filtered view's weeks margins that are channel counts those views hide (weeksFromChannels).
 */
export async function channelsOwnWiderOf(db: Db, s: Scope): Promise<ViewConstraints | undefined> {
	return (await d.sharedOwnWider(db, viewOf(s), s)).get('channels');
}

/**
 * The consultation as the table builders read it, from the scope alone (wider.ts has no ConsultationView):
 * rows and columns keyed by code, labelled by code, which is all the protection reads.
 */
function viewOf(s: Scope): ConsultationView {
	return {
		id: s.consultationId,
		questions: [...s.questionIds].map(([key, id]) => ({ key, id })),
		districts: (s.districts ?? []).map((code) => ({ code, label: code })),
		groups: (s.groups ?? []).map((code) => ({ code, label: code })),
		opensAt: s.opensAt ?? null
	} as unknown as ConsultationView;
}
