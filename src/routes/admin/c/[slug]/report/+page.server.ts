import { analysisContext } from '$lib/server/analysis/route';
import {
	headline,
	headlineFigures,
	questionThemeTables,
	groupTables,
	channelTables,
	equalityTables
} from '$lib/server/analysis/dashboard';
import { activeThemes } from '$lib/server/analysis/queries';
import { collectionMethod } from '$lib/server/analysis/method';
import { starredQuotes } from '$lib/server/review/quotes';
import { filterQuery, isFiltered, parseTickRule } from '$lib/analysis/filters';
import { describeTickRule } from '$lib/analysis/tables';
import { cachedAnalysis } from '$lib/server/analysis/cache';
import { methodFacts, sampleStamp } from '$lib/server/sample-check/method';
import { methodStatement } from '$lib/analysis/method';
import { wordingsAsAsked } from '$lib/server/consultations/wordings';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { db, consultation: c, filters, scope, base } = await analysisContext(event);
	const rule = parseTickRule(event.url.searchParams);
	const links = { base, filters };
	// The sample stamp in the key: a sample verdict changes the method statement.
	// Outside the cache: a change of wording changes this without a new answer.
	const wordings = await wordingsAsAsked(db, c.id);
	const report = await cachedAnalysis(
		db,
		c.id,
		`report${filterQuery(filters, { top: rule.top, pct: rule.minPct })}|${await sampleStamp(db, c.id)}`,
		async () => {
			const [head, groups, channels, equality, method, themes, facts] = await Promise.all([
				headline(db, scope),
				groupTables(db, c, scope, links),
				channelTables(db, c, scope, links),
				equalityTables(db, scope),
				collectionMethod(db, c, scope),
				activeThemes(
					db,
					c.questions.map((q) => q.id)
				),
				methodFacts(db, c)
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
				equality,
				perQuestion,
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
				filters,
				filtered: isFiltered(filters),
				query: filterQuery(filters)
			};
		}
	);
	return { ...report, wordings };
};
