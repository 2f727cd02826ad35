import { error } from '@sveltejs/kit';
import { analysisContext } from '$lib/server/analysis/route';
import { tableById } from '$lib/server/analysis/registry';
import { crossTabProblem, parseCrossTab } from '$lib/analysis/filters';
import { isDimension } from '$lib/analysis/dimensions';
import { tableCsv, tableXlsx } from '$lib/server/exports/tables';
import { cachedAnalysis } from '$lib/server/analysis/cache';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	const { db, consultation, filters, base } = await analysisContext(event);
	const m = /^([a-z0-9_-]{1,60})\.(csv|xlsx)$/.exec(event.params.file);
	if (!m) error(404, 'No such table.');
	const problem = m[1] === 'crosstab' ? crossTabProblem(parseCrossTab(event.url.searchParams, isDimension)) : undefined;
	if (problem) error(400, problem);
	const build = () => tableById(db, consultation, filters, m[1], event.url.searchParams, base);
	// Agreement depends on the engine's confidences, which the cache fingerprint does not follow.
	const table =
		m[1] === 'agreement'
			? await build()
			: await cachedAnalysis(db, consultation.id, `table:${m[1]}${event.url.search}`, build);
	if (!table) error(404, 'No such table.');
	const name = `${consultation.slug}-${table.id}.${m[2]}`;
	const headers = { 'content-disposition': `attachment; filename="${name}"`, 'cache-control': 'no-store' };
	if (m[2] === 'csv')
		return new Response(`\uFEFF${tableCsv(table)}`, {
			headers: { ...headers, 'content-type': 'text/csv; charset=utf-8' }
		});
	return new Response(new Uint8Array(await tableXlsx([table])), {
		headers: { ...headers, 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }
	});
};
