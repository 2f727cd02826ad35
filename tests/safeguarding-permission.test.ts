/**
 * On the built server: staff without the safeguarding permission never see the words of a
 * flagged answer, on any page or export (a sweep of every staff page and GET endpoint, found by
 * walking src/routes as the role matrix does), and a concern raised from review or from the
 * entry screen reaches the safeguarding queue.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addLocation } from '../src/lib/server/entry/locations';
import { startSession } from '../src/lib/server/entry/sessions';
import { syncEntries } from '../src/lib/server/entry/entries';
import { getConsultation } from '../src/lib/server/consultations/queries';
import { saveSubmission } from '../src/lib/server/submissions/save';
import { raiseConcern } from '../src/lib/server/safeguarding/concerns';
import { WITHHELD_TEXT } from '../src/lib/domain/reading';
import { MIN_LABELS } from '../src/lib/safeguarding/ranker/index';
import { startBuiltServer, type RunningServer } from './helpers/server';
import { SLUG } from './helpers/consultation';
import { startSampleCheck } from '../src/lib/server/sample-check/index';
import { addUser } from './helpers/users';
import { preparedDatabase, type FreshDb } from './helpers/databases';
import { until } from './helpers/wait';
import { openDatabase } from '../src/lib/server/db/connect';
import { parseDatabaseUrl } from '../src/lib/server/db/config';

/** Words that appear only in flagged answers. */
const SECRET = /quokkaword|zebrafinch/i;
type Who = 'admin' | 'lead' | 'officer' | 'entry';

function walk(dir: string, out: string[] = []): string[] {
	if (!fs.existsSync(dir)) throw new Error(`${dir} is missing: the sweep would check nothing there`);
	for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
		const p = path.join(dir, e.name);
		if (e.isDirectory()) walk(p, out);
		else if (/^\+(page\.svelte|server\.(ts|js))$/.test(e.name)) out.push(p);
	}
	return out;
}

/** Every staff page and GET endpoint, with its parameters filled in; unknown parameters fail the test. */
function staffGetUrls(params: Record<string, string>): { urls: string[]; missing: string[] } {
	const missing: string[] = [];
	const urls = new Set<string>();
	for (const file of ['src/routes/admin', 'src/routes/(staff)'].flatMap((d) => walk(d))) {
		if (file.endsWith('+server.ts') || file.endsWith('+server.js')) {
			if (!/export\s+(?:const|async\s+function|function)\s+GET\b/.test(fs.readFileSync(file, 'utf8'))) continue;
		}
		const segments = path
			.relative('src/routes', path.dirname(file))
			.split(path.sep)
			.filter((s) => !/^\(.*\)$/.test(s));
		const pattern = `/${segments.join('/')}`;
		urls.add(
			pattern.replace(/\[\[?(?:\.\.\.)?(\w+)\]?\]/g, (m, name) => {
				const v = params[`${pattern}:${name}`] ?? params[name];
				if (v === undefined) missing.push(`${pattern} [${name}]`);
				return v ?? m;
			})
		);
	}
	return { urls: [...urls].sort(), missing };
}

async function textOf(res: Response): Promise<string> {
	const type = res.headers.get('content-type') ?? '';
	const buf = Buffer.from(await res.arrayBuffer());
	if (!type.includes('spreadsheetml')) return buf.toString('utf8');
	const wb = new ExcelJS.Workbook();
	await wb.xlsx.load(buf as never);
	const cells: string[] = [];
	wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((cell) => cells.push(String(cell.value ?? '')))));
	return cells.join('\n');
}

