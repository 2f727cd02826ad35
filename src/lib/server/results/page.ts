/** The data of the results page as the page component takes it (public page and share link). */
import { barsOf, defaultMeasure } from '../../analysis/chart';
import type { ConsultationView } from '../consultations/queries';
import { ACTION_STATUSES, type PublicResults } from './index';

export function resultsPageData(c: ConsultationView, results: PublicResults, easy: boolean) {
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
		actions: results.actions.map((a) => ({
			...a,
			statusText: statusText[a.status],
			updates: a.updates.map((u) => ({ ...u, statusText: statusText[u.status] }))
		}))
	};
}
