import { redirect } from '@sveltejs/kit';
import { SESSION_COOKIE, deleteSession } from '$lib/server/auth/session';
import { clearSessionCookie } from '$lib/server/auth/cookies';
import { audit } from '$lib/server/audit';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => ({ signedInAs: locals.user?.email ?? null });

/** Signing out is a POST (a link or prefetch must never sign anyone out); the session row is deleted. */
export const actions: Actions = {
	default: async ({ cookies, locals, url }) => {
		const token = cookies.get(SESSION_COOKIE);
		if (token) await deleteSession(locals.db, token);
		if (locals.user)
			await audit(locals.db, {
				userId: locals.user.id,
				action: 'logout',
				entity: 'app_user',
				entityId: locals.user.id
			});
		clearSessionCookie(cookies, url);
		redirect(303, '/login?signed_out=1');
	}
};
