import { error } from '@sveltejs/kit';
import { requireRole, ADMINS } from '$lib/server/auth/guard';
import { viewOriginalAnswer } from '$lib/server/review/original';
import type { PageServerLoad } from './$types';

/** The original, unredacted words of one answer: admins only, and every view is audited. */
export const load: PageServerLoad = async (event) => {
	const user = requireRole(event, ADMINS);
	const answer = await viewOriginalAnswer(event.locals.db, Number(event.params.id), user.id);
	if (!answer) error(404, 'No such answer.');
	return { answer };
};
