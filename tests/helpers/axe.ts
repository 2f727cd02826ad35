import fs from 'node:fs';
import type { Page } from 'playwright-core';

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
			() => reject(new Error(`axe did not finish in 90 s on ${page.url()}: JavaScript off? Use axeWithoutJavaScript`)),
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

/**
 * axe on a page shown with JavaScript off (its timers never run, so axe cannot run in it): the page exactly as
 * it is now — its HTML without scripts, at the same address, so its stylesheets load as before — is checked in
 * a page of its own with JavaScript on. The violations name the original address.
 */
export async function axeWithoutJavaScript(page: Page): Promise<string[]> {
	const url = page.url().split('#')[0];
	const html = (await page.content()).replace(/<script\b[\s\S]*?<\/script>/gi, '');
	const browser = page.context().browser();
	if (!browser) throw new Error('axeWithoutJavaScript needs a page opened from a launched browser');
	const copy = await browser.newContext({ viewport: page.viewportSize() });
	try {
		const p = await copy.newPage();
		await p.route(
			(u) => u.href === url,
			(route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html })
		);
		await p.goto(url);
		// Not the copy (the route missed, and the server sent, say, the sign-in page): fail, never check another page.
		if (p.url() !== url || (await p.title()) !== (await page.title()))
			throw new Error(`axeWithoutJavaScript: the copy of ${url} did not load (got ${p.url()})`);
		return (await axeViolations(p)).map((v) => `${v.id}: ${v.targets.slice(0, 3).join(', ')}`);
	} finally {
		await copy.close();
	}
}

/** The same, one line per rule broken ("rule: first three selectors"), for `expect(await axe(page)).toEqual([])`. */
export async function axe(page: Page): Promise<string[]> {
	return (await axeViolations(page)).map((v) => `${v.id}: ${v.targets.slice(0, 3).join(', ')}`);
}
