import { defineCustomClientStrategy } from '$lib/paraglide/runtime';
import { BASE_LANGUAGE, isLanguage } from '$lib/i18n/languages';

// The server chose the page's language and wrote it on <html lang> (src/lib/server/i18n): the browser
// renders in that one, so hydration never switches language. A language link reloads the page.
defineCustomClientStrategy('custom-document', {
	getLocale: () => {
		const lang = document.documentElement.lang.split('-')[0];
		return isLanguage(lang) ? lang : BASE_LANGUAGE;
	},
	setLocale: () => {}
});
