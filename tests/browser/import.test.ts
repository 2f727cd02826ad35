/**
 * An officer in Chromium (real CSP, JavaScript on): pastes a list of libraries
 * on the Locations page (a bad line is named, nothing added; fixed, all added),
 * then imports a tree's leaves whose file says "Parent" and names a library
 * that is not in the list: matches the value in the preview, is refused until
 * the new location is confirmed (the preview stays), and imports. axe-clean at
 * WCAG 2.2 AA on each of these pages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { RunningServer } from '../helpers/server';
import { signIn, startBrowserApp, type BrowserApp } from '../helpers/app';
import { openDatabase } from '../../src/lib/server/db/connect';
import { axe } from '../helpers/axe';
import { addUser } from '../helpers/users';
import type { FreshDb } from '../helpers/databases';
import { parseDatabaseUrl } from '../../src/lib/server/db/config';

describe('officer sets up locations and imports a tree of leaves', () => {
	let app: BrowserApp;
	let server: RunningServer;
	let browser: Browser;
	let fresh: FreshDb;

	beforeAll(async () => {
		app = await startBrowserApp({
			env: { BODY_SIZE_LIMIT: '25M' },
			seed: async (open) => {
				await addUser(open.db, { email: 'officer@import.test', role: 'officer', password: 'officer-password-1' }, null);
			}
		});
		({ server, browser, fresh } = app);
	});
	afterAll(() => app?.close());

	it('bulk-adds locations, then matches values and confirms a new location in the import preview', async () => {
		const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
		await page.goto(`${server.url}/login?next=/admin/locations`);
		await page.fill('#email', 'officer@import.test');
		await page.fill('#password', 'officer-password-1');
		await Promise.all([page.waitForURL(/\/admin\/locations/), page.click('button[type=submit]')]);

		// A bad district on one line: every problem named, nothing added, the text kept.
		await page.fill('#locations', 'Kidderminster Library, Wyre Forest\nRedditch Library, Atlantis');
		// No wait for network quiet (half a second each time): the polls below wait for the page's answer (30 s).
		await page.click('button:has-text("Add these locations")');
		await expect
			.poll(() => page.locator('#locations-error').textContent(), { timeout: 30_000 })
			.toContain('Line 2: "Atlantis" is not a district');
		expect(await page.locator('.error-summary').textContent()).toContain('Nothing was added');
		expect(await page.inputValue('#locations')).toContain('Redditch Library, Atlantis');
		expect(await page.title()).toMatch(/^Error: /);
		expect(await axe(page)).toEqual([]);
		await page.fill('#locations', 'Kidderminster Library, Wyre Forest\nRedditch Library, Redditch');
		await Promise.all([page.waitForURL(/added_many=2/), page.click('button:has-text("Add these locations")')]);
		expect(await page.locator('[role=status]').textContent()).toContain('Added 2 locations');
		expect(await page.locator('table').textContent()).toContain('Redditch Library');

		// Import a tree's leaves.
		const csv = [
			'text,question,who,library',
			'Somewhere to skate,q1,Parent,Kidderminster Library',
			'More youth clubs,q1,young person,Bewdley Library',
			'Safe parks,q2,child,Redditch Library'
		].join('\n');
		await page.goto(`${server.url}/admin/import`);
		await page.setInputFiles('#file', { name: 'tree.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
		await Promise.all([page.waitForURL(/token=/), page.click('button:has-text("Upload and check")')]);
		expect(await page.locator('#preview').textContent()).toContain('Check tree.csv');
		expect(await page.locator('body').textContent()).toContain('Respondent group "Parent" is not one of');
		const parentSelect = page.locator('label:has-text("Respondent group “Parent”")');
		expect(await parentSelect.count()).toBe(1);
		expect(await axe(page)).toEqual([]);
		await page.selectOption(`#${await parentSelect.getAttribute('for')}`, 'parent_carer');
		await Promise.all([page.waitForURL(/gc=parent_carer/), page.click('button:has-text("Check again")')]);
		expect(await page.locator('body').textContent()).toContain('3 ready to import');
		expect((await page.locator('body').textContent())?.replace(/\s+/g, ' ')).toContain('Bewdley Library (1 row)');

		// Not confirmed: refused, and the preview (with the match) is still there.
		expect(await page.locator('.error-summary').count()).toBe(0); // so the summary polled for is the refusal's
		await page.click('button:has-text("Import 3 responses")');
		await expect
			.poll(() => page.locator('.error-summary').textContent(), { timeout: 30_000 })
			.toContain('new location');
		expect(await page.locator('#preview').textContent()).toContain('Check tree.csv');
		expect(await page.locator('body').textContent()).toContain('3 ready to import');
		expect(await axe(page)).toEqual([]);

		await page.check('#addLocations');
		await Promise.all([page.waitForURL(/done=1|job=/), page.click('button:has-text("Import 3 responses")')]);
		// A small import is normally done within the request; on a slow machine the progress page says how far it got.
		await expect
			.poll(
				async () => {
					if (page.url().includes('job='))
						await Promise.all([page.waitForLoadState('load'), page.click('a:has-text("Check progress")')]);
					return page.url();
				},
				{ timeout: 30_000, interval: 500 }
			)
			.toMatch(/done=1/);
		expect((await page.locator('[role=status]').textContent())!.replace(/\s+/g, ' ').trim()).toBe(
			'Import finished 3 responses imported. 1 new location was added.'
		);
		expect(await axe(page)).toEqual([]);
		await page.close();

		const open = await openDatabase(parseDatabaseUrl(fresh.url), { create: false });
		const rows = await open.db
			.selectFrom('submission as s')
			.innerJoin('perspective as p', 'p.submission_id', 's.id')
			.leftJoin('location as l', 'l.id', 's.location_id')
			.select(['p.group_code', 's.district_code', 'l.name'])
			.where('s.channel', '=', 'import')
			.orderBy('l.name')
			.execute();
		await open.close();
		expect(rows).toEqual([
			{ group_code: 'young_person', district_code: null, name: 'Bewdley Library' },
			{ group_code: 'parent_carer', district_code: 'wyre-forest', name: 'Kidderminster Library' },
			{ group_code: 'child', district_code: 'redditch', name: 'Redditch Library' }
		]);
	});
	it('names the columns to choose in the one error summary, which takes the focus (GOV.UK pattern)', async () => {
		const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
		await signIn(page, server.url, { email: 'officer@import.test', password: 'officer-password-1' }, '/admin/import');
		const csv = ['colour,size', 'blue,large', 'red,small'].join('\n');
		await page.setInputFiles('#file', { name: 'odd.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
		await Promise.all([page.waitForURL(/token=/), page.click('button:has-text("Upload and check")')]);
		const summary = page.locator('.error-summary');
		expect(await summary.count()).toBe(1);
		const text = (await summary.textContent())!.replace(/\s+/g, ' ');
		expect(text).toContain('The columns need choosing');
		expect(text).toContain('Choose the column that holds the');
		expect(text).toContain("This file's columns are: colour, size.");
		expect(await page.evaluate(() => document.activeElement?.classList.contains('error-summary'))).toBe(true);
		expect(await axe(page)).toEqual([]);
		await page.close();
	});
	it('tells of a stopped import in the one error summary: the focus on it, its message linking to the file field', async () => {
		const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
		await signIn(page, server.url, { email: 'officer@import.test', password: 'officer-password-1' }, '/admin/import');
		const csv = ['colour,size', 'blue,large'].join('\n');
		await page.setInputFiles('#file', { name: 'stops.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
		await Promise.all([page.waitForURL(/token=/), page.click('button:has-text("Upload and check")')]);
		const token = new URL(page.url()).searchParams.get('token')!;
		// The commit's job as it is left when the commit fails part-way (store.ts startImportJob).
		const message = 'The import stopped after 1 of 2 responses were saved. Upload the same file again and import it.';
		const open = await openDatabase(parseDatabaseUrl(fresh.url), { create: false });
		await open.db
			.updateTable('import_preview')
			.set({ job_status: 'failed', job_total: 2, job_done: 1, job_error: message })
			.where('token', '=', token)
			.execute();
		await open.close();
		await page.goto(`${server.url}/admin/import?job=${encodeURIComponent(token)}`);
		const summary = page.locator('.error-summary');
		expect(await summary.count()).toBe(1);
		expect(await summary.getByRole('alert').getByRole('heading', { level: 2 }).textContent()).toBe(
			'The import stopped'
		);
		expect(await summary.getByRole('link').textContent()).toBe(message);
		await expect
			.poll(() => page.evaluate(() => document.activeElement?.classList.contains('error-summary')))
			.toBe(true);
		expect(await page.title()).toMatch(/^Error: /);
		await summary.getByRole('link').click();
		expect(await page.evaluate(() => document.activeElement?.id)).toBe('file');
		expect(await axe(page)).toEqual([]);
		await page.close();
	});
});
