import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { SLUG } from '../helpers/consultation';
import { addUser } from '../helpers/users';
import { signIn, startBrowserApp, type BrowserApp } from '../helpers/app';

/**
 * Answer text is data, never markup: hostile text submitted in every free-text
 * field must show inert, as the same characters, on every page and export
 * that shows it, and spreadsheet formulas must be neutralised.
 */
const SCRIPT = `<script>window.__xss = 1</script>`;
const IMG = `<img src=x onerror="window.__xss = 2">`;
const FORMULA = `=HYPERLINK("http://evil.example","click")`;
const payload = (q: string) => `${q} ${SCRIPT} ${IMG} <b>bold</b> ${FORMULA}`;

describe('hostile answer text is shown inert everywhere', () => {
	const admin = { email: 'admin@example.gov.uk', password: 'correct horse battery staple' };
	let app: BrowserApp;
	let page: Page;
	const id = randomUUID();

	beforeAll(async () => {
		app = await startBrowserApp({
			seed: async (fresh) => {
				await addUser(fresh.db, { ...admin, role: 'admin', canSafeguard: true });
			},
			env: { SURVEY_RATE_LIMIT: '1000', SURVEY_MIN_SECONDS: '0' }
		});

		const res = await fetch(`${app.server.url}/api/s/${SLUG}/submissions`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', origin: app.server.url },
			body: JSON.stringify({
				id,
				district: 'redditch',
				perspectives: [
					{
						group: 'young_person',
						answers: {
							q1: `${FORMULA} first`,
							q2: payload('q2') + ' my step dad hits me',
							q3: payload('q3'),
							q4: payload('q4'),
							q5: payload('q5')
						}
					}
				],
				about: { ageBand: '18-24', gender: 'self-describe', genderSelfDescribe: SCRIPT }
			})
		});
		expect(res.status).toBe(201);

		page = await app.browser.newPage();
		page.on('dialog', () => {
			throw new Error('a dialog opened: script ran');
		});
		await signIn(page, app.server.url, admin);
	});
	afterAll(() => app?.close());

	async function visit(url: string) {
		const response = await page.goto(`${app.server.url}${url}`);
		expect(response?.status(), url).toBe(200);
		await page.waitForLoadState('load');
		expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss), url).toBeUndefined();
		expect(await page.locator('main script, main img[src="x"], main b').count(), url).toBe(0);
		return page.locator('main').innerText();
	}

	it('on the review list, the answer page, the safeguarding queue and the report', async () => {
		const review = await visit(`/admin/c/${SLUG}/review?question=q3`);
		expect(review).toContain('<script>');
		const queue = await visit('/admin/safeguarding?status=all');
		expect(queue).toContain('my step dad hits me');
		expect(queue).toContain('<img src=x');
		for (const url of [
			`/admin/c/${SLUG}`,
			`/admin/c/${SLUG}/themes`,
			`/admin/c/${SLUG}/quotes`,
			`/admin/c/${SLUG}/report`
		]) {
			await visit(url);
		}
	});

	it('in the CSV and XLSX exports, with formulas neutralised', async () => {
		const cookies = await page.context().cookies();
		const cookie = cookies.map((c) => `${c.name}=${c.value}`).join('; ');
		const csv = await (
			await fetch(`${app.server.url}/admin/c/${SLUG}/export/answers.csv`, { headers: { cookie } })
		).text();
		expect(csv).toContain('<script>window.__xss = 1</script>');
		expect(csv).not.toMatch(/(^|,)"?=HYPERLINK/m);
		expect(csv).toMatch(/'=HYPERLINK/);
		const xlsx = await fetch(`${app.server.url}/admin/c/${SLUG}/export/answers.xlsx`, { headers: { cookie } });
		expect(xlsx.status).toBe(200);
		expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
	});
});
