import { error } from '@sveltejs/kit';
import { consultationFor } from '$lib/server/survey/context';
import { publicResults, ACTION_STATUSES } from '$lib/server/results';
import { barsOf, defaultMeasure } from '$lib/analysis/chart';
import type { PageServerLoad } from './$types';

/** The public results page: only when an officer has published it (404 otherwise, withdrawn included). */
export const load: PageServerLoad = async (event) => {
	const { c, easy } = await consultationFor(event);
	const results = await publicResults(event.locals.db, c);
	if (!results) error(404, 'The results of this consultation are not published.');
	const statusText = Object.fromEntries(ACTION_STATUSES.map((s) => [s.value, easy ? s.easy : s.label]));
	return {
		easy,
		slug: c.slug,
		title: c.title,
		organisation: c.organisation,
		summary: results.summary,
		publishedAt: results.publishedAt,
		submissions: results.submissions,
		tables: results.tables.map((t) => ({ table: t, bars: barsOf(t, 0, 'count'), measure: 'count' as const })),
		questions: results.questions.map((q) => {
			const all = q.table.columns.length - 1;
			const measure = defaultMeasure(q.table, all);
			return { ...q, bars: barsOf(q.table, all, measure), measure };
		}),
		actions: results.actions.map((a) => ({ ...a, statusText: statusText[a.status], updates: a.updates.map((u) => ({ ...u, statusText: statusText[u.status] })) }))
	};
};
