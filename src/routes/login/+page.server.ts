import { redirect } from '@sveltejs/kit';
import { login } from '$lib/server/auth/login';
import { SESSION_COOKIE } from '$lib/server/auth/session';
import { setSessionCookie } from '$lib/server/auth/cookies';
import { homeFor, sameOriginPath } from '$lib/server/auth/next';
import { formFailure, parseForm } from '$lib/server/forms';
import { loginForm } from '$lib/schemas/staff';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	// Only a same-origin path is carried through the form; anything else is dropped here.
	return { next: sameOriginPath(url.searchParams.get('next'), url) ?? '', signedInAs: locals.user?.email ?? null };
};

export const actions: Actions = {
	default: async (event) => {
		const parsed = await parseForm(loginForm, event.request);
		// Never an open redirect: `next` must be a path on this site (see sameOriginPath).
		const next = sameOriginPath(String(parsed.values.next ?? ''), event.url) ?? '';
		const values = { ...parsed.values, next };
		if (!parsed.ok) return formFailure(values, parsed.errors);
		const { email, password } = parsed.data;
		let client = 'unknown';
		try {
			client = event.getClientAddress();
		} catch {
			// no address available: all such clients share one counter
		}
		const result = await login(event.locals.db, {
			email,
			password,
			client,
			replacing: event.cookies.get(SESSION_COOKIE)
		});
		if (!result.ok) {
			if (result.reason === 'throttled') event.setHeaders({ 'retry-after': String(result.retryAfter) });
			return formFailure(values, { email: result.message }, {}, result.reason === 'throttled' ? 429 : 400);
		}
		setSessionCookie(event.cookies, event.url, result.token, result.expiresAt);
		redirect(303, next || homeFor(result.user.role));
	}
};
