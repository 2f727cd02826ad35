import { AsyncLocalStorage } from 'node:async_hooks';
import type { Handle, RequestEvent } from '@sveltejs/kit';
import { overwriteServerAsyncLocalStorage, getServerAsyncLocalStorage } from '$lib/paraglide/runtime';
import {
	BASE_LANGUAGE,
	LANGUAGE_COOKIE,
	chooseLanguage,
	directionOf,
	isLanguage,
	type Language
} from '../../i18n/languages';

// Each request renders in its own language: Paraglide's getLocale() reads it from here on the server.
overwriteServerAsyncLocalStorage(new AsyncLocalStorage());

/**
 * Pages a respondent sees are offered in every language, and so are the JSON
 * submission API's messages (a council's own form shows them to respondents);
 * staff pages stay in English for now (their strings go through messages/ too).
 */
export function isRespondentRoute(routeId: string | null): boolean {
	return routeId === '/' || routeId === '/api/s/[slug]/submissions' || (routeId?.startsWith('/(public)') ?? false);
}

/**
 * The language a request is answered in: a respondent's route by ?lang=, cookie and Accept-Language, any other
 * English. Also for the refusals made before the page is rendered (cross-site, too large), so they speak the
 * respondent's language too.
 */
export function requestLanguage(event: Pick<RequestEvent, 'url' | 'route' | 'cookies' | 'request'>): Language {
	if (!isRespondentRoute(event.route.id)) return BASE_LANGUAGE;
	return chooseLanguage({
		query: event.url.searchParams.get('lang'),
		cookie: event.cookies.get(LANGUAGE_COOKIE),
		acceptLanguage: event.request.headers.get('accept-language')
	});
}

/**
 * Chooses the language of the request (?lang=, cookie, Accept-Language),
 * remembers a language link's choice in a strictly necessary cookie, renders
 * the page in it and writes `lang` and `dir` on <html> (which the browser's
 * Paraglide reads back, see src/hooks.client.ts). Works without JavaScript.
 */
export const chooseLanguageHook: Handle = async ({ event, resolve }) => {
	const query = event.url.searchParams.get('lang');
	const lang = requestLanguage(event);
	if (isLanguage(query) && event.cookies.get(LANGUAGE_COOKIE) !== query) {
		event.cookies.set(LANGUAGE_COOKIE, query, {
			path: '/',
			// Read by nobody but the server; a year, like GOV.UK's language cookie.
			httpOnly: true,
			sameSite: 'lax',
			secure: event.url.protocol === 'https:',
			maxAge: 365 * 24 * 60 * 60
		});
	}
	event.locals.lang = lang;
	return inLanguage(lang, event.url.origin, () =>
		resolve(event, {
			transformPageChunk: ({ html }) =>
				html.replace('%lang%', lang === 'en' ? 'en-GB' : lang).replace('%dir%', directionOf(lang))
		})
	);
};

/** Runs `work` with Paraglide's messages in `lang` (what chooseLanguageHook does for a request through SvelteKit). */
export function inLanguage<T>(lang: Language, origin: string, work: () => T): T {
	return getServerAsyncLocalStorage()!.run({ locale: lang, origin, messageCalls: new Set() }, work);
}
