/**
 * Every survey page weighs at most 60 KB as a phone downloads it (HTML + JS + CSS, headers included, JS and CSS
 * brotli as served), in the standard version and the easy read (issue #16 had taken them to 65-86 KB: zod in
 * the question page and every language's messages in every page's JavaScript). Measured as the survey bench
 * measures (tests/helpers/page-weight.ts), in Chromium, JavaScript on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserApp, type BrowserApp } from '../helpers/app';
import { SLUG } from '../helpers/consultation';
import { PAGE_BUDGET, SURVEY_PAGES, pageWeight, surveyCookie } from '../helpers/page-weight';

describe('survey page weight', () => {
	let app: BrowserApp;
	let cookie: string;
	beforeAll(async () => {
		app = await startBrowserApp({ env: { SURVEY_RATE_LIMIT: '500', SURVEY_MIN_SECONDS: '0' } });
		cookie = await surveyCookie(app.server.url, SLUG);
	}, 120_000);
	afterAll(() => app?.close());

	for (const easy of [false, true])
		it(`keeps every page at ${PAGE_BUDGET / 1024} KB or less (${easy ? 'easy read' : 'standard'})`, async () => {
			const over: string[] = [];
			for (const p of SURVEY_PAGES) {
				const url = `${app.server.url}/s/${SLUG}${p ? `/${p}` : ''}${easy ? (p.includes('?') ? '&easy=1' : '?easy=1') : ''}`;
				const w = await pageWeight(app.browser, url, cookie);
				// The page was really measured: its HTML and its stylesheet arrived.
				expect(w.document, url).toBeGreaterThan(1000);
				expect(w.stylesheet, url).toBeGreaterThan(1000);
				if (w.total > PAGE_BUDGET)
					over.push(
						`/${p} ${(w.total / 1024).toFixed(1)} KB (HTML ${w.document}, JS ${w.script}, CSS ${w.stylesheet})`
					);
			}
			expect(over).toEqual([]);
		});
});
