import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { RunningServer } from '../helpers/server';
import { startBrowserApp, type BrowserApp } from '../helpers/app';
import { cspViolations } from '../helpers/browser';
import type { FreshDb } from '../helpers/databases';
import { openDatabase } from '../../src/lib/server/db/connect';
import { parseDatabaseUrl } from '../../src/lib/server/db/config';
import { loadSmallFixture } from '../fixtures/analysis/small';
import { axe } from '../helpers/axe';
import { SLUG } from '../helpers/consultation';
import { addUser } from '../helpers/users';
import Papa from 'papaparse';

const EMAIL = 'analyst@example.gov.uk';
const PASSWORD = 'a long officer password';

describe('officers recode an answer and see the theme table change', () => {
	let app: BrowserApp;
	let server: RunningServer;
	let browser: Browser;
	let db: FreshDb;
	beforeAll(async () => {
		app = await startBrowserApp({
			seed: async (db) => {
				await loadSmallFixture(db.db);
				await addUser(db.db, { email: EMAIL, role: 'officer', password: PASSWORD });
			}
		});
		({ server, browser, fresh: db } = app);
	});
	afterAll(() => app?.close());

	it('signs in, adds a theme, codes an answer with it from the keyboard-ready review list, and the table and export follow', async () => {
		const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
		const refused = cspViolations(page);
		const base = `${server.url}/admin/c/${SLUG}`;

		// Not signed in: the analysis screens send you to sign in, then back.
		await page.goto(`${base}/codebook?question=q1`);
		expect(new URL(page.url()).pathname).toBe('/login');
		await page.fill('#email', EMAIL);
		await page.fill('#password', PASSWORD);
		await Promise.all([page.waitForURL(/\/codebook/), page.click('button[type=submit]')]);

		// Add a theme nobody has raised yet.
		await page.fill('#new-label', 'Zebra crossings');
		await page.fill('#new-kw', 'zebra crossing');
		await page.click('button:has-text("Add theme")');
		await expect.poll(() => page.locator('[role=status]').textContent()).toContain('Added the theme "Zebra crossings"');

		// The theme table shows it with nothing yet for young people.
		await page.goto(`${base}/themes?question=q1&min=0`);
		const table = page.locator('#table-themes-q1');
		const header = await table.locator('thead th').allTextContents();
		const ypCol = header.findIndex((h) => h.startsWith('Young person'));
		expect(ypCol).toBeGreaterThan(0);
		const cell = () =>
			table
				.locator('tbody tr', { has: page.locator('th', { hasText: 'Zebra crossings' }) })
				.locator('td')
				.nth(ypCol - 1);
		expect((await cell().textContent())!.trim()).toBe('0 (0%)');
		expect(await axe(page)).toEqual([]);

		// Review the young person's answer to q1 and tick the new theme.
		await page.goto(`${base}/review?question=q1&group=young_person`);
		const article = page.locator('article.review-answer').first();
		await expect.poll(() => article.locator('blockquote').textContent()).toBe('family and friends');
		// The hints name the keys once the page has hydrated (before that they say the keys need JavaScript); under load
		// hydration can finish after the answers are on screen, so wait for it rather than read the text at once.
		await expect.poll(() => page.locator('#keyboard-hints').textContent()).toContain('j next answer');
		// keyboard: focus the first answer (k), toggle its first theme with "1" and back again
		await page.locator('h1').click();
		await page.keyboard.press('k');
		const first = article.locator('input[name=theme]').first();
		const was = await first.isChecked();
		await page.keyboard.press('1');
		expect(await first.isChecked()).toBe(!was);
		await page.keyboard.press('1');
		expect(await first.isChecked()).toBe(was);
		await article.locator('label', { hasText: 'Zebra crossings' }).click();
		await article.locator('button', { hasText: 'Save coding' }).click();
		await expect.poll(() => page.locator('[role=status]').textContent()).toContain('Zebra crossings');
		expect(await axe(page)).toEqual([]);

		// The theme table changed, and the cell leads to the answer behind it.
		await page.goto(`${base}/themes?question=q1&min=0`);
		expect((await cell().textContent())!.trim()).toBe('1 (100%)');
		await Promise.all([page.waitForURL(/\/review/), cell().locator('a').click()]);
		expect(await page.locator('article.review-answer blockquote').allTextContents()).toEqual(['family and friends']);
		expect(await page.locator('article.review-answer').first().textContent()).toContain('Reviewed');

		// The export carries the officer's coding.
		const csv = await page.request.get(`${base}/export/answers.csv`);
		expect(csv.status()).toBe(200);
		const rows = Papa.parse<Record<string, string>>(await csv.text(), { header: true }).data;
		const row = rows.find((r) => r['Answer text (redacted)'] === 'family and friends')!;
		expect(row.Themes).toContain('Zebra crossings');
		expect(row.Reviewed).toBe('yes');
		// The officer's coding is a person's, not the machine's.
		expect(row['Theme source']).toContain('person');
		expect(refused(), 'CSP violations on the analysis screens').toEqual([]);
		await page.close();

		// Audited: who, when, before and after.
		const open = await openDatabase(parseDatabaseUrl(db.url), { create: false });
		const log = await open.db
			.selectFrom('audit_log')
			.selectAll()
			.where('action', '=', 'coding.review')
			.executeTakeFirstOrThrow();
		const zebra = await open.db
			.selectFrom('theme')
			.select('id')
			.where('label', '=', 'Zebra crossings')
			.executeTakeFirstOrThrow();
		await open.close();
		// Theme ids, not labels: the log keeps ids and field names only.
		expect(JSON.parse(log.after!).themes).toContain(zebra.id);
		expect(JSON.parse(log.before!).themes).not.toContain(zebra.id);
		expect(log.user_id).not.toBeNull();
	});

	it('serves the dashboard, cross-tab and printable report to the officer, and nothing to someone signed out', async () => {
		const anon = await fetch(`${server.url}/admin/c/${SLUG}/export/answers.csv`, { redirect: 'manual' });
		expect(anon.status).toBe(303);
		expect(anon.headers.get('location')).toContain('/login');
		const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
		const refused = cspViolations(page);
		await page.goto(`${server.url}/login`);
		await page.fill('#email', EMAIL);
		await page.fill('#password', PASSWORD);
		await Promise.all([page.waitForURL(/\/admin/), page.click('button[type=submit]')]);
		await page.goto(`${server.url}/admin/c/${SLUG}?min=0`);
		const types = page.locator('#table-groups');
		expect(await types.locator('caption').textContent()).toBe('Respondent types');
		expect(
			await types
				.locator('tbody tr', { has: page.locator('th', { hasText: 'Parent or carer' }) })
				.locator('td')
				.textContent()
		).toContain('2 (40%)');
		expect(await page.locator('.chart svg').count()).toBeGreaterThan(0);
		expect(await axe(page)).toEqual([]);
		await page.goto(`${server.url}/admin/c/${SLUG}?min=5`);
		expect(await page.locator('#table-districts').textContent()).toContain('<5');
		expect(await page.locator('main').textContent()).toContain('so that no one can be identified');
		await page.goto(`${server.url}/admin/c/${SLUG}/report?min=0`);
		await page.emulateMedia({ media: 'print' });
		expect(await page.locator('.analysis-nav').isVisible()).toBe(false);
		// The method section (prefilled from the data until an officer writes it) comes before the figures.
		expect((await page.locator('h2').allTextContents()).slice(0, 2)).toEqual(['How we asked', 'Survey results']);
		expect(await page.locator('.narrative[data-section=method]').textContent()).toContain('We received');
		expect(await page.locator('#p-responses').textContent()).toContain('3 online survey');
		expect(refused(), 'CSP violations on the dashboard (charts) and report').toEqual([]);
		await page.close();
	});
});
