/**
 * Every converted form shows its errors the one GOV.UK way (<Field> and
 * <ErrorSummary>): the summary links to a field that exists, the field has
 * aria-invalid and is described by its error message (which starts with a
 * visually hidden "Error:"), and the page is axe-clean at WCAG 2.2 AA, under
 * the real CSP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { RunningServer } from '../helpers/server';
import { startBrowserApp, type BrowserApp } from '../helpers/app';
import { axe } from '../helpers/axe';
import { SLUG } from '../helpers/consultation';
import { addUser } from '../helpers/users';
import { getConsultation } from '../../src/lib/server/consultations/queries';
import { openEntrySession } from '../helpers/entry';

/** The summary's links, and for each the field it lands on: invalid, described by its "Error:" message. */
async function errorsShown(page: Page) {
	await page.locator('.error-summary').waitFor();
	return page.evaluate(() =>
		[...document.querySelectorAll<HTMLAnchorElement>('.error-summary a')].map((a) => {
			const id = decodeURIComponent(a.hash.slice(1));
			const field = document.getElementById(id);
			const group = field?.closest('fieldset');
			const described = (group?.getAttribute('aria-describedby') ?? field?.getAttribute('aria-describedby') ?? '')
				.split(' ')
				.filter(Boolean);
			const message = described
				.map((d) => document.getElementById(d))
				.find((e) => e?.classList.contains('error-message'));
			return {
				summary: a.textContent?.trim(),
				exists: field !== null,
				invalid: group
					? field?.closest('.form-group')?.classList.contains('error')
					: field?.getAttribute('aria-invalid') === 'true',
				message: message?.textContent?.replace(/\s+/g, ' ').trim() ?? null
			};
		})
	);
}

