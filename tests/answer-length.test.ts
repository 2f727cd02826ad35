/**
 * One rule for the length of an answer (src/lib/schemas/answer.ts): 2,000
 * characters as a person counts them. 1,500 emoji (3,000 UTF-16 units) are
 * taken, and 2,001 characters refused, the same way by the question page, the
 * JSON API, entry sync, the entry form (no JavaScript), the entry screen's own
 * check and import.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/lib/server/db/connect';
import { prepareDatabase } from '../src/lib/server/bootstrap';
import { createUser } from '../src/lib/server/users/index';
import { getConsultation } from '../src/lib/server/consultations/queries';
import { parseUpload } from '../src/lib/server/import/parse';
import { fileHash, guessMapping, planImport } from '../src/lib/server/import/plan';
import { MAX_ANSWER_LENGTH, answerText, answerTooLong, textLength } from '../src/lib/schemas/answer';
import { startBuiltServer, type RunningServer } from './helpers/server';

import { SLUG } from './helpers/consultation';
import { openEntrySession } from './helpers/entry';
const EMOJI = '😀'.repeat(1500); // 1,500 characters, 3,000 UTF-16 units
const FAMILIES = '👨‍👩‍👧'.repeat(2000); // 2,000 characters, 10,000 code points
const OVER = 'a'.repeat(1999) + '😀😀'; // 2,001 characters, 2,003 UTF-16 units
/*
 * Over HTTP: 1,500 emoji and 2,001 characters. (2,000 family emoji are 36 KB
 * of UTF-8 and 108 KB URL-encoded: over the survey's 64 KB body cap as a form
 * post, so the question page answers 413 before the length rule is reached.)
 */
const CASES = [
	{ name: '1,500 emoji', text: EMOJI, ok: true },
	{ name: '2,001 characters', text: OVER, ok: false }
];

describe('the length rule', () => {
	it('counts what a person sees: an emoji, a flag, an accent and a CRLF line break are one character each', () => {
		expect(textLength('😀')).toBe(1);
		expect(textLength('👨‍👩‍👧')).toBe(1);
		expect(textLength('🇬🇧')).toBe(1);
		expect(textLength('e\u0301')).toBe(1);
		expect(textLength('a\r\nb')).toBe(3);
		expect(textLength('a\nb')).toBe(3);
		expect(textLength(EMOJI)).toBe(1500);
		expect(textLength(OVER)).toBe(MAX_ANSWER_LENGTH + 1);
	});

	it('agrees with Intl.Segmenter on what people type', () => {
		const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });
		const samples = [
			'😀',
			'👨‍👩‍👧',
			'🇬🇧🇫🇷',
			'e\u0301',
			'a\r\nb',
			'👍🏽',
			'1️⃣',
			'❤️',
			'🏳️‍🌈',
			'👩🏽‍💻',
			'🧑‍🤝‍🧑',
			'a\u200Db',
			'Zoë',
			'ça va',
			'日本語',
			'Привет',
			'مرحبا',
			'\t\n',
			'x\u0300\u0301\u0302',
			'\uD800x'
		];
		for (const s of samples) expect(textLength(s), JSON.stringify(s)).toBe([...segmenter.segment(s)].length);
	});

	it('counts a 64 KB answer of emoji in linear time (a segmenter takes tens of seconds)', () => {
		const started = performance.now();
		expect(textLength('😀'.repeat(16_000))).toBe(16_000);
		expect(textLength('👨‍👩‍👧'.repeat(3_600))).toBe(3_600);
		expect(performance.now() - started).toBeLessThan(3_000);
	});

	it('is the rule of the zod schema and of the entry screen', () => {
		for (const c of [...CASES, { text: FAMILIES, ok: true }]) {
			expect(answerTooLong(c.text)).toBe(!c.ok);
			expect(answerText.safeParse(c.text).success).toBe(c.ok);
		}
	});
});

