/**
 * "Welsh on equal terms" (issue #16): every page a respondent can reach, in Welsh, swept
 * for English left over from messages/en.json, with JavaScript on (standard pages) and
 * off (easy read pages); key by key, each page shows the Welsh text of the messages it
 * is made of. The "About you" questions, their errors, the privacy and accessibility
 * pages, the published results (with a "You said, we did" action) and the error page are
 * all in the sweep. Welsh and Urdu pages are axe-checked (once per page template), and the Urdu ones are laid out
 * right to left without scrolling sideways on a 320 px phone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { RunningServer } from '../helpers/server';
import { startBrowserApp, type BrowserApp } from '../helpers/app';
import { phoneContext } from '../helpers/browser';
import { AxeSweep } from '../helpers/axe';
import type { FreshDb } from '../helpers/databases';
import { loadSmallFixture, SLUG } from '../fixtures/analysis/small';
import { saveAction, setResultsStatus } from '../../src/lib/server/results';
import { saveSubmission } from '../../src/lib/server/submissions/save';
import { nowIso } from '../../src/lib/server/util/time';
import { randomUUID } from 'node:crypto';
import { core, englishParts, messages, readable } from '../helpers/languages';

const cy = messages('cy');
const ur = messages('ur');
/** The English a Welsh page must not show (see englishParts). */
const ENGLISH = englishParts('cy');

