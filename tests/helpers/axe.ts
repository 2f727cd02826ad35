import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { scriptsRefused } from './browser';

/** WCAG 2.2 A and AA, the level the service must meet. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

const AXE_SOURCE = fs.readFileSync('node_modules/axe-core/axe.min.js', 'utf8');

export interface Violation {
	url: string;
	id: string;
	/** The offending elements' selectors. */
	targets: string[];
}

/**
 * axe-core at WCAG 2.2 A/AA on the current page. It is injected with `page.evaluate`
 * (through the DevTools protocol), not a <script> tag, so the page's real CSP stays on.
 */
export async function axeViolations(page: Page): Promise<Violation[]> {
	await page.evaluate(AXE_SOURCE);
	const run = page.evaluate(async (tags) => {
		type Result = { violations: { id: string; nodes: { target: string[] }[] }[] };
		const w = window as unknown as { axe: { run: (d: Document, o: unknown) => Promise<Result> } };
		const r = await w.axe.run(document, { runOnly: { type: 'tag', values: tags } });
		return r.violations.map((v) => ({ id: v.id, targets: v.nodes.map((n) => n.target.join(' ')) }));
	}, WCAG_TAGS);
	// axe waits on timers, which never fire in a page with JavaScript off: say so rather than hang the test.
	let timer: ReturnType<typeof setTimeout> | undefined;
	const stalled = new Promise<never>((_, reject) => {
		timer = setTimeout(
			() =>
				reject(
					new Error(
						`axe did not finish in 90 s on ${page.url()}: JavaScript off? See refuseAppScripts in helpers/browser.ts`
					)
				),
			90_000
		);
	});
	try {
		const found = await Promise.race([run, stalled]);
		return found.map((v) => ({ url: page.url(), ...v }));
	} finally {
		clearTimeout(timer);
	}
}

/** The same, one line per rule broken ("rule: first three selectors"), for `expect(await axe(page)).toEqual([])`. */
export async function axe(page: Page): Promise<string[]> {
	return (await axeViolations(page)).map((v) => `${v.id}: ${v.targets.slice(0, 3).join(', ')}`);
}

/**
 * A page's template for an axe sweep: its address with the parts that only pick the data shown
 * made general (numbers: /q/1/3 and /q/2/5 are the question page; each "About you" question is one
 * page template), and only the query parameters that change the template (easy read, language).
 */
export function pageTemplate(url: string): string {
	const u = new URL(url);
	const path = u.pathname.replace(/\/\d+(?=\/|$)/g, '/:n').replace(/\/about\/[a-z_-]+$/, '/about/:question');
	const query = ['easy', 'lang'].flatMap((k) => (u.searchParams.has(k) ? [`${k}=${u.searchParams.get(k)}`] : []));
	return query.length ? `${path}?${query.join('&')}` : path;
}

/**
 * An accessibility sweep of many pages that runs axe once per distinct page template and state, and
 * still checks every page it is shown: each page must have thrown no script error and had nothing
 * refused by its Content-Security-Policy (`watch` the page first). axe on a near-identical page (the
 * fifth question page after the first) takes seconds and finds nothing new.
 */
export class AxeSweep {
	readonly violations: Violation[] = [];
	readonly problems: string[] = [];
	/** Every page shown to `check`, and the ones axe ran on. */
	readonly visited: string[] = [];
	readonly axed: string[] = [];
	#done = new Set<string>();

	/** Records the page's script errors and CSP refusals (Chromium reports each as a console error). */
	watch(page: Page): Page {
		page.on('pageerror', (e) => {
			// A context that refuses the app's scripts (the no-JavaScript page) fails to load them by design.
			if (scriptsRefused.has(page.context()) && /dynamically imported module/.test(e.message)) return;
			this.problems.push(`${page.url()}: script error ${e.message.slice(0, 300)}`);
		});
		page.on('console', (m) => {
			if (m.type() === 'error' && /Content Security Policy/i.test(m.text()))
				this.problems.push(`${page.url()}: ${m.text().slice(0, 300)}`);
		});
		return page;
	}

	/**
	 * Checks the page now: axe when its template (with `variant`, e.g. "no JavaScript", and `state`,
	 * e.g. "error") has not been checked yet in this sweep. An error summary on the page is a state
	 * of its own. Returns the violations found on this page (none when axe did not need to run).
	 */
	async check(page: Page, opts: { variant?: string; state?: string } = {}): Promise<Violation[]> {
		this.visited.push(page.url());
		const error = (await page.locator('.error-summary').count()) > 0 ? 'error' : '';
		const key = [opts.variant ?? '', pageTemplate(page.url()), opts.state ?? '', error].join(' | ');
		if (this.#done.has(key)) return [];
		this.#done.add(key);
		this.axed.push(key);
		const found = await axeViolations(page);
		this.violations.push(...found);
		return found;
	}
}
