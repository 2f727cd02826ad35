import { analysisContext } from '$lib/server/analysis/route';
import { agreementTable } from '$lib/server/analysis/registry';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { db, consultation, filters } = await analysisContext(event);
	return { table: await agreementTable(db, consultation, filters) };
};
