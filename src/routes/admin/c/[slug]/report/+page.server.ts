import { analysisContext } from '$lib/server/analysis/route';
import { reportData } from '$lib/server/report/data';
import { parseTickRule } from '$lib/analysis/filters';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { db, consultation: c, filters, scope, base } = await analysisContext(event);
	return reportData(db, c, filters, scope, parseTickRule(event.url.searchParams), base);
};
