import { consultationFor } from '$lib/server/survey/context';
import { contactLine } from '$lib/domain/consultation-content';
import { isPublished } from '$lib/server/results';
import type { PageServerLoad } from './$types';

/** Works without the draft (it is gone by now): everything it shows is in the URL. */
export const load: PageServerLoad = async (event) => {
	const { c, easy } = await consultationFor(event);
	const ref = (event.url.searchParams.get('ref') ?? '').toUpperCase();
	return {
		easy,
		title: c.title,
		organisation: c.organisation,
		results: c.content.results,
		contact: contactLine(c.content.contact, event.locals.lang),
		resultsPublished: await isPublished(event.locals.db, c.id),
		slug: c.slug,
		reference: /^[0-9A-Z]{5}-[0-9A-Z]{5}$/.test(ref) ? ref : null
	};
};
