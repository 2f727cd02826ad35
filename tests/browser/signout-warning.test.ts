/**
 * Leaves typed on a device and not yet sent stay in its localStorage after signing out (issue #11's audit):
 * the Sign out button says so, on every staff page, while any remain (GOV.UK warning text), and says nothing when
 * none do. Chromium, built server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { RunningServer } from '../helpers/server';
import { addUser } from '../helpers/users';
import { signIn, startBrowserApp, type BrowserApp } from '../helpers/app';

const OUTBOX_KEY = 'consult.entry.outbox.v1';

describe('sign-out warns of unsent leaves (Chromium)', () => {
	const entry = { email: 'warn@lib.test', password: 'entry-password-1' };
	let app: BrowserApp;
	let server: RunningServer;
	let browser: Browser;
	beforeAll(async () => {
		app = await startBrowserApp({
			seed: async (open) => {
				await addUser(open.db, { ...entry, role: 'entry' }, null);
			}
		});
		({ server, browser } = app);
	});
	afterAll(() => app?.close());

	it('shows the warning beside Sign out while leaves wait on this device, and not otherwise', async () => {
		const context = await browser.newContext();
		const page = await context.newPage();
		await signIn(page, server.url, entry, '/entry');
		const warning = page.getByTestId('signout-unsent');
		await expect.poll(() => page.getByRole('button', { name: 'Sign out' }).count()).toBe(1);
		expect(await warning.count()).toBe(0);

		// A leaf another member of staff typed on this PC: this sign-in never sends it, so it waits.
		await page.evaluate((key) => {
			const leaf = {
				id: crypto.randomUUID(),
				sessionId: 1,
				questionKey: 'q1',
				group: null,
				district: null,
				text: 'typed earlier',
				queuedAt: new Date().toISOString(),
				authorId: 987654,
				authorEmail: 'someone@else.test'
			};
			localStorage.setItem(key, JSON.stringify([leaf]));
		}, OUTBOX_KEY);
		await page.reload();
		await expect
			.poll(async () => (await warning.textContent())?.replace(/\s+/g, ' '), { timeout: 15_000 })
			.toContain('Warning: 1 leaf typed on this device has not been sent yet.');
		expect(await warning.textContent()).toContain('stays in this browser after you sign out');
		expect(
			await page.getByRole('button', { name: 'Sign out' }).getAttribute('aria-describedby'),
			'the button is described by the warning'
		).toBe('signout-unsent');

		await page.evaluate((key) => localStorage.removeItem(key), OUTBOX_KEY);
		await page.reload();
		await expect.poll(() => page.getByRole('button', { name: 'Sign out' }).count()).toBe(1);
		expect(await warning.count()).toBe(0);
		await context.close();
	});
});
