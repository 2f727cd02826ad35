/**
 * What a phone downloads for a survey page, as transferred: every request Chromium makes while loading it
 * (the HTML, the JS and CSS it pulls in, pictures), headers included, from a cold cache. adapter-node sends
 * JS and CSS precompressed (brotli) and the HTML uncompressed. Shared by the survey bench
 * (scripts/bench/survey.bench.ts) and the test that fails when a page is over budget
 * (tests/browser/survey-weight.test.ts).
 */
import type { Browser } from 'playwright-core';
import { PHONE } from './browser';

/** The most a survey page may weigh (HTML + JS + CSS, as transferred): children answer on phones with little data. */
export const PAGE_BUDGET = 60 * 1024;

/** Every survey page, in the state the bench measures it (the start page with a draft offers Continue / Start again). */
export const SURVEY_PAGES = [
	'',
	'who',
	'where',
	'q/1/1',
	'about',
	'about/age',
	'about/gender',
	'about/disability',
	'about/ethnicity',
	'about/orientation',
	'check',
	'done?ref=ABCDE-12345'
];

export interface PageWeight {
	document: number;
	script: number;
	stylesheet: number;
	image: number;
	other: number;
	/** HTML + JS + CSS: what the budget counts (pictures are listed apart). */
	total: number;
	/** How many JS files the page loaded. */
	scripts: number;
}

async function post(url: string, body: string, headers: Record<string, string>) {
	return fetch(url, { method: 'POST', redirect: 'manual', body, headers: { accept: 'text/html', ...headers } });
}

/** Starts a survey on the server and answers enough to reach every page; returns the cookie. */
export async function surveyCookie(serverUrl: string, slug: string): Promise<string> {
	const base = `${serverUrl}/s/${slug}`;
	const form = { origin: serverUrl, 'content-type': 'application/x-www-form-urlencoded' };
	const start = await post(base, '', form);
	const cookie = (start.headers.get('set-cookie') ?? '').split(';')[0];
	const h = { ...form, cookie };
	await post(`${base}/who`, 'groups=young_person', h);
	await post(`${base}/where`, 'district=redditch', h);
	await post(`${base}/q/1/1`, 'answer=Parks', h);
	await post(`${base}/about`, 'wanted=yes', h);
	await post(`${base}/about/age`, 'answer=18-24', h);
	return cookie;
}

/** The weight of one page loaded in a fresh phone-sized context (cold cache), JavaScript on. */
export async function pageWeight(browser: Browser, url: string, cookie: string): Promise<PageWeight> {
	const ctx = await browser.newContext({
		viewport: PHONE,
		extraHTTPHeaders: { cookie, 'accept-encoding': 'br, gzip' }
	});
	try {
		const page = await ctx.newPage();
		const sizes = { document: 0, script: 0, stylesheet: 0, image: 0, other: 0 };
		let scripts = 0;
		const pending: Promise<void>[] = [];
		page.on('requestfinished', (req) => {
			pending.push(
				req.sizes().then((sz) => {
					const type = req.resourceType() as keyof typeof sizes;
					if (type === 'script') scripts++;
					sizes[type in sizes ? type : 'other'] += sz.responseBodySize + sz.responseHeadersSize;
				})
			);
		});
		const res = await page.goto(url, { waitUntil: 'networkidle' });
		if (res?.status() !== 200) throw new Error(`${url} answered ${res?.status()}`);
		await Promise.all(pending);
		return { ...sizes, total: sizes.document + sizes.script + sizes.stylesheet, scripts };
	} finally {
		await ctx.close();
	}
}
