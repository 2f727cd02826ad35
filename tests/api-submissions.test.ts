import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBuiltServer, startProductionServer, type RunningServer } from './helpers/server';
import { SLUG } from './helpers/consultation';
import { emptyDatabase, sqlitePath, type FreshDb } from './helpers/databases';

const submission = (id = randomUUID()) => ({
	id,
	district: 'bromsgrove',
	perspectives: [{ group: 'child', answers: { q1: 'My friends', q4: 'A bigger park' } }],
	about: { ageBand: 'under-13', gender: 'prefer_not_to_say' }
});

/**
 * Streams `fill` in 16 KB chunks, without a Content-Length, until just past `cap` bytes, then keeps the body open
 * without sending more. A server that refuses part-way answers before the body has ended (one that read it all would
 * still be waiting, or time out with a 408); and the client has stopped writing by then, so the server's close cannot
 * meet a write in flight (that race, EPIPE before the 413 was read, failed CI once under load).
 */
async function postChunked(url: string, headers: Record<string, string>, fill: string, cap: number) {
	let sent = 0;
	const chunk = new TextEncoder().encode(fill.repeat(16 * 1024));
	const body = new ReadableStream<Uint8Array>({
		async pull(c) {
			await new Promise((r) => setTimeout(r, 2));
			if (sent > cap) return;
			sent += chunk.byteLength;
			c.enqueue(chunk);
		}
	});
	return fetch(url, { method: 'POST', headers, body, duplex: 'half' } as RequestInit);
}

