/**
 * The data-protection audit of issue #11 over HTTP, against the built server (SQLite):
 * - the sign-in form's `next` (read by the page and by its action, and made by the staff guard) never leads off
 *   this site and never fails the request;
 * - every staff route answers `Cache-Control: no-store`, signed in or not, including its errors (404) and its
 *   redirects (the guard's redirect to sign-in, the sign-in's redirect onwards), so Back after signing out shows
 *   nothing from a cache;
 * - a flood of refused sign-ins writes at most one `login.throttled` audit row per limit and key in a minute.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBuiltServer, type RunningServer } from './helpers/server';
import { addUser } from './helpers/users';
import { preparedDatabase, type FreshDb } from './helpers/databases';
import { SLUG } from './helpers/consultation';

const EMAIL = 'admin@audit.test';
const PASSWORD = 'admin-password-1';

/** GET paths of every page and endpoint under the staff folders; [slug] is the shipped consultation, others '1'. */
function staffPaths(): string[] {
	const out = new Set<string>();
	const walk = (dir: string) => {
		for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
			const p = path.join(dir, e.name);
			if (e.isDirectory()) walk(p);
			else if (e.name === '+page.svelte' || e.name === '+server.ts') {
				const route = path
					.relative('src/routes', dir)
					.split(path.sep)
					.filter((s) => !/^\(.*\)$/.test(s))
					.map((s) => (s === '[slug]' ? SLUG : /^\[.*\]$/.test(s) ? '1' : s))
					.join('/');
				out.add(`/${route}`);
			}
		}
	};
	for (const d of ['src/routes/admin', 'src/routes/(staff)', 'src/routes/api/entry']) walk(d);
	return [...out].sort();
}

