import { fail, redirect } from '@sveltejs/kit';
import { login } from '$lib/server/auth/login';
import { SESSION_COOKIE } from '$lib/server/auth/session';
import { setSessionCookie } from '$lib/server/auth/cookies';
import type { Actions, PageServerLoad } from './$types';

/** Only a path on this site: never an open redirect to somewhere else. */
function safeNext(next: string | null | undefined, role: string): string {
	if (next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') && !next.startsWith('/login')) return next;
	return role === 'entry' ? '/entry' : '/admin';
}

export const load: PageServerLoad = async ({ locals, url }) => {
	return { next: url.searchParams.get('next') ?? '', signedInAs: locals.user?.email ?? null };
};

export const actions: Actions = {
	default: async (event) => {
		const form = await event.request.formData();
		const email = String(form.get('email') ?? '');
		const password = String(form.get('password') ?? '');
		const next = String(form.get('next') ?? '');
		const errors: Record<string, string> = {};
		if (!email.trim()) errors.email = 'Enter your email address';
		if (!password) errors.password = 'Enter your password';
		if (Object.keys(errors).length) return fail(400, { email, next, errors });
		let client = 'unknown';
		try {
			client = event.getClientAddress();
		} catch {
			// no address available: all such clients share one counter
		}
		const result = await login(event.locals.db, { email, password, client, replacing: event.cookies.get(SESSION_COOKIE) });
		if (!result.ok) {
			return fail(result.reason === 'throttled' ? 429 : 400, { email, next, errors: { email: result.message } });
		}
		setSessionCookie(event.cookies, event.url, result.token, result.expiresAt);
		redirect(303, safeNext(next, result.user.role));
	}
};
