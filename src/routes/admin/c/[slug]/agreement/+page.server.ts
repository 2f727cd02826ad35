import { analysisContext } from '$lib/server/analysis/route';
import { agreementTable } from '$lib/server/analysis/registry';
import { cachedMethodFacts } from '$lib/server/sample-check/method';
import { methodStatement } from '$lib/analysis/method';
import { parseTickRule } from '$lib/analysis/filters';
import { describeTickRule } from '$lib/analysis/tables';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { db, consultation, filters } = await analysisContext(event);
	const [table, facts] = await Promise.all([
		agreementTable(db, consultation, filters),
		cachedMethodFacts(db, consultation)
	]);
	return { table, method: methodStatement(facts, describeTickRule(parseTickRule(event.url.searchParams))) };
};
