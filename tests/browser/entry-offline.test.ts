import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { RunningServer } from '../helpers/server';
import { startBrowserApp, type BrowserApp } from '../helpers/app';
import { addLocation } from '../../src/lib/server/entry/locations';
import { addUser } from '../helpers/users';
import { axe } from '../helpers/axe';
import type { FreshDb } from '../helpers/databases';

describe('rapid face-to-face entry in the browser', () => {
	let app: BrowserApp;
	let server: RunningServer;
	let browser: Browser;
	let db: FreshDb;

	beforeAll(async () => {
		app = await startBrowserApp({
			keepOpen: true,
			seed: async ({ db }) => {
				const admin = await addUser(db, { email: 'admin@lib.test', role: 'admin', password: 'admin-password-1' }, null);
				await addUser(db, { email: 'leaves@lib.test', role: 'entry', password: 'entry-password-1' }, admin.id);
				await addLocation(
					db,
					{ name: 'Evesham Library', district: 'wychavon', kind: 'library' },
					new Set(['wychavon']),
					admin.id
				);
			}
		});
		({ server, browser, fresh: db } = app);
	});
	afterAll(() => app?.close());

	/** A fresh browser context signed in as the entry user, on /entry. */
	async function signedIn() {
		const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
		const page = await context.newPage();
		await page.goto(`${server.url}/login`);
		await page.locator('#email').fill('leaves@lib.test');
		await page.locator('#password').fill('entry-password-1');
		await page.keyboard.press('Enter');
		await page.waitForURL(/\/entry$/);
		return { context, page };
	}

	const stored = async () =>
		db.db
			.selectFrom('submission as s')
			.innerJoin('answer as a', 'a.submission_id', 's.id')
			.select(['a.text', 's.channel', 's.collection_session_id', 's.eq_disability'])
			.execute();

	it('logs in, starts a session, keeps 25 leaves typed across a dropped connection, each stored once', async () => {
		const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
		const page = await context.newPage();
		if (process.env.DEBUG_ENTRY)
			page.on('response', (r) => !r.url().includes('_app') && console.log('RESP', r.status(), r.url()));
		await page.goto(`${server.url}/entry`);
		expect(new URL(page.url()).pathname).toBe('/login');
		await page.locator('#email').fill('leaves@lib.test');
		await page.locator('#password').fill('entry-password-1');
		await page.keyboard.press('Enter');
		await page.waitForURL(/\/entry$/);
		// After hydration (see entry-changeover's startSession): a choice made before it can be set back.
		await page.waitForLoadState('networkidle');

		await page.locator('#locationId').selectOption({ label: 'Evesham Library' });
		await page.locator('#question').selectOption('q2');
		await page.locator('#group').selectOption('child');
		await page.getByRole('button', { name: 'Start session' }).click();
		await page.waitForURL(/\/entry\/s\/\d+/);
		const status = page.getByTestId('outbox-status');
		await expect.poll(() => status.textContent()).toContain('All saved');

		// The text box has the focus: type and press Enter, no mouse.
		expect(await page.evaluate(() => document.activeElement?.id)).toBe('text');
		const started = Date.now();
		for (let i = 1; i <= 20; i++) {
			await page.keyboard.type(`Leaf ${i}: somewhere safe to play`);
			await page.keyboard.press('Enter');
		}
		const typingMs = Date.now() - started;
		expect(await page.evaluate(() => document.activeElement?.id)).toBe('text');
		expect(await page.locator('#text').inputValue()).toBe('');
		await expect.poll(() => status.textContent(), { timeout: 15_000 }).toContain('All saved');
		await expect.poll(() => page.getByTestId('entry-count').textContent()).toBe('20');

		await context.setOffline(true);
		for (let i = 21; i <= 25; i++) {
			await page.keyboard.type(`Leaf ${i}: offline`);
			if (i === 25) {
				await page.keyboard.press('Shift+Enter');
				await page.keyboard.type('second line');
			}
			await page.keyboard.press('Enter');
		}
		await expect.poll(() => status.textContent()).toContain('5 waiting to send');
		expect(await page.getByTestId('entry-count').textContent()).toBe('25');
		expect((await stored()).length).toBe(20);

		await context.setOffline(false);
		// Sent on reconnecting (the online event), not by a backoff timer that may be a minute away.
		await expect.poll(() => status.textContent(), { timeout: 5_000 }).toContain('All saved');
		const rows = await stored();
		expect(rows).toHaveLength(25);
		expect(new Set(rows.map((r) => r.text)).size).toBe(25);
		expect(rows.map((r) => r.text)).toContain('Leaf 25: offline\nsecond line');
		expect(rows.every((r) => r.channel === 'library' && r.eq_disability === 'not_asked')).toBe(true);

		// Close the tab while offline with 3 waiting; come back later and they are sent.
		await context.setOffline(true);
		for (let i = 26; i <= 28; i++) {
			await page.keyboard.type(`Leaf ${i}: typed before closing`);
			await page.keyboard.press('Enter');
		}
		await expect.poll(() => status.textContent()).toContain('3 waiting to send');
		await page.close();
		await context.setOffline(false);
		const later = await context.newPage();
		await later.goto(`${server.url}/entry`);
		// Sent as the page loads.
		await expect
			.poll(() => later.getByTestId('outbox-status').textContent(), { timeout: 5_000 })
			.toContain('All saved');
		expect(await stored()).toHaveLength(28);
		console.log(`typed 20 leaves by keyboard in ${(typingMs / 1000).toFixed(1)} s`);
		await context.close();
	}, 120_000);

	it('works without JavaScript: a plain form post, the box focused again after saving', async () => {
		const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
		const page = await context.newPage();
		if (process.env.DEBUG_ENTRY)
			page.on('response', (r) => !r.url().includes('_app') && console.log('RESP2', r.status(), r.url()));
		await page.goto(`${server.url}/login`);
		await page.locator('#email').fill('leaves@lib.test');
		await page.locator('#password').fill('entry-password-1');
		await page.getByRole('button', { name: 'Sign in' }).click();
		await page.waitForURL(/\/entry$/);
		await page
			.getByRole('link', { name: /Evesham Library/ })
			.first()
			.click();
		await page.locator('#text').fill('Typed with scripts off');
		await page.getByRole('button', { name: 'Save response' }).click();
		await page.waitForURL(/saved=1/);
		expect(await page.locator('.entry-text').first().textContent()).toBe('Typed with scripts off');
		expect(await page.locator('#text').getAttribute('autofocus')).not.toBeNull();
		// An empty leaf is refused with a message naming the field.
		await page.getByRole('button', { name: 'Save response' }).click();
		expect(await page.title()).toMatch(/^Error: /);
		expect(await page.locator('.error-summary a[href="#text"]').textContent()).toMatch(/no words/);
		expect(await stored()).toHaveLength(29);
		await context.close();
	});
	it('"This worries me" from the keyboard while offline: the leaf waits with its concern, which reaches the queue when it syncs', async () => {
		const { context, page } = await signedIn();
		await page
			.getByRole('link', { name: /Evesham Library/ })
			.first()
			.click();
		await page.waitForURL(/\/entry\/s\/\d+/);
		const status = page.getByTestId('outbox-status');
		await expect.poll(() => status.textContent()).toContain('All saved');
		await context.setOffline(true);
		expect(await page.evaluate(() => document.activeElement?.id)).toBe('text');
		await page.keyboard.type('he said not to tell anyone about the shed');
		// Keyboard only: Tab to "This worries me", open it, choose Urgent, type a note, Enter saves both.
		for (let i = 0; i < 10 && (await page.evaluate(() => document.activeElement?.tagName)) !== 'SUMMARY'; i++)
			await page.keyboard.press('Tab');
		expect(await page.evaluate(() => document.activeElement?.textContent)).toContain('This worries me');
		await page.keyboard.press('Enter');
		await page.keyboard.press('Tab');
		expect(await page.evaluate(() => document.activeElement?.id)).toBe('concernLevel');
		await page.keyboard.press('Space');
		for (let i = 0; i < 4 && (await page.evaluate(() => document.activeElement?.id)) !== 'concernNote'; i++)
			await page.keyboard.press('Tab');
		await page.keyboard.type('Boy of about 9, very quiet');
		await page.keyboard.press('Enter');
		await expect.poll(() => status.textContent()).toContain('1 waiting to send');
		expect(await page.locator('.entry.waiting').first().textContent()).toContain('Urgent concern goes with it');
		const concerns = () =>
			db.db
				.selectFrom('safeguarding_concern')
				.select(['level', 'note', 'raised_via'])
				.where('note', '=', 'Boy of about 9, very quiet')
				.execute();
		expect(await concerns()).toEqual([]);
		await context.setOffline(false);
		await expect.poll(() => status.textContent(), { timeout: 20_000 }).toContain('All saved');
		await expect
			.poll(concerns, { timeout: 10_000 })
			.toEqual([{ level: 'urgent', note: 'Boy of about 9, very quiet', raised_via: 'entry' }]);
		const flag = await db.db
			.selectFrom('safeguarding_flag as f')
			.innerJoin('answer as a', 'a.id', 'f.answer_id')
			.select(['f.level', 'f.status'])
			.where('a.text', '=', 'he said not to tell anyone about the shed')
			.executeTakeFirst();
		expect(flag).toEqual({ level: 'urgent', status: 'new' });
		await context.close();
	}, 120_000);

	it('a leaf the server refuses is told in a notification banner (a region, not an alert), which leaves the focus in the text box', async () => {
		const { context, page } = await signedIn();
		// A session of its own (asking q2), so this test runs alone too.
		await page.locator('#locationId').selectOption({ label: 'Evesham Library' });
		await page.locator('#question').selectOption('q2');
		await page.getByRole('button', { name: 'Start session' }).click();
		await page.waitForURL(/\/entry\/s\/\d+/);
		const status = page.getByTestId('outbox-status');
		await expect.poll(() => status.textContent()).toContain('All saved');
		await context.setOffline(true);
		await page.keyboard.type('a leaf for another question');
		await page.keyboard.press('Enter');
		await expect.poll(() => status.textContent()).toContain('1 waiting to send');
		// The session asks q2 only: the same leaf said to answer q1 is one the server refuses.
		await page.evaluate(() => {
			const key = 'consult.entry.outbox.v1';
			const all = JSON.parse(localStorage.getItem(key)!) as { questionKey: string }[];
			localStorage.setItem(key, JSON.stringify(all.map((e) => ({ ...e, questionKey: 'q1' }))));
		});
		await page.keyboard.type('the next leaf, half typed');
		await context.setOffline(false);
		const banner = page.getByRole('region', { name: 'Important' });
		await expect.poll(() => banner.count(), { timeout: 20_000 }).toBe(1);
		expect(await banner.getByRole('heading', { level: 3 }).textContent()).toMatch(/^\s*1 response was not saved\s*$/);
		expect(await banner.locator('blockquote').textContent()).toBe('a leaf for another question');
		// The reason under the form's name for the field, not the API's key ("questionKey: …").
		expect(await banner.locator('li li').textContent()).toBe('Question: this session asks q2 only, not q1');
		expect(await page.getByRole('alert').count()).toBe(0);
		expect(await status.textContent()).toContain('1 not saved');
		// Still typing the next leaf: the banner did not take the focus.
		expect(await page.evaluate(() => document.activeElement?.id)).toBe('text');
		expect(await page.locator('#text').inputValue()).toBe('the next leaf, half typed');
		expect(await axe(page)).toEqual([]);
		await context.close();
	}, 120_000);
});
