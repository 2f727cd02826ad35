/**
 * The public results page (issue #14 item 1) on both engines, through the built server:
 * the publishing workflow (draft -> published -> withdrawn, audited), and a sweep of the
 * HTML that nothing unpublished, unapproved, flagged or below the suppression threshold
 * reaches it, in the standard and the easy read version; and the read-only share link, which
 * shows the report as written (page and Word copy), with the same sweep, expiry and revocation.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { startBuiltServer, type RunningServer } from './helpers/server';
import { until } from './helpers/wait';
import { nowIso } from '../src/lib/server/util/time';
import { addCodedAnswers, loadSmallFixture, SLUG, type Fixture } from './fixtures/analysis/small';
import { setStar } from '../src/lib/server/review/quotes';
import {
	ResultsError,
	listActions,
	resultsState,
	saveAction,
	setQuotePublic,
	setResultsStatus
} from '../src/lib/server/results';
import { createShareLink, revokeShareLink } from '../src/lib/server/results/share';
import { saveSection } from '../src/lib/server/report/narrative';
import { reportData } from '../src/lib/server/report/data';
import { parseFilters, parseTickRule } from '../src/lib/analysis/filters';
import { scopeOf } from '../src/lib/server/analysis/scope';
import JSZip from 'jszip';
import { TEST_PASSWORD } from './helpers/users';
import { signIn } from './helpers/officer';

describeEachEngine('public results page', (engine) => {
	let fresh: FreshDb;
	let fx: Fixture;
	let server: RunningServer;
	const user = () => ({ id: fx.officerId });
	const get = async (path: string) => {
		const res = await fetch(`${server.url}${path}`, { redirect: 'manual' });
		return { status: res.status, html: await res.text(), bytes: Number(res.headers.get('content-length') ?? 0) };
	};
	const audits = (action: string) =>
		fresh.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id').execute();
	/** Every table cell's text on the page. */
	const cells = (html: string) =>
		[...html.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) =>
			m[1]
				.replace(/<[^>]+>/g, '')
				.replace(/&lt;/g, '<')
				.trim()
		);
	/** Every label drawn beside a bar in the SVG charts (wide or compact: found by its class, not its place). */
	const barLabels = (html: string) =>
		[...html.matchAll(/<text[^>]*class="bar-label"[^>]*>([^<]*)<\/text>/g)].map((m) =>
			m[1].replace(/&lt;/g, '<').trim()
		);

	/** The "You said, we did" updates on a page: each list open or not, its summary, its items' text with the date's datetime. */
	const updateLists = (html: string) =>
		[
			...html
				.replace(/<!--[\s\S]*?-->/g, '')
				.matchAll(/<details( open(?:="")?)?>\s*<summary>([^<]*)<\/summary>\s*<ul>([\s\S]*?)<\/ul>/g)
		].map((m) => ({
			open: Boolean(m[1]),
			summary: m[2].trim(),
			items: [...m[3].matchAll(/<li>([\s\S]*?)<\/li>/g)].map((li) =>
				li[1]
					.replace(
						/<time datetime="([^"]+)">([^<]*)<\/time>/g,
						(_, at: string, day: string) => `${day} [${at.slice(0, 10)}]`
					)
					.replace(/\s+/g, ' ')
					.trim()
			)
		}));
	const today = () => new Date().toISOString().slice(0, 10);
	const todayInWords = () =>
		new Date().toLocaleDateString('en-GB', {
			day: 'numeric',
			month: 'long',
			year: 'numeric',
			timeZone: 'Europe/London'
		});

	beforeAll(async () => {
		fresh = await preparedDatabase(engine);
		fx = await loadSmallFixture(fresh.db);
		// Twelve more children saying "friends": one cell of 13 is shown, the rest stay small.
		await addCodedAnswers(fresh.db, fx, {
			texts: Array.from({ length: 12 }, (_, i) => `friends ${i}`),
			theme: fx.themes.friends
		});
		server = await startBuiltServer({ DATABASE_URL: fresh.url });
		// The server codes the fixture's answers in the background at start; this test's own writes come from a
		// second process. Wait until that work is done so the figures below do not change under the test.
		await until(
			async () => (await fresh.db.selectFrom('coding_job').select('id').execute()).length === 0,
			'background coding at start is done'
		);
	}, 120_000);
	afterAll(async () => {
		await server?.stop();
		await fresh?.drop();
	});

	it('is not public until published, then withdrawable and publishable again, every move audited', async () => {
		expect((await resultsState(fresh.db, fx.c.id)).status).toBe('draft');
		const draft = await get(`/s/${SLUG}/results`);
		expect(draft.status).toBe(404);
		expect(draft.html).not.toContain('You said');
		expect((await get(`/s/${SLUG}`)).html).not.toContain(`/s/${SLUG}/results`);
		await expect(setResultsStatus(fresh.db, fx.c.id, 'withdrawn', user())).rejects.toBeInstanceOf(ResultsError);

		await setResultsStatus(fresh.db, fx.c.id, 'published', user());
		expect((await get(`/s/${SLUG}/results`)).status).toBe(200);
		expect((await get(`/s/${SLUG}/results?easy=1`)).status).toBe(200);
		expect((await get(`/s/${SLUG}`)).html).toContain(`/s/${SLUG}/results`);
		expect((await get(`/s/${SLUG}/done`)).html).toContain(`/s/${SLUG}/results`);
		await expect(setResultsStatus(fresh.db, fx.c.id, 'published', user())).rejects.toThrow(/already published/);

		await setResultsStatus(fresh.db, fx.c.id, 'withdrawn', user());
		expect((await get(`/s/${SLUG}/results`)).status).toBe(404);
		expect((await get(`/s/${SLUG}/done`)).html).not.toContain(`/s/${SLUG}/results`);
		await expect(setResultsStatus(fresh.db, fx.c.id, 'draft', user())).rejects.toBeInstanceOf(ResultsError);

		await setResultsStatus(fresh.db, fx.c.id, 'published', user());
		expect((await get(`/s/${SLUG}/results`)).status).toBe(200);
		const log = [...(await audits('results.publish')), ...(await audits('results.withdraw'))].sort(
			(a, b) => Number(a.id) - Number(b.id)
		);
		expect(log.map((r) => [r.action, JSON.parse(r.before!).status, JSON.parse(r.after!).status, r.user_id])).toEqual([
			['results.publish', 'draft', 'published', fx.officerId],
			['results.withdraw', 'published', 'withdrawn', fx.officerId],
			['results.publish', 'withdrawn', 'published', fx.officerId]
		]);
	});

	it('shows approved quotes only, never flagged ones, redacted, and "You said, we did" with dated updates', async () => {
		// Starred for the report: "family and friends" (S1yp), "my dog" (S2), "friends" (S3), "education and family" (S4).
		for (const [theme, answer] of [
			[fx.themes.friends, fx.answers.S1yp],
			[fx.themes.pets, fx.answers.S2],
			[fx.themes.friends, fx.answers.S3],
			[fx.themes.education, fx.answers.S4]
		])
			await setStar(fresh.db, fx.c.id, theme, answer, true, user());
		// Approved for the public: S2 (with an email address left in its stored text), S3 (flagged afterwards), S4.
		await fresh.db
			.updateTable('answer')
			.set({ text: 'my dog, write to jo.bloggs@example.com', redacted_text: null })
			.where('id', '=', fx.answers.S2)
			.execute();
		for (const [theme, answer] of [
			[fx.themes.pets, fx.answers.S2],
			[fx.themes.friends, fx.answers.S3],
			[fx.themes.education, fx.answers.S4]
		])
			await setQuotePublic(fresh.db, fx.c.id, theme, answer, true, user());
		await fresh.db
			.insertInto('safeguarding_flag')
			.values({
				answer_id: fx.answers.S3,
				level: 'review',
				matches: '[]',
				status: 'new',
				note: null,
				updated_by: null,
				updated_at: nowIso(),
				created_at: nowIso()
			})
			.execute();
		await expect(
			setQuotePublic(fresh.db, fx.c.id, fx.themes.friends, fx.answers.S3, true, user())
		).rejects.toBeInstanceOf(ResultsError);

		const id = await saveAction(
			fresh.db,
			fx.c.id,
			{
				themeId: fx.themes.friends,
				action: 'Open two youth clubs on Friday evenings',
				owner: 'Youth service',
				due: 'by September 2017',
				status: 'planned',
				note: ''
			},
			user()
		);
		await saveAction(
			fresh.db,
			fx.c.id,
			{
				id,
				themeId: fx.themes.friends,
				action: 'Open two youth clubs on Friday evenings',
				owner: 'Youth service',
				due: 'by September 2017',
				status: 'in_progress',
				note: 'The first club opened in Redditch'
			},
			user()
		);
		await expect(
			saveAction(
				fresh.db,
				fx.c.id,
				{ themeId: fx.themes.friends, action: '', owner: 'x', due: 'y', status: 'planned', note: '' },
				user()
			)
		).rejects.toThrow(/Enter what the council is doing/);
		await expect(
			saveAction(
				fresh.db,
				fx.c.id,
				{ themeId: 999_999, action: 'a', owner: 'x', due: 'y', status: 'planned', note: '' },
				user()
			)
		).rejects.toThrow(/theme of this consultation/);
		const actions = await listActions(fresh.db, fx.c.id);
		expect(actions).toHaveLength(1);
		expect(actions[0].updates.map((u) => [u.status, u.note])).toEqual([
			['in_progress', 'The first club opened in Redditch'],
			['planned', null]
		]);
		expect((await audits('results.action.add')).length + (await audits('results.action.update')).length).toBe(2);

		for (const path of [`/s/${SLUG}/results`, `/s/${SLUG}/results?easy=1`]) {
			const page = await get(path);
			expect(page.status).toBe(200);
			expect(page.html).toContain('my dog');
			expect(page.html).toContain('education and family');
			expect(page.html).not.toContain('jo.bloggs@example.com');
			expect(page.html).not.toContain('family and friends'); // starred, never approved
			expect(page.html).not.toMatch(/<blockquote>friends<\/blockquote>/); // approved, then flagged
			expect(page.html).toContain('Open two youth clubs on Friday evenings');
			expect(page.html).toContain('The first club opened in Redditch');
			// Each update dated (a <time> a screen reader and a parser can read), newest first, with its note.
			expect(updateLists(page.html)).toEqual([
				{
					open: false,
					summary: path.endsWith('easy=1') ? 'What changed (2)' : 'Updates (2)',
					items: [
						`${todayInWords()} [${today()}]: ${path.endsWith('easy=1') ? 'We are doing this now' : 'In progress'}. The first club opened in Redditch`,
						`${todayInWords()} [${today()}]: ${path.endsWith('easy=1') ? 'We will do this' : 'Planned'}`
					]
				}
			]);
			expect(page.html).not.toContain('/admin/'); // no links to staff pages
			expect(Buffer.byteLength(page.html)).toBeLessThanOrEqual(60 * 1024);
		}
	});

	it('publishes no count below the threshold, in a table or a chart, and draws hidden cells as hidden', async () => {
		const page = await get(`/s/${SLUG}/results`);
		const tds = cells(page.html);
		expect(tds.length).toBeGreaterThan(10);
		// A count is shown only when 0 or at least 5; a percentage only beside a shown count.
		const bad = tds.filter((t) => !/^(0|[5-9]|[1-9]\d+|<5|\[c\])( \([\d.]+%\))?$/.test(t.replace(/,/g, '')));
		expect(bad).toEqual([]);
		expect(tds).toContain('<5');
		expect(tds.some((t) => /^1[3-9]/.test(t))).toBe(true); // the 13 children: shown
		// Charts: a bar's label is the table's text; hidden cells say so and are drawn apart.
		const labels = barLabels(page.html);
		expect(labels.length).toBeGreaterThan(3);
		expect(labels.filter((l) => /^[1-4]$/.test(l))).toEqual([]);
		expect(labels.some((l) => /hidden/.test(l))).toBe(true);
		expect(page.html).toContain('data-suppressed="1"');
		// Whatever is asked for, the threshold is not lowered.
		const lowered = await get(`/s/${SLUG}/results?min=0`);
		expect(cells(lowered.html)).toEqual(tds);
	});

	it('opens a share link to the report as written until it expires or is revoked, every use audited, showing only what may leave the council', async () => {
		await setResultsStatus(fresh.db, fx.c.id, 'withdrawn', user());
		const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
		await expect(createShareLink(fresh.db, fx.c.id, 'Board', '2017-01-01', user())).rejects.toThrow(/future/);
		await expect(createShareLink(fresh.db, fx.c.id, '', tomorrow, user())).rejects.toThrow(/who the link is for/i);
		// The officer writes the report: an introduction and the findings of Q1 (the method section stays its draft).
		const INTRO = 'The partnership board asked us to hear from young carers first.';
		const FINDING = 'Friendship came up more than anything else.';
		await saveSection(fresh.db, fx.c.id, 'introduction', `${INTRO}\n\n- **Bold** point`, user());
		await saveSection(fresh.db, fx.c.id, 'findings:q1', FINDING, user());
		// An approved quote whose stored text still holds a name, a phone number and an email address (never
		// redacted when saved), and a flagged answer (approved before it was flagged) with words of its own.
		const PERSONAL = ['Jo Bloggs', '07700 900123', '07700900123', 'jo.bloggs@example.com'];
		await fresh.db
			.updateTable('answer')
			.set({ text: 'my dog, I am Jo Bloggs, ring 07700 900123 or write to jo.bloggs@example.com', redacted_text: null })
			.where('id', '=', fx.answers.S2)
			.execute();
		const FLAGGED = 'friends, but nobody at home looks after me';
		await fresh.db
			.updateTable('answer')
			.set({ text: FLAGGED, redacted_text: null })
			.where('id', '=', fx.answers.S3)
			.execute();
		// The staff report itself shows the starred quote nobody approved for the public ("family and friends").
		const filters = parseFilters(new URLSearchParams());
		const staff = await reportData(
			fresh.db,
			fx.c,
			filters,
			scopeOf(fx.c, filters),
			parseTickRule(new URLSearchParams()),
			`/admin/c/${SLUG}`
		);
		expect(staff.quotes.flatMap((t) => t.quotes.map((q) => q.text))).toContain('family and friends');

		const link = await createShareLink(fresh.db, fx.c.id, 'Partnership board', tomorrow, user());
		expect(JSON.stringify(await fresh.db.selectFrom('share_link').selectAll().execute())).not.toContain(link.token);
		const res = await fetch(`${server.url}/share/${link.token}`);
		expect(res.headers.get('cache-control')).toBe('no-store');
		expect(res.headers.get('x-robots-tag')).toBe('noindex');
		expect(res.headers.get('referrer-policy')).toBe('no-referrer');
		const page = { status: res.status, html: await res.text() };
		expect(page.status).toBe(200); // the public page is withdrawn; the share link still opens
		// The report as written: the officer's sections, rendered from Markdown, and the method section.
		expect(page.html).toContain(INTRO);
		expect(page.html).toContain('<strong>Bold</strong> point');
		expect(page.html).toContain(FINDING);
		expect(page.html).toMatch(/<h2[^>]*>How we asked<\/h2>/);
		expect(page.html).toContain('through the online survey');
		expect(page.html).toContain('How the themes were assigned');
		expect(page.html).toContain('Counts behind the ticks');
		expect(page.html).toContain('<svg');
		expect(page.html).toContain('Open two youth clubs on Friday evenings'); // "You said, we did"
		// Its updates as the public page lists them (the same component), open to read.
		expect(updateLists(page.html)).toEqual([
			{
				open: true,
				summary: 'Updates (2)',
				items: [
					`${todayInWords()} [${today()}]: In progress. The first club opened in Redditch`,
					`${todayInWords()} [${today()}]: Planned`
				]
			}
		]);
		// Approved quotes only, redacted, never a flagged answer's words nor anything staff-only.
		expect(page.html).toContain('my dog');
		expect(page.html).toContain('[phone]');
		for (const words of [...PERSONAL, 'family and friends', FLAGGED, 'nobody at home', 'officer@example.gov.uk'])
			expect(page.html).not.toContain(words);
		expect(page.html).not.toMatch(/<blockquote[^>]*>\s*“?friends”?/);
		expect(page.html).not.toContain('/admin/');
		expect(page.html).not.toContain('Write the narrative');
		expect(page.html).not.toContain('Save as PDF');
		expect(page.html).not.toContain('<form');
		// No count below the threshold, in a table or a chart.
		const tds = cells(page.html);
		expect(tds.length).toBeGreaterThan(20);
		expect(tds.filter((t) => /^[1-4]( |$)/.test(t))).toEqual([]);
		expect(tds).toContain('<5');
		expect(barLabels(page.html).filter((l) => /^[1-4]$/.test(l))).toEqual([]);
		expect((await get(`/share/${link.token}x`)).status).toBe(404);
		expect((await audits('share.view')).map((r) => r.entity_id)).toEqual([String(link.id)]);

		// The Word copy, through the same token: the same report, the same cuts, audited as a use of the link.
		expect(page.html).toContain(`href="/share/${link.token}/report.docx"`);
		const docx = await fetch(`${server.url}/share/${link.token}/report.docx`);
		expect(docx.status).toBe(200);
		expect(docx.headers.get('content-type')).toContain('wordprocessingml');
		expect(docx.headers.get('cache-control')).toBe('no-store');
		const xml = await (await JSZip.loadAsync(await docx.arrayBuffer())).file('word/document.xml')!.async('string');
		const words = (x: string) =>
			[...x.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)]
				.map((m) => m[1])
				.join('')
				.replace(/&amp;/g, '&')
				.replace(/&lt;/g, '<')
				.replace(/&gt;/g, '>')
				.replace(/&quot;/g, '"');
		const text = words(xml);
		for (const said of [INTRO, FINDING, 'How we asked', 'through the online survey', 'my dog', '[phone]'])
			expect(text).toContain(said);
		for (const unsaid of [...PERSONAL, 'family and friends', FLAGGED, 'nobody at home', '/admin/'])
			expect(text).not.toContain(unsaid);
		// "You said, we did" as on the share page: a heading Word's navigation pane lists, the action and its dated updates.
		const paragraphs = [...xml.matchAll(/<w:p>[\s\S]*?<\/w:p>/g)].map((m) => m[0]);
		const heading = paragraphs.findIndex((p) => words(p) === 'You said, we did');
		expect(heading).toBeGreaterThan(-1);
		expect(paragraphs[heading]).toContain('<w:pStyle w:val="Heading2"/>');
		expect(paragraphs.slice(heading + 1).map(words)).toEqual(
			expect.arrayContaining([
				'You said: Friends (Q1)',
				'What we are doing: Open two youth clubs on Friday evenings',
				'Who: Youth service · When: by September 2017 · In progress',
				'Updates (2)',
				`${todayInWords()}: In progress. The first club opened in Redditch`,
				`${todayInWords()}: Planned`
			])
		);
		const docxCells = [...xml.matchAll(/<w:tc>[\s\S]*?<\/w:tc>/g)].map((m) => words(m[0]).trim());
		expect(docxCells.length).toBeGreaterThan(20);
		expect(docxCells.filter((t) => /^[1-4]( |$)/.test(t))).toEqual([]);
		expect(docxCells).toContain('<5');
		const views = await audits('share.view');
		expect(views.map((r) => [r.entity_id, r.detail && JSON.parse(r.detail).as])).toEqual([
			[String(link.id), null],
			[String(link.id), 'docx']
		]);

		// Expired: a link whose day has passed answers 410 Gone, audited as refused.
		await fresh.db
			.updateTable('share_link')
			.set({ expires_at: '2020-01-01T23:59:59.999Z' })
			.where('id', '=', link.id)
			.execute();
		const expired = await get(`/share/${link.token}`);
		expect(expired.status).toBe(410);
		expect(expired.html).toContain('expired');
		expect(expired.html).not.toContain('my dog');
		expect(expired.html).not.toContain(INTRO);
		const expiredDocx = await fetch(`${server.url}/share/${link.token}/report.docx`);
		expect(expiredDocx.status).toBe(410);
		expect(await expiredDocx.text()).not.toContain(INTRO);

		const other = await createShareLink(fresh.db, fx.c.id, 'Scrutiny committee', tomorrow, user());
		expect((await get(`/share/${other.token}`)).status).toBe(200);
		await revokeShareLink(fresh.db, fx.c.id, other.id, user());
		const revoked = await get(`/share/${other.token}`);
		expect(revoked.status).toBe(410);
		expect(revoked.html).toContain('withdrawn');
		expect(revoked.html).not.toContain(INTRO);
		expect((await fetch(`${server.url}/share/${other.token}/report.docx`)).status).toBe(410);
		expect((await fetch(`${server.url}/share/${other.token}x/report.docx`)).status).toBe(404);
		await expect(revokeShareLink(fresh.db, fx.c.id, other.id, user())).rejects.toBeInstanceOf(ResultsError);
		expect((await audits('share.refused')).map((r) => [r.entity_id, JSON.parse(r.detail!).reason])).toEqual([
			[String(link.id), 'expired'],
			[String(link.id), 'expired'],
			[String(other.id), 'revoked'],
			[String(other.id), 'revoked']
		]);
		expect((await audits('share.view')).length).toBe(3);
		expect((await audits('share.revoke')).length).toBe(1);
		await setResultsStatus(fresh.db, fx.c.id, 'published', user());
	});

	it('its staff forms answer bad input with a message by each field and in the summary, writing nothing', async () => {
		// Fails unless the sign-in answers 303 with a session cookie.
		const cookie = await signIn(server.url, 'officer@example.gov.uk', TEST_PASSWORD);
		const post = (action: string, form: Record<string, string>) =>
			fetch(`${server.url}/admin/c/${SLUG}/results?/${action}`, {
				method: 'POST',
				redirect: 'manual',
				headers: {
					cookie,
					origin: server.url,
					accept: 'text/html',
					'content-type': 'application/x-www-form-urlencoded'
				},
				body: new URLSearchParams(form)
			});
		const actionsBefore = (await listActions(fresh.db, fx.c.id)).length;

		const bad = await post('action', { id: '', theme: '', action: '', owner: 'x'.repeat(201), due: 'soon', note: '' });
		expect(bad.status).toBe(400);
		const html = await bad.text();
		const summary = html.slice(
			html.indexOf('class="error-summary"'),
			html.indexOf('</ul>', html.indexOf('error-summary'))
		);
		for (const [id, message] of [
			['new-theme', 'Select the theme this action answers'],
			['new-action', 'Enter what the council is doing'],
			['new-owner', 'Who is doing it must be 200 characters or fewer'],
			['new-status', 'Select the status']
		]) {
			expect(summary).toContain(`href="#${id}"`);
			expect(summary).toContain(message);
			expect(html).toMatch(new RegExp(`id="${id}-error"[^>]*>[\\s\\S]*?${message}`));
		}
		expect(html).toMatch(/id="new-owner"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="new-owner"/);
		// What was typed comes back.
		expect(html).toMatch(/id="new-due"[^>]*value="soon"|value="soon"[^>]*id="new-due"/);
		expect((await listActions(fresh.db, fx.c.id)).length).toBe(actionsBefore);

		const noLabel = await post('share', { label: ' ', expires: 'tomorrow' });
		expect(noLabel.status).toBe(400);
		const shareHtml = await noLabel.text();
		expect(shareHtml).toContain('href="#share-label"');
		expect(shareHtml).toContain('Enter who the link is for');
		expect(shareHtml).toContain('href="#share-expires"');
		expect(shareHtml).toContain('Enter the expiry date as a real date');
		// A date in the past passes the form's check and is refused by the domain, on the same field.
		const past = await post('share', { label: 'Board', expires: '2001-01-01' });
		expect(past.status).toBe(400);
		expect(await past.text()).toContain('The expiry date must be in the future');

		const long = await post('summary', { summary: 'y'.repeat(2001) });
		expect(long.status).toBe(400);
		const longHtml = await long.text();
		expect(longHtml).toContain('href="#summary"');
		expect(longHtml).toContain('The introduction must be 2000 characters or fewer');
		expect((await resultsState(fresh.db, fx.c.id)).summary).not.toContain('yyyy');

		const ok = await post('action', {
			id: '',
			theme: String(fx.themes.friends),
			action: 'A friendship club',
			owner: 'Youth service',
			due: 'by March',
			status: 'planned',
			note: ''
		});
		expect(ok.status).toBe(200);
		expect((await listActions(fresh.db, fx.c.id)).length).toBe(actionsBefore + 1);
	});
});
