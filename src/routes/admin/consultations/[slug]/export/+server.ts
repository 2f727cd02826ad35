import { consultationToEdit, definitionText } from '$lib/server/consultations/builder';
import type { RequestHandler } from './$types';

/** The consultation file, as `npm run consultation -- export SLUG` writes it. */
export const GET: RequestHandler = async (event) => {
	const { def } = await consultationToEdit(event);
	return new Response(definitionText(def), {
		headers: {
			'content-type': 'application/json; charset=utf-8',
			'content-disposition': `attachment; filename="${def.slug}.json"`
		}
	});
};