describe('every route applies the same rule (built server)', () => {
	let server: RunningServer;
	let dir: string;
	let file: string;
	let sessionId: number;
	let staffCookie: string;

	const form = (url: string, body: Record<string, string>, cookie = '') =>
		fetch(`${server.url}${url}`, {
			method: 'POST',
			redirect: 'manual',
			headers: {
				'content-type': 'application/x-www-form-urlencoded',
				origin: server.url,
				accept: 'text/html',
				...(cookie ? { cookie } : {})
			},
			body: new URLSearchParams(body)
		});
	const cookieOf = (res: Response) => (res.headers.get('set-cookie') ?? '').split(';')[0];

	beforeAll(async () => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consult-length-'));
		file = path.join(dir, 'app.sqlite');
		const open = await openDatabase({ kind: 'sqlite', path: file });
		await prepareDatabase(open);
		const admin = await createUser(
			open.db,
			{ email: 'admin@length.test', role: 'admin', password: 'admin-password-1' },
			null
		);
		const entry = await createUser(
			open.db,
			{ email: 'entry@length.test', role: 'entry', password: 'entry-password-1' },
			null
		);
		sessionId = (
			await openEntrySession(open.db, {
				adminId: admin.id,
				by: { id: entry.id, role: 'entry' },
				library: { name: 'Kidderminster Library', district: 'wyre-forest' },
				session: { date: '2017-06-12', group: '' }
			})
		).sessionId;
		await open.close();
		server = await startBuiltServer({
			DATABASE_URL: `file:${file}`,
			SURVEY_RATE_LIMIT: '1000',
			SURVEY_MIN_SECONDS: '0'
		});
		const login = await form('/login', { email: 'entry@length.test', password: 'entry-password-1' });
		expect(login.status).toBe(303);
		staffCookie = cookieOf(login);
	});
	afterAll(async () => {
		await server?.stop();
		if (dir) fs.rmSync(dir, { recursive: true, force: true });
	});

	it.each(CASES)('question page: $name', async ({ text, ok }) => {
		const start = await form(`/s/${SLUG}`, { choice: 'start' });
		expect(start.status).toBe(303);
		const draft = cookieOf(start);
		expect(draft).toMatch(/=/);
		expect((await form(`/s/${SLUG}/who`, { groups: 'child' }, draft)).status).toBe(303);
		const res = await form(`/s/${SLUG}/q/1/1`, { answer: text }, draft);
		expect(res.status).toBe(ok ? 303 : 400);
		if (!ok) expect(await res.text()).toContain('must be 2,000 characters or fewer (this has 2,001)');
	});

	it.each(CASES)('JSON API: $name', async ({ text, ok }) => {
		const res = await fetch(`${server.url}/api/s/${SLUG}/submissions`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				id: randomUUID(),
				district: 'bromsgrove',
				perspectives: [{ group: 'child', answers: { q1: text } }]
			})
		});
		expect(res.status).toBe(ok ? 201 : 400);
		if (!ok) expect(JSON.stringify(await res.json())).toContain('2,000 characters or fewer');
	});

	it.each(CASES)('entry sync: $name', async ({ text, ok }) => {
		const id = randomUUID();
		const res = await fetch(`${server.url}/api/entry/sync`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', origin: server.url, cookie: staffCookie },
			body: JSON.stringify({ entries: [{ id, sessionId, questionKey: 'q1', group: null, district: null, text }] })
		});
		expect(res.status).toBe(200);
		const result = await res.json();
		expect(result.accepted).toEqual(ok ? [id] : []);
		if (!ok) expect(result.rejected[0].errors.text).toContain('2,000 characters or fewer (this has 2,001)');
	});

	it.each(CASES)('entry form without JavaScript: $name', async ({ text, ok }) => {
		const res = await form(
			`/entry/s/${sessionId}?/add`,
			{ id: randomUUID(), group: '', district: '', text },
			staffCookie
		);
		expect(res.status).toBe(ok ? 303 : 400);
		if (!ok) expect(await res.text()).toContain('2,000 characters or fewer (this has 2,001)');
	});

	it('import: takes the emoji rows and refuses the long one', async () => {
		const open = await openDatabase({ kind: 'sqlite', path: file });
		try {
			const c = (await getConsultation(open.db, SLUG))!;
			const csv = ['group,district,question,text', ...CASES.map((x) => `child,bromsgrove,q1,"${x.text}"`)].join('\n');
			const buf = new TextEncoder().encode(csv);
			const sheet = await parseUpload(buf, 'length.csv');
			const plan = planImport(c, sheet, guessMapping(sheet.headers), fileHash(buf));
			expect(plan.rows.map((r) => r.errors.length === 0)).toEqual(CASES.map((x) => x.ok));
			expect(plan.rows[CASES.findIndex((x) => !x.ok)].errors.join()).toContain('2,001 characters: the limit is 2,000');
		} finally {
			await open.close();
		}
	});
});
