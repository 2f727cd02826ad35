/**
 * The cross-tab page offers two different dimensions only (issue #11): a dimension by itself repeats its one-way
 * table along the diagonal, and "Gender by gender" beside "Channel by gender" read a week's hidden online count off
 * (the week audit's seed 1 with every cross-tab pair opened). Asked for one anyway, the page says what to change (a
 * GOV.UK error summary linked to the Columns field) and shows no table; its export is refused with the same message.
 * Other pairs still show. On the built server (SQLite; the refusal reads no data).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBuiltServer, type RunningServer } from './helpers/server';
import { SLUG } from './helpers/consultation';
import { addUser } from './helpers/users';
import { signIn } from './helpers/officer';
import { preparedDatabase, type FreshDb } from './helpers/databases';

describe('cross-tabs of one dimension by itself', () => {
	let server: RunningServer;
	let fresh: FreshDb;
	let cookie: string;

	beforeAll(async () => {
		fresh = await preparedDatabase('sqlite');
		await addUser(fresh.db, { email: 'officer@crosstab.test', role: 'officer', password: 'officer-password-1' });
		server = await startBuiltServer({ DATABASE_URL: fresh.url });
		cookie = await signIn(server.url, 'officer@crosstab.test', 'officer-password-1');
	}, 120_000);
	afterAll(async () => {
		await server?.stop();
		await fresh?.drop();
	});

	const get = (path: string) => fetch(`${server.url}${path}`, { headers: { cookie, accept: 'text/html' } });

	it('the page explains the choice and shows no table', async () => {
		const res = await get(`/admin/c/${SLUG}/crosstab?a=gender&b=gender&percent=none`);
		expect(res.status).toBe(200);
		const html = await res.text();
		expect(html).toMatch(/<title>Error: Cross-tabs/);
		expect(html).toContain('There is a problem');
		expect(html).toContain('href="#b"');
		expect(html).toContain('Select a different dimension for the columns than for the rows');
		expect(html).not.toContain('<table');
	});

	it('the export of that table is refused with the same message', async () => {
		const res = await get(`/admin/c/${SLUG}/export/table/crosstab.csv?a=gender&b=gender&percent=none`);
		expect(res.status).toBe(400);
		expect(await res.text()).toContain('Select a different dimension for the columns than for the rows');
	});

	it('two different dimensions still show their table and export', async () => {
		const page = await get(`/admin/c/${SLUG}/crosstab?a=gender&b=channel&percent=none`);
		expect(page.status).toBe(200);
		const html = await page.text();
		expect(html).toContain('<table');
		expect(html).not.toContain('There is a problem');
		const csv = await get(`/admin/c/${SLUG}/export/table/crosstab.csv?a=gender&b=channel&percent=none`);
		expect(csv.status).toBe(200);
	});
});
