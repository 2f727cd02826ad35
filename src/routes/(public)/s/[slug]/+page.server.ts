import { error } from '@sveltejs/kit';
import { getConsultation, openState } from '$lib/server/consultations/queries';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
	const c = await getConsultation(locals.db, params.slug);
	if (!c || c.status === 'draft') error(404, 'We could not find that consultation.');
	return {
		consultation: {
			slug: c.slug,
			title: c.title,
			organisation: c.organisation,
			description: c.description,
			privacyNotice: c.privacyNotice,
			closesAt: c.closesAt,
			state: openState(c),
			questions: c.questions.map((q) => ({ key: q.key, text: q.text }))
		}
	};
};
