import type { Handle } from '@sveltejs/kit';
import { m } from '../../paraglide/messages';
import { requestLanguage } from '../i18n';
import { refusal } from './refusal';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const FORM_TYPES = /^\s*(application\/x-www-form-urlencoded|multipart\/form-data|text\/plain)\s*(;|$)/i;

/**
 * The one cross-site write check, for every route and content type. A form post (a form content type) must carry
 * this site's Origin, as SvelteKit's own `csrf` check wanted (that check is turned off in svelte.config.js so this
 * one can answer in the respondent's language; it refused the same requests). Every other write (the JSON
 * endpoints under /api) is refused when it names another site: a browser sends Origin and Sec-Fetch-Site on a
 * cross-site request. Requests with neither (server to server, command-line tools) carry no cookie from a
 * victim's browser and go on to the endpoint's own sign-in and validation.
 */
export function crossSiteWrite(
	request: { method: string; headers: { get(name: string): string | null } },
	url: { origin: string }
): boolean {
	if (!UNSAFE_METHODS.has(request.method)) return false;
	const origin = request.headers.get('origin');
	const crossSite = request.headers.get('sec-fetch-site') === 'cross-site';
	if (FORM_TYPES.test(request.headers.get('content-type') ?? '')) return origin !== url.origin || crossSite;
	return (origin !== null && origin !== url.origin) || crossSite;
}

/** Headers every response carries (the lean submissions route, survey/lean-http.ts, sends them too). */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
	'X-Content-Type-Options': 'nosniff',
	// Not no-referrer: with it, browsers send `Origin: null` on plain (no-JavaScript)
	// form posts and SvelteKit's CSRF check refuses them. same-origin still tells no other site anything.
	'Referrer-Policy': 'same-origin',
	'X-Frame-Options': 'DENY',
	'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()',
	'Cross-Origin-Opener-Policy': 'same-origin'
};
/** Over https. */
export const HSTS = 'max-age=31536000; includeSubDomains';
/** Paths whose every response (pages, errors, redirects) is `no-store`: the staff pages and sign-in/out. */
export const STAFF_PATH = /^\/(admin|entry|api\/entry|login|logout)(\/|$)/;

/** Non-page responses (JSON, CSV) still refuse to be framed or run script. */
export const NON_PAGE_CSP = "default-src 'none'; frame-ancestors 'none'";

/**
 * Headers every response carries. The Content Security Policy itself comes from
 * svelte.config.js (SvelteKit adds nonces/hashes for its own scripts).
 */
export const securityHeaders: Handle = async ({ event, resolve }) => {
	const response = crossSiteWrite(event.request, event.url)
		? refusal(
				event.request,
				event.url,
				403,
				m.cross_site({}, { locale: requestLanguage(event) }),
				requestLanguage(event)
			)
		: await resolve(event);
	const h = response.headers;
	for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
		// A page with no forms may ask for less (the share link: its token is in the address, sent to nobody).
		if (name === 'Referrer-Policy' && h.get(name) === 'no-referrer') continue;
		h.set(name, value);
	}
	// Nothing a signed-in person was shown may be kept by the browser or a proxy:
	// after signing out, Back must not bring a staff page (or its data) back from a cache.
	// Staff paths say so whoever asks, so their redirects (the guard's to sign in, the sign-in's onwards, which
	// sets the session cookie before locals.user exists) and their errors are never kept either.
	if (event.locals.user || STAFF_PATH.test(event.url.pathname)) h.set('Cache-Control', 'no-store');
	if (event.url.protocol === 'https:') h.set('Strict-Transport-Security', HSTS);
	if (!h.has('Content-Security-Policy') && !(h.get('content-type') ?? '').includes('text/html')) {
		// Non-page responses (JSON, CSV) still refuse to be framed or run script.
		h.set('Content-Security-Policy', NON_PAGE_CSP);
	}
	return response;
};
