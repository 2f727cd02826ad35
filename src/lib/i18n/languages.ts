/**
 * The languages the respondent survey is offered in, and how a request's
 * language is chosen. Pure: no framework, no I/O (the hook that applies it is
 * src/lib/server/i18n/).
 *
 * English and Welsh are complete (Welsh Language Standards: Welsh on equal
 * terms); Polish and Urdu are the first community languages. A message missing
 * from a language falls back to English (Paraglide's base locale).
 */
export const LANGUAGES = [
	{ code: 'en', name: 'English', english: 'English', dir: 'ltr', complete: true },
	{ code: 'cy', name: 'Cymraeg', english: 'Welsh', dir: 'ltr', complete: true },
	{ code: 'pl', name: 'Polski', english: 'Polish', dir: 'ltr', complete: false },
	{ code: 'ur', name: 'اردو', english: 'Urdu', dir: 'rtl', complete: false }
] as const;

export type Language = (typeof LANGUAGES)[number]['code'];

export const BASE_LANGUAGE: Language = 'en';

/** The cookie that remembers a chosen language: strictly necessary (it only keeps the page in the language asked for). */
export const LANGUAGE_COOKIE = 'lang';

export function isLanguage(value: unknown): value is Language {
	return typeof value === 'string' && LANGUAGES.some((l) => l.code === value);
}

export function directionOf(lang: Language): 'ltr' | 'rtl' {
	return LANGUAGES.find((l) => l.code === lang)!.dir;
}

/** Accept-Language's tags in the browser's order of preference ("cy-GB,cy;q=0.9,en;q=0.8" → cy, en). */
function acceptedLanguages(header: string | null): Language[] {
	if (!header) return [];
	return header
		.split(',')
		.map((part, i) => {
			const [tag, ...params] = part.trim().split(';');
			const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
			return { primary: tag.trim().toLowerCase().split('-')[0], q: q ? Number(q.slice(2)) : 1, i };
		})
		.filter((t) => t.q > 0 && !Number.isNaN(t.q))
		.sort((a, b) => b.q - a.q || a.i - b.i)
		.map((t) => t.primary)
		.filter(isLanguage);
}

/**
 * The language of a survey page: `?lang=` (a language link) first, then the
 * remembered choice (cookie), then the browser's Accept-Language as a first
 * guess, then English.
 */
export function chooseLanguage(input: {
	query: string | null;
	cookie: string | undefined;
	acceptLanguage: string | null;
}): Language {
	if (isLanguage(input.query)) return input.query;
	if (isLanguage(input.cookie)) return input.cookie;
	return acceptedLanguages(input.acceptLanguage)[0] ?? BASE_LANGUAGE;
}

/** The same address with ?lang= set, other parameters kept: the language links on every survey page. */
export function languageHref(url: URL, lang: Language): string {
	const params = new URLSearchParams(url.search);
	params.set('lang', lang);
	return `${url.pathname}?${params.toString()}`;
}