describe('forms: one Field, one ErrorSummary (built server, Chromium)', () => {
	let app: BrowserApp;
	let server: RunningServer;
	let browser: Browser;
	let sessionId: number;
	let adminId: number;

	beforeAll(async () => {
		app = await startBrowserApp({
			env: { SURVEY_RATE_LIMIT: '1000' },
			seed: async (fresh) => {
				adminId = (
					await addUser(fresh.db, { email: 'admin@forms.test', role: 'admin', password: 'admin-password-1' }, null)
				).id;
				const entry = await addUser(
					fresh.db,
					{ email: 'entry@forms.test', role: 'entry', password: 'entry-password-1' },
					adminId
				);
				sessionId = (
					await openEntrySession(fresh.db, {
						adminId,
						by: { id: entry.id, role: 'entry' },
						library: { name: 'Bewdley Library', district: 'wyre-forest' },
						consultationId: (await getConsultation(fresh.db, SLUG))!.id,
						session: { question: 'all', group: '' }
					})
				).sessionId;
			}
		});
		({ server, browser } = app);
	});
	afterAll(() => app?.close());

	async function signedIn(email: string, password: string) {
		const context = await browser.newContext();
		const page = await context.newPage();
		await page.goto(`${server.url}/login`);
		await page.fill('#email', email);
		await page.fill('#password', password);
		await Promise.all([page.waitForURL((u) => u.pathname !== '/login'), page.click('main button[type=submit]')]);
		return { context, page };
	}

	async function expectFieldErrors(page: Page, want: Record<string, RegExp>) {
		const shown = await errorsShown(page);
		expect(shown.map((s) => s.summary)).toEqual(Object.values(want).map((w) => expect.stringMatching(w)));
		for (const s of shown) {
			expect(s.exists, s.summary).toBe(true);
			expect(s.invalid, s.summary).toBe(true);
			expect(s.message, s.summary).toBe(`Error: ${s.summary}`);
		}
		expect(await page.title()).toMatch(/^Error: /);
		expect(await axe(page)).toEqual([]);
	}

	it('sign in: both fields empty', async () => {
		const page = await (await browser.newContext()).newPage();
		await page.goto(`${server.url}/login`);
		await page.click('main button[type=submit]');
		await expectFieldErrors(page, { email: /Enter your email address/, password: /Enter your password/ });
		await page.context().close();
	});

	it('admin: a new user, a password, a location, deleting by reference, all empty', async () => {
		const { context, page } = await signedIn('admin@forms.test', 'admin-password-1');
		await page.goto(`${server.url}/admin/users`);
		await page.fill('#email', 'not an email');
		await page.click('form[action="?/create"] button[type=submit]');
		await expectFieldErrors(page, { email: /right format/ });
		expect(await page.inputValue('#email')).toBe('not an email');

		await page.goto(`${server.url}/admin/users/${adminId}`);
		await page.click('form[action="?/password"] button[type=submit]');
		await expectFieldErrors(page, { password: /./ });

		await page.goto(`${server.url}/admin/locations`);
		await page.click('form[action="?/add"] button[type=submit]');
		await expectFieldErrors(page, { name: /Enter the name of the location/ });

		await page.goto(`${server.url}/admin/privacy`);
		await page.click('form[action="?/deleteReference"] button[type=submit]');
		await expectFieldErrors(page, { reference: /Enter the reference/, confirm: /Tick the box/ });

		await page.goto(`${server.url}/admin/import`);
		await page.click('form[action="?/upload"] button[type=submit]');
		await expectFieldErrors(page, { file: /Choose a CSV or XLSX file/ });
		await context.close();
	});

	it('entry: starting a session without a location, and a leaf of 2,001 characters without JavaScript', async () => {
		const { context, page } = await signedIn('entry@forms.test', 'entry-password-1');
		await page.goto(`${server.url}/entry`);
		await page.fill('#date', '');
		await page.click('form[action="?/start"] button[type=submit]');
		await expectFieldErrors(page, { locationId: /Choose a location/, date: /Enter the date/ });
		await context.close();

		const noJs = await browser.newContext({ javaScriptEnabled: false });
		const p = await noJs.newPage();
		await p.goto(`${server.url}/login`);
		await p.fill('#email', 'entry@forms.test');
		await p.fill('#password', 'entry-password-1');
		await Promise.all([p.waitForURL((u) => u.pathname !== '/login'), p.click('main button[type=submit]')]);
		await p.goto(`${server.url}/entry/s/${sessionId}`);
		await p.fill('#text', 'a'.repeat(1999) + '😀😀');
		await Promise.all([p.waitForLoadState('load'), p.click('form.entry-form button[type=submit]')]);
		const shown = await errorsShown(p);
		expect(shown).toEqual([
			{
				summary: expect.stringMatching(/2,000 characters or fewer \(this has 2,001\)/),
				exists: true,
				invalid: true,
				message: expect.stringMatching(/^Error: /)
			}
		]);
		await noJs.close();
	});

	it('survey: no group ticked, no answer to "About you", an answer of 2,001 characters', async () => {
		const page = await (await browser.newContext()).newPage();
		await page.goto(`${server.url}/s/${SLUG}`);
		await Promise.all([page.waitForURL(/\/who/), page.getByRole('button', { name: /^(Start|Start now)$/ }).click()]);
		await page.getByRole('button', { name: 'Continue' }).click();
		await expectFieldErrors(page, { 'group-child': /Select who you are answering as/ });
		await page.getByLabel('Child (12 or under)', { exact: true }).check();
		await Promise.all([page.waitForURL(/\/where/), page.getByRole('button', { name: 'Continue' }).click()]);
		await page.goto(`${server.url}/s/${SLUG}/q/1/1`);
		await page.locator('#answer').fill('a'.repeat(1999) + '😀😀');
		await expect.poll(() => page.locator('#answer-count').textContent()).toBe('You have 1 character too many');
		await page.getByRole('button', { name: 'Continue' }).click();
		await expectFieldErrors(page, { answer: /2,000 characters or fewer \(this has 2,001\)/ });
		await page.locator('#answer').fill('😀'.repeat(1500));
		await expect.poll(() => page.locator('#answer-count').textContent()).toBe('You have 500 characters left');
		await Promise.all([page.waitForURL(/\/q\/1\/2/), page.getByRole('button', { name: 'Continue' }).click()]);
		await page.goto(`${server.url}/s/${SLUG}/about`);
		await page.getByRole('button', { name: 'Continue' }).click();
		await expectFieldErrors(page, { 'wanted-yes': /Select yes/ });
		await page.context().close();
	});
});
