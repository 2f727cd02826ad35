/**
 * Route × role matrix: every route under src/routes/admin, src/routes/(staff)
 * and src/routes/api is found by walking the filesystem (so routes added later
 * are covered without editing this file), requested as anonymous, entry,
 * officer, manager (an officer with the "manage consultations" permission)
 * and admin against the built server, and checked against the
 * expectations below. A route whose prefix has no expectation, or whose
 * parameters have no value here, FAILS the test: decide who may see it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addLocation } from '../src/lib/server/entry/locations';
import { startSession } from '../src/lib/server/entry/sessions';
import { syncEntries } from '../src/lib/server/entry/entries';
import { getConsultation } from '../src/lib/server/consultations/queries';
import { startSampleCheck } from '../src/lib/server/sample-check/index';
import { startBuiltServer, type RunningServer } from './helpers/server';
import { SLUG } from './helpers/consultation';
import { addUser } from './helpers/users';
import { preparedDatabase, type FreshDb } from './helpers/databases';

type Who = 'anonymous' | 'entry' | 'officer' | 'manager' | 'admin';
const WHO: Who[] = ['anonymous', 'entry', 'officer', 'manager', 'admin'];
type Access = 'login' | 'forbidden' | 'ok' | 'unauthorised';

/** Who may use each area, most specific prefix first. */
const STAFF_PAGES =
	(allowed: Who[]) =>
	(who: Who): Access =>
		who === 'anonymous' ? 'login' : allowed.includes(who) ? 'ok' : 'forbidden';
const EXPECTATIONS: { prefix: string; access: (who: Who) => Access }[] = [
	{ prefix: '/admin/users', access: STAFF_PAGES(['admin']) },
	{ prefix: '/admin/answers', access: STAFF_PAGES(['admin']) },
	{ prefix: '/admin/privacy', access: STAFF_PAGES(['admin']) },
	// the matrix officer and manager have no safeguarding permission
	{ prefix: '/admin/safeguarding', access: STAFF_PAGES(['admin']) },
	// the consultation builder: admins, and officers given "manage consultations" (the manager); never entry staff
	{ prefix: '/admin/consultations', access: STAFF_PAGES(['admin', 'manager']) },
	{ prefix: '/admin', access: STAFF_PAGES(['admin', 'officer', 'manager']) },
	{ prefix: '/entry', access: STAFF_PAGES(['admin', 'officer', 'manager', 'entry']) },
	{ prefix: '/api/entry', access: (who) => (who === 'anonymous' ? 'unauthorised' : 'ok') },
	// the public survey's JSON endpoint: anyone may post a response
	{ prefix: '/api/s/', access: () => 'ok' }
];

interface Route {
	file: string;
	pattern: string;
	url: string;
	kind: 'page' | 'endpoint';
	methods: string[];
	actions: string[];
}

function walk(dir: string, out: string[] = []): string[] {
	if (!fs.existsSync(dir)) throw new Error(`${dir} is missing: the route matrix would check nothing there`);
	for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
		const p = path.join(dir, e.name);
		if (e.isDirectory()) walk(p, out);
		else if (/^\+(page(\.server)?\.(ts|js|svelte)|server\.(ts|js))$/.test(e.name)) out.push(p);
	}
	return out;
}