describe('HTTP audit (built server, SQLite)', () => {
	let fresh: FreshDb;
	let server: RunningServer;

	beforeAll(async () => {
		fresh = await preparedDatabase('sqlite');
		await addUser(fresh.db, { email: EMAIL, role: 'admin', password: PASSWORD }, null);
		server = await startBuiltServer({ DATABASE_URL: fresh.url });
	});
	afterAll(async () => {
		await server?.stop();
		await fresh?.drop();
	});

	const post = (p: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
		fetch(`${server.url}${p}`, {
			method: 'POST',
			redirect: 'manual',
			headers: {
				'content-type': 'application/x-www-form-urlencoded',
				origin: server.url,
				accept: 'text/html',
				...headers
			},
			body: new URLSearchParams(form)
		});

	async function signIn(next = ''): Promise<{ cookie: string; res: Response }> {
		const res = await post('/login', { email: EMAIL, password: PASSWORD, next });
		return { cookie: (res.headers.get('set-cookie') ?? '').split(';')[0], res };
	}

	const HOSTILE_NEXT = [
		'/\t/evil.example/phish',
		'/\n/evil.example',
		'/\r\n/evil.example',
		'//evil.example',
		'/\\evil.example',
		'\\\\evil.example',
		'https://evil.example/',
		'http:evil.example',
		'javascript:alert(1)',
		'/.//evil.example',
		'\u0000/admin',
		'/admin\u0000',
		' //evil.example',
		'/login',
		'/logout'
	];

	/** Where a Location (or a link) leads, resolved as a browser would, tabs and newlines dropped first. */
	const lands = (loc: string) => new URL(loc.replace(/[\t\n\r]/g, ''), server.url);

	it('the sign-in page and its action keep `next` on this site, whatever is sent, and never fail', async () => {
		for (const next of HOSTILE_NEXT) {
			const page = await fetch(`${server.url}/login?next=${encodeURIComponent(next)}`, { redirect: 'manual' });
			expect(page.status, JSON.stringify(next)).toBe(200);
			const value = /name="next" value="([^"]*)"/.exec(await page.text())?.[1] ?? '';
			if (value) expect(lands(value).origin, JSON.stringify(next)).toBe(server.url);
			const { res } = await signIn(next);
			expect(res.status, JSON.stringify(next)).toBe(303);
			const loc = res.headers.get('location')!;
			expect(lands(loc).origin, JSON.stringify(next)).toBe(server.url);
			expect(loc, JSON.stringify(next)).toBe('/admin');
		}
		// An encoded slash stays in the path: a page on this site (a 404), not another site.
		const encoded = (await signIn('/%2F/evil.example')).res.headers.get('location')!;
		expect(lands(encoded).origin).toBe(server.url);
		expect(lands(encoded).pathname).toBe('/%2F/evil.example');
		// A path on this site is kept, with its query and fragment.
		const { res } = await signIn('/admin/users?x=1#top');
		expect(res.headers.get('location')).toBe('/admin/users?x=1#top');
	});

	it('the staff guard sends a signed-out person to sign in with a `next` on this site', async () => {
		for (const p of ['/admin/users', '/admin//evil.example', '/entry', `/admin/c/${SLUG}/review?x=%0a`]) {
			const res = await fetch(`${server.url}${p}`, { redirect: 'manual' });
			// A path no route matches is a 404 with no redirect at all.
			if (p === '/admin//evil.example' && res.status === 404) {
				expect(res.headers.get('location')).toBeNull();
				continue;
			}
			expect(res.status, p).toBe(303);
			const loc = lands(res.headers.get('location')!);
			expect(loc.origin).toBe(server.url);
			expect(loc.pathname).toBe('/login');
			const next = loc.searchParams.get('next');
			if (next) expect(lands(next).origin, p).toBe(server.url);
		}
	});

	it('every staff route says no-store: signed in, signed out, its errors and its redirects', async () => {
		const paths = staffPaths();
		expect(paths.length).toBeGreaterThan(30);
		const { cookie, res: signedIn } = await signIn('/admin/users');
		expect(signedIn.headers.get('cache-control'), 'the sign-in redirect').toBe('no-store');
		const unsigned: string[] = [];
		const signed: string[] = [];
		for (const p of [...paths, '/admin/no-such-page', `/admin/c/no-such-consultation`, '/login', '/logout']) {
			const out = await fetch(`${server.url}${p}`, { redirect: 'manual' });
			await out.arrayBuffer();
			if (out.headers.get('cache-control') !== 'no-store') unsigned.push(`${p} ${out.status}`);
			const inn = await fetch(`${server.url}${p}`, { redirect: 'manual', headers: { cookie } });
			await inn.arrayBuffer();
			expect(inn.status, p).not.toBe(500);
			if (inn.headers.get('cache-control') !== 'no-store') signed.push(`${p} ${inn.status}`);
		}
		expect(signed, 'signed in').toEqual([]);
		expect(unsigned, 'signed out').toEqual([]);
		const out = await post('/logout', {}, { cookie });
		expect(out.status).toBe(303);
		expect(out.headers.get('cache-control'), 'the sign-out redirect').toBe('no-store');
	});

	it('writes at most one throttled-sign-in audit row per limit and key in a minute', async () => {
		const before = await fresh.db
			.selectFrom('audit_log')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where('action', '=', 'login.throttled')
			.executeTakeFirstOrThrow();
		let throttled = 0;
		for (let i = 0; i < 60; i++) {
			const res = await post('/login', { email: 'victim@audit.test', password: `wrong-${i}`, next: '' });
			await res.arrayBuffer();
			if (res.status === 429) throttled++;
		}
		expect(throttled).toBeGreaterThan(20);
		const rows = await fresh.db
			.selectFrom('audit_log')
			.select(['detail'])
			.where('action', '=', 'login.throttled')
			.execute();
		const added = rows.length - Number(before.n);
		expect(added).toBeGreaterThanOrEqual(1);
		// One per limit (this account from one address, one address, this account) at the most.
		expect(added).toBeLessThanOrEqual(3);
		const kinds = rows.slice(Number(before.n)).map((r) => /\(([^)]*)\)/.exec(r.detail ?? '')?.[1]);
		expect(new Set(kinds).size).toBe(kinds.length);
	});
});
