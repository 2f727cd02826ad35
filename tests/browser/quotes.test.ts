/**
 * Quotes trimmed and edited for publication (issue #14 item 6), in Chromium under the app's real
 * Content Security Policy, with JavaScript on (the forms post in place) and off (plain form
 * posts): an officer trims one starred quote and rewords another on the quotes page, and sees
 * the result there, in the report (page and Word file: "[…]" where words were cut, "wording
 * edited" on a reworded quote) and on the public results page. An answer flagged after it was
 * starred, and an answer nobody starred, reach none of them.
 */
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import type { RunningServer } from '../helpers/server';
import { cspViolations } from '../helpers/browser';
import { signIn as signInAs, startBrowserApp, type BrowserApp } from '../helpers/app';
import { flagAnswer } from '../helpers/flags';
import { addUser } from '../helpers/users';
import { addCodedAnswers, loadSmallFixture, SLUG } from '../fixtures/analysis/small';
import { setStar } from '../../src/lib/server/review/quotes';
import { setQuotePublic, setResultsStatus } from '../../src/lib/server/results';

const EMAIL = 'quotes@example.gov.uk';
const PASSWORD = 'a long officer password';

/** Each run (JavaScript on, off) trims one quote and rewords another, both starred and public beforehand. */
const RUNS = {
	js: {
		trim: 'Walking the dog with my brother after school makes me happy',
		keep: 'Walking the dog',
		trimmed: 'Walking the dog […]',
		edit: 'My cat Smudge sleeps on my bed every night',
		wording: 'My cat sleeps on my bed every night'
	},
	nojs: {
		trim: 'On Saturdays I feed the ducks at the park with my nan',
		keep: 'I feed the ducks at the park',
		trimmed: '[…] I feed the ducks at the park […]',
		edit: 'Our rabbit lives in the garden and I clean the hutch',
		wording: 'Our rabbit lives in the garden and I clean its hutch'
	}
} as const;
/** Starred, then flagged for safeguarding: never printed, never public. */
const FLAGGED = 'My hamster is the only one I can talk to at home';
/** Has the theme, never starred: suggested on the quotes page, never in the report. */
const UNSTARRED = 'Goldfish are calm to watch';

