/**
 * Dates and lengths of time in the page's language (Paraglide's current locale:
 * the request's on the server, <html lang> in the browser).
 */
import { getLocale } from '../paraglide/runtime';
import { m } from '../paraglide/messages';

/** The locale for Intl: British English for English, the language itself otherwise. */
export function dateLocale(): string {
	const lang = getLocale();
	return lang === 'en' ? 'en-GB' : lang;
}

/** "2 hours", "90 minutes": how long unsent answers are kept. */
export function idleTime(minutes: number): string {
	if (minutes % 60 === 0) {
		const hours = minutes / 60;
		return hours === 1 ? m.idle_hour_one() : m.idle_hours({ count: hours });
	}
	return minutes === 1 ? m.idle_minute_one() : m.idle_minutes({ count: minutes });
}

/** "3 December 2026": a moment as the day it was in the UK, in the given locale (the page's by default). */
export function longDate(iso: string, locale = dateLocale()): string {
	return new Date(iso).toLocaleDateString(locale, {
		day: 'numeric',
		month: 'long',
		year: 'numeric',
		timeZone: 'Europe/London'
	});
}
