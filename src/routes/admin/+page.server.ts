import { redirect } from '@sveltejs/kit';
import { requireRole, ANALYSTS } from '$lib/server/auth/guard';
import { consultationSummaries } from '$lib/server/consultations/overview';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	// Library and entry staff have no analysis screens: send them to face-to-face entry.
	if (event.locals.user?.role === 'entry') redirect(303, '/entry');
	requireRole(event, ANALYSTS);
	return { consultations: await consultationSummaries(event.locals.db) };
};
