import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { RunningServer } from '../helpers/server';
import { startBrowserApp, type BrowserApp } from '../helpers/app';
import { addLocation } from '../../src/lib/server/entry/locations';
import { axe } from '../helpers/axe';
import { addUser } from '../helpers/users';
import type { FreshDb } from '../helpers/databases';

/**
 * Staff changing over on one entry PC: one browser context (one localStorage)
 * shared by worker A, worker B and an officer, as on a library computer.
 */
describe('entry PC changing hands: leaves belong to who typed them', () => {
	let app: BrowserApp;
	let server: RunningServer;
	let browser: Browser;
	let db: FreshDb;
	const ids: Record<'admin' | 'alice' | 'bob' | 'olive', number> = { admin: 0, alice: 0, bob: 0, olive: 0 };
	const PASSWORD = 'a-long-password-1';

	beforeAll(async () => {
		app = await startBrowserApp({
			keepOpen: true,
			seed: async ({ db }) => {
				ids.admin = (await addUser(db, { email: 'admin@lib.test', role: 'admin', password: PASSWORD }, null)).id;
				ids.alice = (await addUser(db, { email: 'alice@lib.test', role: 'entry', password: PASSWORD }, ids.admin)).id;
				ids.bob = (await addUser(db, { email: 'bob@lib.test', role: 'entry', password: PASSWORD }, ids.admin)).id;
				ids.olive = (await addUser(db, { email: 'olive@lib.test', role: 'officer', password: PASSWORD }, ids.admin)).id;
			}
		});
		({ server, browser, fresh: db } = app);
	});
	afterAll(() => app?.close());

	const leaves = (prefix: string) =>
		db.db
			.selectFrom('submission as s')
			.innerJoin('answer as a', 'a.submission_id', 's.id')
			.innerJoin('collection_session as c', 'c.id', 's.collection_session_id')
			.select([
				's.id',
				'a.text',
				's.entered_by',
				's.taken_over_from',
				's.collection_session_id',
				'c.user_id as session_owner'
			])
			.where('a.text', 'like', `${prefix}%`)
			.orderBy('a.text')
			.execute();

	async function signIn(page: Page, who: keyof typeof ids) {
		await page.goto(`${server.url}/login`);
		await page.locator('#email').fill(`${who}@lib.test`);
		await page.locator('#password').fill(PASSWORD);
		await page.getByRole('button', { name: 'Sign in' }).click();
		await page
			.waitForURL((u) => u.pathname !== '/login')
			.catch(async (e) => {
				await page.screenshot({ path: '/tmp/entry-signin-failed.png', fullPage: true });
				throw e;
			});
	}

	/** The idle timeout, as the server sees it: every sign-in of this person ends. */
	const expireSessionsOf = (who: keyof typeof ids) =>
		db.db.deleteFrom('login_session').where('user_id', '=', ids[who]).execute();

	async function startSession(page: Page, question = 'q1') {
		await page.goto(`${server.url}/entry`);
		// Chosen after the page has hydrated: a choice made before can be set back by hydration (the select's value
		// from the page data), and the form then posts no location (CI, 5 December, under load).
		await page.waitForLoadState('networkidle');
		await page.locator('#locationId').selectOption({ label: 'Evesham Library' });
		await page.locator('#question').selectOption(question);
		await Promise.all([
			page.waitForURL(/\/entry\/s\/\d+/),
			page.getByRole('button', { name: 'Start session' }).click()
		]);
		return Number(new URL(page.url()).pathname.split('/').pop());
	}

	async function typeLeaves(page: Page, texts: string[]) {
		for (const t of texts) {
			await page.locator('#text').fill(t);
			await page.locator('#text').press('Enter');
		}
	}

	/** Alice types leaves with the connection down, then is signed out before it returns. */
	async function aliceTypesOfflineThenIsSignedOut(context: BrowserContext, texts: string[]) {
		const page = await context.newPage();
		await signIn(page, 'alice');
		await page.goto(`${server.url}/entry/s/${aliceSession}`);
		await context.setOffline(true);
		await typeLeaves(page, texts);
		const status = page.getByTestId('outbox-status');
		await expect.poll(() => status.textContent()).toContain(`${texts.length} waiting to send`);
		await expireSessionsOf('alice');
		await context.setOffline(false);
		// Back online, the retry finds her signed out: kept, never "All saved", and a link to sign in.
		const signInAgain = page.getByRole('link', { name: 'sign in again' });
		await signInAgain.waitFor({ timeout: 20_000 });
		expect(await signInAgain.getAttribute('href')).toBe(
			`/login?next=${encodeURIComponent(`/entry/s/${aliceSession}`)}`
		);
		expect(await status.textContent()).not.toContain('All saved');
		expect(await status.textContent()).toContain(`${texts.length} waiting to send`);
		await page.close();
	}

	let aliceSession = 0;

	it('tells entry staff whom to ask when there are no locations, instead of a page they cannot open', async () => {
		const context = await browser.newContext();
		const page = await context.newPage();
		await signIn(page, 'alice');
		const note = page.getByTestId('no-locations');
		// Whitespace as a reader sees it: the page's source wraps long sentences.
		expect((await note.textContent())?.replace(/\s+/g, ' ')).toContain('Locations are added by an officer or an admin');
		expect(await note.getByRole('link', { name: 'olive@lib.test' }).getAttribute('href')).toBe('mailto:olive@lib.test');
		expect(await page.locator('a[href="/admin/locations"]').count()).toBe(0);
		expect(await page.locator('#locationId').count()).toBe(0);
		expect(await axe(page)).toEqual([]);
		await context.close();
		await addLocation(
			db.db,
			{ name: 'Evesham Library', district: 'wychavon', kind: 'library' },
			new Set(['wychavon']),
			ids.admin
		);
	});

	it("keeps A's leaves for A while B and then an officer sign in, and sends them as A's when A signs in again", async () => {
		const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
		const page = await context.newPage();
		await signIn(page, 'alice');
		aliceSession = await startSession(page);
		await page.close();
		await aliceTypesOfflineThenIsSignedOut(context, [
			'Kept 1: a youth club',
			'Kept 2: safer roads',
			'Kept 3: a skate park'
		]);

		// Worker B signs in on the same browser: the leaves are shown as Alice's, kept, not sent.
		const bob = await context.newPage();
		await signIn(bob, 'bob');
		const kept = bob.getByTestId('kept-leaves');
		await kept.waitFor();
		expect(await kept.locator('h2').textContent()).toBe(
			'3 responses typed by alice@lib.test are waiting on this computer'
		);
		expect(await bob.getByTestId('outbox-status').textContent()).toContain(
			'3 typed by another member of staff are kept on this computer, not sent'
		);
		expect(await bob.getByTestId('outbox-status').textContent()).not.toContain('All saved');
		expect(await axe(bob)).toEqual([]);
		if (process.env.DEBUG_ENTRY) await bob.screenshot({ path: '/tmp/entry-kept.png', fullPage: true });
		// Bob's own typing is sent (so the outbox has run) while Alice's stays put.
		await startSession(bob);
		await typeLeaves(bob, ["Bob's own: a library at weekends"]);
		await expect.poll(async () => (await leaves("Bob's own")).length, { timeout: 15_000 }).toBe(1);
		await expect.poll(() => bob.getByTestId('outbox-status').textContent()).not.toContain('waiting to send');
		expect((await leaves("Bob's own"))[0].entered_by).toBe(ids.bob);
		expect(await leaves('Kept')).toEqual([]);
		expect(await bob.getByTestId('kept-leaves').count()).toBe(1);

		// An officer may type into anyone's session; Alice's leaves are still not sent as the officer's.
		await signIn(bob, 'olive');
		await bob.goto(`${server.url}/entry/s/${aliceSession}`);
		await bob.getByTestId('kept-leaves').waitFor();
		await typeLeaves(bob, ["Olive's own: more buses"]);
		await expect.poll(async () => (await leaves("Olive's own")).length, { timeout: 15_000 }).toBe(1);
		// ...and her browser has heard back (so her leaf has left the outbox).
		await expect.poll(() => bob.getByTestId('outbox-status').textContent()).not.toContain('waiting to send');
		expect(await leaves('Kept')).toEqual([]);
		await bob.close();

		// Alice signs in on that PC: hers are sent, as hers, once.
		const alice = await context.newPage();
		await signIn(alice, 'alice');
		await expect
			.poll(
				() =>
					alice
						.getByTestId('outbox-status')
						.textContent()
						.then((t) => t?.trim()),
				{ timeout: 20_000 }
			)
			.toBe('All saved');
		const rows = await leaves('Kept');
		expect(rows.map((r) => r.text)).toEqual(['Kept 1: a youth club', 'Kept 2: safer roads', 'Kept 3: a skate park']);
		for (const r of rows)
			expect(r).toMatchObject({ entered_by: ids.alice, taken_over_from: null, collection_session_id: aliceSession });
		expect(await alice.getByTestId('kept-leaves').count()).toBe(0);
		await context.close();
	}, 120_000);

	it("lets B take them over explicitly: stored once in B's own session, recorded as taken over from A", async () => {
		const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
		await aliceTypesOfflineThenIsSignedOut(context, [
			'Taken 1: cheaper swimming',
			'Taken 2: a quiet place to study',
			'Taken 3: more cycle paths'
		]);
		const page = await context.newPage();
		await signIn(page, 'bob');
		const kept = page.getByTestId('kept-leaves');
		await kept.waitFor();
		await page.getByRole('button', { name: 'Take over 3 responses typed by alice@lib.test' }).click();
		await expect
			.poll(() => page.getByTestId('take-over-result').textContent(), { timeout: 15_000 })
			.toContain('3 responses taken over and saved as yours.');
		await expect
			.poll(() =>
				page
					.getByTestId('outbox-status')
					.textContent()
					.then((t) => t?.trim())
			)
			.toBe('All saved');
		const rows = await leaves('Taken');
		expect(rows).toHaveLength(3);
		const bobsSession = rows[0].collection_session_id;
		expect(bobsSession).not.toBe(aliceSession);
		for (const r of rows)
			expect(r).toMatchObject({
				entered_by: ids.bob,
				taken_over_from: ids.alice,
				session_owner: ids.bob,
				collection_session_id: bobsSession
			});
		const audit = await db.db
			.selectFrom('audit_log')
			.select(['user_id', 'detail'])
			.where('action', '=', 'entry.take_over')
			.execute();
		expect(audit).toHaveLength(1);
		expect(audit[0].user_id).toBe(ids.bob);
		expect(JSON.parse(audit[0].detail!)).toMatchObject({ count: 3, fromUserId: ids.alice });
		if (process.env.DEBUG_ENTRY) await page.screenshot({ path: '/tmp/entry-taken.png' });
		expect(await page.getByRole('link', { name: 'Go to your session' }).getAttribute('href')).toBe(
			`/entry/s/${bobsSession}`
		);

		// Alice signs in later: nothing is left to send, nothing is doubled.
		await signIn(page, 'alice');
		await expect
			.poll(
				() =>
					page
						.getByTestId('outbox-status')
						.textContent()
						.then((t) => t?.trim()),
				{ timeout: 15_000 }
			)
			.toBe('All saved');
		expect(await leaves('Taken')).toHaveLength(3);
		await context.close();
	}, 120_000);

	it('discards only after a confirmation, and records the discard', async () => {
		const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
		await aliceTypesOfflineThenIsSignedOut(context, ['Discard me: typed twice by mistake']);
		const page = await context.newPage();
		await signIn(page, 'bob');
		await page.getByTestId('kept-leaves').waitFor();
		await page.getByRole('button', { name: 'Discard 1 response typed by alice@lib.test' }).click();
		const question = page.getByRole('heading', { name: 'Are you sure you want to discard 1 response?' });
		await question.waitFor();
		expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(
			'Are you sure you want to discard 1 response?'
		);
		expect(await axe(page)).toEqual([]);
		if (process.env.DEBUG_ENTRY) await page.screenshot({ path: '/tmp/entry-confirm.png', fullPage: true });
		await page.getByRole('button', { name: 'No, keep them' }).click();
		expect(await page.getByTestId('kept-leaves').count()).toBe(1);
		await page.getByRole('button', { name: 'Discard 1 response typed by alice@lib.test' }).click();
		await page.getByRole('button', { name: 'Yes, discard 1 response' }).click();
		await expect.poll(() => page.getByTestId('kept-leaves').count()).toBe(0);
		await expect
			.poll(() =>
				page
					.getByTestId('outbox-status')
					.textContent()
					.then((t) => t?.trim())
			)
			.toBe('All saved');
		const audit = await db.db
			.selectFrom('audit_log')
			.select(['user_id', 'detail'])
			.where('action', '=', 'entry.discard')
			.execute();
		expect(audit).toHaveLength(1);
		expect(audit[0].user_id).toBe(ids.bob);
		expect(JSON.parse(audit[0].detail!)).toMatchObject({ reason: 'waiting', count: 1, authors: [ids.alice] });
		expect(audit[0].detail).not.toContain('Discard me');
		expect(await leaves('Discard me')).toEqual([]);
		await context.close();
	}, 120_000);

	it('saves with Enter from every field of the entry screen, the lists included', async () => {
		const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
		const page = await context.newPage();
		await signIn(page, 'alice');
		const session = await startSession(page, 'all');
		const count = page.getByTestId('entry-count');
		const fields = ['text', 'question', 'group', 'district'];
		for (const [i, field] of fields.entries()) {
			await page.locator('#text').fill(`Enter from ${field}`);
			if (field === 'question') await page.locator('#question').selectOption('q3');
			await page.locator(`#${field}`).focus();
			await page.keyboard.press('Enter');
			await expect.poll(() => count.textContent()).toBe(String(i + 1));
			expect(await page.locator('#text').inputValue()).toBe('');
			expect(await page.evaluate(() => document.activeElement?.id)).toBe('text');
		}
		await expect
			.poll(
				() =>
					page
						.getByTestId('outbox-status')
						.textContent()
						.then((t) => t?.trim()),
				{ timeout: 15_000 }
			)
			.toBe('All saved');
		const rows = await leaves('Enter from');
		expect(rows.map((r) => r.text).sort()).toEqual(fields.map((f) => `Enter from ${f}`).sort());
		expect(rows.every((r) => r.collection_session_id === session)).toBe(true);
		expect(await axe(page)).toEqual([]);
		await context.close();
	}, 120_000);

	for (const js of [true, false]) {
		it(`undoes a deleted leaf from the "Leaf deleted" banner (${js ? 'with' : 'without'} JavaScript)`, async () => {
			const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: js });
			const page = await context.newPage();
			await signIn(page, 'alice');
			await page.goto(`${server.url}/entry/s/${aliceSession}`);
			const text = js ? 'Kept 3: a skate park' : 'Kept 2: safer roads';
			const [before] = await leaves(text);
			if (process.env.DEBUG_ENTRY) await page.screenshot({ path: `/tmp/entry-undo-${js}.png`, fullPage: true });
			await page
				.locator('.entry', { hasText: text })
				.getByRole('link', { name: /^Edit or delete/ })
				.click();
			await page.getByRole('button', { name: 'Delete this response' }).click();
			const banner = page.getByTestId('undo-banner');
			await banner.waitFor();
			expect(await banner.getByRole('heading', { level: 3 }).textContent()).toBe('Leaf deleted');
			expect(await banner.textContent()).toContain(text);
			// It has the focus and is in view after the delete (as GOV.UK's success banner).
			const seen = await banner.evaluate((el) => {
				const r = el.getBoundingClientRect();
				return {
					focused: document.activeElement === el,
					inView: r.bottom > 0 && r.top < window.innerHeight,
					top: r.top,
					scrollY: window.scrollY
				};
			});
			expect(seen, JSON.stringify(seen)).toMatchObject({ focused: true, inView: true });
			// The server-rendered form starts on the location's district, with or without JavaScript.
			expect(await page.locator('#district').inputValue()).toBe('wychavon');
			expect(await leaves(text)).toEqual([]);
			if (js) expect(await axe(page)).toEqual([]);
			if (process.env.DEBUG_ENTRY) await page.screenshot({ path: `/tmp/entry-banner-${js}.png` });
			await banner.getByRole('button', { name: /^Undo/ }).click();
			await page.getByText('Leaf put back.').waitFor();
			expect(await page.getByTestId('undo-banner').count()).toBe(0);
			expect(await leaves(text)).toEqual([before]);
			expect(await page.locator('.entry-text', { hasText: text }).count()).toBe(1);
			await context.close();
		}, 60_000);
	}
});
