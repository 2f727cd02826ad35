import { analysisContext } from '$lib/server/analysis/route';
import { questionThemeTables } from '$lib/server/analysis/dashboard';
import { filterQuery, parseTickRule } from '$lib/analysis/filters';
import { describeTickRule } from '$lib/analysis/tables';
import { cachedAnalysis } from '$lib/server/analysis/cache';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { db, consultation, filters, scope, base } = await analysisContext(event);
	const rule = parseTickRule(event.url.searchParams);
	const keys = filters.question ? [filters.question] : consultation.questions.map((q) => q.key);
	const tables = await cachedAnalysis(
		db,
		consultation.id,
		`themes${filterQuery(filters, { top: rule.top, pct: rule.minPct })}`,
		async () =>
			(
				await Promise.all(keys.map((k) => questionThemeTables(db, consultation, scope, k, rule, { base, filters })))
			).filter((t) => t !== null)
	);
	return {
		tables,
		filters,
		rule,
		ruleText: describeTickRule(rule),
		query: filterQuery(filters, { top: rule.top, pct: rule.minPct })
	};
};
