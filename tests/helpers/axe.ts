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
