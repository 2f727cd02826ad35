/**
 * The public results page as a young person who took part opens it (issue #14, "Done when"): on a phone
 * (390 x 844) with JavaScript off, in Chromium under the app's real Content Security Policy. Both versions show
 * who took part, what was said (the themes), the quote an officer approved and what the council is doing
 * ("You said, we did"); nothing is wider than the screen, and the quotes and actions use its width rather than
 * the browser's nested indents; and the page is axe-clean. On a 360-px-wide screen every word in the charts is
 * drawn at least as large as the body text (issue #14: it was about 7 px), and every bar says what its table says.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startBrowserApp, type BrowserApp } from '../helpers/app';
import { PHONE, phoneContext, refuseAppScripts } from '../helpers/browser';
import { axe } from '../helpers/axe';
import { SLUG } from '../helpers/consultation';
import { addCodedAnswers, loadSmallFixture } from '../fixtures/analysis/small';
import { saveAction, setQuotePublic, setResultsStatus } from '../../src/lib/server/results';
import { setStar } from '../../src/lib/server/review/quotes';
import { createShareLink } from '../../src/lib/server/results/share';
import { saveSection } from '../../src/lib/server/report/narrative';

const ACTION = 'Youth clubs open on Saturdays from September, with the Youth Cabinet choosing what they offer.';
const NARRATIVE =
	'The partnership board asked what matters most to children in the district, and this is what they said.';

/** The page's text, and how wide its parts are against the screen's content width (the main element's). */
function measure(page: Page) {
	return page.evaluate(() => {
		const main = document.querySelector('main')!;
		const content =
			main.clientWidth -
			parseFloat(getComputedStyle(main).paddingLeft) -
			parseFloat(getComputedStyle(main).paddingRight);
		const share = (selector: string) =>
			[...document.querySelectorAll<HTMLElement>(selector)].map((e) => e.getBoundingClientRect().width / content);
		return {
			text: document.body.innerText,
			scrollWidth: document.documentElement.scrollWidth,
			headings: [...document.querySelectorAll('h2, h3, h4')].map((h) => h.textContent!.trim()),
			quotes: share('figure.quote blockquote'),
			actions: share('li.action')
		};
	});
}

