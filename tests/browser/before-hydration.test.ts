/**
 * A choice made before the page's JavaScript arrives is kept (field36). Children answer on slow phones and library
 * staff type on shared PCs with flaky connections: the server-rendered form is there, and used, seconds before the
 * app's scripts hydrate it. Here the app's scripts are held back (`ScriptGate`), the choices are made in the
 * server-rendered form, the scripts are released, and once the page has hydrated the choices must still be shown
 * and must be what the form sends (read back from the database, or from the request the form made).
 *
 * Every kind of field the app renders is covered on a page that hydrates: text and textarea (the survey's question,
 * the entry leaf), select (entry start and leaf forms, analysis filters), date, radios (entry start, concern level,
 * a user's role), checkboxes (the builder's "About you" questions), a single checkbox and email and password (adding
 * a user), number (analysis filters). The survey's other pages (who, where, "About you") are sent without the app's
 * script (csr = false): nothing can set them back, and the test checks that no script was asked for there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page, Route } from 'playwright-core';
import type { RunningServer } from '../helpers/server';
import { startBrowserApp, signIn, type BrowserApp } from '../helpers/app';
import { phoneContext } from '../helpers/browser';
import { SLUG } from '../helpers/consultation';
import { openEntrySession } from '../helpers/entry';
import { addUser, TEST_PASSWORD } from '../helpers/users';
import { until } from '../helpers/wait';
import type { FreshDb } from '../helpers/databases';

/**
 * Holds back the app's scripts (`/_app/immutable/...js`) of a context's pages while closed, and lets them through,
 * held ones first, when released. Routing also turns off the HTTP cache, so every page load asks again.
 */
class ScriptGate {
	private held: Route[] = [];
	private closed = false;
	/** Scripts asked for since the last `hold()` (held or not). */
	requested = 0;

	static async on(ctx: BrowserContext): Promise<ScriptGate> {
		const gate = new ScriptGate();
		// The hydration marker (`isHydrated`) is per document: a history entry keeps it from the page before.
		await ctx.addInitScript(() => {
			history.scrollRestoration = 'auto';
		});
		await ctx.route(/\/_app\/immutable\/.*\.js(\?.*)?$/, (route) => {
			gate.requested++;
			if (gate.closed) gate.held.push(route);
			else void route.continue().catch(() => {});
		});
		return gate;
	}

	hold() {
		this.closed = true;
		this.requested = 0;
	}

	get heldCount() {
		return this.held.length;
	}

	async release() {
		this.closed = false;
		await Promise.all(this.held.splice(0).map((r) => r.continue().catch(() => {})));
	}
}

/**
 * SvelteKit sets `history.scrollRestoration` to 'manual' when its router starts, right after hydrating; each
 * document starts with 'auto' (`ScriptGate.on` sees to it).
 */
const isHydrated = (page: Page) => page.evaluate(() => history.scrollRestoration === 'manual');

/** Loads `url` with the app's scripts held back: the server-rendered page, as on a slow connection. */
async function openBeforeScripts(page: Page, gate: ScriptGate, url: string) {
	gate.hold();
	await page.goto(url, { waitUntil: 'domcontentloaded' });
	await until(() => gate.heldCount > 0, `${url} asked for its scripts (held back)`);
	expect(await isHydrated(page), 'not hydrated yet').toBe(false);
}

/** Lets the scripts through and waits until the page has hydrated (and its effects have run). */
async function releaseAndHydrate(page: Page, gate: ScriptGate) {
	await gate.release();
	await page.waitForFunction(() => history.scrollRestoration === 'manual');
	await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
}

/** What a form sends, read from the request (a native post, or the app's fetch). */
async function formPost(page: Page, submit: () => Promise<void>): Promise<URLSearchParams> {
	const [request] = await Promise.all([
		page.waitForRequest((r) => r.method() === 'POST' && r.url().startsWith(page.url().split('?')[0])),
		submit()
	]);
	const body = request.postData() ?? '';
	const type = (await request.headerValue('content-type')) ?? '';
	if (type.startsWith('multipart/form-data')) {
		const form = await new Response(body, { headers: { 'content-type': type } }).formData();
		return new URLSearchParams([...form.entries()].map(([k, v]) => [k, String(v)]));
	}
	return new URLSearchParams(body);
}

