import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { RunningServer } from '../helpers/server';
import { startBrowserApp, type BrowserApp } from '../helpers/app';
import { axeViolations } from '../helpers/axe';
import { SLUG } from '../helpers/consultation';
import { addUser } from '../helpers/users';
import { loadSmallFixture } from '../fixtures/analysis/small';

const EMAIL = 'sampler@example.gov.uk';
const PASSWORD = 'a long officer password';

async function axe(page: Page): Promise<string[]> {
	return (await axeViolations(page)).map((v) => `${new URL(v.url).pathname} ${v.id}: ${v.targets.join(', ')}`);
}

describe('officers check a sample of the machine’s coding and the report says how sure it is', () => {
	let app: BrowserApp;
	let server: RunningServer;
	let browser: Browser;

	beforeAll(async () => {
		app = await startBrowserApp({
			seed: async (fresh) => {
				const fx = await loadSmallFixture(fresh.db);
				await fresh.db
					.updateTable('answer')
					.set({ coded_at: '2017-07-01T00:00:00.000Z' })
					.where('id', 'in', [fx.answers.S1yp, fx.answers.S1pc, fx.answers.S2, fx.answers.S3, fx.answers.S4])
					.execute();
				await addUser(fresh.db, { email: EMAIL, role: 'officer', password: PASSWORD }, null);
			}
		});
		({ server, browser } = app);
	});
	afterAll(() => app?.close());

	async function signIn(page: Page) {
		await page.goto(`${server.url}/login`);
		await page.fill('#email', EMAIL);
		await page.fill('#password', PASSWORD);
		await Promise.all([page.waitForURL(/\/admin/), page.click('button[type=submit]')]);
	}

	it('draws a sample, checks it from the keyboard and without JavaScript, and the printed report quotes the agreement', async () => {
		const base = `${server.url}/admin/c/${SLUG}`;
		const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
		await signIn(page);
		const violations: string[] = [];

		// Before any sample: the dashboard's method statement says so.
		await page.goto(base);
		await expect.poll(() => page.locator('#method-statement').textContent()).toContain('no sample checked yet');
		expect(await page.locator('#method-statement').textContent()).toMatch(
			/A tick means the theme is one of the group's 5 most often raised themes/
		);

		// A bad size: error summary, message on the field, nothing drawn.
		await page.getByRole('link', { name: 'Check a sample' }).first().click();
		await page.waitForURL(/\/sample$/);
		await page.fill('#size', 'lots');
		await page.click('button:has-text("Draw the sample")');
		await expect
			.poll(() => page.locator('.error-summary').textContent())
			.toContain('Enter how many answers to check, a whole number from 1 to 1,000');
		expect(await page.getAttribute('#size', 'aria-invalid')).toBe('true');
		expect(await page.getAttribute('#size', 'aria-describedby')).toBe('size-hint size-error');
		expect(await page.locator('text=No sample checked yet.').count()).toBe(1);
		violations.push(...(await axe(page)));

		await page.fill('#size', '3');
		await page.fill('#seed', '42');
		await Promise.all([page.waitForURL(/\/sample\/\d+/), page.click('button:has-text("Draw the sample")')]);
		expect(await page.locator('h1').textContent()).toMatch(/Sample \d+/);
		await expect.poll(() => page.locator('#item-title').textContent()).toContain('Answer 1 of 3');
		violations.push(...(await axe(page)));

		// Keyboard: "c" confirms the machine's themes.
		await page.locator('#themes-hint kbd').first().waitFor();
		await Promise.all([page.waitForURL(/at=1/), page.keyboard.press('c')]);
		await expect.poll(() => page.locator('#item-title').textContent()).toContain('Answer 2 of 3');
		// "1" toggles the first theme, "s" saves the correction.
		const first = page.locator('input[name=theme]').first();
		const was = await first.isChecked();
		await page.keyboard.press('1');
		expect(await first.isChecked()).toBe(!was);
		await Promise.all([page.waitForURL(/at=2/), page.keyboard.press('s')]);
		await expect.poll(() => page.locator('#item-title').textContent()).toContain('Answer 3 of 3');
		const url = page.url();
		await page.close();

		// Without JavaScript: the buttons do the same.
		const ctx = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1100, height: 900 } });
		const plain = await ctx.newPage();
		await signIn(plain);
		await plain.goto(url);
		await Promise.all([plain.waitForURL(/#results$/), plain.click('button:has-text("The machine is right")')]);
		expect(await plain.locator('[role=status]').textContent()).toContain(
			'Every answer in this sample has been checked or skipped'
		);
		const total = plain.locator('#sample-results tr.total td');
		expect(await total.nth(1).textContent()).toBe('3');
		// F1 with its bootstrap interval, precision and recall with Wilson intervals
		expect(await total.nth(4).textContent()).toMatch(/^\d\.\d\d \(95% interval \d\.\d\d to \d\.\d\d\)$|^\d\.\d\d$/);
		await ctx.close();

		// The printed report carries the method statement with the agreement and its interval.
		const report = await browser.newPage({ viewport: { width: 1000, height: 900 } });
		await signIn(report);
		await report.goto(`${base}/report?min=0`);
		await report.emulateMedia({ media: 'print' });
		const statement = report.locator('#method-statement');
		expect(await statement.isVisible()).toBe(true);
		const text = (await statement.textContent())!;
		expect(text).toContain('coded by the machine only');
		expect(text).toMatch(/random sample of 3 machine-coded answers checked by an officer: F1 \d\.\d\d/);
		expect(text).toMatch(/Coding last updated \d+ \w+ \d{4} at \d\d:\d\d \(UTC\)/);
		expect(text).toContain('A tick means the theme');
		// the link to check a sample is for the screen only
		expect(await report.locator('#method-statement a').count()).toBe(0);
		const pdf = await report.pdf({ format: 'A4' });
		expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
		await report.emulateMedia({ media: 'screen' });
		violations.push(...(await axe(report)));
		await report.close();
		expect(violations).toEqual([]);
	}, 180_000);
});
