import { analysisContext } from '$lib/server/analysis/route';
import { everyTable } from '$lib/server/analysis/registry';
import { filterWords, tableXlsx } from '$lib/server/exports/tables';
import { parseTickRule } from '$lib/analysis/filters';
import { describeTickRule } from '$lib/analysis/tables';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	const { db, consultation, filters, base } = await analysisContext(event);
	const params = event.url.searchParams;
	const tables = await everyTable(db, consultation, filters, base, params);
	const body = await tableXlsx(tables, {
		threshold: filters.min,
		madeAt: new Date().toISOString(),
		filters: filterWords(consultation, filters, describeTickRule(parseTickRule(params)))
	});
	return new Response(new Uint8Array(body), {
		headers: {
			'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
			'content-disposition': `attachment; filename="${consultation.slug}-tables.xlsx"`,
			'cache-control': 'no-store'
		}
	});
};