describe('safeguarding permission and concerns on the built server', () => {
	let server: RunningServer;
	let fresh: FreshDb;
	const cookies: Partial<Record<Who, string>> = {};
	const params: Record<string, string> = { slug: SLUG, file: 'agreement.csv', key: 'q1' };
	const ids: Record<string, number> = {};

	beforeAll(async () => {
		const open = (fresh = await preparedDatabase('sqlite'));
		for (const [who, role, canSafeguard] of [
			['admin', 'admin', false],
			['lead', 'officer', true],
			['officer', 'officer', false],
			['entry', 'entry', false]
		] as const) {
			ids[who] = (
				await addUser(open.db, { email: `${who}@perm.test`, role, password: `${who}-password-1`, canSafeguard }, null)
			).id;
		}
		const c = (await getConsultation(open.db, SLUG))!;
		const loc = await addLocation(
			open.db,
			{ name: 'Redditch Library', district: 'redditch', kind: 'library' },
			new Set(['redditch']),
			ids.admin
		);
		ids.session = await startSession(
			open.db,
			{ consultationId: c.id, locationId: loc.id, date: '2017-06-12', channel: 'library', question: 'q1', group: '' },
			{ id: ids.entry, role: 'entry' }
		);
		const typed = [
			{ key: 'typedSecret', text: 'my stepdad locks me in the cellar quokkaword' },
			{ key: 'typedPlain', text: 'A skate park near the library' }
		];
		for (const t of typed) {
			const id = randomUUID();
			await syncEntries(
				open.db,
				[{ id, sessionId: ids.session, questionKey: 'q1', group: 'child', district: null, text: t.text }],
				{ id: ids.entry, role: 'entry' }
			);
			ids[t.key] = (
				await open.db.selectFrom('answer').select('id').where('submission_id', '=', id).executeTakeFirstOrThrow()
			).id;
		}
		const online = async (key: string, text: string) => {
			const id = randomUUID();
			await saveSubmission(
				open.db,
				c,
				{
					id,
					district: 'redditch',
					perspectives: [{ group: 'young_person', answers: { q1: text } }],
					about: null
				} as never,
				{ channel: 'online' }
			);
			ids[key] = (
				await open.db.selectFrom('answer').select('id').where('submission_id', '=', id).executeTakeFirstOrThrow()
			).id;
		};
		await online('onlineSecret', 'nobody at home feeds us zebrafinch');
		await online('onlinePlain', 'the van man came again wobblefish');
		await online('unread1', 'more swings in the park');
		await online('unread2', 'a youth club on fridays');
		// Flag both secrets whatever the screen makes of them: a person's concern always flags.
		for (const key of ['typedSecret', 'onlineSecret'])
			await raiseConcern(open.db, { answerId: ids[key], level: 'review', note: null, via: 'queue' }, { id: ids.lead });
		// Enough decided flags (by a practitioner, so not on the children's reading list) for the ranker to learn at start-up.
		for (let i = 0; i < MIN_LABELS + 2; i++) {
			const id = randomUUID();
			await saveSubmission(
				open.db,
				c,
				{
					id,
					district: null,
					perspectives: [{ group: 'practitioner', answers: { q2: `more staff for team ${i}` } }],
					about: null
				} as never,
				{ channel: 'online' }
			);
			const a = (
				await open.db.selectFrom('answer').select('id').where('submission_id', '=', id).executeTakeFirstOrThrow()
			).id;
			await raiseConcern(open.db, { answerId: a, level: 'review', note: null, via: 'queue' }, { id: ids.lead });
			await open.db
				.updateTable('safeguarding_flag')
				.set({ status: i % 4 === 0 ? 'referred' : 'no_action' })
				.where('answer_id', '=', a)
				.execute();
		}
		// A sample check to open (every answer counts as machine-coded once coded): its pages are swept too.
		await open.db.updateTable('answer').set({ coded_at: new Date().toISOString() }).execute();
		ids.sample = await startSampleCheck(open.db, c, { size: 5, seed: 1 }, { id: ids.lead });
		await open.close();
		Object.assign(params, {
			'/admin/c/[slug]/sample/[id]:id': String(ids.sample),
			'/admin/users/[id]:id': String(ids.admin),
			'/entry/s/[id]:id': String(ids.session),
			'/admin/answers/[id]:id': String(ids.onlineSecret)
		});
		server = await startBuiltServer({ DATABASE_URL: fresh.url, RANKER_DELAY_MS: '0' });
		for (const who of ['admin', 'lead', 'officer', 'entry'] as const) {
			const res = await fetch(`${server.url}/login`, {
				method: 'POST',
				redirect: 'manual',
				headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url, accept: 'text/html' },
				body: new URLSearchParams({ email: `${who}@perm.test`, password: `${who}-password-1` })
			});
			expect(res.status).toBe(303);
			cookies[who] = (res.headers.get('set-cookie') ?? '').split(';')[0];
		}
	}, 120_000);
	afterAll(async () => {
		await server?.stop();
		await fresh?.drop();
	});

	const get = (who: Who, url: string) =>
		fetch(`${server.url}${url}`, { headers: { cookie: cookies[who]!, accept: 'text/html' }, redirect: 'manual' });
	const post = (who: Who, url: string, form: Record<string, string>) =>
		fetch(`${server.url}${url}`, {
			method: 'POST',
			redirect: 'manual',
			headers: {
				cookie: cookies[who]!,
				origin: server.url,
				accept: 'text/html',
				'content-type': 'application/x-www-form-urlencoded'
			},
			body: new URLSearchParams(form)
		});

	it('an officer or entry staff without the permission sees no flagged words on any staff page or export', async () => {
		const { urls, missing } = staffGetUrls(params);
		expect(missing).toEqual([]);
		const extra = [
			`/admin/c/${SLUG}/review?group=child`,
			`/admin/c/${SLUG}/review?group=young_person`,
			`/entry/s/${ids.session}?edit=x`
		];
		const leaks: string[] = [];
		const seen: Record<Who, number> = { admin: 0, lead: 0, officer: 0, entry: 0 };
		for (const who of ['officer', 'entry'] as const) {
			for (const url of [...urls, ...extra]) {
				const res = await get(who, url);
				const body = await textOf(res);
				if (res.status === 200) seen[who]++;
				if (SECRET.test(body)) leaks.push(`${who} ${url} (${res.status})`);
			}
		}
		expect(leaks).toEqual([]);
		expect(seen.officer).toBeGreaterThan(15);
		expect(seen.entry).toBeGreaterThan(1);
		// ... and they are told something is withheld, with a count
		const review = await textOf(await get('officer', `/admin/c/${SLUG}/review`));
		expect(review).toContain(WITHHELD_TEXT);
		const shownWithheld = review.split(`>${WITHHELD_TEXT}<`).length - 1; // the answers themselves, not the sentence counting them
		expect(shownWithheld).toBeGreaterThanOrEqual(2);
		expect(review.replace(/\s+/g, ' ')).toContain(
			`${shownWithheld} answers on this page are withheld: under safeguarding review`
		);
		const entry = await textOf(await get('entry', `/entry/s/${ids.session}`));
		expect(entry).toContain(WITHHELD_TEXT);
		expect(entry).toContain('A skate park near the library');
	});

	it('staff with the permission do see those words (so the sweep above could fail)', async () => {
		expect(await textOf(await get('lead', `/admin/c/${SLUG}/review`))).toMatch(
			/quokkaword[\s\S]*zebrafinch|zebrafinch[\s\S]*quokkaword/
		);
		expect(await textOf(await get('lead', `/admin/c/${SLUG}/export/answers.csv`))).toMatch(SECRET);
		expect(await textOf(await get('admin', `/admin/c/${SLUG}/export/answers.xlsx`))).toMatch(SECRET);
		expect(await textOf(await get('lead', '/admin/safeguarding'))).toContain('quokkaword');
	});

	it('a concern raised in review reaches the queue at the chosen level, and is then withheld from the officer', async () => {
		const bad = await post('officer', `/admin/c/${SLUG}/review?/concern`, {
			answerId: String(ids.onlinePlain),
			note: 'odd'
		});
		expect(bad.status).toBe(400);
		expect(await bad.text()).toContain('Choose how urgent this is');
		const res = await post('officer', `/admin/c/${SLUG}/review?/concern`, {
			answerId: String(ids.onlinePlain),
			level: 'urgent',
			note: 'He keeps coming back'
		});
		expect(res.status).toBe(200);
		const queue = await textOf(await get('lead', '/admin/safeguarding'));
		const section = queue.slice(queue.indexOf('wobblefish') - 2000, queue.indexOf('wobblefish') + 2000);
		expect(section).toContain('Urgent');
		expect(section).toContain('He keeps coming back');
		expect(await textOf(await get('officer', `/admin/c/${SLUG}/review`))).not.toContain('wobblefish');
	});

	it('a concern raised on the entry screen ("This worries me") reaches the queue', async () => {
		const page = await textOf(await get('entry', `/entry/s/${ids.session}`));
		expect(page).toContain('This worries me');
		const res = await post('entry', `/entry/s/${ids.session}?/concern`, {
			answerId: String(ids.typedPlain),
			level: 'review',
			note: 'The child looked scared'
		});
		expect(res.status).toBe(200);
		const queue = await textOf(await get('lead', '/admin/safeguarding'));
		expect(queue).toContain('A skate park near the library');
		expect(queue).toContain('The child looked scared');
		// an answer from another session cannot be raised from this one
		const other = await post('entry', `/entry/s/${ids.session}?/concern`, {
			answerId: String(ids.onlineSecret),
			level: 'urgent'
		});
		expect(other.status).toBe(400);
	});

	it('"This worries me" while typing (no JavaScript): one submit saves the leaf and raises the concern; without a level nothing is saved', async () => {
		const page = await textOf(await get('entry', `/entry/s/${ids.session}`));
		expect(page).toContain('Save and send to the safeguarding queue');
		const formId = page.match(/name="id" value="([0-9a-f-]{36})"/)![1];
		const base = {
			id: formId,
			text: 'a den in the woods where nobody finds us',
			group: 'child',
			district: '',
			worry: '1'
		};
		const missing = await post('entry', `/entry/s/${ids.session}?/add`, {
			...base,
			concernNote: 'He had marks on his arms'
		});
		expect(missing.status).toBe(400);
		const body = await missing.text();
		expect(body).toContain('Choose how urgent this is');
		expect(body).toContain('href="#concernLevel"');
		expect(body).toContain('He had marks on his arms'); // what was typed is kept
		expect((await textOf(await get('lead', '/admin/safeguarding'))).includes('a den in the woods')).toBe(false);
		const ok = await post('entry', `/entry/s/${ids.session}?/add`, {
			...base,
			concernLevel: 'urgent',
			concernNote: 'He had marks on his arms'
		});
		expect(ok.status).toBe(303);
		expect(ok.headers.get('location')).toContain('raised=1');
		const queue = await textOf(await get('lead', '/admin/safeguarding'));
		const at = queue.indexOf('a den in the woods');
		expect(at).toBeGreaterThan(-1);
		const section = queue.slice(Math.max(0, at - 2000), at + 2000);
		expect(section).toContain('Urgent');
		expect(section).toContain('He had marks on his arms');
		const notes = (page: string) => page.split('He had marks on his arms').length - 1;
		const once = notes(queue);
		// the same form sent twice (a double click): one leaf, one concern
		expect(
			(
				await post('entry', `/entry/s/${ids.session}?/add`, {
					...base,
					concernLevel: 'urgent',
					concernNote: 'He had marks on his arms'
				})
			).status
		).toBe(303);
		expect(notes(await textOf(await get('lead', '/admin/safeguarding')))).toBe(once);
		const open = await openDatabase(parseDatabaseUrl(fresh.url));
		try {
			const rows = await open.db
				.selectFrom('safeguarding_concern')
				.select(['level', 'raised_via'])
				.where('note', '=', 'He had marks on his arms')
				.execute();
			expect(rows).toEqual([{ level: 'urgent', raised_via: 'entry' }]);
			expect(await open.db.selectFrom('submission').select('id').where('id', '=', formId).execute()).toHaveLength(1);
		} finally {
			await open.close();
		}
	});

	it('the built server learns at start-up, in its worker thread, and the queue says when and from how many decisions', async () => {
		let page = '';
		await until(
			async () =>
				(page = await textOf(await get('lead', '/admin/safeguarding'))).includes(
					'The order learned from staff decisions on'
				),
			'the safeguarding queue says the order was learned',
			90_000,
			50
		).catch(() => {}); // the expectation below names what the page said instead
		expect(page).toMatch(/The order learned from staff decisions on [^<]+, from \d+ decisions/);
		expect(server.output()).not.toMatch(/ranker failed/i);
	});

	it('opening the reading list marks the batch it shows read (audited once), and the coverage moves', async () => {
		const count = (page: string) => {
			const m = page.match(/([\d,]+) of ([\d,]+) answers? from children and young people read by a person/);
			expect(m).not.toBeNull();
			return [Number(m![1].replace(/,/g, '')), m![1], m![2]] as const;
		};
		const shownIds = (page: string) => [...page.matchAll(/name="answer" value="(\d+)"/g)].map((x) => Number(x[1]));
		// Three answers nobody has read yet (the sweeps above opened every page, so everything else is read).
		const open = await openDatabase(parseDatabaseUrl(fresh.url));
		const newIds: number[] = [];
		try {
			const c = (await getConsultation(open.db, SLUG))!;
			for (const text of ['a climbing wall', 'cheaper bus fares', 'a later youth club']) {
				const id = randomUUID();
				await saveSubmission(
					open.db,
					c,
					{ id, district: null, perspectives: [{ group: 'child', answers: { q1: text } }], about: null } as never,
					{ channel: 'online' }
				);
				newIds.push(
					(await open.db.selectFrom('answer').select('id').where('submission_id', '=', id).executeTakeFirstOrThrow()).id
				);
			}
		} finally {
			await open.close();
		}
		const before = count(await textOf(await get('officer', `/admin/c/${SLUG}`)))[0]; // the dashboard reads nothing
		const first = await textOf(await get('lead', '/admin/safeguarding/reading'));
		const batch1 = shownIds(first);
		expect(batch1).toEqual(expect.arrayContaining(newIds));
		expect(first).toContain('as read by you');
		expect(count(first)[0]).toBe(before + batch1.length);
		const res = await post(
			'lead',
			'/admin/safeguarding/reading?/read',
			Object.fromEntries(batch1.map((id, i) => [`answer${i}`, String(id)]))
		);
		expect(res.status).toBe(400); // the form names every field "answer": the wrong name is refused
		const body = new URLSearchParams();
		for (const id of batch1) body.append('answer', String(id));
		const ok = await fetch(`${server.url}/admin/safeguarding/reading?/read`, {
			method: 'POST',
			headers: {
				cookie: cookies.lead!,
				origin: server.url,
				accept: 'text/html',
				'content-type': 'application/x-www-form-urlencoded'
			},
			body
		});
		expect(ok.status).toBe(200);
		expect(await ok.text()).toContain('Marked 0 answers as read by you'); // opening the list had already recorded them
		// Opening it again records nothing twice: those answers have left the unread part.
		const second = await textOf(await get('lead', '/admin/safeguarding/reading'));
		const batch2 = shownIds(second);
		expect(batch2.filter((id) => batch1.includes(id))).toEqual([]);
		expect(count(second)[0]).toBe(count(first)[0] + batch2.length);
		const [, read, total] = count(second);
		const dashboard = await textOf(await get('officer', `/admin/c/${SLUG}`));
		expect(dashboard).toContain(`${read} of ${total} answers from children and young people read by a person`);
	});
});
