import { analysisContext } from '$lib/server/analysis/route';
import { dashboardTables } from '$lib/server/analysis/registry';
import { tableXlsx } from '$lib/server/exports/tables';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	const { db, consultation, filters, base } = await analysisContext(event);
	const body = await tableXlsx(await dashboardTables(db, consultation, filters, base));
	return new Response(new Uint8Array(body), {
		headers: {
			'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
			'content-disposition': `attachment; filename="${consultation.slug}-tables.xlsx"`,
			'cache-control': 'no-store'
		}
	});
};
