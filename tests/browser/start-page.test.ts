import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startBuiltServer, type RunningServer } from '../helpers/server';
import { launchBrowser } from '../helpers/browser';
import { SLUG } from '../helpers/consultation';
import { emptyDatabase, type FreshDb } from '../helpers/databases';

describe('the built server', () => {
	let server: RunningServer;
	let browser: Browser;
	let fresh: FreshDb;
	beforeAll(async () => {
		fresh = await emptyDatabase('sqlite');
		await fresh.close();
		server = await startBuiltServer({ DATABASE_URL: fresh.url });
		browser = await launchBrowser();
	});
	afterAll(async () => {
		await browser?.close();
		await server?.stop();
		await fresh?.drop();
	});

	it('answers /healthz with ok', async () => {
		const res = await fetch(`${server.url}/healthz`);
		expect(res.status).toBe(200);
		expect(await res.text()).toBe('ok');
	});

	it('shows the Worcestershire start page with its five questions in a phone-sized browser', async () => {
		const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
		const response = await page.goto(`${server.url}/s/${SLUG}`);
		expect(response?.status()).toBe(200);
		await expect(page.locator('h1').textContent()).resolves.toContain("Children and Young People's Plan");
		const questions = await page.locator('main ol li').allTextContents();
		expect(questions).toHaveLength(5);
		expect(questions[0]).toBe('What is most important to children and young people?');
		expect(await page.locator('h1').count()).toBe(1);
		await page.close();
	});

	it('sends security headers on pages', async () => {
		const res = await fetch(`${server.url}/s/${SLUG}`);
		expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
		expect(res.headers.get('x-content-type-options')).toBe('nosniff');
	});
});
