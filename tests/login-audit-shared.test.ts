/**
 * The audit row for refused sign-in attempts is written at most once a minute per limit and key (auth/login.ts).
 * On PostgreSQL several app instances serve one installation, so that counter lives in the shared store
 * (http/limit-store.ts) like the other limits: two instances refusing the same key write one row, not one each.
 * Each instance is a fresh copy of the login and limit-store modules (their counters are module state), both
 * sharing limits through the same database, as db/instance.ts does at start-up. PostgreSQL only (on SQLite there
 * is one process).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TEST_DATABASE_URL, preparedDatabase, type FreshDb } from './helpers/databases';
import { createUser } from '../src/lib/server/users/index';

type LoginModule = typeof import('../src/lib/server/auth/login');
type StoreModule = typeof import('../src/lib/server/http/limit-store');

/** A copy of the modules holding login's counters, as a second process would have. */
async function instance(fresh: FreshDb): Promise<{ login: LoginModule; store: StoreModule }> {
	vi.resetModules();
	const store = await import('../src/lib/server/http/limit-store');
	const login = await import('../src/lib/server/auth/login');
	await store.shareLimitsThrough(fresh);
	return { login, store };
}

describe.skipIf(!TEST_DATABASE_URL)('throttled sign-in audits across instances [postgres]', () => {
	let fresh: FreshDb;
	let a: Awaited<ReturnType<typeof instance>>;
	let b: Awaited<ReturnType<typeof instance>>;

	beforeAll(async () => {
		fresh = await preparedDatabase('postgres');
		await createUser(fresh.db, { email: 'admin@example.gov.uk', role: 'admin', password: 'admin-password-1' }, null);
		a = await instance(fresh);
		b = await instance(fresh);
	}, 120_000);
	afterAll(async () => {
		a?.store.stopSharingLimits();
		b?.store.stopSharingLimits();
		await fresh?.drop();
	});

	it('writes one audit row a minute per key, whichever instance refuses', async () => {
		expect(a.login).not.toBe(b.login); // two copies, two sets of counters in memory
		const t0 = Date.now();
		const attempt = (m: LoginModule, password: string) =>
			m.login(fresh.db, { email: 'admin@example.gov.uk', password, client: '10.7.7.7' }, t0);
		// Each instance counts failures in its own memory: three free ones on each, then both refuse (pair limit).
		for (const m of [a.login, b.login])
			for (let i = 0; i < 3; i++) expect(await attempt(m, `wrong-${i}-password`)).toMatchObject({ reason: 'failed' });
		const before = await fresh.db
			.selectFrom('audit_log')
			.select('id')
			.where('action', '=', 'login.throttled')
			.execute();
		for (let i = 0; i < 5; i++)
			for (const m of [a.login, b.login])
				expect(await attempt(m, 'whatever-guess')).toMatchObject({ ok: false, reason: 'throttled' });
		const after = await fresh.db.selectFrom('audit_log').select('id').where('action', '=', 'login.throttled').execute();
		expect(after.length - before.length).toBe(1);
		// Only a keyed hash of the key (email and address) is stored in the shared table.
		const keys = await fresh.db.selectFrom('rate_limit').select('key').execute();
		expect(keys.some((k) => k.key.startsWith('login-throttled-audit'))).toBe(true);
		expect(keys.map((k) => k.key).join(' ')).not.toMatch(/10\.7\.7|example\.gov\.uk/);
	});
});
