import { error } from '@sveltejs/kit';
import { requireConsultationManager } from '$lib/server/auth/guard';
import { getConsultation } from '$lib/server/consultations/queries';
import { codebookFile } from '$lib/server/consultations/codebook-files';
import type { RequestHandler } from './$types';

/** One question's codebook as the JSON file the CLI reads (codebooks/<slug>/<key>.json). */
export const GET: RequestHandler = async (event) => {
	requireConsultationManager(event);
	const c = await getConsultation(event.locals.db, event.params.slug);
	const text = c ? await codebookFile(event.locals.db, c.id, event.params.key) : null;
	if (!c || text === null) error(404, 'There is no such question.');
	return new Response(text, {
		headers: {
			'content-type': 'application/json; charset=utf-8',
			'content-disposition': `attachment; filename="${event.params.key}.json"`
		}
	});
};