describe('the public results page on a phone without JavaScript', () => {
	let app: BrowserApp;
	/** A read-only share link to the report (made by the seed). */
	let shareToken = '';
	beforeAll(async () => {
		app = await startBrowserApp({
			seed: async (fresh) => {
				const fx = await loadSmallFixture(fresh.db);
				const user = { id: fx.officerId };
				// Twelve more children saying "friends", so a theme's count is above the suppression threshold and shown.
				await addCodedAnswers(fresh.db, fx, {
					texts: Array.from({ length: 12 }, (_, i) => `having friends nearby ${i}`),
					theme: fx.themes.friends
				});
				await setStar(fresh.db, fx.c.id, fx.themes.friends, fx.answers.S1yp, true, user);
				await setQuotePublic(fresh.db, fx.c.id, fx.themes.friends, fx.answers.S1yp, true, user);
				await saveAction(
					fresh.db,
					fx.c.id,
					{
						themeId: fx.themes.friends,
						action: ACTION,
						owner: 'Youth service',
						due: 'September 2017',
						status: 'planned',
						note: ''
					},
					user
				);
				await setResultsStatus(fresh.db, fx.c.id, 'published', user);
				await saveSection(fresh.db, fx.c.id, 'introduction', NARRATIVE, user);
				const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
				shareToken = (await createShareLink(fresh.db, fx.c.id, 'Partnership board', tomorrow, user)).token;
			}
		});
	}, 120_000);
	afterAll(() => app?.close());

	for (const [version, q, headings, count] of [
		['standard', '', ['Who took part', 'In their own words', 'You said, we did'], / responses\./],
		['easy read', '?easy=1', ['Who told us', 'Some things people wrote', 'What we are doing'], / people answered\./]
	] as const)
		it(`shows who took part, the themes, the approved quote and what the council is doing (${version})`, async () => {
			const ctx = await phoneContext(app.browser, { js: false });
			try {
				const page = await ctx.newPage();
				const res = await page.goto(`${app.server.url}/s/${SLUG}/results${q}`);
				expect(res!.status()).toBe(200);
				const m = await measure(page);
				for (const h of headings) expect(m.headings).toContain(h);
				// Who took part: the number of responses (17 here, shown as "[c]": the suppression hides this small
				// consultation's total, see the report), and in the standard version the tables by group.
				const shown = new RegExp(`^(17|\\[c\\])${count.source}$`, 'm').exec(m.text);
				expect(shown).not.toBeNull();
				// A hidden total is explained at once, in the easy read too (it has no tables, nor their notes).
				if (shown![1] === '[c]')
					expect(m.text).toMatch(new RegExp(`${count.source}\\s+“<5” means fewer than 5 people`));
				if (!q) expect(m.text).toContain('Respondent types');
				// What was said: the theme raised most, by name.
				expect(m.text).toContain('Friends');
				expect(m.text).toContain('family and friends');
				expect(m.text).toContain(ACTION);
				// Nothing sideways on a phone: wide tables scroll inside their own region, the page does not.
				expect(m.scrollWidth).toBeLessThanOrEqual(PHONE.width);
				// The quote and the action take (nearly) the whole width: no indents of 40 px a level.
				expect(m.quotes.length).toBe(1);
				expect(m.actions.length).toBe(1);
				for (const w of [...m.quotes, ...m.actions]) expect(w).toBeGreaterThan(0.8);
			} finally {
				await ctx.close();
			}
			// The same page, with the quote and the action on it, is axe-clean (axe needs JavaScript for itself, so
			// the app's own scripts are refused instead: the page people without JavaScript get).
			const tooling = await phoneContext(app.browser, { scripts: false });
			try {
				const page = await tooling.newPage();
				await page.goto(`${app.server.url}/s/${SLUG}/results${q}`);
				expect(await axe(page)).toEqual([]);
			} finally {
				await tooling.close();
			}
		});

	it('draws chart text at least the size of the body text on a 360-px screen, and each bar as its table says', async () => {
		const ctx = await refuseAppScripts(
			await app.browser.newContext({ viewport: { width: 360, height: 780 }, javaScriptEnabled: true })
		);
		try {
			const page = await ctx.newPage();
			const res = await page.goto(`${app.server.url}/s/${SLUG}/results`);
			expect(res!.status()).toBe(200);
			const seen = await page.evaluate(() => {
				const body = parseFloat(getComputedStyle(document.body).fontSize);
				const charts = [...document.querySelectorAll<HTMLElement>('figure.svg-chart')].map((figure) => {
					// The size a person sees: the text's own size times the drawing's scale on the screen.
					const sizes = [...figure.querySelectorAll<SVGTextElement>('text')].map(
						(t) => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM()!.a
					);
					const labels = [...figure.querySelectorAll('text.bar-label')].map((t) => t.textContent!.trim());
					const bars = [...figure.querySelectorAll<SVGRectElement>('rect.bar')].map((bar, i) => ({
						row: bar.dataset.row!,
						text: labels[i],
						suppressed: bar.dataset.suppressed === '1'
					}));
					// The table drawn: the one that follows the chart.
					const table = figure.nextElementSibling?.querySelector('table');
					const cells = Object.fromEntries(
						[...(table?.querySelectorAll('tbody tr') ?? [])].map((tr) => [
							tr.querySelector('th')!.textContent!.trim(),
							[...tr.querySelectorAll('td')].map((td) => td.textContent!.trim())
						])
					);
					return { sizes, bars, cells, hasTable: !!table };
				});
				return { body, charts, scrollWidth: document.documentElement.scrollWidth };
			});
			expect(seen.body).toBeGreaterThanOrEqual(16);
			expect(seen.scrollWidth).toBeLessThanOrEqual(360);
			const drawn = seen.charts.filter((c) => c.sizes.length > 0);
			expect(drawn.length).toBeGreaterThan(0);
			for (const c of drawn) {
				expect(Math.min(...c.sizes)).toBeGreaterThanOrEqual(seen.body);
				expect(c.hasTable).toBe(true);
				expect(c.bars.length).toBeGreaterThan(0);
				for (const b of c.bars) {
					const row = c.cells[b.row];
					expect(row, `a table row for the bar "${b.row}"`).toBeDefined();
					// The bar draws one cell of its row (a group's count; a theme's share of all groups' answers): it is
					// labelled with that cell's count or percentage, and a hidden cell with the table's own mark and
					// "(hidden)", never a number.
					if (b.suppressed) expect(row.map((cell) => `${cell} (hidden)`)).toContain(b.text);
					else expect(row.some((cell) => cell.includes(b.text.replace(/%$/, '')))).toBe(true);
				}
			}
		} finally {
			await ctx.close();
		}
	});

	it('shows the shared report on a 320-px screen without sideways scrolling, its wide tables reachable by keyboard, axe-clean', async () => {
		const narrow = { width: 320, height: 700 };
		const ctx = await app.browser.newContext({ viewport: narrow, javaScriptEnabled: false });
		try {
			const page = await ctx.newPage();
			const res = await page.goto(`${app.server.url}/share/${shareToken}`);
			expect(res!.status()).toBe(200);
			const seen = await page.evaluate(() => ({
				text: document.body.innerText,
				scrollWidth: document.documentElement.scrollWidth,
				headings: [...document.querySelectorAll('h2')].map((h) => h.textContent!.trim()),
				// Every part wider than its box scrolls inside a region the keyboard can reach, named by its caption.
				wide: [...document.querySelectorAll<HTMLElement>('main *')]
					.filter((e) => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === 'auto')
					.map((e) => ({ tabindex: e.getAttribute('tabindex'), named: !!e.getAttribute('aria-labelledby') }))
			}));
			expect(seen.text).toContain(NARRATIVE);
			expect(seen.text).toContain('family and friends'); // the approved quote
			expect(seen.text).toContain(ACTION);
			for (const h of ['Introduction', 'How we asked', 'Survey results', 'You said, we did'])
				expect(seen.headings).toContain(h);
			expect(seen.scrollWidth).toBeLessThanOrEqual(narrow.width);
			expect(seen.wide.length).toBeGreaterThan(0);
			for (const w of seen.wide) expect(w).toEqual({ tabindex: '0', named: true });
			// Printed, the Word link (of no use on paper) is left out.
			await page.emulateMedia({ media: 'print' });
			expect(await page.getByRole('link', { name: /Download the report as Word/ }).isVisible()).toBe(false);
		} finally {
			await ctx.close();
		}
		const tooling = await refuseAppScripts(await app.browser.newContext({ viewport: narrow }));
		try {
			const page = await tooling.newPage();
			await page.goto(`${app.server.url}/share/${shareToken}`);
			expect(await axe(page)).toEqual([]);
		} finally {
			await tooling.close();
		}
	});
});
