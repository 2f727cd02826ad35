import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { RunningServer } from '../helpers/server';
import { startBrowserApp, type BrowserApp } from '../helpers/app';
import { phoneContext } from '../helpers/browser';
import { AxeSweep } from '../helpers/axe';
import { SLUG } from '../helpers/consultation';
import { sqlitePath, type FreshDb } from '../helpers/databases';

/** The words a respondent sees, from the same translation files the app is built from. */
const words = (lang: string) =>
	JSON.parse(readFileSync(new URL(`../../messages/${lang}.json`, import.meta.url), 'utf8')) as Record<string, string>;

const ANSWERS: Record<string, string> = {
	cy: "Hoffwn i weld mwy o glybiau ieuenctid a bysiau rhatach i'r dref ar ôl ysgol",
	ur: 'بچوں کے لیے پارک میں کھیلنے کی مزید محفوظ جگہ ہونی چاہیے اور اسکول کے بعد کلب بھی'
};

describe('the survey in Welsh and in Urdu', () => {
	let app: BrowserApp;
	let server: RunningServer;
	let browser: Browser;
	let fresh: FreshDb;
	let db: Database.Database;

	beforeAll(async () => {
		app = await startBrowserApp({ env: { SURVEY_MIN_SECONDS: '0', SURVEY_RATE_LIMIT: '500' } });
		({ server, browser, fresh } = app);
		db = new Database(sqlitePath(fresh));
	});
	afterAll(async () => {
		db?.close();
		await app?.close();
	});

	/**
	 * The page is in `lang` (and its direction), axe-clean, and nothing scrolls sideways. axe runs once per page
	 * template and state in each journey (the five question pages are one template), as in the survey's own sweep.
	 */
	async function checkPage(page: Page, lang: string, dir: 'ltr' | 'rtl', problems: string[], sweep: AxeSweep) {
		const html = page.locator('html');
		expect(await html.getAttribute('lang')).toBe(lang);
		expect(await html.getAttribute('dir')).toBe(dir);
		const where = new URL(page.url()).pathname;
		problems.push(...(await sweep.check(page)).map((v) => `${where}: ${v.id}: ${v.targets.slice(0, 3).join(', ')}`));
		const sideways = await page.evaluate(
			() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1
		);
		expect(sideways, `${where} scrolls sideways`).toBe(false);
	}

	async function press(page: Page, name: string, url: RegExp) {
		await Promise.all([page.waitForURL(url), page.getByRole('button', { name, exact: true }).click()]);
	}

	for (const [lang, dir] of [
		['cy', 'ltr'],
		['ur', 'rtl']
	] as const) {
		for (const js of [true, false]) {
			it.concurrent(
				`can be completed in ${lang === 'cy' ? 'Welsh' : 'Urdu'} (${dir}), JavaScript ${js ? 'on' : 'off'}`,
				async () => {
					const t = words(lang);
					// "off": the server-rendered pages only (the app's scripts refused; axe still runs).
					const ctx = await phoneContext(browser, { scripts: js });
					const sweep = new AxeSweep();
					// Every page is also watched for script errors and Content-Security-Policy refusals.
					const page = sweep.watch(await ctx.newPage());
					const problems: string[] = [];
					try {
						// Chosen by the link's ?lang=, then remembered by the cookie on every later page.
						await page.goto(`${server.url}/s/${SLUG}?lang=${lang}`);
						await checkPage(page, lang, dir, problems, sweep);
						await press(page, t.start_button, /\/who/);
						await checkPage(page, lang, dir, problems, sweep);
						expect(await page.locator('h1').innerText()).toContain(t.who_heading);
						if (dir === 'rtl') {
							// Mirrored: the back link starts at the right, the easy read link sits at the left.
							const back = (await page.locator('.back-link').boundingBox())!;
							const version = (await page.locator('.version-link').boundingBox())!;
							expect(back.x).toBeGreaterThan(version.x);
						}
						// Nothing ticked: the error is in the page's language too.
						await press(page, t.continue, /\/who/);
						expect(await page.locator('.error-summary').innerText()).toContain(t.who_error);
						await checkPage(page, lang, dir, problems, sweep);
						await page.locator('input[name="groups"]').last().check();
						await press(page, t.continue, /\/where/);
						await checkPage(page, lang, dir, problems, sweep);
						await press(page, t.continue, /\/q\/1\/1/);
						for (let n = 1; n <= 5; n++) {
							await checkPage(page, lang, dir, problems, sweep);
							expect(await page.locator('.caption').first().innerText()).toContain(
								t.q_caption.replace('{n}', String(n)).replace('{total}', '5')
							);
							if (n === 1) await page.locator('#answer').fill(ANSWERS[lang]);
							await press(page, t.continue, n === 5 ? /\/about/ : new RegExp(`/q/1/${n + 1}`));
						}
						await checkPage(page, lang, dir, problems, sweep);
						await page.locator('input[name="wanted"][value="no"]').check();
						await press(page, t.continue, /\/check/);
						await checkPage(page, lang, dir, problems, sweep);
						expect(await page.locator('h1').innerText()).toBe(t.check_heading);
						await press(page, t.send, /\/done\?/);
						await checkPage(page, lang, dir, problems, sweep);
						expect(await page.locator('h1').innerText()).toBe(t.done_heading);
						const reference = (await page.locator('.reference').innerText()).trim();

						const stored = db
							.prepare(
								`select a.language, a.ui_language, a.text from answer a join submission s on s.id = a.submission_id
							 where s.reference = ?`
							)
							.all(reference) as { language: string; ui_language: string; text: string }[];
						expect(stored).toEqual([{ language: lang, ui_language: lang, text: ANSWERS[lang] }]);
						expect(problems).toEqual([]);
						expect(sweep.problems).toEqual([]);
						// start, who, who with its error, where, question, About you, check, done.
						expect(sweep.visited.length).toBe(12);
						expect(sweep.axed.length).toBe(8);
					} finally {
						await ctx.close();
					}
				},
				// About twelve pages, each checked with axe, four journeys side by side.
				300_000
			);
		}
	}

	it('offers every language on every survey page, and guesses from the browser first', async () => {
		const ctx = await browser.newContext({
			locale: 'cy-GB',
			extraHTTPHeaders: { 'accept-language': 'cy-GB,cy;q=0.9' }
		});
		const page = await ctx.newPage();
		try {
			await page.goto(`${server.url}/s/${SLUG}`);
			expect(await page.locator('html').getAttribute('lang')).toBe('cy');
			const links = page.locator('.language-links a');
			expect(await links.evaluateAll((as) => as.map((a) => a.getAttribute('hreflang')))).toEqual(['en', 'pl', 'ur']);
			// English chosen by its link: remembered over the browser's Welsh on the next page.
			await page.locator('.language-links a[hreflang="en"]').click();
			await page.waitForURL(/lang=en/);
			await page.goto(`${server.url}/s/${SLUG}/privacy`);
			expect(await page.locator('html').getAttribute('lang')).toBe('en-GB');
		} finally {
			await ctx.close();
		}
	});
});
