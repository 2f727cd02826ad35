/**
 * English left on a translated page: what a page in Welsh (or Urdu...) must not show, from the
 * message files themselves, and everything a person can read or hear on a page.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { SHIPPED_SLUG } from '../../src/lib/domain/shipped-consultation';

export type Messages = Record<string, string>;

export const messages = (lang: string): Messages =>
	JSON.parse(readFileSync(new URL(`../../messages/${lang}.json`, import.meta.url), 'utf8')) as Messages;

export const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

/** A message's fixed parts (the text between its placeholders). */
export const parts = (text: string) =>
	text
		.split(/\{\w+\}/)
		.map(squash)
		.filter(Boolean);

/** The longest fixed part: what a page showing the message must contain. */
export const core = (text: string) => parts(text).sort((a, b) => b.length - a.length)[0];

/** Every string the shipped consultation's own file says (in English: it has no translations). */
export const consultationWords = (() => {
	const out: string[] = [];
	const walk = (v: unknown): void => {
		if (typeof v === 'string') out.push(squash(v));
		else if (v && typeof v === 'object') Object.values(v).forEach(walk);
	};
	walk(JSON.parse(readFileSync(new URL(`../../db/consultations/${SHIPPED_SLUG}.json`, import.meta.url), 'utf8')));
	return out.join('\n');
})();

/**
 * The English a page in `lang` must not show: every fixed part of two words or more (single
 * words such as "English" or "Roma" can be the same in Welsh) of every message whose
 * translation differs, or is missing (a missing key falls back to English: that is English
 * left), except the parts the consultation's own words also say (its untranslated text falls
 * back to English by design, e.g. a group called "Child (12 or under)").
 */
export function englishParts(lang: string): { key: string; text: string }[] {
	const en = messages('en');
	const other = messages(lang);
	return Object.keys(en)
		.filter((k) => !k.startsWith('$') && k !== 'translator_note' && en[k] !== other[k])
		.flatMap((key) => parts(en[key]).map((text) => ({ key, text })))
		.filter((p) => p.text.split(' ').length >= 2 && p.text.length >= 8 && !consultationWords.includes(p.text));
}

/** Everything a person can read or hear on the page: text (details opened), title, labels, chart descriptions. */
export async function readable(page: Page): Promise<string> {
	const text = await page.evaluate(() => {
		for (const d of document.querySelectorAll('details')) d.open = true;
		const out = [document.title, document.body.innerText];
		for (const el of document.querySelectorAll('[aria-label], [title], [alt], [placeholder]'))
			for (const a of ['aria-label', 'title', 'alt', 'placeholder']) out.push(el.getAttribute(a) ?? '');
		for (const t of document.querySelectorAll('svg title')) out.push(t.textContent ?? '');
		return out.join('\n');
	});
	return squash(text);
}
