import { m } from '../../paraglide/messages';
import { directionOf, type Language } from '../../i18n/languages';

const escapeHtml = (s: string) =>
	s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Whether the caller reads JSON: a script or the JSON API's clients. */
function wantsJson(request: Request): boolean {
	const accept = request.headers.get('accept') ?? '';
	return accept.includes('application/json') && !accept.includes('text/html');
}

/**
 * A refusal answered before any page can be rendered (a cross-site post, a body declared too large): in the
 * person's language, as the page would have been. An action result for a form sent in place, JSON `{ message }`
 * for scripts; for a browser, a small page with `lang` and `dir`, the message as its heading and a way back (no
 * script, no outside resources); plain text otherwise. The caller adds the usual security headers.
 */
export function refusal(request: Request, url: URL, status: number, message: string, lang: Language): Response {
	const headers: Record<string, string> = { 'content-language': lang === 'en' ? 'en-GB' : lang };
	// A form sent in place (use:enhance) reads an action result: an error one shows the error page, in place.
	if (request.headers.get('x-sveltekit-action') === 'true')
		return new Response(JSON.stringify({ type: 'error', error: { message } }), {
			status,
			headers: { ...headers, 'content-type': 'application/json' }
		});
	if (wantsJson(request))
		return new Response(JSON.stringify({ message }), {
			status,
			headers: { ...headers, 'content-type': 'application/json' }
		});
	if (!(request.headers.get('accept') ?? '').includes('text/html'))
		return new Response(message, { status, headers: { ...headers, 'content-type': 'text/plain; charset=utf-8' } });
	const survey = /^\/s\/([a-z0-9][a-z0-9_-]*)/.exec(url.pathname);
	const back = survey
		? { href: `/s/${survey[1]}`, text: m.error_back_survey({}, { locale: lang }) }
		: { href: '/', text: m.error_back_home({}, { locale: lang }) };
	const page = `<!doctype html>
<html lang="${lang === 'en' ? 'en-GB' : lang}" dir="${directionOf(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(m.error_title({ heading: message }, { locale: lang }))}</title>
</head>
<body style="font-family: Arial, sans-serif; font-size: 19px; line-height: 1.3; max-width: 40em; margin: 2rem auto; padding: 0 1rem; color: #0b0c0c">
<main>
<h1>${escapeHtml(message)}</h1>
<p><a href="${escapeHtml(back.href)}" style="color: #1d70b8">${escapeHtml(back.text)}</a></p>
</main>
</body>
</html>
`;
	return new Response(page, {
		status,
		headers: {
			...headers,
			'content-type': 'text/html; charset=utf-8',
			'content-security-policy':
				"default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
		}
	});
}
