import { error } from '@sveltejs/kit';
import { requireConsultationManager } from '$lib/server/auth/guard';
import { definitionText, storedDefinition } from '$lib/server/consultations/builder';
import type { RequestHandler } from './$types';

/** The consultation file, as `npm run consultation -- export SLUG` writes it. */
export const GET: RequestHandler = async (event) => {
	requireConsultationManager(event);
	const def = await storedDefinition(event.locals.db, event.params.slug);
	if (!def) error(404, 'There is no such consultation.');
	return new Response(definitionText(def), {
		headers: {
			'content-type': 'application/json; charset=utf-8',
			'content-disposition': `attachment; filename="${def.slug}.json"`
		}
	});
};
