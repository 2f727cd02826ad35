/**
 * Charts that tell the truth (issue #14 item 4), in Chromium under the app's real Content
 * Security Policy (no bypassCSP): after a client-side filter change every chart is redrawn
 * and each bar says what its table cell says; hidden cells are drawn as hidden, not as 0;
 * the public results page is axe-clean.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { RunningServer } from '../helpers/server';
import { startBrowserApp, type BrowserApp } from '../helpers/app';
import { axe } from '../helpers/axe';
import { SLUG } from '../helpers/consultation';
import { addUser } from '../helpers/users';
import { loadSmallFixture } from '../fixtures/analysis/small';
import { setResultsStatus } from '../../src/lib/server/results';

const EMAIL = 'charts@example.gov.uk';
const PASSWORD = 'a long officer password';

/** Every bar of every chart next to the text of the table cell it draws. */
function barsAndCells(page: Page) {
	return page.evaluate(() =>
		[...document.querySelectorAll<HTMLElement>('.chart[data-table]')].flatMap((chart) => {
			const table = document.getElementById(`table-${chart.dataset.table}`) as HTMLTableElement;
			const heads = [...table.tHead!.rows[0].cells].map((c) => c.textContent!.trim());
			const measure = chart.querySelector('svg')!.getAttribute('data-measure');
			return [...chart.querySelectorAll<SVGRectElement>('rect.bar')].map((bar) => {
				const rowLabel = bar.getAttribute('data-row')!;
				const series = bar.getAttribute('data-series')!;
				const tr = [...table.tBodies[0].rows].find((r) =>
					r.cells[0].textContent!.trim().startsWith(rowLabel.replace(/…$/, ''))
				);
				const col = heads.indexOf(series);
				return {
					table: chart.dataset.table!,
					row: rowLabel,
					series,
					measure,
					label: (bar.nextElementSibling as SVGTextElement).textContent!.trim(),
					suppressed: bar.getAttribute('data-suppressed') === '1',
					cell: tr && col > 0 ? tr.cells[col].textContent!.trim() : null
				};
			});
		})
	);
}

function expectBarsMatch(bars: Awaited<ReturnType<typeof barsAndCells>>) {
	expect(bars.length).toBeGreaterThan(10);
	for (const b of bars) {
		const where = `${b.table} / ${b.row} / ${b.series}`;
		expect(b.cell, where).not.toBeNull();
		if (b.suppressed) {
			expect(['<5', '[c]'], where).toContain(b.cell);
			expect(b.label, where).toBe(`${b.cell} (hidden)`);
		} else if (b.measure === 'percent') {
			expect(b.cell, where).toContain(`(${b.label})`);
		} else {
			expect(b.cell!.split(' ')[0], where).toBe(b.label);
		}
	}
}

describe('charts under the real CSP', () => {
	let app: BrowserApp;
	let server: RunningServer;
	let browser: Browser;
	beforeAll(async () => {
		app = await startBrowserApp({
			seed: async (fresh) => {
				const fx = await loadSmallFixture(fresh.db);
				await addUser(fresh.db, { email: EMAIL, role: 'officer', password: PASSWORD }, null);
				await setResultsStatus(fresh.db, fx.c.id, 'published', { id: fx.officerId });
			}
		});
		({ server, browser } = app);
	}, 120_000);
	afterAll(() => app?.close());

	it('redraws every chart with its table after a client-side filter change, bar for cell', async () => {
		const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
		const violations: string[] = [];
		page.on('console', (m) => {
			if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
		});
		await page.goto(`${server.url}/login`);
		await page.fill('#email', EMAIL);
		await page.fill('#password', PASSWORD);
		await Promise.all([page.waitForURL(/\/admin/), page.click('button[type=submit]')]);
		await page.goto(`${server.url}/admin/c/${SLUG}?min=0`);
		// The app is running (hydrated) when the chart tools appear: the filter then navigates client-side.
		await page.locator('.chart-tools').first().waitFor();
		const before = await barsAndCells(page);
		expectBarsMatch(before);
		// Respondent types differ in size: percentages of submissions by default.
		expect(before.find((b) => b.table === 'groups')?.measure).toBe('percent');

		await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
		await page.selectOption('#f-group', 'child');
		await Promise.all([page.waitForURL(/group=child/), page.click('button:has-text("Apply filters")')]);
		await expect
			.poll(async () => (await barsAndCells(page)).find((b) => b.table === 'districts' && b.row === 'Bromsgrove')?.cell)
			.toBe('0 (0%)');
		// Still the same document: the change was made by the client-side router, not a reload.
		expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
		const after = await barsAndCells(page);
		expectBarsMatch(after);
		expect(after.map((b) => b.label)).not.toEqual(before.map((b) => b.label));

		// Counts on request, still bar for cell.
		await page.locator('.chart[data-table=groups] .chart-tools button', { hasText: 'Show counts' }).click();
		await expect.poll(async () => (await barsAndCells(page)).find((b) => b.table === 'groups')?.measure).toBe('count');
		expectBarsMatch(await barsAndCells(page));

		// Small cells hidden: drawn as hidden, never as 0.
		await page.goto(`${server.url}/admin/c/${SLUG}?min=5`);
		const hidden = await barsAndCells(page);
		expectBarsMatch(hidden);
		expect(hidden.some((b) => b.suppressed)).toBe(true);
		expect(violations).toEqual([]);
		await page.close();
	});

	it('the public results page is axe-clean in both versions, without JavaScript too', async () => {
		for (const javaScriptEnabled of [true, false]) {
			const page = await browser.newPage({ viewport: { width: 390, height: 844 }, javaScriptEnabled });
			for (const q of ['', '?easy=1']) {
				const res = await page.goto(`${server.url}/s/${SLUG}/results${q}`);
				expect(res!.status()).toBe(200);
				expect(await page.locator('h1').textContent()).toMatch(/you said, we did|what you told us/i);
				if (javaScriptEnabled) expect(await axe(page)).toEqual([]);
				else expect(await page.locator('svg[role=img]').count()).toBeGreaterThan(q ? -1 : 0);
			}
			await page.close();
		}
	});
});
