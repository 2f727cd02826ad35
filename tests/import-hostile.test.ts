/**
 * Hostile uploads against the built server: each file that once stalled or
 * killed the server (a heading in column XFD over 2,000 rows, a header of two
 * million commas, a zip that inflates to 400 MB, one that lies about it, a
 * workbook of 2,000 sheets) gets a clear message to the officer, while
 * /healthz keeps answering within a second throughout, and the server is
 * still there to import a good file afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	commaHeaderCsv,
	commaRowCsv,
	lastColumnXlsx,
	lyingZipBombXlsx,
	manySheetsXlsx,
	zipBombXlsx,
	type HostileFile
} from '../scripts/lib/hostile-files';
import { startBuiltServer, type RunningServer } from './helpers/server';
import { addUser } from './helpers/users';
import { preparedDatabase, type FreshDb } from './helpers/databases';

/** Polls /healthz one request after another until stopped; returns the slowest answer (ms) and any failure. */
function watchHealth(url: string) {
	let stop = false;
	let slowest = 0;
	let failures = 0;
	let answered = 0;
	const loop = (async () => {
		const deadline = Date.now() + 120_000;
		while (!stop && Date.now() < deadline) {
			const t = performance.now();
			try {
				const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(5_000) });
				await res.arrayBuffer();
				if (!res.ok) failures++;
				else answered++;
			} catch {
				failures++;
			}
			slowest = Math.max(slowest, performance.now() - t);
			await new Promise((r) => setTimeout(r, 25));
		}
	})();
	return async () => {
		stop = true;
		await loop;
		return { slowest, failures, answered };
	};
}

describe('hostile uploads on the built server', () => {
	let server: RunningServer;
	let fresh: FreshDb;
	let cookie = '';
	let consultationId = 0;

	beforeAll(async () => {
		const open = (fresh = await preparedDatabase('sqlite'));
		await addUser(open.db, { email: 'officer@hostile.test', role: 'officer', password: 'officer-password-1' }, null);
		consultationId = (await open.db.selectFrom('consultation').select('id').executeTakeFirstOrThrow()).id;
		await open.close();
		// The body limit scripts/start.ts sets for the app (adapter-node's default is 512 KB).
		server = await startBuiltServer({ DATABASE_URL: fresh.url, BODY_SIZE_LIMIT: '25M' });
		const res = await fetch(`${server.url}/login`, {
			method: 'POST',
			redirect: 'manual',
			headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url, accept: 'text/html' },
			body: new URLSearchParams({ email: 'officer@hostile.test', password: 'officer-password-1' })
		});
		expect(res.status).toBe(303);
		cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
		// Load the import page's code once (as any first visit does), so the files below are timed on their own.
		expect((await upload('warm.csv', new TextEncoder().encode('text,question\nhello,q1\n'))).status).toBe(303);
	});
	afterAll(async () => {
		await server?.stop();
		await fresh?.drop();
	});

	async function upload(name: string, bytes: Uint8Array) {
		const form = new FormData();
		form.set('consultationId', String(consultationId));
		form.set('file', new File([bytes as Uint8Array<ArrayBuffer>], name));
		const res = await fetch(`${server.url}/admin/import?/upload`, {
			method: 'POST',
			redirect: 'manual',
			headers: { cookie, origin: server.url, accept: 'text/html' },
			body: form
		});
		return { status: res.status, location: res.headers.get('location'), body: await res.text() };
	}

	const cases: [string, () => HostileFile | Promise<HostileFile>][] = [
		['a heading in XFD1 over 2,000 rows', () => lastColumnXlsx(2000)],
		['a CSV header of two million commas', () => commaHeaderCsv(2_000_000)],
		['a CSV row of nine million commas', () => commaRowCsv(9_000_000)],
		['an XLSX that inflates to 400 MB', () => zipBombXlsx(400)],
		['an XLSX that inflates to 400 MB but declares 1 KB', () => lyingZipBombXlsx(400)],
		['a workbook of 2,000 sheets', () => manySheetsXlsx(2000)]
	];

	for (const [what, make] of cases) {
		it(`refuses ${what} with a clear message, /healthz answering within 1 s throughout`, async () => {
			const file = await make();
			const done = watchHealth(server.url);
			const res = await upload(file.name, file.bytes);
			const health = await done();
			expect(res.status).toBe(400);
			expect(res.body).toMatch(file.expect);
			expect(res.body).toContain('class="error-summary"');
			expect(health.failures).toBe(0);
			expect(health.answered).toBeGreaterThan(0);
			expect(health.slowest).toBeLessThan(1000);
			expect(server.process.exitCode).toBeNull();
		});
	}

	it('still reads a good file afterwards, NUL characters anywhere cleaned rather than refused', async () => {
		const padding = 'x'.repeat(9000);
		const csv = `text,question,group\n"${padding}",q1,child\n"Somewhere\u0000 safe to go",q2,child\n`;
		const res = await upload('good.csv', new TextEncoder().encode(csv));
		expect(res.status).toBe(303);
		expect(res.location).toMatch(/^\/admin\/import\?token=/);
		const preview = await fetch(`${server.url}${res.location}`, { headers: { cookie } });
		const html = await preview.text();
		expect(preview.status).toBe(200);
		expect(html).toContain('Somewhere safe to go');
		expect(html).not.toContain('\u0000');
	});
});
