import { consultationFor } from '$lib/server/survey/context';
import type { PageServerLoad } from './$types';

/** Works without the draft (it is gone by now): everything it shows is in the URL. */
export const load: PageServerLoad = async (event) => {
	const { c, easy } = await consultationFor(event);
	const ref = (event.url.searchParams.get('ref') ?? '').toUpperCase();
	return {
		easy,
		title: c.title,
		organisation: c.organisation,
		reference: /^[0-9A-Z]{5}-[0-9A-Z]{5}$/.test(ref) ? ref : null
	};
};
