import { listConsultations } from '$lib/server/consultations/queries';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	const all = await listConsultations(locals.db);
	return {
		consultations: all.filter((c) => c.status !== 'draft').map(({ slug, title, status }) => ({ slug, title, status }))
	};
};
