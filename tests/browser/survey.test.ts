import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { RunningServer } from '../helpers/server';
import { startBrowserApp, type BrowserApp } from '../helpers/app';
import { phoneContext } from '../helpers/browser';
import { AxeSweep } from '../helpers/axe';
import { SLUG } from '../helpers/consultation';
import { sqlitePath } from '../helpers/databases';

export interface Journey {
	groups: string[];
	district?: string;
	/** One entry per group: question number (1-5) -> text. */
	answers: Record<number, string>[];
	about?: { age?: string; gender?: string; ethnicity?: string; orientation?: string };
	easy?: boolean;
	/** Filled with the "About you" pages visited (age, gender, ...). */
	aboutPages?: string[];
	/** Called on every page of the flow (for axe and URL checks). */
	onPage?: (page: Page) => Promise<void>;
}

async function next(page: Page, urlPart: RegExp) {
	await Promise.all([
		page.waitForURL(urlPart).catch(async (e: Error) => {
			// Say why the page stayed: a refusal or an error is shown in the page's error summary.
			const summary = page.locator('.error-summary');
			const shown = (await summary.count()) ? (await summary.textContent())?.trim() : 'no error summary';
			throw new Error(`${e.message}\nstill on ${page.url()}: ${shown}`);
		}),
		page.getByRole('button', { name: /^(Continue|Start|Start now|Send|Send answers)$/ }).click()
	]);
}

/** Answers the survey by pointer, as a person would; returns the reference shown at the end. */
export async function completeSurvey(page: Page, base: string, j: Journey): Promise<string> {
	const visit = async () => j.onPage?.(page);
	await page.goto(`${base}/s/${SLUG}${j.easy ? '?easy=1' : ''}`);
	await visit();
	await next(page, /\/who/);
	await visit();
	for (const g of j.groups) await page.getByLabel(g, { exact: true }).check();
	await next(page, /\/where/);
	await visit();
	if (j.district) await page.getByLabel(j.district, { exact: true }).check();
	await next(page, /\/q\/1\/1/);
	for (let p = 0; p < j.groups.length; p++) {
		for (let n = 1; n <= 5; n++) {
			await visit();
			const text = j.answers[p]?.[n];
			if (text) await page.locator('#answer').fill(text);
			const last = p === j.groups.length - 1 && n === 5;
			await next(page, last ? /\/about/ : new RegExp(n === 5 ? `/q/${p + 2}/1` : `/q/${p + 1}/${n + 1}`));
		}
	}
	// "About you": first whether to answer at all, then one question per page (only those this person is asked).
	await visit();
	await page.getByLabel(j.about ? 'Yes' : /^No/, { exact: !!j.about }).check();
	await next(page, j.about ? /\/about\/\w+/ : /\/check/);
	const pick: Record<string, string | undefined> = {
		age: j.about?.age,
		gender: j.about?.gender,
		ethnicity: j.about?.ethnicity,
		orientation: j.about?.orientation
	};
	for (let guard = 0; guard < 6; guard++) {
		const m = /\/about\/(\w+)/.exec(new URL(page.url()).pathname);
		if (!m) break;
		j.aboutPages?.push(m[1]);
		await visit();
		const choice = pick[m[1]];
		if (choice) await page.getByLabel(choice, { exact: true }).check();
		const before = page.url();
		await Promise.all([
			page.waitForURL((u) => u.href !== before),
			page.getByRole('button', { name: 'Continue' }).click()
		]);
	}
	expect(new URL(page.url()).pathname).toMatch(/\/check$/);
	await visit();
	await next(page, /\/done\?/);
	await visit();
	const ref = (await page.locator('.reference').textContent())?.trim() ?? '';
	expect(ref).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
	return ref;
}

interface Stored {
	id: string;
	district_code: string | null;
	eq_age_band: string;
	eq_sexual_orientation: string;
	perspectives: { group: string | null; answers: Record<string, string> }[];
}

