/**
 * "A Welsh-speaking family can do everything in Welsh" (issue #16), where things go wrong too:
 * the whole survey walked in Welsh and in Urdu, JavaScript on and off, through every error a
 * respondent can meet (no group chosen, an answer too long, nothing answered, too many sends from
 * one address (429), too many starts (429), a form sent from another website (403), a body too
 * large (413), an unknown consultation (404), a closed consultation) and the pages around the
 * survey (thank-you, privacy, accessibility, results). Every page is in the language (`lang`,
 * `dir`), shows the translation of what went wrong, and no English message is left (compared
 * against messages/en.json). Under the app's real Content Security Policy.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startBuiltServer, type RunningServer } from '../helpers/server';
import { launchBrowser, cspViolations } from '../helpers/browser';
import { preparedDatabase, sqlitePath, type FreshDb } from '../helpers/databases';
import { loadSmallFixture, SLUG } from '../fixtures/analysis/small';
import { core, englishParts, messages, readable } from '../helpers/languages';
import { setResultsStatus } from '../../src/lib/server/results';
import { MAX_ANSWER_LENGTH } from '../../src/lib/schemas/answer';
import { MAX_SUBMISSION_BYTES } from '../../src/lib/schemas/submission';

const LANGS = { cy: { dir: 'ltr' }, ur: { dir: 'rtl' } } as const;
type Lang = keyof typeof LANGS;

describe('every error a respondent can meet, in Welsh and in Urdu', () => {
	let server: RunningServer;
	let browser: Browser;
	let fresh: FreshDb;
	let address = 0;

	beforeAll(async () => {
		fresh = await preparedDatabase('sqlite');
		const fx = await loadSmallFixture(fresh.db);
		await setResultsStatus(fresh.db, fx.c.id, 'published', { id: fx.officerId });
		await fresh.close();
		[server, browser] = await Promise.all([
			startBuiltServer({
				DATABASE_URL: fresh.url,
				SURVEY_MIN_SECONDS: '0',
				// One stored survey per address: each journey sends from its own address (X-Forwarded-For), once.
				SURVEY_RATE_LIMIT: '1',
				ADDRESS_HEADER: 'x-forwarded-for',
				XFF_DEPTH: '1'
			}),
			launchBrowser()
		]);
	}, 180_000);
	afterAll(async () => {
		if (server?.process.exitCode !== null) console.log(server?.output());
		await browser?.close();
		await server?.stop();
		await fresh?.drop();
	});

	async function journeyContext(lang: Lang, js: boolean) {
		const ctx = await browser.newContext({
			viewport: { width: 390, height: 844 },
			javaScriptEnabled: js,
			// A phone set to the language: Accept-Language is the first guess, before any link is chosen.
			locale: lang,
			extraHTTPHeaders: { 'x-forwarded-for': `203.0.113.${++address}` }
		});
		return ctx;
	}

	for (const lang of Object.keys(LANGS) as Lang[]) {
		const t = messages(lang);
		const ENGLISH = englishParts(lang);
		for (const js of [true, false]) {
			it.concurrent(
				`${lang}, JavaScript ${js ? 'on' : 'off'}: every error and every page around the survey, no English left`,
				async () => {
					const ctx = await journeyContext(lang, js);
					const page = await ctx.newPage();
					const csp = cspViolations(page);
					const problems: string[] = [];
					const seen: string[] = [];
					/** The page is in the language, shows each key's translation, and no English message. */
					async function check(keys: string[], values: Record<string, string> = {}) {
						const where = new URL(page.url()).pathname + new URL(page.url()).search;
						expect(await page.locator('html').getAttribute('lang'), where).toBe(lang);
						expect(await page.locator('html').getAttribute('dir'), where).toBe(LANGS[lang].dir);
						const text = await readable(page);
						for (const key of keys) {
							expect(t[key], `${lang}.${key}`).toBeDefined();
							const shown = values[key] ?? core(t[key]);
							if (!text.includes(shown)) problems.push(`${where}: ${lang}.${key} not shown ("${shown}")`);
						}
						for (const p of ENGLISH)
							if (text.includes(p.text)) problems.push(`${where}: English "${p.text}" (${p.key})`);
						seen.push(where);
					}
					const press = async (name: string, url: RegExp) => {
						await Promise.all([page.waitForURL(url), page.getByRole('button', { name, exact: true }).click()]);
					};
					/** A form that answers on the same page: with JavaScript in place, so wait for its error summary. */
					const pressForError = async (name: string) => {
						if (js) await page.getByRole('button', { name, exact: true }).click();
						else await Promise.all([page.waitForNavigation(), page.getByRole('button', { name, exact: true }).click()]);
						await page.locator('.error-summary').waitFor();
					};
					const start = async () => {
						await page.goto(`${server.url}/s/${SLUG}`);
						await press(t.start_button, /\/who/);
					};
					try {
						// Accept-Language chooses the language: no link pressed yet.
						await start();
						// No group chosen.
						await pressForError(t.continue);
						await check(['error_summary_title', 'who_error']);
						await page.locator('input[name="groups"][value="parent_carer"]').check();
						await press(t.continue, /\/where/);
						await press(t.continue, /\/q\/1\/1/);

						// An answer too long.
						await page.locator('#answer').fill('a'.repeat(MAX_ANSWER_LENGTH + 5));
						await pressForError(t.continue);
						await check(['answer_too_long']);

						// Nothing answered: every question left empty, then Send.
						await page.locator('#answer').fill('');
						for (let n = 1; n <= 5; n++) await press(t.continue, n === 5 ? /\/about/ : new RegExp(`/q/1/${n + 1}`));
						await page.locator('input[name="wanted"][value="no"]').check();
						await press(t.continue, /\/check/);
						await pressForError(t.send);
						await check(['check_none']);

						// Answered, sent: the thank-you page.
						const said = lang === 'cy' ? 'Mwy o glybiau ieuenctid yn y dref' : 'بچوں کے لیے مزید پارک';
						await page.goto(`${server.url}/s/${SLUG}/q/1/1`);
						await page.locator('#answer').fill(said);
						await press(t.continue, /\/q\/1\/2/);
						await page.goto(`${server.url}/s/${SLUG}/check`);
						expect(await readable(page)).toContain(said);
						await press(t.send, /\/done\?/);
						await check(['done_heading']);

						// A second send from the same address: the rate limit (429); the answers stay on the page.
						await start();
						await page.locator('input[name="groups"][value="parent_carer"]').check();
						await press(t.continue, /\/where/);
						await press(t.continue, /\/q\/1\/1/);
						await page.locator('#answer').fill(lang === 'cy' ? 'Parc newydd' : 'نیا پارک');
						await press(t.continue, /\/q\/1\/2/);
						await page.goto(`${server.url}/s/${SLUG}/check`);
						const sent = page.waitForResponse((r) => r.request().method() === 'POST');
						await pressForError(t.send);
						if (!js) expect((await sent).status()).toBe(429);
						await check(['refusal']);

						// Too many starts from one address (429 on the start page).
						let refusedStart = false;
						for (let i = 0; i < 5 && !refusedStart; i++) {
							await page.goto(`${server.url}/s/${SLUG}`);
							const restart = page.getByRole('button', { name: t.resume_restart, exact: true });
							const button =
								(await restart.count()) > 0 ? restart : page.getByRole('button', { name: t.start_button, exact: true });
							await button.click();
							refusedStart = await Promise.race([
								page.waitForURL(/\/who/).then(
									() => false,
									() => false
								),
								page
									.getByText(t.start_too_many)
									.waitFor()
									.then(
										() => true,
										() => false
									)
							]);
						}
						expect(refusedStart).toBe(true);
						await check(['start_too_many']);

						// A body too large (413): an answer of more than the public 64 KB cap.
						await page.goto(`${server.url}/s/${SLUG}/who`);
						expect(new URL(page.url()).pathname).toBe(`/s/${SLUG}/who`);
						{
							await page.locator('input[name="groups"][value="parent_carer"]').check();
							await page.evaluate((size) => {
								const f = document.querySelector<HTMLInputElement>('input[name="groups"]')!.form!;
								const big = document.createElement('input');
								big.type = 'hidden';
								big.name = 'padding';
								big.value = 'x'.repeat(size);
								f.appendChild(big);
							}, MAX_SUBMISSION_BYTES + 1024);
							const res = page.waitForResponse((r) => r.request().method() === 'POST');
							await page.getByRole('button', { name: t.continue, exact: true }).click();
							if (!js) expect((await res).status()).toBe(413);
							await page
								.locator('h1')
								.filter({ hasText: core(t.too_large) })
								.waitFor();
							await check(['too_large']);
						}

						// A form sent from another website (403): a copy of the survey's form on another page.
						await page.goto('about:blank');
						await page.setContent(
							`<form method="POST" action="${server.url}/s/${SLUG}/who"><input name="groups" value="parent_carer"><button>Go</button></form>`
						);
						const refused = page.waitForResponse((r) => r.request().method() === 'POST');
						await page.getByRole('button', { name: 'Go' }).click();
						expect((await refused).status()).toBe(403);
						await page.locator('h1').waitFor();
						await check(['cross_site', 'error_back_survey']);

						// The pages around the survey, and an unknown consultation (404).
						for (const [path, keys, status] of [
							[`/s/${SLUG}/privacy`, ['privacy_heading', 'pc_h_controller'], 200],
							[`/s/${SLUG}/accessibility`, ['access_heading', 'ac_h_compliance'], 200],
							[`/s/${SLUG}/results`, ['res_heading', 'res_who_heading'], 200],
							[`/s/${SLUG}/results?easy=1`, ['res_heading_easy'], 200],
							['/privacy', ['site_privacy_intro'], 200],
							['/accessibility', ['site_access_intro'], 200],
							[`/s/no-such-survey`, ['error_not_found', 'error_nf_typed'], 404]
						] as const) {
							const res = await page.goto(`${server.url}${path}`);
							expect(res!.status(), path).toBe(status);
							await check([...keys]);
						}
						expect(seen.length).toBeGreaterThanOrEqual(15);
						expect(problems).toEqual([]);
						expect(csp()).toEqual([]);
					} finally {
						await ctx.close();
					}
				},
				600_000
			);
		}
	}

	it('answers the JSON API in the language asked for when it refuses: 403 cross-site, 413 too large', async () => {
		for (const lang of Object.keys(LANGS) as Lang[]) {
			const t = messages(lang);
			const cross = await fetch(`${server.url}/api/s/${SLUG}/submissions`, {
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					accept: 'application/json',
					'accept-language': lang,
					origin: 'https://elsewhere.example'
				},
				body: '{}'
			});
			expect(cross.status).toBe(403);
			expect(((await cross.json()) as { message: string }).message).toBe(t.cross_site);
			const big = await fetch(`${server.url}/api/s/${SLUG}/submissions?lang=${lang}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', accept: 'application/json', origin: server.url },
				body: JSON.stringify({ padding: 'x'.repeat(MAX_SUBMISSION_BYTES + 10) })
			});
			expect(big.status).toBe(413);
			expect(((await big.json()) as { message: string }).message).toContain(core(t.api_too_large));
		}
	});

	it('says the consultation has closed, in Welsh and in Urdu, with and without JavaScript', async () => {
		const db = new Database(sqlitePath(fresh));
		try {
			db.prepare("update consultation set status = 'closed' where slug = ?").run(SLUG);
			for (const lang of Object.keys(LANGS) as Lang[]) {
				const t = messages(lang);
				for (const js of [true, false]) {
					const ctx = await journeyContext(lang, js);
					const page = await ctx.newPage();
					await page.goto(`${server.url}/s/${SLUG}/who`);
					expect(new URL(page.url()).pathname).toBe(`/s/${SLUG}`);
					expect(await page.locator('html').getAttribute('lang')).toBe(lang);
					const text = await readable(page);
					expect(text).toContain(core(t.start_closed));
					for (const p of englishParts(lang)) expect(text, `English "${p.text}" (${p.key})`).not.toContain(p.text);
					expect(await page.getByRole('button', { name: t.start_button, exact: true }).count()).toBe(0);
					await ctx.close();
				}
			}
		} finally {
			db.prepare("update consultation set status = 'open' where slug = ?").run(SLUG);
			db.close();
		}
	}, 180_000);
});
