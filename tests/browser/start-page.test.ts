import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLUG } from '../helpers/consultation';
import { PHONE } from '../helpers/browser';
import { startBrowserApp, type BrowserApp } from '../helpers/app';

describe('the built server', () => {
	let app: BrowserApp;
	// An empty database: the server migrates it and loads the shipped consultation itself.
	beforeAll(async () => {
		app = await startBrowserApp({ database: 'empty' });
	});
	afterAll(() => app?.close());

	it('answers /healthz with ok', async () => {
		const res = await fetch(`${app.server.url}/healthz`);
		expect(res.status).toBe(200);
		expect(await res.text()).toBe('ok');
	});

	it('shows the Worcestershire start page with its five questions in a phone-sized browser', async () => {
		const page = await app.browser.newPage({ viewport: PHONE });
		const response = await page.goto(`${app.server.url}/s/${SLUG}`);
		expect(response?.status()).toBe(200);
		await expect(page.locator('h1').textContent()).resolves.toContain("Children and Young People's Plan");
		const questions = await page.locator('main ol li').allTextContents();
		expect(questions).toHaveLength(5);
		expect(questions[0]).toBe('What is most important to children and young people?');
		expect(await page.locator('h1').count()).toBe(1);
		await page.close();
	});

	it('sends security headers on pages', async () => {
		const res = await fetch(`${app.server.url}/s/${SLUG}`);
		expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
		expect(res.headers.get('x-content-type-options')).toBe('nosniff');
	});
});
