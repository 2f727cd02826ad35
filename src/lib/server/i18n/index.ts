import { AsyncLocalStorage } from 'node:async_hooks';
import type { Handle } from '@sveltejs/kit';
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
 * Chooses the language of the request (?lang=, cookie, Accept-Language),
 * remembers a language link's choice in a strictly necessary cookie, renders
 * the page in it and writes `lang` and `dir` on <html> (which the browser's
 * Paraglide reads back, see src/hooks.client.ts). Works without JavaScript.
 */
export const chooseLanguageHook: Handle = async ({ event, resolve }) => {
	const query = event.url.searchParams.get('lang');
	const respondent = isRespondentRoute(event.route.id);
	let lang: Language = BASE_LANGUAGE;
	if (respondent) {
		lang = chooseLanguage({
			query,
			cookie: event.cookies.get(LANGUAGE_COOKIE),
			acceptLanguage: event.request.headers.get('accept-language')
		});
	}
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
	const storage = getServerAsyncLocalStorage()!;
	return storage.run({ locale: lang, origin: event.url.origin, messageCalls: new Set() }, () =>
		resolve(event, {
			transformPageChunk: ({ html }) =>
				html.replace('%lang%', lang === 'en' ? 'en-GB' : lang).replace('%dir%', directionOf(lang))
		})
	);
};