function discover(params: Record<string, string>): { routes: Route[]; missing: string[] } {
	const files = ['src/routes/admin', 'src/routes/(staff)', 'src/routes/api'].flatMap((d) => walk(d));
	const byDir = new Map<string, string[]>();
	for (const f of files) byDir.set(path.dirname(f), [...(byDir.get(path.dirname(f)) ?? []), path.basename(f)]);
	const routes: Route[] = [];
	const missing: string[] = [];
	for (const [dir, names] of byDir) {
		const segments = path
			.relative('src/routes', dir)
			.split(path.sep)
			.filter((s) => !/^\(.*\)$/.test(s));
		const pattern = `/${segments.join('/')}`;
		const url = pattern.replace(/\[\[?(?:\.\.\.)?(\w+)\]?\]/g, (m, name) => {
			const v = params[`${pattern}:${name}`] ?? params[name];
			if (v === undefined) missing.push(`${pattern} needs a value for [${name}] in the matrix test`);
			return v ?? m;
		});
		const server = names.find((n) => n.startsWith('+server'));
		if (server) {
			const src = fs.readFileSync(path.join(dir, server), 'utf8');
			const methods = [
				...src.matchAll(/export\s+(?:const|async\s+function|function)\s+(GET|POST|PUT|PATCH|DELETE)\b/g)
			].map((m) => m[1]);
			routes.push({ file: path.join(dir, server), pattern, url, kind: 'endpoint', methods, actions: [] });
		}
		if (names.some((n) => n.startsWith('+page'))) {
			const serverFile = names.find((n) => /^\+page\.server\./.test(n));
			let actions: string[] = [];
			if (serverFile) {
				const src = fs.readFileSync(path.join(dir, serverFile), 'utf8');
				const at = src.search(/export\s+const\s+actions/);
				if (at >= 0)
					actions = [...new Set([...src.slice(at).matchAll(/^\t(\w+)\s*:\s*(?:async|\()/gm)].map((m) => m[1]))];
			}
			routes.push({
				file: path.join(dir, serverFile ?? names[0]),
				pattern,
				url,
				kind: 'page',
				methods: ['GET'],
				actions
			});
		}
	}
	return { routes: routes.sort((a, b) => a.url.localeCompare(b.url)), missing };
}

function expectationFor(url: string) {
	return EXPECTATIONS.find(
		(e) =>
			url === e.prefix ||
			url.startsWith(e.prefix.endsWith('/') ? e.prefix : `${e.prefix}/`) ||
			url === e.prefix.replace(/\/$/, '')
	);
}

describe('route × role matrix on the built server', () => {
	let server: RunningServer;
	let fresh: FreshDb;
	const cookies: Partial<Record<Who, string>> = {};
	const params: Record<string, string> = { slug: SLUG };

	beforeAll(async () => {
		const open = (fresh = await preparedDatabase('sqlite'));
		const ids: Record<string, number> = {};
		for (const role of ['admin', 'officer', 'entry'] as const) {
			ids[role] = (
				await addUser(open.db, { email: `${role}@matrix.test`, role, password: `${role}-password-1` }, null)
			).id;
		}
		const manager = await addUser(
			open.db,
			{ email: 'manager@matrix.test', role: 'officer', password: 'manager-password-1' },
			null
		);
		await open.db.updateTable('app_user').set({ can_manage_consultations: 1 }).where('id', '=', manager.id).execute();
		const c = await open.db.selectFrom('consultation').select('id').executeTakeFirstOrThrow();
		const loc = await addLocation(
			open.db,
			{ name: 'Kidderminster Library', district: 'wyre-forest', kind: 'library' },
			new Set(['wyre-forest']),
			ids.admin
		);
		const sessionId = await startSession(
			open.db,
			{ consultationId: c.id, locationId: loc.id, date: '2017-06-12', channel: 'library', question: 'q1', group: '' },
			{ id: ids.entry, role: 'entry' }
		);
		await syncEntries(
			open.db,
			[{ id: randomUUID(), sessionId, questionKey: 'q1', group: null, district: null, text: 'A skate park' }],
			{ id: ids.entry, role: 'entry' }
		);
		const answer = await open.db.selectFrom('answer').select('id').executeTakeFirstOrThrow();
		// A sample check to open: the answer counts as machine-coded once it has been coded.
		await open.db.updateTable('answer').set({ coded_at: new Date().toISOString() }).execute();
		const sampleId = await startSampleCheck(
			open.db,
			(await getConsultation(open.db, SLUG))!,
			{ size: 5, seed: 1 },
			{ id: ids.officer }
		);
		await open.close();
		Object.assign(params, {
			'/admin/users/[id]:id': String(ids.admin),
			'/entry/s/[id]:id': String(sessionId),
			'/admin/answers/[id]:id': String(answer.id),
			'/admin/c/[slug]/export/table/[file]:file': 'agreement.csv',
			'/admin/c/[slug]/sample/[id]:id': String(sampleId),
			'/admin/consultations/[slug]/codebooks/[key]:key': 'q1'
		});
		server = await startBuiltServer({ DATABASE_URL: fresh.url, BODY_SIZE_LIMIT: '25M' });
		for (const role of ['admin', 'officer', 'manager', 'entry'] as const) {
			const res = await fetch(`${server.url}/login`, {
				method: 'POST',
				redirect: 'manual',
				headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url, accept: 'text/html' },
				body: new URLSearchParams({ email: `${role}@matrix.test`, password: `${role}-password-1` })
			});
			expect(res.status).toBe(303);
			const set = res.headers.get('set-cookie') ?? '';
			expect(set).toMatch(/HttpOnly/i);
			expect(set).toMatch(/SameSite=Lax/i);
			cookies[role] = set.split(';')[0];
		}
	});
	afterAll(async () => {
		await server?.stop();
		await fresh?.drop();
	});

	async function request(who: Who, method: string, url: string, route: Route) {
		const headers: Record<string, string> = { origin: server.url, accept: 'text/html' };
		if (cookies[who as Exclude<Who, 'anonymous'>]) headers.cookie = cookies[who as Exclude<Who, 'anonymous'>]!;
		let body: string | undefined;
		if (method === 'POST') {
			if (route.kind === 'endpoint') {
				headers['content-type'] = 'application/json';
				headers.accept = 'application/json';
				body = route.url.startsWith('/api/entry') ? '{"entries":[]}' : '{}';
			} else {
				headers['content-type'] = 'application/x-www-form-urlencoded';
				body = '';
			}
		}
		const res = await fetch(`${server.url}${url}`, { method, headers, body, redirect: 'manual' });
		await res.arrayBuffer();
		return res;
	}

	function verdict(res: Response, method: string, route: Route): Access | `other ${number}` {
		const location = res.headers.get('location') ?? '';
		if ((res.status === 303 || res.status === 302) && location.startsWith('/login')) return 'login';
		// The consultation list sends entry staff on to their own screen rather than showing a 403:
		// either way they see nothing of the analysis.
		if (route.url === '/admin' && res.status === 303 && location === '/entry') return 'forbidden';
		if (res.status === 401) return 'unauthorised';
		if (res.status === 403) return 'forbidden';
		if (method === 'GET' && res.status === 200) return 'ok';
		// An action or endpoint reached by an allowed user answers for its (empty) input.
		if (method === 'POST' && [200, 204, 303, 400, 404, 409, 415, 422].includes(res.status)) return 'ok';
		return `other ${res.status}`;
	}

	it('finds the staff routes, knows every prefix and every parameter', () => {
		const { routes, missing } = discover(params);
		expect(missing).toEqual([]);
		const unknown = routes.filter((r) => !expectationFor(r.url)).map((r) => r.pattern);
		expect(unknown, 'routes with no expectation: add their prefix to EXPECTATIONS').toEqual([]);
		for (const must of [
			'/admin',
			'/entry',
			'/entry/s/[id]',
			'/admin/users',
			'/admin/users/[id]',
			'/admin/consultations',
			'/admin/consultations/[slug]',
			'/admin/consultations/[slug]/preview',
			'/admin/consultations/[slug]/translations',
			'/admin/consultations/[slug]/export',
			'/admin/locations',
			'/admin/import',
			'/admin/sessions',
			'/api/entry/sync'
		]) {
			expect(routes.map((r) => r.pattern)).toContain(must);
		}
	});

	it('answers every route, method and action as expected for each role', async () => {
		const { routes } = discover(params);
		const failures: string[] = [];
		let checked = 0;
		for (const route of routes) {
			const exp = expectationFor(route.url)!;
			const calls: { method: string; url: string }[] = [];
			if (route.kind === 'page') {
				calls.push({ method: 'GET', url: route.url });
				for (const a of route.actions)
					calls.push({ method: 'POST', url: a === 'default' ? route.url : `${route.url}?/${a}` });
			} else for (const m of route.methods) calls.push({ method: m, url: route.url });
			for (const who of WHO) {
				for (const call of calls) {
					const res = await request(who, call.method, call.url, route);
					let want = exp.access(who);
					// An endpoint may answer an anonymous caller with 401 instead of a redirect.
					const got = verdict(res, call.method, route);
					if (route.kind === 'endpoint' && want === 'login' && got === 'unauthorised') want = 'unauthorised';
					checked++;
					if (got !== want) failures.push(`${who} ${call.method} ${call.url}: expected ${want}, got ${got}`);
				}
			}
		}
		expect(failures).toEqual([]);
		expect(checked).toBeGreaterThan(60);
		// Several hundred requests one after another (five roles): a minute is not enough on a shared two-core machine.
	}, 240_000);

	it('answers /admin itself (the consultation list) to officers and admins only', async () => {
		const codes: Record<string, number | string> = {};
		for (const who of WHO) {
			const res = await request(who, 'GET', '/admin', { kind: 'page', url: '/admin' } as Route);
			codes[who] = res.status === 303 ? `303 ${res.headers.get('location')}` : res.status;
		}
		expect(codes).toMatchObject({ anonymous: '303 /login?next=%2Fadmin', officer: 200, manager: 200, admin: 200 });
		// 403, or sent on to /entry (what the analysis page does): never the consultation list.
		expect([403, '303 /entry']).toContain(codes.entry);
	});

	it('refuses a cross-site write to every endpoint and every form action, whatever its content type, even with a valid cookie', async () => {
		const { routes } = discover(params);
		const failures: string[] = [];
		let checked = 0;
		for (const route of routes) {
			const calls =
				route.kind === 'page'
					? route.actions.map((a) => ({ method: 'POST', url: a === 'default' ? route.url : `${route.url}?/${a}` }))
					: route.methods.filter((m) => m !== 'GET').map((m) => ({ method: m, url: route.url }));
			for (const call of calls) {
				for (const [type, body] of [
					['application/json', route.url.startsWith('/api/entry') ? '{"entries":[]}' : '{}'],
					['application/x-www-form-urlencoded', ''],
					['text/plain', '']
				]) {
					for (const cross of [{ origin: 'https://evil.example' }, { 'sec-fetch-site': 'cross-site' }] as Record<
						string,
						string
					>[]) {
						// Sec-Fetch-Site alone: SvelteKit's form check wants Origin, so a form post without one is refused too.
						const res = await fetch(`${server.url}${call.url}`, {
							method: call.method,
							redirect: 'manual',
							headers: { cookie: cookies.admin!, 'content-type': type, accept: 'application/json', ...cross },
							body
						});
						await res.arrayBuffer();
						checked++;
						if (res.status !== 403)
							failures.push(`${call.method} ${call.url} (${type}, ${Object.keys(cross)[0]}): ${res.status}`);
					}
				}
			}
		}
		expect(failures).toEqual([]);
		expect(checked).toBeGreaterThan(100);
	});

	it('sends an import over the size cap back to the import page, as a redirect or as the redirect result use:enhance reads', async () => {
		const big = new Uint8Array(10 * 1024 * 1024 + 65 * 1024);
		const post = (extra: Record<string, string>) =>
			fetch(`${server.url}/admin/import?/upload`, {
				method: 'POST',
				redirect: 'manual',
				headers: {
					cookie: cookies.admin!,
					origin: server.url,
					'content-type': 'multipart/form-data; boundary=x',
					...extra
				},
				body: big
			});
		const plain = await post({ accept: 'text/html' });
		expect(plain.status).toBe(303);
		expect(plain.headers.get('location')).toBe('/admin/import?too_large=1');
		const enhanced = await post({ accept: 'application/json', 'x-sveltekit-action': 'true' });
		expect(await enhanced.json()).toMatchObject({
			type: 'redirect',
			status: 303,
			location: '/admin/import?too_large=1'
		});
		const elsewhere = await fetch(`${server.url}/admin/locations?/add`, {
			method: 'POST',
			redirect: 'manual',
			headers: {
				cookie: cookies.admin!,
				origin: server.url,
				'content-type': 'application/x-www-form-urlencoded',
				accept: 'application/json'
			},
			body: big
		});
		expect(elsewhere.status).toBe(413);
	});

	it('signs out with a POST that ends the session', async () => {
		const login = await fetch(`${server.url}/login`, {
			method: 'POST',
			redirect: 'manual',
			headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url, accept: 'text/html' },
			body: new URLSearchParams({ email: 'entry@matrix.test', password: 'entry-password-1' })
		});
		const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
		expect((await fetch(`${server.url}/entry`, { headers: { cookie }, redirect: 'manual' })).status).toBe(200);
		const out = await fetch(`${server.url}/logout`, {
			method: 'POST',
			redirect: 'manual',
			headers: { cookie, origin: server.url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
			body: ''
		});
		expect(out.status).toBe(303);
		expect((await fetch(`${server.url}/entry`, { headers: { cookie }, redirect: 'manual' })).status).toBe(303);
	});
});
