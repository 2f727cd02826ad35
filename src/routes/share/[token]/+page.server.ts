import { error } from '@sveltejs/kit';
import { getConsultation } from '$lib/server/consultations/queries';
import { publicShape } from '$lib/server/analysis/route';
import { useShareLink, SHARE_REFUSED } from '$lib/server/results/share';
import { sharedReportData } from '$lib/server/report/shared';
import type { PageServerLoad } from './$types';

// A page to read, with nothing to do in the browser (charts are SVG, updates are <details>): sent
// without the app's JavaScript and the copy of the page's data it would hydrate from.
export const csr = false;

/**
 * A read-only share link: the consultation report as officers wrote it (published results or not),
 * with only what may leave the council (sharedReportData), every use audited.
 */
export const load: PageServerLoad = async (event) => {
	event.setHeaders({ 'cache-control': 'no-store', 'x-robots-tag': 'noindex', 'referrer-policy': 'no-referrer' });
	const use = await useShareLink(event.locals.db, event.params.token);
	if (!use.ok) error(use.reason === 'unknown' ? 404 : 410, SHARE_REFUSED[use.reason]);
	const c = await getConsultation(event.locals.db, use.slug);
	if (!c) error(404, SHARE_REFUSED.unknown);
	const { report, actions } = await sharedReportData(event.locals.db, c);
	return {
		consultation: publicShape(c),
		report,
		// "You said, we did", as on the public results page (its updates dated, newest first).
		actions,
		shared: { expiresAt: use.expiresAt }
	};
};
