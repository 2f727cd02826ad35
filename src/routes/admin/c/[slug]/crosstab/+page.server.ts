import { analysisContext } from '$lib/server/analysis/route';
import { crossTabTable } from '$lib/server/analysis/dashboard';
import { crossTabProblem, filterQuery, parseCrossTab } from '$lib/analysis/filters';
import { DIMENSIONS, DIMENSION_LABELS, isDimension, type Dimension } from '$lib/analysis/dimensions';
import { cachedAnalysis } from '$lib/server/analysis/cache';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { db, consultation, filters, scope } = await analysisContext(event);
	const x = parseCrossTab(event.url.searchParams, isDimension);
	const problem = crossTabProblem(x);
	const table = problem
		? null
		: await cachedAnalysis(
				db,
				consultation.id,
				`crosstab${filterQuery(filters, { a: x.a, b: x.b, percent: x.percent })}`,
				() => crossTabTable(db, consultation, scope, x.a as Dimension, x.b as Dimension, x.percent)
			);
	return {
		table,
		errors: problem ? { b: problem } : {},
		filters,
		choice: x,
		dimensions: DIMENSIONS.map((d) => ({ key: d, label: DIMENSION_LABELS[d] })),
		query: filterQuery(filters, { a: x.a, b: x.b, percent: x.percent })
	};
};
