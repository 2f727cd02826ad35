/**
 * Dates and lengths of time in the page's language (Paraglide's current locale:
 * the request's on the server, <html lang> in the browser).
 */
import { getLocale } from '../paraglide/runtime';
import { m } from '../paraglide/messages';

/** The locale for Intl of one of the site's languages: British English for English, the language itself otherwise. */
export function localeOf(lang: string): string {
	return lang === 'en' ? 'en-GB' : lang;
}

/** The locale for Intl of the page's language. */
export function dateLocale(): string {
	return localeOf(getLocale());
}

/** "2 hours", "90 minutes": how long unsent answers are kept. */
export function idleTime(minutes: number): string {
	if (minutes % 60 === 0) {
		const hours = minutes / 60;
		return hours === 1 ? m.idle_hour_one() : m.idle_hours({ count: hours });
	}
	return minutes === 1 ? m.idle_minute_one() : m.idle_minutes({ count: minutes });
}

/**
 * "3 December 2026": a moment as the day it was in the UK, in the given locale (the page's by default). A date
 * alone ("2026-12-03") is that day: it reads as midnight UTC, and the UK is never behind UTC.
 */
export function longDate(iso: string, locale = dateLocale()): string {
	return ukDate(iso, locale, { day: 'numeric', month: 'long', year: 'numeric' });
}

/** "December 2026": the month of a moment or a date in the UK, in the given locale (the page's by default). */
export function monthYear(iso: string, locale = dateLocale()): string {
	return ukDate(iso, locale, { month: 'long', year: 'numeric' });
}

function ukDate(iso: string, locale: string, parts: Intl.DateTimeFormatOptions): string {
	return new Date(iso).toLocaleDateString(locale, { ...parts, timeZone: 'Europe/London' });
}
