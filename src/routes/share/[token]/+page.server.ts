import { error } from '@sveltejs/kit';
import { getConsultation } from '$lib/server/consultations/queries';
import { isEasy } from '$lib/server/survey/context';
import { publicResults } from '$lib/server/results';
import { useShareLink } from '$lib/server/results/share';
import { resultsPageData } from '$lib/server/results/page';
import type { PageServerLoad } from './$types';

// A page to read, with nothing to do in the browser (charts are SVG, updates are <details>): sent
// without the app's JavaScript and the copy of the page's data it would hydrate from, which was
// most of its weight (issue #14: <= 60 KB at 100,000 answers).
export const csr = false;

const WHY = {
	unknown: 'This link is not valid.',
	expired: 'This link has expired. Ask the council for a new one.',
	revoked: 'This link has been withdrawn. Ask the council for a new one.'
};

/** A read-only share link: the results as on the public page (whether or not that is published), every use audited. */
export const load: PageServerLoad = async (event) => {
	event.setHeaders({ 'cache-control': 'no-store', 'x-robots-tag': 'noindex', 'referrer-policy': 'no-referrer' });
	const use = await useShareLink(event.locals.db, event.params.token);
	if (!use.ok) error(use.reason === 'unknown' ? 404 : 410, WHY[use.reason]);
	const c = await getConsultation(event.locals.db, use.slug);
	const results = c && (await publicResults(event.locals.db, c, { evenUnpublished: true }));
	if (!c || !results) error(404, WHY.unknown);
	return { ...resultsPageData(c, results, isEasy(event.url)), shared: { expiresAt: use.expiresAt } };
};