describe('the respondent survey on a phone', () => {
	let app: BrowserApp;
	let server: RunningServer;
	let browser: Browser;
	let db: Database.Database;

	beforeAll(async () => {
		// An empty database: the server migrates it and loads the consultation itself. No minimum time to complete:
		// with JavaScript a whole easy-read journey can take under a second on a quiet machine, and the bot timer
		// then refuses the send (the CI failure of 5 Dec: waitForURL timed out on /check).
		app = await startBrowserApp({ database: 'empty', env: { SURVEY_MIN_SECONDS: '0', SURVEY_RATE_LIMIT: '500' } });
		({ server, browser } = app);
		db = new Database(sqlitePath(app.fresh));
	});
	afterAll(async () => {
		db?.close();
		await app?.close();
	});

	/** The one stored submission with this reference, read back from the database. */
	function stored(reference: string): Stored {
		const rows = db.prepare('select * from submission where reference = ?').all(reference) as Stored[];
		expect(rows).toHaveLength(1);
		const s = rows[0];
		const ps = db
			.prepare('select id, group_code from perspective where submission_id = ? order by position')
			.all(s.id) as { id: number; group_code: string }[];
		s.perspectives = ps.map((p) => ({
			group: p.group_code,
			answers: Object.fromEntries(
				(
					db
						.prepare(
							'select q.key, a.text from answer a join question q on q.id = a.question_id where a.perspective_id = ? order by q.position'
						)
						.all(p.id) as { key: string; text: string }[]
				).map((a) => [a.key, a.text])
			)
		}));
		return s;
	}
	// Tests run side by side on one server, so each counts only its own rows.
	const withAnswer = (text: string) =>
		(db.prepare('select count(distinct submission_id) as n from answer where text = ?').get(text) as { n: number }).n;
	const submissionsWithId = (id: string) =>
		(db.prepare('select count(*) as n from submission where id = ?').get(id) as { n: number }).n;
	const draftsFor = (id: string) =>
		(db.prepare('select count(*) as n from survey_draft where submission_id = ?').get(id) as { n: number }).n;
	const hiddenId = (page: Page) => page.locator('input[name="submission"]').inputValue();
	/**
	 * The server refuses a send sooner than SURVEY_MIN_SECONDS after the draft began (a bot,
	 * not a person). Rather than wait that long, the draft is made to have begun a minute ago.
	 */
	const begunAMinuteAgo = (id: string) => {
		const changed = db
			.prepare("update survey_draft set data = json_set(data, '$.startedAt', ?) where submission_id = ?")
			.run(Date.now() - 60_000, id).changes;
		expect(changed, `the draft of ${id}`).toBe(1);
	};

	it.concurrent(
		'a child completes it with JavaScript: one submission, never asked their sexual orientation',
		async () => {
			const ctx = await phoneContext(browser);
			const page = await ctx.newPage();
			const seen: string[] = [];
			const ref = await completeSurvey(page, server.url, {
				groups: ['Child (12 or under)'],
				district: "I don't know",
				answers: [{ 1: 'Playing football with my friends', 3: 'More places to play' }],
				about: { gender: 'Prefer not to say' },
				onPage: async (p) => {
					seen.push(new URL(p.url()).pathname);
					if (/\/q\/1\/1$/.test(p.url())) {
						// The live character count only appears once JavaScript has taken over the page.
						await p.locator('#answer').fill('Hello');
						await expect.poll(() => p.locator('#answer-count').textContent()).toBe('You have 1,995 characters left');
					}
				}
			});
			expect(seen.some((s) => s.includes('orientation'))).toBe(false);
			// Their group already says 12 or under: they are not asked their age again.
			expect(seen.some((s) => s.endsWith('/about/age'))).toBe(false);
			await expect(page.locator('h1').textContent()).resolves.toContain('Your answers have been sent');
			const done = (await page.locator('main').textContent()) ?? '';
			expect(done).toContain('0800 1111');
			// Whom to contact, and when and where the results will be published (from the consultation file).
			expect(done).toContain('When and where you can see the results');
			expect(done).toContain('01905 763763');
			expect(done).toContain('worcestershire.gov.uk');
			// The full privacy notice and accessibility statement.
			await page.goto(`${server.url}/s/${SLUG}/privacy`);
			const privacy = await page.locator('h2').allTextContents();
			expect(privacy).toEqual(
				expect.arrayContaining([
					'Our lawful basis',
					'What we collect',
					'How long we keep it',
					'Your rights',
					'Contact and data protection officer',
					'How to complain'
				])
			);
			expect(await page.locator('main').textContent()).toContain('ico.org.uk');
			await page.goto(`${server.url}/s/${SLUG}/accessibility`);
			expect(await page.locator('h2').allTextContents()).toEqual(
				expect.arrayContaining(['Compliance status', 'Content that is not accessible', 'Enforcement procedure'])
			);
			expect(withAnswer('Playing football with my friends')).toBe(1);
			const s = stored(ref);
			expect(s.district_code).toBeNull();
			expect(s.eq_age_band).toBe('under-13');
			expect(s.eq_sexual_orientation).toBe('not_asked');
			expect(s.perspectives).toEqual([
				{ group: 'child', answers: { q1: 'Playing football with my friends', q3: 'More places to play' } }
			]);
			const cookies = await ctx.cookies();
			expect(cookies.find((c) => c.name === 'survey_draft')).toBeUndefined();
			await ctx.close();
		}
	);

	it.concurrent(
		'a 23-year-old answers as a young person and as a parent, changes an answer, and survives a reload',
		async () => {
			const ctx = await phoneContext(browser);
			const page = await ctx.newPage();
			const headings: string[] = [];
			const ref = await completeSurvey(page, server.url, {
				groups: ['Young person (13 to 24)', 'Parent or carer'],
				district: 'Redditch',
				answers: [{ 1: 'Jobs and training' }, { 2: 'Childcare costs', 5: 'Ask us at the school gate' }],
				about: { age: '18 to 24', gender: 'Female', orientation: 'Prefer not to say' },
				onPage: async (p) => {
					const url = p.url();
					if (/\/q\/\d\/1$/.test(url)) headings.push((await p.locator('.answering-as').textContent())!.trim());
					if (/\/q\/2\/2$/.test(url)) {
						// A reload keeps what was already answered.
						await p.reload();
						expect(await p.getByRole('heading', { level: 1 }).textContent()).toContain('What are the main issues');
					}
					if (/\/check$/.test(url)) {
						expect(await p.locator('dd', { hasText: 'Jobs and training' }).count()).toBe(1);
						// Change an answer from Check your answers and come straight back.
						await p
							.getByRole('link', {
								name: /Change your answer to: What is most important to you and other young people/
							})
							.click();
						await p.waitForURL(/\/q\/1\/1\?change=1/);
						expect(await p.locator('#answer').inputValue()).toBe('Jobs and training');
						await p.locator('#answer').fill('Jobs, training and cheaper buses');
						await Promise.all([p.waitForURL(/\/check$/), p.getByRole('button', { name: 'Continue' }).click()]);
						expect(await p.locator('dd', { hasText: 'Jobs, training and cheaper buses' }).count()).toBe(1);
					}
				}
			});
			expect(headings).toEqual(['Answering as a young person (13 to 24)', 'Answering as a parent or carer']);
			const s = stored(ref);
			expect(s.district_code).toBe('redditch');
			expect(s.eq_sexual_orientation).toBe('prefer_not_to_say');
			expect(s.perspectives).toEqual([
				{ group: 'young_person', answers: { q1: 'Jobs, training and cheaper buses' } },
				{ group: 'parent_carer', answers: { q2: 'Childcare costs', q5: 'Ask us at the school gate' } }
			]);
			await ctx.close();
		}
	);

	it.concurrent('works with JavaScript off, in easy read, keeping easy read on every page', async () => {
		const ctx = await phoneContext(browser, { js: false });
		const page = await ctx.newPage();
		const urls: string[] = [];
		const ref = await completeSurvey(page, server.url, {
			easy: true,
			groups: ['A child aged 12 or under'],
			answers: [{ 2: 'Being bullied', 4: 'A skate park' }],
			onPage: async (p) => {
				urls.push(p.url());
				if (/\/q\/1\/1\?/.test(p.url())) {
					expect(await p.locator('.character-count').textContent()).toContain('You can write up to 2,000 letters');
					expect(await p.locator('img.picture').first().getAttribute('alt')).toBe('');
				}
			}
		});
		expect(urls.every((u) => new URL(u).searchParams.get('easy') === '1')).toBe(true);
		expect(await page.locator('.easy-read').count()).toBe(1);
		const s = stored(ref);
		expect(s.eq_age_band).toBe('left_blank');
		expect(s.perspectives).toEqual([{ group: 'child', answers: { q2: 'Being bullied', q4: 'A skate park' } }]);
		await ctx.close();
	});

	it.concurrent(
		'shows GOV.UK errors without JavaScript: summary linking to the field, "Error:" in the title',
		async () => {
			const ctx = await phoneContext(browser, { js: false });
			const page = await ctx.newPage();
			await page.goto(`${server.url}/s/${SLUG}`);
			await Promise.all([page.waitForURL(/\/who/), page.getByRole('button', { name: 'Start now' }).click()]);
			await page.getByRole('button', { name: 'Continue' }).click();
			await expect(page.title()).resolves.toMatch(/^Error: /);
			const link = page.locator('.error-summary a');
			expect(await link.textContent()).toBe('Select who you are answering as');
			expect(await link.getAttribute('href')).toBe('#group-child');
			await page.getByLabel('Practitioner').check();
			await Promise.all([page.waitForURL(/\/where/), page.getByRole('button', { name: 'Continue' }).click()]);
			await Promise.all([page.waitForURL(/\/q\/1\/1/), page.getByRole('button', { name: 'Continue' }).click()]);
			await page.locator('#answer').fill('x'.repeat(2001));
			await page.getByRole('button', { name: 'Continue' }).click();
			await expect(page.title()).resolves.toMatch(/^Error: /);
			expect(await page.locator('.error-summary a').getAttribute('href')).toBe('#answer');
			expect((await page.locator('#answer').inputValue()).length).toBe(2001);
			// With no answer at all, sending is refused with a helpful message and nothing is stored.
			await page.goto(`${server.url}/s/${SLUG}/check`);
			const id = await hiddenId(page);
			begunAMinuteAgo(id);
			await page.getByRole('button', { name: 'Send answers' }).click();
			expect(await page.locator('.error-summary').textContent()).toContain('Answer at least one question');
			expect(submissionsWithId(id)).toBe(0);
			await ctx.close();
		}
	);

	it.concurrent('can be completed with the keyboard only', async () => {
		const ctx = await phoneContext(browser);
		const page = await ctx.newPage();
		const tabTo = async (test: (el: { tag: string; text: string; label: string }) => boolean, limit = 60) => {
			for (let i = 0; i < limit; i++) {
				await page.keyboard.press('Tab');
				const el = await page.evaluate(() => {
					const a = document.activeElement as HTMLElement | null;
					const id = a?.id;
					return {
						tag: a?.tagName ?? '',
						text: a?.textContent?.trim() ?? '',
						label: id ? (document.querySelector(`label[for="${id}"]`)?.textContent?.trim() ?? '') : ''
					};
				});
				if (test(el)) return;
			}
			throw new Error('could not reach the element with Tab');
		};
		const button = (name: string) => (el: { tag: string; text: string }) => el.tag === 'BUTTON' && el.text === name;
		await page.goto(`${server.url}/s/${SLUG}`);
		await tabTo(button('Start now'));
		await Promise.all([page.waitForURL(/\/who/), page.keyboard.press('Enter')]);
		await tabTo((el) => el.label.startsWith('Other interested person'));
		await page.keyboard.press('Space');
		await tabTo(button('Continue'));
		await Promise.all([page.waitForURL(/\/where/), page.keyboard.press('Enter')]);
		await tabTo((el) => el.label === 'Bromsgrove');
		await page.keyboard.press('Space');
		await tabTo(button('Continue'));
		await Promise.all([page.waitForURL(/\/q\/1\/1/), page.keyboard.press('Enter')]);
		for (let n = 1; n <= 5; n++) {
			if (n === 1) {
				await tabTo((el) => el.tag === 'TEXTAREA');
				await page.keyboard.type('Youth clubs open later');
			}
			await tabTo(button('Continue'));
			await Promise.all([
				page.waitForURL(n < 5 ? new RegExp(`/q/1/${n + 1}`) : /\/about/),
				page.keyboard.press('Enter')
			]);
		}
		// Tab reaches the radio group at "Yes"; the arrow key moves to (and chooses) "No".
		await tabTo((el) => el.label === 'Yes');
		await page.keyboard.press('ArrowDown');
		expect(await page.getByLabel('No, skip these questions').isChecked()).toBe(true);
		await tabTo(button('Continue'));
		await Promise.all([page.waitForURL(/\/check/), page.keyboard.press('Enter')]);
		await tabTo(button('Send answers'), 80);
		await Promise.all([page.waitForURL(/\/done/), page.keyboard.press('Enter')]);
		const ref = (await page.locator('.reference').textContent())!.trim();
		const s = stored(ref);
		expect(s.district_code).toBe('bromsgrove');
		expect(s.perspectives).toEqual([{ group: 'other', answers: { q1: 'Youth clubs open later' } }]);
		await ctx.close();
	});

	it.concurrent('stores one submission for a double tap, for Back then Send, and nothing for a bot', async () => {
		const ctx = await phoneContext(browser, { js: false });
		const page = await ctx.newPage();
		const toCheck = async (answer: string) => {
			await page.goto(`${server.url}/s/${SLUG}`);
			await Promise.all([
				page.waitForURL(/\/who/),
				page.getByRole('button', { name: /Start now|Continue your answers/ }).click()
			]);
			await page.getByLabel('Parent or carer').check();
			await Promise.all([page.waitForURL(/\/where/), page.getByRole('button', { name: 'Continue' }).click()]);
			await page.goto(`${server.url}/s/${SLUG}/q/1/1`);
			await page.locator('#answer').fill(answer);
			await Promise.all([page.waitForURL(/\/q\/1\/2/), page.getByRole('button', { name: 'Continue' }).click()]);
			await page.goto(`${server.url}/s/${SLUG}/check`);
		};
		await toCheck('Double tap');
		const id = await hiddenId(page);
		expect(draftsFor(id)).toBe(1);
		begunAMinuteAgo(id);
		// Two sends of the same form, as fast as a double tap, then Back and Send again.
		const form = await page.evaluate(() => {
			const f = document.querySelector('form') as HTMLFormElement;
			return new URLSearchParams(new FormData(f) as unknown as Record<string, string>).toString();
		});
		const cookie = (await ctx.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
		const send = () =>
			fetch(`${server.url}/s/${SLUG}/check`, {
				method: 'POST',
				redirect: 'manual',
				headers: {
					origin: server.url,
					cookie,
					accept: 'text/html',
					'content-type': 'application/x-www-form-urlencoded'
				},
				body: form
			});
		const [a, b] = await Promise.all([send(), send()]);
		expect([a.status, b.status]).toEqual([303, 303]);
		expect(a.headers.get('location')).toMatch(/\/done\?ref=/);
		expect(b.headers.get('location')).toBe(a.headers.get('location'));
		await page.getByRole('button', { name: 'Send answers' }).click();
		await page.waitForURL(/\/done\?ref=/);
		expect(new URL(page.url()).search).toBe(new URL(a.headers.get('location')!, server.url).search);
		expect(withAnswer('Double tap')).toBe(1);
		expect(submissionsWithId(id)).toBe(1);
		// The draft row and its cookie are gone once the answers are sent.
		expect(draftsFor(id)).toBe(0);
		expect((await ctx.cookies()).some((c) => c.name === 'survey_draft')).toBe(false);

		// A bot that fills in the hidden field is refused with a neutral message; nothing is stored.
		await ctx.clearCookies();
		await toCheck('From a bot');
		begunAMinuteAgo(await hiddenId(page));
		await page.locator('#hp-website').fill('http://spam.example', { force: true });
		await page.getByRole('button', { name: 'Send answers' }).click();
		expect(await page.locator('.error-summary').textContent()).toContain('could not send your answers');
		// And so is one sent faster than a person could answer.
		await page.goto(`${server.url}/s/${SLUG}/check`);
		db.prepare("update survey_draft set data = json_set(data, '$.startedAt', ?) where submission_id = ?").run(
			Date.now() + 60_000,
			await hiddenId(page)
		);
		await page.getByRole('button', { name: 'Send answers' }).click();
		expect(await page.locator('.error-summary').textContent()).toContain('could not send your answers');
		expect(withAnswer('From a bot')).toBe(0);
		await ctx.close();
	});

	// Run on their own rather than beside the concurrent flows: each walks many pages.
	it("on a shared computer the next person never sees the last one's answers unless they choose Continue (no JavaScript)", async () => {
		const ctx = await phoneContext(browser, { js: false });
		const secret = 'my stepdad shouts at me and I am scared to go home ' + Date.now();
		const draftsWith = (text: string) =>
			(db.prepare("select count(*) as n from survey_draft where data like '%' || ? || '%'").get(text) as { n: number })
				.n;
		const start = async (page: Page) => {
			await page.goto(`${server.url}/s/${SLUG}`);
			return (await page.locator('main').textContent()) ?? '';
		};
		const startAndAnswer = async (page: Page, text: string) => {
			await start(page);
			await Promise.all([
				page.waitForURL(/\/who/),
				page.getByRole('button', { name: /Start now|Start again/ }).click()
			]);
			await page.getByLabel('Child (12 or under)').check();
			await Promise.all([page.waitForURL(/\/where/), page.getByRole('button', { name: 'Continue' }).click()]);
			await Promise.all([page.waitForURL(/\/q\/1\/1/), page.getByRole('button', { name: 'Continue' }).click()]);
			await page.locator('#answer').fill(text);
			await Promise.all([page.waitForURL(/\/q\/1\/2/), page.getByRole('button', { name: 'Continue' }).click()]);
			await Promise.all([page.waitForURL(/\/q\/1\/3/), page.getByRole('button', { name: 'Continue' }).click()]);
		};

		// The first child answers a question, gets to question 3 and walks away without sending.
		const first = await ctx.newPage();
		await startAndAnswer(first, secret);
		await first.close();
		expect(draftsWith(secret)).toBe(1);

		// The next person opens the survey: they are told answers exist, but not what they are.
		const second = await ctx.newPage();
		const shown = await start(second);
		expect(shown).not.toContain(secret);
		expect(shown).toContain('Answers have already been started on this device');
		expect(await second.getByRole('button', { name: 'Start now' }).count()).toBe(0);
		// "Start again" deletes the first child's answers for good and begins afresh.
		await Promise.all([
			second.waitForURL(/\/who$/),
			second.getByRole('button', { name: 'Start again — clear my answers' }).click()
		]);
		expect(await second.getByLabel('Child (12 or under)').isChecked()).toBe(false);
		expect(draftsWith(secret)).toBe(0);
		await second.goto(`${server.url}/s/${SLUG}/check`);
		expect(await second.locator('main').textContent()).not.toContain(secret);
		await second.close();

		// The same person coming back and choosing Continue returns to the page they left, with their answer.
		const again = await ctx.newPage();
		await startAndAnswer(again, secret);
		await again.close();
		const back = await ctx.newPage();
		expect(await start(back)).not.toContain(secret);
		await Promise.all([
			back.waitForURL(/\/q\/1\/3$/),
			back.getByRole('button', { name: 'Continue your answers' }).click()
		]);
		await back.goto(`${server.url}/s/${SLUG}/q/1/1`);
		expect(await back.locator('#answer').inputValue()).toBe(secret);

		// Once sent, nothing remains: no draft, no cookie, and the next person is offered only "Start now".
		await back.goto(`${server.url}/s/${SLUG}/check`);
		const id = await hiddenId(back);
		begunAMinuteAgo(id);
		await Promise.all([back.waitForURL(/\/done\?ref=/), back.getByRole('button', { name: 'Send answers' }).click()]);
		expect(submissionsWithId(id)).toBe(1);
		expect(draftsWith(secret)).toBe(0);
		expect((await ctx.cookies()).some((c) => c.name === 'survey_draft')).toBe(false);
		const after = await start(back);
		expect(after).not.toContain('Answers have already been started');
		expect(await back.getByRole('button', { name: 'Start now' }).count()).toBe(1);

		// Left for longer than the idle life (2 hours), a draft is gone: the next person just starts.
		const left = 'left for a while ' + Date.now();
		const later = await ctx.newPage();
		await startAndAnswer(later, left);
		db.prepare("update survey_draft set updated_at = ? where data like '%' || ? || '%'").run(
			new Date(Date.now() - 121 * 60_000).toISOString(),
			left
		);
		const text = await start(later);
		expect(text).not.toContain('Answers have already been started');
		expect(draftsWith(left)).toBe(0);
		await ctx.close();
	}, 120_000);

	it('a child answers "About you" one question at a time, in words for a child, never asked their age', async () => {
		const ctx = await phoneContext(browser);
		const page = await ctx.newPage();
		const legends: Record<string, string> = {};
		const labels: Record<string, string[]> = {};
		const aboutPages: string[] = [];
		const ref = await completeSurvey(page, server.url, {
			groups: ['Child (12 or under)'],
			answers: [{ 1: 'My dog and my nan' }],
			about: { gender: 'Boy', ethnicity: 'Prefer not to say' },
			aboutPages,
			onPage: async (p) => {
				const m = /\/about(?:\/(\w+))?$/.exec(new URL(p.url()).pathname);
				if (!m) return;
				legends[m[1] ?? 'intro'] = ((await p.locator('h1').textContent()) ?? '').trim();
				labels[m[1] ?? 'intro'] = (await p.locator('.choice label').allTextContents()).map((t) => t.trim());
			}
		});
		expect(legends.intro).toBe('Do you want to answer some questions about yourself? (optional)');
		expect(aboutPages).toEqual(['gender', 'disability', 'ethnicity']);
		expect(legends.gender).toBe('Are you a boy or a girl?');
		expect(labels.gender).toEqual(['Girl', 'Boy', 'I describe myself another way', 'Prefer not to say']);
		expect(legends.disability).toBe('Do you have a disability or an illness that lasts a long time?');
		for (const page of aboutPages) expect(labels[page]).toContain('Prefer not to say');
		expect(await page.locator('main').textContent()).toContain('0800 1111');
		// Sent with JavaScript: the confirmation is a fresh document, so the answers are not even in the page
		// source, and Back does not bring them up again.
		expect(await page.content()).not.toContain('My dog and my nan');
		await page.goBack();
		await page.waitForURL((u) => !u.pathname.endsWith('/done'));
		await page.waitForLoadState('load');
		expect(await page.locator('main').textContent()).not.toContain('My dog and my nan');
		expect(await page.content()).not.toContain('My dog and my nan');
		const s = stored(ref);
		expect(s.eq_age_band).toBe('under-13');
		expect(s.eq_sexual_orientation).toBe('not_asked');
		const row = db
			.prepare('select eq_gender, eq_disability, eq_ethnicity from submission where reference = ?')
			.get(ref) as Record<string, string>;
		expect(row).toEqual({ eq_gender: 'male', eq_disability: 'left_blank', eq_ethnicity: 'prefer_not_to_say' });

		// In easy read, every option has easy words: a child is asked "boy or girl" and answers "A boy", not "Male".
		const easy = await ctx.newPage();
		const easyLabels: Record<string, string[]> = {};
		await completeSurvey(easy, server.url, {
			easy: true,
			groups: ['A child aged 12 or under'],
			answers: [{ 2: 'Homework' }],
			about: { gender: 'A girl' },
			onPage: async (p) => {
				const m = /\/about\/(\w+)$/.exec(new URL(p.url()).pathname);
				if (m) easyLabels[m[1]] = (await p.locator('.choice label').allTextContents()).map((t) => t.trim());
			}
		});
		expect(easyLabels.gender).toEqual(['A girl', 'A boy', 'Another way', 'I prefer not to say']);
		expect(easyLabels.ethnicity).not.toContain('Any other White background');
		expect(easyLabels.ethnicity).toContain('Another White background');
		await ctx.close();
	}, 120_000);

	it.concurrent(
		'has no axe violations (WCAG 2.2 A/AA) on any page, standard and easy read, with and without JavaScript',
		async () => {
			// axe once per page template and state in each variant; every page is still visited and must show no
			// script error and no CSP refusal.
			const sweep = new AxeSweep();
			const variants = [true, false].flatMap((scripts) => [false, true].map((easy) => ({ scripts, easy })));
			await Promise.all(
				variants.map(async ({ scripts, easy }) => {
					const ctx = await phoneContext(browser, { scripts });
					const page = sweep.watch(await ctx.newPage());
					const variant = `${scripts ? 'JavaScript' : 'no JavaScript'}, ${easy ? 'easy read' : 'standard'}`;
					const check = (p: Page, state?: string) => sweep.check(p, { variant, state });
					await completeSurvey(page, server.url, {
						easy,
						groups: easy ? ['A young person aged 13 to 24'] : ['Young person (13 to 24)'],
						answers: [{ 1: 'Something' }],
						about: {
							age: easy ? '16 or 17' : '16 to 17',
							orientation: easy ? 'I prefer not to say' : 'Prefer not to say'
						},
						onPage: (p) => check(p).then(() => {})
					});
					// Error states, the privacy and accessibility pages.
					await page.goto(`${server.url}/s/${SLUG}${easy ? '?easy=1' : ''}`);
					await Promise.all([page.waitForURL(/\/who/), page.getByRole('button', { name: /Start/ }).click()]);
					await page.getByRole('button', { name: 'Continue' }).click();
					await page.locator('.error-summary').waitFor();
					await check(page);
					// The start page offering "Continue" or "Start again" on a shared device.
					await page.getByLabel(easy ? 'A mum, dad or carer' : 'Parent or carer', { exact: true }).check();
					await Promise.all([page.waitForURL(/\/where/), page.getByRole('button', { name: 'Continue' }).click()]);
					await page.goto(`${server.url}/s/${SLUG}${easy ? '?easy=1' : ''}`);
					await page.getByRole('button', { name: 'Start again — clear my answers' }).waitFor();
					await check(page, 'answers already started');
					for (const extra of ['privacy', 'accessibility']) {
						await page.goto(`${server.url}/s/${SLUG}/${extra}${easy ? '?easy=1' : ''}`);
						await check(page);
					}
					await ctx.close();
				})
			);
			expect(sweep.visited.length).toBeGreaterThanOrEqual(4 * 19);
			// Each variant: start, who (and its error), where, question, About you (intro and a question), check,
			// done, the shared-device start, privacy and accessibility.
			expect(sweep.axed.length).toBeGreaterThanOrEqual(4 * 12);
			expect(sweep.violations).toEqual([]);
			expect(sweep.problems).toEqual([]);
		},
		300_000
	);

	it('shows a plain closed page, and refuses answers, while the consultation is closed', async () => {
		const ctx = await phoneContext(browser, { js: false });
		const page = await ctx.newPage();
		await page.goto(`${server.url}/s/${SLUG}`);
		await Promise.all([
			page.waitForURL(/\/who/),
			page.getByRole('button', { name: /Start now|Continue your answers/ }).click()
		]);
		try {
			db.prepare("update consultation set status = 'closed' where slug = ?").run(SLUG);
			await page.goto(`${server.url}/s/${SLUG}/who`);
			expect(new URL(page.url()).pathname).toBe(`/s/${SLUG}`);
			expect(await page.locator('main').textContent()).toContain('This consultation has closed');
			expect(await page.getByRole('button', { name: /Start/ }).count()).toBe(0);
		} finally {
			db.prepare("update consultation set status = 'open' where slug = ?").run(SLUG);
		}
		await ctx.close();
	});
});
