/**
 * Review by keyboard (issue #14 item 5) in Chromium under the real CSP: saving with the
 * save key after removing the theme the list is filtered by takes the answer off the list
 * and focus lands on the next answer not yet reviewed, never skipping one; single-key
 * shortcuts can be switched off (WCAG 2.1.4) and remapped; settings form axe-clean.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { RunningServer } from '../helpers/server';
import { signIn, startBrowserApp, type BrowserApp } from '../helpers/app';
import { cspViolations } from '../helpers/browser';
import { addCodedAnswers, loadSmallFixture, type Fixture } from '../fixtures/analysis/small';
import { axe } from '../helpers/axe';
import { SLUG } from '../helpers/consultation';
import { addUser } from '../helpers/users';

const EMAIL = 'keys@example.gov.uk';
const PASSWORD = 'a long officer password';

describe('review by keyboard', () => {
	let app: BrowserApp;
	let server: RunningServer;
	let browser: Browser;
	let fx: Fixture;
	beforeAll(async () => {
		app = await startBrowserApp({
			seed: async (db) => {
				fx = await loadSmallFixture(db.db);
				// Four more answers about family, so the list filtered by "family" has six.
				await addCodedAnswers(db.db, fx, { texts: [0, 1, 2, 3].map((i) => `my family ${i}`), theme: fx.themes.family });
				await addUser(db.db, { email: EMAIL, role: 'officer', password: PASSWORD });
			}
		});
		({ server, browser } = app);
	});
	afterAll(() => app?.close());

	const focusedAnswer = (page: Page) =>
		page.evaluate(() => (document.activeElement as HTMLElement | null)?.closest('article')?.dataset.id ?? null);
	const listed = (page: Page) =>
		page.locator('article.review-answer').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.id!));

	it('never skips an answer when the saved one leaves the filtered list, and shortcuts can be turned off and remapped', async () => {
		const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
		const refused = cspViolations(page);
		await signIn(page, server.url, { email: EMAIL, password: PASSWORD });

		await page.goto(`${server.url}/admin/c/${SLUG}/review?question=q1&theme=${fx.themes.family}`);
		await expect.poll(() => page.locator('#keyboard-hints').textContent()).toContain('s save');
		const before = await listed(page);
		expect(before.length).toBeGreaterThanOrEqual(4);

		// Untick "family" on the second answer and save with "s": it leaves the list.
		await page.locator('h1').click();
		await page.keyboard.press('k');
		expect(await focusedAnswer(page)).toBe(before[0]);
		await page.keyboard.press('j');
		expect(await focusedAnswer(page)).toBe(before[1]);
		const second = page.locator(`article[data-id="${before[1]}"]`);
		await page.locator(`#t-${before[1]}-${fx.themes.family}`).uncheck();
		await second.evaluate((el) => (el as HTMLElement).focus());
		await page.keyboard.press('s');
		await expect.poll(() => listed(page)).toEqual(before.filter((id) => id !== before[1]));
		// Focus is on the answer that came after it: before the fix it went one further.
		await expect.poll(() => focusedAnswer(page)).toBe(before[2]);

		// Off: no single key does anything.
		await page.locator('#key-settings summary').click();
		expect(await axe(page)).toEqual([]);
		await page.locator('#keys-enabled').uncheck();
		await page.locator('#key-settings button[type=submit]').click();
		await expect.poll(() => page.locator('#keyboard-hints').textContent()).toContain('shortcuts are off');
		const third = page.locator(`article[data-id="${before[2]}"]`);
		await third.evaluate((el) => (el as HTMLElement).focus());
		const box = third.locator('input[name=theme]').first();
		const was = await box.isChecked();
		await page.keyboard.press('1');
		await page.keyboard.press('j');
		expect(await box.isChecked()).toBe(was);
		expect(await focusedAnswer(page)).toBe(before[2]);

		// On again, with "n" for next; a key used twice is refused with a message by its field.
		await page.locator('#keys-enabled').check();
		await page.locator('#key-next').fill('n');
		await page.locator('#key-save').fill('n');
		await page.locator('#key-settings button[type=submit]').click();
		await expect.poll(() => page.locator('#key-save-error').textContent()).toContain('“n” is already used');
		expect(await page.locator('#key-save').getAttribute('aria-invalid')).toBe('true');
		await page.locator('#key-save').fill('s');
		await page.locator('#key-settings button[type=submit]').click();
		await expect.poll(() => page.locator('#keyboard-hints').textContent()).toContain('n next answer');
		// Kept in this browser: still so after a reload.
		await page.reload();
		await expect.poll(() => page.locator('#keyboard-hints').textContent()).toContain('n next answer');
		await page.locator('h1').click();
		await page.keyboard.press('k');
		expect(await focusedAnswer(page)).toBe((await listed(page))[0]);
		await page.keyboard.press('n');
		expect(await focusedAnswer(page)).toBe((await listed(page))[1]);
		await page.keyboard.press('j');
		expect(await focusedAnswer(page)).toBe((await listed(page))[1]);

		// The themes key takes focus into the answer's theme list, where Tab reaches every theme.
		await page.keyboard.press('t');
		expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).name)).toBe('theme');
		expect(refused(), 'CSP violations on the review screen').toEqual([]);
		await page.close();
	});
});