describe('quotes trimmed and edited, with and without JavaScript', () => {
	let app: BrowserApp;
	let server: RunningServer;
	let browser: Browser;
	let pets: number;
	const ids: Record<string, number> = {};

	beforeAll(async () => {
		app = await startBrowserApp({
			seed: async (fresh) => {
				const fx = await loadSmallFixture(fresh.db);
				pets = fx.themes.pets;
				await addUser(fresh.db, { email: EMAIL, role: 'officer', password: PASSWORD });
				const texts = [RUNS.js.trim, RUNS.js.edit, RUNS.nojs.trim, RUNS.nojs.edit, FLAGGED, UNSTARRED];
				// Young people say each; enough answers with the theme for it to be shown on the public page.
				const answerIds = await addCodedAnswers(fresh.db, fx, { texts, theme: pets, group: 'young_person' });
				texts.forEach((t, i) => (ids[t] = answerIds[i]));
				// Coded by an officer: the background coder, which runs when the server starts, leaves these as they are.
				await fresh.db
					.updateTable('answer_theme')
					.set({ source: 'human' })
					.where('answer_id', 'in', answerIds)
					.execute();
				for (const t of texts.slice(0, 5)) {
					await setStar(fresh.db, fx.c.id, pets, ids[t], true, { id: fx.officerId });
					await setQuotePublic(fresh.db, fx.c.id, pets, ids[t], true, { id: fx.officerId });
				}
				await flagAnswer(fresh.db, ids[FLAGGED]);
				await setResultsStatus(fresh.db, fx.c.id, 'published', { id: fx.officerId });
			}
		});
		({ server, browser } = app);
	}, 180_000);
	afterAll(() => app?.close());

	async function signIn(js: boolean): Promise<{ ctx: BrowserContext; page: Page }> {
		const ctx = await browser.newContext({ javaScriptEnabled: js, viewport: { width: 1280, height: 900 } });
		const page = await ctx.newPage();
		await signInAs(page, server.url, { email: EMAIL, password: PASSWORD });
		return { ctx, page };
	}

	/** The quote's entry on the quotes page, with its "Trim or edit" section opened. */
	async function openWording(page: Page, answer: number) {
		const item = page.locator('ul.quotes > li', { has: page.locator(`#trim-${pets}-${answer}-part`) });
		const details = item.locator('details', { has: page.locator(`#trim-${pets}-${answer}-part`) });
		if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open))) await details.locator('summary').click();
		return item;
	}

	/** Sends a form by its button, and waits for the page to show `shows` (in place with JavaScript, a new page without). */
	async function post(page: Page, js: boolean, button: Locator, shows: Locator) {
		if (js) await button.click();
		else await Promise.all([page.waitForNavigation(), button.click()]);
		await shows.first().waitFor();
	}

	for (const js of [true, false]) {
		const run = js ? RUNS.js : RUNS.nojs;
		it(`trims and rewords quotes on the quotes page (JavaScript ${js ? 'on' : 'off'})`, async () => {
			const { ctx, page } = await signIn(js);
			const csp = cspViolations(page);
			try {
				const address = `${server.url}/admin/c/${SLUG}/quotes?question=q1&group=young_person`;
				await page.goto(address);
				if (js) await page.evaluate(() => ((window as unknown as { __same: boolean }).__same = true));

				// A refused trim (words not in the answer) keeps what was typed and says why, on the field.
				let item = await openWording(page, ids[run.trim]);
				await item.locator(`#trim-${pets}-${ids[run.trim]}-part`).fill('Walking the cat');
				await post(page, js, item.getByRole('button', { name: 'Keep only this part' }), page.locator('.error-summary'));
				item = await openWording(page, ids[run.trim]);
				expect(await item.locator(`#trim-${pets}-${ids[run.trim]}-part`).inputValue()).toBe('Walking the cat');
				expect(await item.locator(`#trim-${pets}-${ids[run.trim]}-part-error`).innerText()).toContain(
					'Keep only words from the answer'
				);

				await item.locator(`#trim-${pets}-${ids[run.trim]}-part`).fill(run.keep);
				await post(
					page,
					js,
					item.getByRole('button', { name: 'Keep only this part' }),
					page.getByRole('status').getByText('Quote trimmed.')
				);
				item = page.locator('ul.quotes > li', { has: page.locator(`#trim-${pets}-${ids[run.trim]}-part`) });
				await expect.poll(() => item.locator('blockquote').first().innerText()).toBe(run.trimmed);
				expect(await item.locator('.hint').first().innerText()).toContain('Trimmed or edited');

				item = await openWording(page, ids[run.edit]);
				await item.locator(`#edit-${pets}-${ids[run.edit]}-wording`).fill(run.wording);
				await post(
					page,
					js,
					item.getByRole('button', { name: 'Save the wording' }),
					page.getByRole('status').getByText('Wording saved')
				);
				item = page.locator('ul.quotes > li', { has: page.locator(`#trim-${pets}-${ids[run.edit]}-part`) });
				await expect.poll(() => item.locator('blockquote').first().innerText()).toBe(run.wording);

				// Still the page's question and group (without JavaScript too), and the flagged answer is never suggested.
				expect(await page.locator('#question').inputValue()).toBe('q1');
				expect(await page.locator('#group').inputValue()).toBe('young_person');
				const quotesPage = await page.locator('main').innerText();
				expect(quotesPage).not.toContain(FLAGGED);
				expect(quotesPage).toContain(UNSTARRED);
				if (js) expect(await page.evaluate(() => (window as unknown as { __same?: boolean }).__same)).toBe(true);
				expect(csp()).toEqual([]);
			} finally {
				await ctx.close();
			}
		}, 120_000);
	}

	it('the report, its Word file and the public page show the chosen wording, and nothing flagged or unstarred', async () => {
		const { ctx, page } = await signIn(true);
		try {
			await page.goto(`${server.url}/admin/c/${SLUG}/report`);
			const report = (await page.locator('main').innerText()).replace(/\s+/g, ' ');
			for (const run of Object.values(RUNS)) {
				expect(report).toContain(`“${run.trimmed}”`);
				expect(report).toContain(`“${run.wording}” — Young person (13 to 24) (wording edited)`);
				expect(report).not.toContain(run.trim);
				expect(report).not.toContain(run.edit);
			}
			expect(report).toContain('[…] marks where words were cut from an answer.');
			expect(report).toContain('“Wording edited” marks a quote an officer reworded');
			expect(report).not.toContain(FLAGGED);
			expect(report).not.toContain(UNSTARRED);

			const docx = await page.request.get(`${server.url}/admin/c/${SLUG}/report/report.docx`);
			expect(docx.status()).toBe(200);
			const xml = await (await JSZip.loadAsync(await docx.body())).file('word/document.xml')!.async('string');
			const words = [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)]
				.map((p) => [...p[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => t[1]).join(''))
				.join('\n');
			for (const run of Object.values(RUNS)) {
				expect(words).toContain(`“${run.trimmed}”`);
				expect(words).toContain(`“${run.wording}”`);
				expect(words).not.toContain(run.trim);
			}
			expect(words).toContain('Young person (13 to 24), about Pets, wording edited');
			expect(words).toContain('[…] marks where words were cut from an answer.');
			expect(words).not.toContain(FLAGGED);
			expect(words).not.toContain(UNSTARRED);

			// The public page: signed out, as a young person who took part would see it.
			const visitor = await browser.newContext();
			const pub = await visitor.newPage();
			const res = await pub.goto(`${server.url}/s/${SLUG}/results`);
			expect(res!.status()).toBe(200);
			const html = await pub.content();
			const shown = await pub.locator('figure.quote blockquote').allInnerTexts();
			for (const run of Object.values(RUNS)) expect(shown).toEqual(expect.arrayContaining([run.trimmed, run.wording]));
			for (const never of [FLAGGED, UNSTARRED, RUNS.js.trim, RUNS.nojs.edit]) expect(html).not.toContain(never);
			await visitor.close();
		} finally {
			await ctx.close();
		}
	}, 120_000);
});
