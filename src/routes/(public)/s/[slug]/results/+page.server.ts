import { error } from '@sveltejs/kit';
import { consultationFor } from '$lib/server/survey/context';
import { publicResults } from '$lib/server/results';
import { resultsPageData } from '$lib/server/results/page';
import { m } from '$lib/paraglide/messages';
import type { PageServerLoad } from './$types';

// A page to read, with nothing to do in the browser (charts are SVG, updates are <details>): sent
// without the app's JavaScript and the copy of the page's data it would hydrate from, which was
// most of its weight (issue #14: <= 60 KB at 100,000 answers).
export const csr = false;

/** The public results page: only when an officer has published it (404 otherwise, withdrawn included). */
export const load: PageServerLoad = async (event) => {
	const { c, easy } = await consultationFor(event);
	const results = await publicResults(event.locals.db, c);
	if (!results) error(404, m.results_not_published());
	return resultsPageData(c, results, easy);
};
