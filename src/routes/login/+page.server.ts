import { fail, redirect } from '@sveltejs/kit';
import { login } from '$lib/server/auth/login';
import { SESSION_COOKIE } from '$lib/server/auth/session';
import { setSessionCookie } from '$lib/server/auth/cookies';
import { homeFor, sameOriginPath } from '$lib/server/auth/next';
import type { Actions, PageServerLoad } from './$types';


export const load: PageServerLoad = async ({ locals, url }) => {
	// Only a same-origin path is carried through the form; anything else is dropped here.
	return { next: sameOriginPath(url.searchParams.get('next'), url) ?? '', signedInAs: locals.user?.email ?? null };
};

export const actions: Actions = {
	default: async (event) => {
		const form = await event.request.formData();
		const email = String(form.get('email') ?? '');
		const password = String(form.get('password') ?? '');
		// Never an open redirect: `next` must be a path on this site (see sameOriginPath).
		const next = sameOriginPath(String(form.get('next') ?? ''), event.url) ?? '';
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
			if (result.reason === 'throttled') event.setHeaders({ 'retry-after': String(result.retryAfter) });
			return fail(result.reason === 'throttled' ? 429 : 400, { email, next, errors: { email: result.message } });
		}
		setSessionCookie(event.cookies, event.url, result.token, result.expiresAt);
		redirect(303, next || homeFor(result.user.role));
	}
};
