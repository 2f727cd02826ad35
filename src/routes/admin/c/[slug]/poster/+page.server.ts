import { analysisContext } from '$lib/server/analysis/route';
import { posterFor } from '$lib/server/survey/paper';
import type { PageServerLoad } from './$types';

/** An A4 poster for libraries and schools: the survey's QR code (drawn on the server as SVG) and short link. */
export const load: PageServerLoad = async (event) => {
	const { consultation } = await analysisContext(event);
	return { slug: consultation.slug, poster: await posterFor(consultation, event.url.origin) };
};
