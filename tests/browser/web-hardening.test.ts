import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startBuiltServer, type RunningServer } from '../helpers/server';
import { syncEntries } from '../../src/lib/server/entry/entries';
import { axe } from '../helpers/axe';
import { SLUG } from '../helpers/consultation';
import { addUser } from '../helpers/users';
import { emptyDatabase, sqlitePath, type FreshDb } from '../helpers/databases';
import { openEntrySession } from '../helpers/entry';
import { signIn, startBrowserApp, type BrowserApp } from '../helpers/app';

const MARKER = 'Zebedee-lives-at-12-Acacia-Road';

/** The page's HTML once it has settled (Back may land on a page that then redirects). */
async function settledContent(page: Page): Promise<string> {
	for (let i = 0; i < 50; i++) {
		await page.waitForLoadState('networkidle');
		try {
			return await page.content();
		} catch {
			// still navigating: wait for it to finish
		}
	}
	throw new Error('the page never settled');
}

describe('signed-out browsers and error pages (Chromium, real CSP)', () => {
	const admin = { email: 'admin@lib.test', password: 'admin-password-1' };
	const entry = { email: 'leaves@lib.test', password: 'entry-password-1' };
	let app: BrowserApp;
	let server: RunningServer;
	let browser: Browser;
	let fresh: FreshDb;
	let sessionId: number;
	beforeAll(async () => {
		app = await startBrowserApp({
			seed: async (open) => {
				const by = await addUser(open.db, { ...admin, role: 'admin' }, null);
				const staff = { id: (await addUser(open.db, { ...entry, role: 'entry' }, by.id)).id, role: 'entry' as const };
				sessionId = (await openEntrySession(open.db, { adminId: by.id, by: staff })).sessionId;
				const sent = await syncEntries(
					open.db,
					[{ id: randomUUID(), sessionId, questionKey: 'q1', group: 'young_person', district: null, text: MARKER }],
					staff
				);
				expect(sent.accepted).toHaveLength(1);
			}
		});
		({ server, browser, fresh } = app);
	});
	afterAll(() => app?.close());

	it('after signing out, pressing Back twice shows nothing from the staff page', async () => {
		const context = await browser.newContext();
		const page = await context.newPage();
		await signIn(page, server.url, entry, `/entry/s/${sessionId}`);
		await expect.poll(() => page.content()).toContain(MARKER);
		const staffResponse = await page.reload();
		expect(staffResponse?.headers()['cache-control']).toBe('no-store');

		await Promise.all([page.waitForURL(/\/login/), page.click('button:has-text("Sign out")')]);
		for (let i = 0; i < 2; i++) {
			await page.goBack({ waitUntil: 'load' });
			expect(await settledContent(page)).not.toContain(MARKER);
		}
		// Wherever Back led, it is the sign-in page, not the cached staff page.
		expect(new URL(page.url()).pathname).toBe('/login');
		await context.close();
	});

	it('sign-in ignores a `next` that leads off the site, and a newline in it is no error', async () => {
		const context = await browser.newContext();
		const page = await context.newPage();
		await page.goto(`${server.url}/login?next=${encodeURIComponent('/\t/evil.example/phish')}`);
		await page.fill('#email', 'admin@lib.test');
		await page.fill('#password', 'admin-password-1');
		await page.click('main button[type=submit]');
		await expect.poll(() => new URL(page.url()).pathname, { timeout: 30_000 }).toBe('/admin');
		expect(new URL(page.url()).origin).toBe(server.url);
		const res = await fetch(`${server.url}/login`, {
			method: 'POST',
			redirect: 'manual',
			headers: { origin: server.url, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
			body: new URLSearchParams({ email: 'admin@lib.test', password: 'admin-password-1', next: '/admin\n/evil' })
		});
		expect(res.status).toBe(303);
		expect(res.headers.get('location')).toBe('/admin');
		await context.close();
	});

	it('a wrong address shows "Page not found" with a title and a way back, axe-clean', async () => {
		const page = await browser.newPage();
		const res = await page.goto(`${server.url}/no-such-page`);
		expect(res?.status()).toBe(404);
		expect(await page.title()).toBe('Page not found – Have your say');
		expect(await page.locator('h1').textContent()).toBe('Page not found');
		const back = page.locator('main a', { hasText: 'Go to the home page' });
		expect(await back.getAttribute('href')).toBe('/');
		expect(await axe(page)).toEqual([]);
		await page.close();
	});

	it('a fault shows "Sorry, there is a problem with the service" with a reference that is in the log, without what was sent', async () => {
		const context = await browser.newContext();
		const page = await context.newPage();
		await signIn(page, server.url, admin, '/admin');
		// Break the database under the running server: the locations page can no longer load.
		const raw = new Database(sqlitePath(fresh));
		raw.exec('ALTER TABLE location RENAME TO location_gone');
		try {
			const res = await page.goto(`${server.url}/admin/locations?name=Secret-Child-Name`);
			expect(res?.status()).toBe(500);
			expect(await page.title()).toBe('Sorry, there is a problem with the service – Have your say');
			const reference = (await page.locator('.error-reference').textContent())!.trim();
			expect(reference).toMatch(/^E-[2-9A-Z]{4}-[2-9A-Z]{4}$/);
			expect(await page.locator('main a', { hasText: 'Go to the staff home page' }).getAttribute('href')).toBe(
				'/admin'
			);
			expect(await axe(page)).toEqual([]);
			await expect.poll(() => server.output()).toContain(reference);
			const line = server
				.output()
				.split('\n')
				.find((l) => l.includes(reference))!;
			expect(JSON.parse(line)).toMatchObject({
				reference,
				route: '/admin/locations',
				path: '/admin/locations',
				status: 500
			});
			expect(server.output()).not.toContain('Secret-Child-Name');
		} finally {
			raw.exec('ALTER TABLE location_gone RENAME TO location');
			raw.close();
		}
		await context.close();
	});

	it('a child refused by the limit is told kindly and their answers stay on the page', async () => {
		const slug = SLUG;
		const other = await emptyDatabase('sqlite');
		await other.close();
		const limited = await startBuiltServer({
			DATABASE_URL: other.url,
			SURVEY_RATE_LIMIT: '1',
			SURVEY_MIN_SECONDS: '0'
		});
		try {
			// Someone else at the same school address has sent the one submission allowed here.
			const first = await fetch(`${limited.url}/api/s/${slug}/submissions`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ id: randomUUID(), perspectives: [{ group: 'child', answers: { q1: 'Swings' } }] })
			});
			expect(first.status).toBe(201);
			const context = await browser.newContext();
			const page = await context.newPage();
			await page.goto(`${limited.url}/s/${slug}`);
			await Promise.all([page.waitForURL(/\/who/), page.getByRole('button', { name: /^(Start|Start now)$/ }).click()]);
			await page.getByLabel('Child (12 or under)', { exact: true }).check();
			await Promise.all([page.waitForURL(/\/where/), page.getByRole('button', { name: 'Continue' }).click()]);
			await page.goto(`${limited.url}/s/${slug}/q/1/1`);
			await page.locator('#answer').fill('A bigger park near my school');
			await Promise.all([page.waitForURL(/\/q\/1\/2/), page.getByRole('button', { name: 'Continue' }).click()]);
			await page.goto(`${limited.url}/s/${slug}/check`);
			await page.getByRole('button', { name: 'Send answers' }).click();
			await expect.poll(() => page.locator('.error-summary').textContent()).toContain('Your answers are still here');
			expect(new URL(page.url()).pathname).toBe(`/s/${slug}/check`);
			expect(await page.locator('main').textContent()).toContain('A bigger park near my school');
			expect(await page.title()).toMatch(/^Error: /);
			expect(await axe(page)).toEqual([]);
			await context.close();
		} finally {
			await limited.stop();
			await other.drop();
		}
	});
});
