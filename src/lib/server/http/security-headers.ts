import type { Handle } from '@sveltejs/kit';

/**
 * Headers every response carries. The Content Security Policy itself comes from
 * svelte.config.js (SvelteKit adds nonces/hashes for its own scripts).
 */
export const securityHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	const h = response.headers;
	h.set('X-Content-Type-Options', 'nosniff');
	h.set('Referrer-Policy', 'no-referrer');
	h.set('X-Frame-Options', 'DENY');
	h.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()');
	h.set('Cross-Origin-Opener-Policy', 'same-origin');
	if (event.url.protocol === 'https:') h.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
	if (!h.has('Content-Security-Policy') && (h.get('content-type') ?? '').includes('text/html') === false) {
		// Non-page responses (JSON, CSV) still refuse to be framed or run script.
		h.set('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
	}
	return response;
};
