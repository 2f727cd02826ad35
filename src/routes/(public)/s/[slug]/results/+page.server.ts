import { error } from '@sveltejs/kit';
import { consultationFor } from '$lib/server/survey/context';
import { publicResults } from '$lib/server/results';
import { resultsPageData } from '$lib/server/results/page';
import type { PageServerLoad } from './$types';

/** The public results page: only when an officer has published it (404 otherwise, withdrawn included). */
export const load: PageServerLoad = async (event) => {
	const { c, easy } = await consultationFor(event);
	const results = await publicResults(event.locals.db, c);
	if (!results) error(404, 'The results of this consultation are not published.');
	return resultsPageData(c, results, easy);
};