describe('Welsh on equal terms, Urdu right to left', () => {
	let app: BrowserApp;
	let server: RunningServer;
	let browser: Browser;

	beforeAll(async () => {
		// Published results with an action, written before the server starts (one writer at a time on SQLite).
		app = await startBrowserApp({ env: { SURVEY_MIN_SECONDS: '0', SURVEY_RATE_LIMIT: '500' }, seed: seedResults });
		({ server, browser } = app);
	}, 180_000);
	afterAll(() => app?.close());

	async function seedResults(fresh: FreshDb) {
		const fx = await loadSmallFixture(fresh.db);
		// Twelve children saying "friends": a theme count big enough to be shown (the fixture's are all under 5).
		for (let i = 0; i < 12; i++) {
			const id = randomUUID();
			await saveSubmission(
				fresh.db,
				fx.c,
				{
					id,
					district: 'redditch',
					perspectives: [{ group: 'child', answers: { q1: `friends ${i}` } }],
					about: null
				} as never,
				{ channel: 'online', createdAt: '2017-06-01T10:00:00.000Z' }
			);
			const a = await fresh.db
				.selectFrom('answer')
				.select('id')
				.where('submission_id', '=', id)
				.executeTakeFirstOrThrow();
			await fresh.db
				.insertInto('answer_theme')
				.values({
					answer_id: a.id,
					theme_id: fx.themes.friends,
					source: 'auto',
					applies: 1,
					confidence: 0.9,
					user_id: null,
					updated_at: nowIso()
				})
				.execute();
		}
		await saveAction(
			fresh.db,
			fx.c.id,
			{
				themeId: fx.themes.friends,
				action: 'Youth clubs open on Saturdays',
				owner: 'Youth service',
				due: 'March 2027',
				status: 'in_progress',
				note: ''
			},
			{ id: fx.officerId }
		);
		await setResultsStatus(fresh.db, fx.c.id, 'published', { id: fx.officerId });
	}

	async function press(page: Page, name: string, url: RegExp) {
		await Promise.all([page.waitForURL(url), page.getByRole('button', { name, exact: true }).click()]);
	}

	for (const js of [true, false]) {
		const easy = !js;
		it.concurrent(
			`every respondent page is in Welsh, no English message left (${easy ? 'easy read, JavaScript off' : 'standard, JavaScript on'})`,
			async () => {
				const ctx = await phoneContext(browser, { scripts: js });
				// axe once per page template and state; every page is checked for script errors and CSP refusals.
				const sweep = new AxeSweep();
				const page = sweep.watch(await ctx.newPage());
				const problems: string[] = [];
				const seen: string[] = [];
				const e = easy ? '?easy=1' : '';
				/** The page is Welsh, shows each key's Welsh text, no English message, and is axe-clean. */
				async function welsh(keys: string[]) {
					const where = new URL(page.url()).pathname + new URL(page.url()).search;
					expect(await page.locator('html').getAttribute('lang'), where).toBe('cy');
					const text = await readable(page);
					for (const key of keys) {
						expect(cy[key], `cy.${key}`).toBeDefined();
						if (!text.includes(core(cy[key])))
							problems.push(`${where}: Welsh of ${key} not shown ("${core(cy[key])}")`);
					}
					for (const p of ENGLISH) if (text.includes(p.text)) problems.push(`${where}: English "${p.text}" (${p.key})`);
					for (const v of await sweep.check(page)) problems.push(`${where}: axe ${v.id}: ${v.targets.slice(0, 3)}`);
					seen.push(where);
				}
				const pick = (k: string) => (easy ? `${k}_easy` : k);
				try {
					await page.goto(`${server.url}/?lang=cy`);
					await welsh(['home_lead', 'footer_privacy']);
					await page.goto(`${server.url}/s/${SLUG}${e}`);
					await welsh([pick('start_button'), pick('results_link')]);
					await press(page, cy[pick('start_button')], /\/who/);
					await press(page, cy.continue, /\/who/);
					// With JavaScript the form is sent in place (same address): wait for its answer.
					await page.locator('.error-summary').waitFor();
					await welsh(['error_summary_title', pick('who_error'), pick('who_heading')]);
					await page.locator('input[name="groups"][value="parent_carer"]').check();
					await press(page, cy.continue, /\/where/);
					await press(page, cy.continue, /\/q\/1\/1/);
					await page.locator('#answer').fill('Mwy o glybiau ieuenctid yn y dref ar ôl ysgol, os gwelwch yn dda');
					for (let n = 1; n <= 5; n++)
						await press(page, cy.continue, n === 5 ? /\/about/ : new RegExp(`/q/1/${n + 1}`));

					// "About you": the opening question's error, then every question, one with its own error.
					await press(page, cy.continue, /\/about/);
					await page.locator('.error-summary').waitFor();
					await welsh([pick('ay_error_wanted'), 'ay_intro_legend', easy ? 'ay_intro_hint_easy' : 'ay_intro_hint']);
					await page.locator('input[name="wanted"][value="yes"]').check();
					await press(page, cy.continue, /\/about\/age/);
					await welsh([
						pick('ay_optional'),
						easy ? 'ay_age_65_plus_easy' : 'ay_age_65_plus',
						'ay_age_35_49',
						pick('ay_prefer_not'),
						'choice_or'
					]);
					await page.locator('input[name="answer"][value="35-49"]').check();
					await press(page, cy.continue, /\/about\/gender/);
					await page.locator('input[name="answer"][value="female"]').check();
					await page.locator('#genderSelfDescribe').fill('x'.repeat(150));
					await press(page, cy.continue, /\/about\/gender/);
					await page.locator('.error-summary').waitFor();
					await welsh([
						easy ? 'ay_gender_legend_adult_easy' : 'ay_gender_legend',
						easy ? 'ay_gender_woman_easy' : 'ay_gender_female',
						pick('ay_gender_self'),
						pick('ay_self_label'),
						pick('ay_error_self_long')
					]);
					await page.locator('#genderSelfDescribe').fill('');
					await press(page, cy.continue, /\/about\/disability/);
					await welsh([
						easy ? 'ay_disability_legend_easy' : 'ay_disability_legend',
						easy ? 'ay_disability_hint_easy' : 'ay_disability_hint',
						'ay_yes'
					]);
					await page.locator('input[name="answer"][value="no"]').check();
					await press(page, cy.continue, /\/about\/ethnicity/);
					await welsh([
						'ay_ethnicity_legend',
						pick('ay_ethnicity_hint'),
						'ay_eth_h_white',
						pick('ay_eth_white_british'),
						easy ? 'ay_eth_h_mixed_easy' : 'ay_eth_h_mixed'
					]);
					await page.locator('input[name="answer"][value="white-british"]').check();
					await press(page, cy.continue, /\/about\/orientation/);
					await welsh([pick('ay_orientation_legend'), pick('ay_orientation_hint'), pick('ay_or_bisexual')]);
					await press(page, cy.continue, /\/check/);
					await welsh([
						pick('check_about_wanted'),
						'ay_summary_gender',
						'ay_summary_ethnicity',
						easy ? 'ay_gender_woman_easy' : 'ay_gender_female'
					]);
					await press(page, cy[easy ? 'send_easy' : 'send'], /\/done\?/);
					await welsh([pick('done_heading')]);

					// The pages around the survey.
					for (const [path, keys] of [
						[
							`/s/${SLUG}/privacy${e}`,
							['privacy_heading', 'pc_h_controller', 'pc_lawful', 'pc_h_complain', 'privacy_cookie_lang']
						],
						[`/s/${SLUG}/accessibility${e}`, ['access_heading', 'ac_h_compliance', 'ac_non', 'ac_h_prepared']],
						['/privacy', ['site_privacy_intro', 'site_privacy_link', 'privacy_cookie_draft']],
						['/accessibility', ['site_access_intro', 'site_access_link']],
						[
							`/s/${SLUG}/results${e}`,
							easy
								? [
										'res_heading_easy',
										'res_who_heading_easy',
										'res_talked_most',
										'res_doing_easy',
										'status_in_progress_easy'
									]
								: [
										'res_heading',
										'res_who_heading',
										'res_types_caption',
										'res_channels_caption',
										'res_count_pct',
										'res_all_groups',
										'res_you_said_we_did',
										'res_you_said',
										'status_in_progress',
										'res_q_caption',
										'chart_counts'
									]
						],
						[`/s/no-such-survey${e}`, ['error_not_found', 'error_nf_typed', 'error_back_home']]
					] as const) {
						const res = await page.goto(`${server.url}${path}`);
						expect(res!.status(), path).toBe(path.includes('no-such-survey') ? 404 : 200);
						await welsh([...keys]);
					}
					expect(seen.length).toBe(17);
					expect(sweep.axed.length).toBeGreaterThanOrEqual(14);
					expect(problems).toEqual([]);
					expect(sweep.problems).toEqual([]);
				} finally {
					await ctx.close();
				}
			},
			300_000
		);
	}

	it('shows Urdu right to left without sideways scrolling at 320 px: About you, privacy, results (axe-clean)', async () => {
		const ctx = await browser.newContext({ viewport: { width: 320, height: 640 } });
		const sweep = new AxeSweep();
		const page = sweep.watch(await ctx.newPage());
		const problems: string[] = [];
		async function urdu(shows: string) {
			const where = new URL(page.url()).pathname + new URL(page.url()).search;
			expect(await page.locator('html').getAttribute('lang'), where).toBe('ur');
			expect(await page.locator('html').getAttribute('dir'), where).toBe('rtl');
			expect(await readable(page), where).toContain(core(shows));
			const sideways = await page.evaluate(
				() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1
			);
			if (sideways) problems.push(`${where}: scrolls sideways at 320 px`);
			for (const v of await sweep.check(page)) problems.push(`${where}: axe ${v.id}: ${v.targets.slice(0, 3)}`);
		}
		try {
			await page.goto(`${server.url}/s/${SLUG}?lang=ur`);
			await press(page, ur.start_button, /\/who/);
			await page.locator('input[name="groups"][value="parent_carer"]').check();
			await press(page, ur.continue, /\/where/);
			await press(page, ur.continue, /\/q\/1\/1/);
			for (let n = 1; n <= 5; n++) await press(page, ur.continue, n === 5 ? /\/about/ : new RegExp(`/q/1/${n + 1}`));
			await page.locator('input[name="wanted"][value="yes"]').check();
			await press(page, ur.continue, /\/about\/age/);
			await urdu(ur.ay_age_legend);
			// The radios sit at the right: the first option's box starts further right than its label.
			const box = (await page.locator('#answer-under-13').boundingBox())!;
			const label = (await page.locator('label[for="answer-under-13"]').boundingBox())!;
			expect(box.x).toBeGreaterThan(label.x);
			await page.locator('input[name="answer"][value="35-49"]').check();
			await press(page, ur.continue, /\/about\/gender/);
			await urdu(ur.ay_gender_legend);
			await press(page, ur.continue, /\/about\/disability/);
			await press(page, ur.continue, /\/about\/ethnicity/);
			await urdu(ur.ay_ethnicity_legend);
			for (const [path, shows] of [
				[`/s/${SLUG}/privacy`, ur.pc_h_controller],
				[`/s/${SLUG}/results`, ur.res_heading],
				[`/s/${SLUG}/results?easy=1`, ur.res_heading_easy]
			] as const) {
				await page.goto(`${server.url}${path}`);
				await urdu(shows);
			}
			expect(problems).toEqual([]);
			expect(sweep.problems).toEqual([]);
		} finally {
			await ctx.close();
		}
	}, 300_000);

	it('answers the JSON API in the language asked for', async () => {
		const res = await fetch(`${server.url}/api/s/${SLUG}/submissions`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'accept-language': 'cy', origin: server.url },
			body: JSON.stringify({
				id: crypto.randomUUID(),
				district: 'nowhere',
				perspectives: [{ group: 'parent_carer', answers: { q1: 'Mwy o glybiau ieuenctid' } }],
				about: null
			})
		});
		expect(res.status).toBe(400);
		const body = (await res.json()) as { message: string; fieldErrors: Record<string, string> };
		expect(body.message).toBe(cy.api_has_errors);
		expect(body.fieldErrors.district).toBe(cy.v_unknown_district.replace('{value}', 'nowhere'));
	});
});
