import type { Browser, Page } from 'playwright-core';
import { startBuiltServer, type RunningServer } from './server';
import { launchBrowser } from './browser';
import { emptyDatabase, preparedDatabase, type FreshDb } from './databases';

/** One built server on a fresh SQLite database, and one Chromium, for a whole browser test file. */
export interface BrowserApp {
	server: RunningServer;
	browser: Browser;
	/** The database behind the server: closed before the server starts unless `keepOpen` (then `fresh.db` works). */
	fresh: FreshDb;
	/** Stops the browser and the server and drops the database (what was started, in any order of failure). */
	close(): Promise<void>;
}

export interface BrowserAppOptions {
	/**
	 * 'prepared' (default): migrated with the shipped consultation loaded, then `seed` runs on it;
	 * 'empty': a brand-new file, which the server migrates and loads itself.
	 */
	database?: 'prepared' | 'empty';
	/** Writes the test's data before the server starts (users, fixtures, published results...). */
	seed?: (fresh: FreshDb) => Promise<void>;
	/** The server's environment beyond DATABASE_URL (rate limits, body limits...). */
	env?: Record<string, string>;
	/** Keep the test's own connection open while the server runs (the test reads or changes the data as it goes). */
	keepOpen?: boolean;
}

/**
 * The set-up every browser test file shares: a fresh database (seeded), then the built server
 * and Chromium started side by side (each takes seconds; neither needs the other to start).
 * Fails loudly, and leaves nothing running, if any part fails.
 */
export async function startBrowserApp(options: BrowserAppOptions = {}): Promise<BrowserApp> {
	const fresh = options.database === 'empty' ? await emptyDatabase('sqlite') : await preparedDatabase('sqlite');
	try {
		await options.seed?.(fresh);
	} catch (error) {
		await fresh.drop();
		throw error;
	}
	if (!options.keepOpen) await fresh.close();
	const [server, browser] = await Promise.allSettled([
		startBuiltServer({ DATABASE_URL: fresh.url, ...options.env }),
		launchBrowser()
	]);
	const close = async () => {
		if (browser.status === 'fulfilled') await browser.value.close().catch(() => {});
		if (server.status === 'fulfilled') {
			if (server.value.process.exitCode !== null) console.log(server.value.output());
			await server.value.stop();
		}
		await fresh.drop();
	};
	if (server.status === 'rejected' || browser.status === 'rejected') {
		await close();
		throw server.status === 'rejected' ? server.reason : (browser as PromiseRejectedResult).reason;
	}
	return { server: server.value, browser: browser.value, fresh, close };
}

/**
 * Signs in through the login page and waits until it has left it (for `next`, or wherever the
 * app sends this person). Fails naming the page's error summary when the sign-in is refused.
 */
export async function signIn(
	page: Page,
	base: string,
	who: { email: string; password: string },
	next?: string
): Promise<void> {
	await page.goto(`${base}/login${next ? `?next=${encodeURIComponent(next)}` : ''}`);
	await page.locator('#email').fill(who.email);
	await page.locator('#password').fill(who.password);
	await Promise.all([
		page.waitForURL((u) => (next ? u.pathname === next : u.pathname !== '/login')),
		page.locator('main button[type=submit]').click()
	]).catch(async (error) => {
		const summary = await page
			.locator('.error-summary')
			.textContent({ timeout: 1000 })
			.catch(() => null);
		throw new Error(`sign-in as ${who.email} failed${summary ? `: ${summary.trim()}` : ''}`, { cause: error });
	});
}
