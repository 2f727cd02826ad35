import { analysisContext } from '$lib/server/analysis/route';
import { headline, headlineFigures } from '$lib/server/analysis/dashboard';
import { dashboardTables } from '$lib/server/analysis/registry';
import { filterQuery, isFiltered, parseTickRule } from '$lib/analysis/filters';
import { cachedAnalysis } from '$lib/server/analysis/cache';
import { readingCoverage } from '$lib/server/safeguarding/reading';
import { methodFacts } from '$lib/server/sample-check/method';
import { methodStatement } from '$lib/analysis/method';
import { describeTickRule } from '$lib/analysis/tables';
import { answersByLanguage } from '$lib/server/i18n/answers';
import { untranslated } from '$lib/i18n/consultation';
import { LANGUAGES } from '$lib/i18n/languages';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { db, consultation, filters, scope, base } = await analysisContext(event);
	// The sample stamp in the key: a sample verdict changes the method statement.
	// Reading coverage is not cached: it changes with every answer a person reads (not a data-version write).
	// Answers by language changes only with answers (written, reviewed): cached by the data version. All three
	// at once, so a cached page waits for one round of queries, not two.
	const [{ head, tables, facts }, coverage, languages] = await Promise.all([
		cachedAnalysis(db, consultation.id, `dashboard${filterQuery(filters)}`, async () => {
			const [head, tables, facts] = await Promise.all([
				headline(db, scope),
				dashboardTables(db, consultation, filters, base, scope),
				methodFacts(db, consultation)
			]);
			return { head, tables, facts };
		}),
		readingCoverage(db, consultation.id),
		cachedAnalysis(db, consultation.id, 'answers-by-language', () => answersByLanguage(db, consultation.id))
	]);
	const method = methodStatement(facts, describeTickRule(parseTickRule(event.url.searchParams)));
	return {
		headline: headlineFigures(head, tables, filters.min),
		tables,
		filters,
		query: filterQuery(filters),
		filtered: isFiltered(filters),
		coverage,
		method,
		languages,
		untranslated: untranslated(
			consultation,
			consultation.translations,
			LANGUAGES.map((l) => l.code)
		).map((r) => ({ ...r, name: LANGUAGES.find((l) => l.code === r.language)!.english }))
	};
};
