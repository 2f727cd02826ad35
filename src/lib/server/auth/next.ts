/** Where a signed-in person goes when `next` is missing or refused. */
export function homeFor(role: string): string {
	return role === 'entry' ? '/entry' : '/admin';
}

// eslint-disable-next-line no-control-regex -- matching control characters is the point: they are refused in `next`
const CONTROL_OR_BACKSLASH = /[\u0000-\u001F\u007F-\u009F\\]/;

/**
 * The page to go to after signing in, from the `next` parameter: only a path on
 * this site. It is parsed as a URL against this site's origin and must keep that
 * origin. Control characters (tab, newline: browsers drop them, so `/\t/evil.example`
 * becomes `//evil.example`) and backslashes (read as `/`) are refused outright,
 * as are the sign-in and sign-out pages themselves. Anything refused gives null.
 */
export function sameOriginPath(next: string | null | undefined, origin: URL | string): string | null {
	if (!next || next.length > 2048 || CONTROL_OR_BACKSLASH.test(next)) return null;
	if (!next.startsWith('/') || next.startsWith('//')) return null;
	const base = new URL(typeof origin === 'string' ? origin : origin.origin);
	let url: URL;
	try {
		url = new URL(next, base);
	} catch {
		return null;
	}
	// `/.//evil.example` parses to the path `//evil.example`, which a browser reads as another site.
	if (url.origin !== base.origin || url.pathname.startsWith('//')) return null;
	if (/^\/(login|logout)(\/|$)/.test(url.pathname)) return null;
	return url.pathname + url.search + url.hash;
}