// Twice: the SvelteKit route alone (build/index.js), and the server as `npm start` runs it (scripts/serve-built.ts),
// where the lean node:http route answers the same requests before SvelteKit (src/lib/server/survey/lean-http.ts).
describe.each([
	['SvelteKit alone', startBuiltServer],
	['the production entry (lean route)', (env: Record<string, string>) => startProductionServer(env)]
])('POST /api/s/<slug>/submissions on the built server: %s', (_name, startBuiltServer) => {
	let server: RunningServer;
	let limited: RunningServer;
	let classroom: RunningServer;
	const dbs = {} as Record<'app' | 'limited' | 'classroom', FreshDb>;
	let db: Database.Database;
	let endpoint: string;
	const post = (body: unknown, headers: Record<string, string> = {}, url = endpoint) =>
		fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json', ...headers },
			body: typeof body === 'string' ? body : JSON.stringify(body)
		});

	beforeAll(async () => {
		// Empty databases: each server migrates its own and loads the consultation.
		for (const name of ['app', 'limited', 'classroom'] as const) {
			dbs[name] = await emptyDatabase('sqlite');
			await dbs[name].close();
		}
		[server, limited, classroom] = await Promise.all([
			startBuiltServer({ DATABASE_URL: dbs.app.url, SURVEY_RATE_LIMIT: '1000' }),
			startBuiltServer({ DATABASE_URL: dbs.limited.url, SURVEY_RATE_LIMIT: '3', PUBLIC_BODY_TIMEOUT: '1' }),
			// The shipped defaults: no SURVEY_* limits set.
			startBuiltServer({
				DATABASE_URL: dbs.classroom.url,
				SURVEY_RATE_LIMIT: '',
				SURVEY_RATE_WINDOW_SECONDS: '',
				SURVEY_MAX_CONCURRENT: '',
				SURVEY_MAX_PER_SECOND: ''
			})
		]);
		endpoint = `${server.url}/api/s/${SLUG}/submissions`;
		db = new Database(sqlitePath(dbs.app));
	});
	afterAll(async () => {
		db?.close();
		await Promise.all([server?.stop(), limited?.stop(), classroom?.stop()]);
		for (const fresh of Object.values(dbs)) await fresh.drop();
	});

	const count = (id: string) =>
		(db.prepare('select count(*) as n from submission where id = ? or client_id = ?').get(id, id) as { n: number }).n;

	it('answers 201 for a new submission and 200 with the same reference for a replay, storing it once', async () => {
		const body = submission();
		const first = await post(body);
		expect(first.status).toBe(201);
		const created = await first.json();
		expect(created).toMatchObject({
			id: body.id,
			status: 'created',
			reference: expect.stringMatching(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/)
		});
		const second = await post(body);
		expect(second.status).toBe(200);
		expect(await second.json()).toMatchObject({ status: 'replayed', reference: created.reference });
		expect(count(body.id)).toBe(1);
		// Its answers under the row's id: a time-ordered one of the server's, as the client's is random (client-ids.ts).
		const answers = db
			.prepare(
				'select text from answer where submission_id = (select id from submission where client_id = ?) order by id'
			)
			.all(body.id);
		expect(answers).toEqual([{ text: 'My friends' }, { text: 'A bigger park' }]);
	});

	it('stores one submission when the same body is sent many times at once', async () => {
		const body = submission();
		const statuses = (await Promise.all(Array.from({ length: 8 }, () => post(body)))).map((r) => r.status).sort();
		expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
		expect(count(body.id)).toBe(1);
	});

	it('answers 400 with field errors for a bad body, an empty survey or broken JSON', async () => {
		const bad = await post({ id: 'nope', perspectives: [] });
		expect(bad.status).toBe(400);
		expect((await bad.json()).fieldErrors).toMatchObject({ id: expect.any(String), perspectives: expect.any(String) });
		const empty = await post({ id: randomUUID(), perspectives: [{ group: 'child', answers: {} }] });
		expect(empty.status).toBe(400);
		expect((await empty.json()).fieldErrors.perspectives).toMatch(/at least one/);
		const broken = await post('{"id": ');
		expect(broken.status).toBe(400);
	});

	it('answers 403 to a cross-site Origin, 404 to an unknown consultation and 415 to a body that is not JSON', async () => {
		const body = submission();
		expect((await post(body, { origin: 'https://evil.example' })).status).toBe(403);
		expect((await post(body, { origin: server.url })).status).toBe(201);
		expect((await post(submission(), {}, `${server.url}/api/s/no-such-survey/submissions`)).status).toBe(404);
		expect((await post('<id/>', { 'content-type': 'application/xml' })).status).toBe(415);
	});

	it('answers 410 while the consultation is closed or not yet open, storing nothing', async () => {
		const body = submission();
		try {
			db.prepare("update consultation set status = 'closed' where slug = ?").run(SLUG);
			const closed = await post(body);
			expect(closed.status).toBe(410);
			expect((await closed.json()).message).toMatch(/closed/);
			db.prepare("update consultation set status = 'open', opens_at = '2999-01-01' where slug = ?").run(SLUG);
			expect((await post(body)).status).toBe(410);
		} finally {
			db.prepare("update consultation set status = 'open', opens_at = '2017-05-22' where slug = ?").run(SLUG);
		}
		expect(count(body.id)).toBe(0);
		expect((await post(body)).status).toBe(201);
	});

	it('answers 500 in JSON with a reference and nothing internal when storing fails unexpectedly', async () => {
		// The database refuses the write with words of its own, which must stay in the server's log.
		db.exec(`create trigger refuse_submission before insert on submission
			begin select raise(abort, 'internal detail: the disk is on fire'); end`);
		try {
			const res = await post(submission());
			expect(res.status).toBe(500);
			expect(res.headers.get('content-type')).toMatch(/^application\/json/);
			const text = await res.text();
			const body = JSON.parse(text) as Record<string, string>;
			expect(Object.keys(body).sort()).toEqual(['message', 'reference']);
			expect(body.reference).toMatch(/^E-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
			expect(body.message).toContain(body.reference);
			expect(text).not.toMatch(/disk is on fire|SqliteError|trigger|\.js:\d+|\n\s+at /);
		} finally {
			db.exec('drop trigger refuse_submission');
		}
	});

	it('answers 413 over 64 KB, from Content-Length and from a chunked body without one', async () => {
		const big = JSON.stringify({ ...submission(), about: { ageBand: 'x'.repeat(70 * 1024) } });
		expect((await post(big)).status).toBe(413);
		const chunked = await postChunked(endpoint, { 'content-type': 'application/json' }, ' ', 64 * 1024);
		expect(chunked.status).toBe(413);
	});

	it('stores a whole class of 35 sending from one address within a minute, with the default limits', async () => {
		const url = `${classroom.url}/api/s/${SLUG}/submissions`;
		const started = Date.now();
		const statuses = await Promise.all(
			Array.from({ length: 35 }, () => post(submission(), {}, url).then((r) => r.status))
		);
		expect(Date.now() - started).toBeLessThan(60_000);
		expect(statuses.filter((s) => s === 201)).toHaveLength(35);
		const classDb = new Database(sqlitePath(dbs.classroom), { readonly: true });
		expect((classDb.prepare('select count(*) as n from submission').get() as { n: number }).n).toBe(35);
		classDb.close();
	});

	it('refuses a signed-out post over 64 KB to /login too, chunked or not, without reading it all', async () => {
		const res = await postChunked(
			`${server.url}/login`,
			{ origin: server.url, 'content-type': 'application/x-www-form-urlencoded' },
			'a',
			64 * 1024
		);
		expect(res.status).toBe(413);
		const declared = await fetch(`${server.url}/login`, {
			method: 'POST',
			headers: { origin: server.url, 'content-type': 'application/x-www-form-urlencoded' },
			body: 'email=' + 'a'.repeat(100 * 1024)
		});
		expect(declared.status).toBe(413);
		expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
	});

	it('answers 408 to a public post whose body stalls past PUBLIC_BODY_TIMEOUT (1 s here)', async () => {
		let stop!: () => void;
		const stalled = new Promise<void>((r) => (stop = r));
		const body = new ReadableStream<Uint8Array>({
			async start(c) {
				c.enqueue(new TextEncoder().encode('email=a%40b.c&password='));
				await stalled;
				c.close();
			}
		});
		const started = Date.now();
		const res = await fetch(`${limited.url}/login`, {
			method: 'POST',
			headers: { origin: limited.url, 'content-type': 'application/x-www-form-urlencoded' },
			body,
			duplex: 'half'
		} as RequestInit);
		stop();
		expect(res.status).toBe(408);
		expect(Date.now() - started).toBeLessThan(10_000);
	});

	it('counts only stored submissions: 20 empty posts do not use up the limit, then 429 with Retry-After past it (SURVEY_RATE_LIMIT=3)', async () => {
		const url = `${limited.url}/api/s/${SLUG}/submissions`;
		for (let i = 0; i < 20; i++) expect((await post({ id: randomUUID(), perspectives: [] }, {}, url)).status).toBe(400);
		const statuses: number[] = [];
		for (let i = 0; i < 5; i++) statuses.push((await post(submission(), {}, url)).status);
		expect(statuses).toEqual([201, 201, 201, 429, 429]);
		const refused = await post(submission(), {}, url);
		expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
		expect((await refused.json()).message).toMatch(/Your answers are still here/);
		const limitedDb = new Database(sqlitePath(dbs.limited), { readonly: true });
		expect((limitedDb.prepare('select count(*) as n from submission').get() as { n: number }).n).toBe(3);
		limitedDb.close();
	});
});