describe('choices made before the page hydrates are kept', () => {
	let app: BrowserApp;
	let server: RunningServer;
	let db: FreshDb;
	const ADMIN = 'admin@early.test';
	const ENTRY = 'entry@early.test';
	let leafSession = 0;

	beforeAll(async () => {
		app = await startBrowserApp({
			keepOpen: true,
			env: { SURVEY_MIN_SECONDS: '0', SURVEY_RATE_LIMIT: '500' },
			seed: async ({ db }) => {
				const admin = await addUser(db, { email: ADMIN, role: 'admin', canSafeguard: true });
				const entry = await addUser(db, { email: ENTRY, role: 'entry' }, admin.id);
				// A session asking every question, so the leaf form has its question select.
				({ sessionId: leafSession } = await openEntrySession(db, {
					adminId: admin.id,
					by: { id: entry.id, role: 'entry' },
					library: { name: 'Evesham Library', district: 'wychavon' },
					session: { question: 'all', group: '' }
				}));
			}
		});
		({ server, fresh: db } = app);
	});
	afterAll(() => app?.close());

	it('the survey: ticks, a district and the answer typed before the question page hydrates are sent', async () => {
		const ctx = await phoneContext(app.browser);
		const gate = await ScriptGate.on(ctx);
		const page = await ctx.newPage();
		await page.goto(`${server.url}/s/${SLUG}`);
		await Promise.all([page.waitForURL(/\/who(\?|$)/), page.getByRole('button', { name: /^Start/ }).click()]);

		// Who and where: server-rendered only, no script to wait for (or to set anything back).
		gate.hold();
		await page.reload();
		expect(gate.requested, 'scripts asked for by the who page').toBe(0);
		await page.getByLabel('Parent or carer', { exact: true }).check();
		await page.getByLabel('Practitioner', { exact: true }).check();
		await Promise.all([page.waitForURL(/\/where(\?|$)/), page.getByRole('button', { name: 'Continue' }).click()]);
		expect(gate.requested, 'scripts asked for by the where page').toBe(0);
		await page.getByLabel('Malvern Hills', { exact: true }).check();

		// The question page hydrates (its live character count): arrive on it with its scripts held back.
		await Promise.all([page.waitForURL(/\/q\/1\/1$/), page.getByRole('button', { name: 'Continue' }).click()]);
		await until(() => gate.heldCount > 0, 'the question page asked for its scripts (held back)');
		expect(await isHydrated(page)).toBe(false);
		await page.locator('#answer').fill('Typed before the page woke up');
		await releaseAndHydrate(page, gate);
		expect(await page.locator('#answer').inputValue()).toBe('Typed before the page woke up');
		// The count is the app's: it counts what was typed before it arrived.
		await expect.poll(() => page.locator('#answer-count').textContent()).toContain('1,971');

		for (let guard = 0; guard < 12 && !/\/about$/.test(page.url()); guard++) {
			const before = page.url();
			await Promise.all([
				page.waitForURL((u) => u.href !== before),
				page.getByRole('button', { name: 'Continue' }).click()
			]);
		}
		expect(new URL(page.url()).pathname).toMatch(/\/about$/);

		// "About you": server-rendered only as well; the gender page's radios and its "self-describe" words.
		gate.hold();
		await page.reload();
		expect(gate.requested, 'scripts asked for by the about page').toBe(0);
		await page.getByLabel('Yes', { exact: true }).check();
		for (let guard = 0; guard < 8; guard++) {
			const m = /\/about\/(\w+)$/.exec(new URL(page.url()).pathname);
			if (!m && guard > 0) break;
			if (m?.[1] === 'gender') {
				expect(gate.requested, 'scripts asked for by the gender page').toBe(0);
				await page.getByLabel('I describe myself another way', { exact: true }).check();
				await page.locator('#genderSelfDescribe').fill('Described before any script');
			}
			const before = page.url();
			await Promise.all([
				page.waitForURL((u) => u.href !== before),
				page.getByRole('button', { name: 'Continue' }).click()
			]);
		}
		expect(new URL(page.url()).pathname).toMatch(/\/check$/);
		await gate.release();
		await Promise.all([page.waitForURL(/\/done\?/), page.getByRole('button', { name: /^Send/ }).click()]);
		const reference = (await page.locator('.reference').textContent())?.trim() ?? '';

		const sent = await db.db
			.selectFrom('submission')
			.select(['id', 'district_code', 'eq_gender', 'eq_gender_self'])
			.where('reference', '=', reference)
			.executeTakeFirstOrThrow();
		expect(sent).toMatchObject({
			district_code: 'malvern-hills',
			eq_gender: 'self-describe',
			eq_gender_self: 'Described before any script'
		});
		const groups = await db.db
			.selectFrom('perspective')
			.select('group_code')
			.where('submission_id', '=', sent.id)
			.orderBy('position')
			.execute();
		expect(groups.map((g) => g.group_code)).toEqual(['parent_carer', 'practitioner']);
		const answers = await db.db.selectFrom('answer').select('text').where('submission_id', '=', sent.id).execute();
		expect(answers.map((a) => a.text)).toContain('Typed before the page woke up');
		await ctx.close();
	});

	it('the entry start form: location, date, how collected, question and group chosen early start that session', async () => {
		const ctx = await app.browser.newContext({ viewport: { width: 1280, height: 900 } });
		const gate = await ScriptGate.on(ctx);
		const page = await ctx.newPage();
		await signIn(page, server.url, { email: ENTRY, password: TEST_PASSWORD });
		await openBeforeScripts(page, gate, `${server.url}/entry`);
		await page.locator('#locationId').selectOption({ label: 'Evesham Library' });
		await page.locator('#date').fill('2026-11-28');
		await page.getByLabel('School', { exact: true }).check();
		await page.locator('#question').selectOption('q2');
		await page.locator('#group').selectOption('parent_carer');
		await releaseAndHydrate(page, gate);

		const shown = {
			location: await page.locator('#locationId option:checked').textContent(),
			date: await page.locator('#date').inputValue(),
			school: await page.getByLabel('School', { exact: true }).isChecked(),
			library: await page.getByLabel('Library engagement tree', { exact: true }).isChecked(),
			question: await page.locator('#question').inputValue(),
			group: await page.locator('#group').inputValue()
		};
		expect(shown).toEqual({
			location: 'Evesham Library',
			date: '2026-11-28',
			school: true,
			library: false,
			question: 'q2',
			group: 'parent_carer'
		});
		await Promise.all([
			page.waitForURL(/\/entry\/s\/\d+/),
			page.getByRole('button', { name: 'Start session' }).click()
		]);
		const id = Number(new URL(page.url()).pathname.split('/').pop());
		const row = await db.db
			.selectFrom('collection_session as c')
			.innerJoin('location as l', 'l.id', 'c.location_id')
			.select(['l.name', 'c.session_date', 'c.channel', 'c.question_key', 'c.default_group'])
			.where('c.id', '=', id)
			.executeTakeFirstOrThrow();
		expect(row).toEqual({
			name: 'Evesham Library',
			session_date: '2026-11-28',
			channel: 'school',
			question_key: 'q2',
			default_group: 'parent_carer'
		});
		await ctx.close();
	});

	it('the entry leaf form: words, question, group, district and a concern chosen early are saved with the leaf', async () => {
		const ctx = await app.browser.newContext({ viewport: { width: 1280, height: 900 } });
		const gate = await ScriptGate.on(ctx);
		const page = await ctx.newPage();
		await signIn(page, server.url, { email: ENTRY, password: TEST_PASSWORD });
		await openBeforeScripts(page, gate, `${server.url}/entry/s/${leafSession}`);
		await page.locator('#text').fill('A leaf typed before the page woke up');
		await page.locator('#question').selectOption('q3');
		await page.locator('#group').selectOption('young_person');
		await page.locator('#district').selectOption('malvern-hills');
		await page.locator('details.worry summary').click();
		await page.getByLabel('Review: a lead should read it today', { exact: true }).check();
		await page.locator('#concernNote').fill('Noted early');
		await releaseAndHydrate(page, gate);

		const shown = {
			text: await page.locator('#text').inputValue(),
			question: await page.locator('#question').inputValue(),
			group: await page.locator('#group').inputValue(),
			district: await page.locator('#district').inputValue(),
			worryOpen: await page.locator('details.worry').evaluate((d) => (d as HTMLDetailsElement).open),
			review: await page.getByLabel('Review: a lead should read it today', { exact: true }).isChecked(),
			note: await page.locator('#concernNote').inputValue()
		};
		expect(shown).toEqual({
			text: 'A leaf typed before the page woke up',
			question: 'q3',
			group: 'young_person',
			district: 'malvern-hills',
			worryOpen: true,
			review: true,
			note: 'Noted early'
		});
		// Saved by the app (the outbox), from what the app holds: it must hold what is shown.
		await page.getByRole('button', { name: 'Save response' }).click();
		const saved = () =>
			db.db
				.selectFrom('answer as a')
				.innerJoin('perspective as p', 'p.id', 'a.perspective_id')
				.innerJoin('submission as s', 's.id', 'a.submission_id')
				.innerJoin('question as q', 'q.id', 'a.question_id')
				.leftJoin('safeguarding_concern as c', 'c.answer_id', 'a.id')
				.select(['q.key', 'p.group_code', 's.district_code', 'c.level', 'c.note'])
				.where('a.text', '=', 'A leaf typed before the page woke up')
				.execute();
		await expect.poll(saved, { timeout: 20_000 }).toHaveLength(1);
		expect((await saved())[0]).toEqual({
			key: 'q3',
			group_code: 'young_person',
			district_code: 'malvern-hills',
			level: 'review',
			note: 'Noted early'
		});
		await ctx.close();
	});

	it('adding a user: email, role, a ticked box and a password chosen early make that account', async () => {
		const ctx = await app.browser.newContext({ viewport: { width: 1280, height: 900 } });
		const gate = await ScriptGate.on(ctx);
		const page = await ctx.newPage();
		await signIn(page, server.url, { email: ADMIN, password: TEST_PASSWORD });
		await openBeforeScripts(page, gate, `${server.url}/admin/users`);
		await page.locator('#email').fill('early.officer@early.test');
		await page.locator('input[name="role"][value="officer"]').check();
		await page.locator('#canSafeguard').check();
		await page.locator('#password').fill('a-password-typed-early-1');
		await releaseAndHydrate(page, gate);

		const shown = {
			email: await page.locator('#email').inputValue(),
			officer: await page.locator('input[name="role"][value="officer"]').isChecked(),
			entry: await page.locator('input[name="role"][value="entry"]').isChecked(),
			canSafeguard: await page.locator('#canSafeguard').isChecked(),
			password: await page.locator('#password').inputValue()
		};
		expect(shown).toEqual({
			email: 'early.officer@early.test',
			officer: true,
			entry: false,
			canSafeguard: true,
			password: 'a-password-typed-early-1'
		});
		await Promise.all([page.waitForURL(/created=/), page.getByRole('button', { name: 'Add user' }).click()]);
		const user = await db.db
			.selectFrom('app_user')
			.select(['role', 'can_safeguard'])
			.where('email', '=', 'early.officer@early.test')
			.executeTakeFirstOrThrow();
		expect(user).toEqual({ role: 'officer', can_safeguard: 1 });
		await ctx.close();
	});

	it('analysis filters: a number and selects chosen early are the ones applied', async () => {
		const ctx = await app.browser.newContext({ viewport: { width: 1280, height: 900 } });
		const gate = await ScriptGate.on(ctx);
		const page = await ctx.newPage();
		await signIn(page, server.url, { email: ADMIN, password: TEST_PASSWORD });
		await openBeforeScripts(page, gate, `${server.url}/admin/c/${SLUG}`);
		await page.locator('#f-min').fill('7');
		await page.locator('#f-group').selectOption('practitioner');
		await page.locator('#f-district').selectOption('malvern-hills');
		await releaseAndHydrate(page, gate);

		const shown = {
			min: await page.locator('#f-min').inputValue(),
			group: await page.locator('#f-group').inputValue(),
			district: await page.locator('#f-district').inputValue()
		};
		expect(shown).toEqual({ min: '7', group: 'practitioner', district: 'malvern-hills' });
		await Promise.all([page.waitForURL(/[?&]min=7/), page.getByRole('button', { name: 'Apply filters' }).click()]);
		const applied = new URL(page.url()).searchParams;
		expect({ min: applied.get('min'), group: applied.get('group'), district: applied.get('district') }).toEqual({
			min: '7',
			group: 'practitioner',
			district: 'malvern-hills'
		});
		await ctx.close();
	});

	it('the builder: the "About you" questions ticked and unticked early are the ones it posts', async () => {
		const ctx = await app.browser.newContext({ viewport: { width: 1280, height: 900 } });
		const gate = await ScriptGate.on(ctx);
		const page = await ctx.newPage();
		await signIn(page, server.url, { email: ADMIN, password: TEST_PASSWORD });
		await openBeforeScripts(page, gate, `${server.url}/admin/consultations/${SLUG}`);
		const boxes = page.locator('input[type="checkbox"][name="aboutAsked"]');
		const before = await boxes.evaluateAll((els) => els.map((e) => (e as HTMLInputElement).checked));
		expect(before.length).toBeGreaterThan(1);
		// Flip the first two: one way or the other, each differs from what the server rendered.
		await boxes.nth(0).setChecked(!before[0]);
		await boxes.nth(1).setChecked(!before[1]);
		const chosen = await boxes.evaluateAll((els) =>
			els.filter((e) => (e as HTMLInputElement).checked).map((e) => (e as HTMLInputElement).value)
		);
		await releaseAndHydrate(page, gate);

		const shown = await boxes.evaluateAll((els) =>
			els.filter((e) => (e as HTMLInputElement).checked).map((e) => (e as HTMLInputElement).value)
		);
		expect(shown).toEqual(chosen);
		const posted = await formPost(page, () => page.getByRole('button', { name: 'Save', exact: true }).click());
		expect(posted.getAll('aboutAsked')).toEqual(chosen);
		await ctx.close();
	});
});
