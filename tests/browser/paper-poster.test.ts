import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { RunningServer } from '../helpers/server';
import { startBrowserApp, type BrowserApp } from '../helpers/app';
import { QR_OPTIONS, surveyUrl } from '../../src/lib/server/survey/paper';
import { axe } from '../helpers/axe';
import { SLUG } from '../helpers/consultation';
import { addUser } from '../helpers/users';

const EMAIL = 'officer@example.gov.uk';
const PASSWORD = 'a long officer password';
describe('officers print the paper survey and the poster', () => {
	let app: BrowserApp;
	let server: RunningServer;
	let browser: Browser;

	beforeAll(async () => {
		app = await startBrowserApp({
			seed: async (open) => {
				await addUser(open.db, { email: EMAIL, role: 'officer', password: PASSWORD });
			}
		});
		({ server, browser } = app);
	});
	afterAll(() => app?.close());

	it("reaches both from the consultation pages; every group's wording with lines to write on; a QR code that opens the survey", async () => {
		const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
		await page.goto(`${server.url}/login`);
		await page.fill('#email', EMAIL);
		await page.fill('#password', PASSWORD);
		await Promise.all([page.waitForURL(/\/admin/), page.click('button[type=submit]')]);
		const violations: string[] = [];

		// From the dashboard's navigation to the printable survey.
		await page.goto(`${server.url}/admin/c/${SLUG}`);
		// The questions written by the team, not the council, are never shown to officers as confirmed.
		const options = await page.locator('select[name="question"] option').allTextContents();
		expect(options.filter((o) => o.includes('(wording not confirmed)')).map((o) => o.slice(0, 3))).toEqual([
			'Q4.',
			'Q5.'
		]);
		await Promise.all([
			page.waitForURL(/\/paper$/),
			page.getByRole('link', { name: 'Paper version and poster' }).first().click()
		]);
		violations.push(...(await axe(page)));
		const groups = await page.locator('.paper-group h2').allTextContents();
		expect(groups).toEqual([
			'If you are answering as: Child (12 or under)',
			'If you are answering as: Young person (13 to 24)',
			'If you are answering as: Parent or carer',
			'If you are answering as: Practitioner',
			'If you are answering as: Other interested person'
		]);
		// Each group's own wording, five questions each, each with lines to write on.
		const child = page.locator('.paper-group').first();
		expect((await child.locator('h3').first().textContent())!.trim()).toBe('1. What is most important to you?');
		expect(await page.locator('.paper-question').count()).toBe(25);
		expect(await page.locator('.paper-question .write-lines span').count()).toBeGreaterThanOrEqual(25 * 5);
		// Q4 and Q5 are marked as not confirmed for the officer on screen, never on the printed page.
		const marks = page.locator('.paper-question .wording-to-confirm');
		expect(await marks.count()).toBe(10);
		expect((await page.locator('main').textContent())?.replace(/\s+/g, ' ')).toContain(
			'Q4 and Q5 have wording that has not been confirmed'
		);
		await page.emulateMedia({ media: 'print' });
		expect(await marks.first().isVisible()).toBe(false);
		expect(await page.locator('.staff-nav').isVisible()).toBe(false);
		expect(await page.locator('.paper-group h2').first().isVisible()).toBe(true);
		await page.emulateMedia({ media: 'screen' });

		// Easy read paper: easy wording and easy group names.
		await Promise.all([page.waitForURL(/easy=1/), page.getByRole('link', { name: 'Easy read version' }).click()]);
		violations.push(...(await axe(page)));
		expect((await page.locator('.paper-group h2').first().textContent())!.trim()).toBe('For: A child aged 12 or under');
		expect(await page.locator('.paper-group').nth(1).locator('h3').first().textContent()).toContain(
			'What matters most to you?'
		);

		// The poster: the QR code is the one for the survey's address, and the address is printed to type in.
		await Promise.all([
			page.waitForURL(/\/poster$/),
			page.getByRole('link', { name: 'A4 poster with QR code' }).click()
		]);
		violations.push(...(await axe(page)));
		const expected = await QRCode.toString(surveyUrl(server.url, SLUG), QR_OPTIONS);
		const modules = (svg: string) => /stroke="#000000" d="([^"]+)"/.exec(svg)?.[1];
		expect(modules(expected)).toBeTruthy();
		expect(await page.locator('.poster-qr svg path[stroke]').getAttribute('d')).toBe(modules(expected));
		expect(await page.locator('.poster-qr').getAttribute('aria-label')).toBe(
			`QR code that opens ${server.url}/s/${SLUG}`
		);
		expect((await page.locator('.poster-link strong').textContent())!.trim()).toBe(
			`${new URL(server.url).host}/s/${SLUG}`
		);
		await page.emulateMedia({ media: 'print' });
		expect(await page.locator('.staff-nav').isVisible()).toBe(false);
		expect(await page.locator('.poster-qr svg').isVisible()).toBe(true);
		const pdf = await page.pdf({ format: 'A4' });
		expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
		// The poster fits on one A4 sheet.
		expect(pdf.toString('latin1').match(/\/Type\s*\/Page\b(?!s)/g)).toHaveLength(1);

		expect(violations).toEqual([]);
		await page.close();
	}, 120_000);
});
