/**
 * Everything the consultation report shows (page, Markdown and Word alike): the figures
 * and tables as the filters and tick rule give them, through the analysis cache, plus
 * the narrative sections the officers wrote.
 */
import type { Db } from '../db/connect';
import type { ConsultationView } from '../consultations/queries';
import type { Filters } from '../../analysis/filters';
import type { TickRule } from '../../analysis/tables';
import { filterQuery, isFiltered } from '../../analysis/filters';
import { describeTickRule } from '../../analysis/tables';
import { methodStatement } from '../../analysis/method';
import {
	headline,
	headlineFigures,
	questionThemeTables,
	groupTables,
	channelTables,
	equalityTables
} from '../analysis/dashboard';
import { activeThemes } from '../analysis/queries';
import { aggDemoSubmissions } from '../analysis/aggregates';
import { collectionMethod } from '../analysis/method';
import { starredQuotes } from '../review/quotes';
import { cachedAnalysis } from '../analysis/cache';
import { methodFacts } from '../sample-check/method';
import { wordingsAsAsked } from '../consultations/wordings';
import type { Scope } from '../analysis/scope';
import { narrativeSections } from './narrative';

export async function reportData(
	db: Db,
	c: ConsultationView,
	filters: Filters,
	scope: Scope,
	rule: TickRule,
	base: string
) {
	const links = { base, filters };
	// A sample verdict changes the method statement; it bumps the data version, which keys the cache.
	const figures = await cachedAnalysis(
		db,
		c.id,
		`report${filterQuery(filters, { top: rule.top, pct: rule.minPct })}`,
		async () => {
			const [head, groups, channels, equality, method, themes, facts, demo] = await Promise.all([
				headline(db, scope),
				groupTables(db, c, scope, links),
				channelTables(db, c, scope, links),
				equalityTables(db, scope),
				collectionMethod(db, c, scope),
				activeThemes(
					db,
					c.questions.map((q) => q.id)
				),
				methodFacts(db, c),
				demoSubmissions(db, c.id)
			]);
			const perQuestion = (
				await Promise.all(c.questions.map((q) => questionThemeTables(db, c, scope, q.key, rule, links)))
			).filter((t) => t !== null && t.themes.length > 0);
			const quotes = await starredQuotes(
				db,
				themes.map((t) => t.id)
			);
			return {
				headline: headlineFigures(head, [...groups, ...channels], filters.min),
				groups,
				channels,
				equality,
				perQuestion: perQuestion.map((t) => t!),
				quotes: themes
					.map((t) => ({
						themeId: t.id,
						questionId: t.question_id,
						label: t.label,
						quotes: quotes.filter((q) => q.themeId === t.id)
					}))
					.filter((t) => t.quotes.length > 0),
				method,
				ruleText: describeTickRule(rule),
				coding: methodStatement(facts, describeTickRule(rule)),
				demo,
				filters,
				filtered: isFiltered(filters),
				query: filterQuery(filters)
			};
		}
	);
	// Not cached: an officer's edit must show at once (the cache does not watch these rows).
	const narrative = await narrativeSections(db, c, figures);
	// Outside the cache: a change of wording changes this without a new answer.
	const wordings = await wordingsAsAsked(db, c.id);
	return { ...figures, narrative, wordings };
}

export type ReportData = Awaited<ReturnType<typeof reportData>>;

/** How many of the consultation's submissions are demo rows (the report says so). */
async function demoSubmissions(db: Db, consultationId: number): Promise<number> {
	const agg = await aggDemoSubmissions(db, consultationId);
	if (agg !== null) return agg;
	const r = await db
		.selectFrom('submission')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('consultation_id', '=', consultationId)
		.where('is_demo', '=', 1)
		.executeTakeFirst();
	return Number(r?.n ?? 0);
}
