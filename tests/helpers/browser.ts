import fs from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium: browser tests never download a browser of their own. The full browser (Lighthouse uses it). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Debian's `chromium-headless-shell` (the same Chromium release as `chromium`, built as the old headless
 * shell, which is what Playwright itself runs for headless tests). Browser tests use it when it is installed
 * (.ci/run installs it): the full browser's new headless mode cost about twice the CPU for the same pages (a
 * launch, 40 page loads with JavaScript on and off, a close, four times: see docs/deployment.md, "CI time").
 * CHROMIUM_PATH, when set, is used instead.
 */
export const HEADLESS_SHELL_PATH = '/usr/bin/chromium-headless-shell';

/** The executable browser tests launch: CHROMIUM_PATH if set, else the headless shell if installed, else Chromium. */
export function testBrowserPath(): string {
	if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
	return fs.existsSync(HEADLESS_SHELL_PATH) ? HEADLESS_SHELL_PATH : CHROMIUM_PATH;
}

/** Chromium's flags for tests and benches: no sandbox (root in CI), no GPU, nothing fetched in the background. */
export const CHROMIUM_FLAGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync'
];

/** Chromium, headless. Fails (rather than skipping the test) when it is not installed. */
export async function launchBrowser(): Promise<Browser> {
	const executablePath = testBrowserPath();
	if (!fs.existsSync(executablePath))
		throw new Error(
			`no Chromium at ${executablePath}: apt-get install -y chromium-headless-shell (or chromium), or set CHROMIUM_PATH`
		);
	return chromium.launch({
		executablePath,
		headless: true,
		args: CHROMIUM_FLAGS
	});
}

/**
 * Collects what the page's Content-Security-Policy refused (Chromium reports each as a
 * console error), so a test can require none: the app must work under its real policy.
 */
export function cspViolations(page: Page): () => string[] {
	const seen: string[] = [];
	page.on('console', (m) => {
		if (m.type() === 'error' && /Content Security Policy/i.test(m.text()))
			seen.push(`${page.url()}: ${m.text().slice(0, 300)}`);
	});
	return () => [...seen];
}

/** Contexts whose app scripts `refuseAppScripts` refuses: their pages' failed script loads are expected. */
export const scriptsRefused = new WeakSet<BrowserContext>();

/**
 * A context whose pages are exactly what people without JavaScript get (the server-rendered page, forms posted
 * by the browser) while JavaScript stays on for test tooling: the app's own scripts are refused. axe cannot run in
 * a real JavaScript-off page (its timers never fire), so tests that check accessibility without JavaScript use this.
 */
export async function refuseAppScripts<C extends BrowserContext>(ctx: C): Promise<C> {
	scriptsRefused.add(ctx);
	await ctx.route(/\/_app\/.*\.js$/, (route) => route.abort());
	return ctx;
}

/** A phone's viewport (the survey is used on phones first). */
export const PHONE = { width: 390, height: 844 };

/**
 * A phone-sized context. `js: false` is a real JavaScript-off browser; `scripts: false` keeps
 * JavaScript on for test tooling (axe) but refuses the app's own scripts, so the page is exactly
 * the server-rendered one people without JavaScript get.
 */
export async function phoneContext(
	browser: Browser,
	opts: { js?: boolean; scripts?: boolean } = {}
): Promise<BrowserContext> {
	const ctx = await browser.newContext({ viewport: PHONE, javaScriptEnabled: opts.js ?? true });
	if (opts.scripts === false) await refuseAppScripts(ctx);
	return ctx;
}
