import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { createUser, updateUser, setPassword, UserError } from '../src/lib/server/users/index';
import { login, resetLoginLimits, LOGIN_FAILED, loginPolicies } from '../src/lib/server/auth/login';
import { hashToken, validateSession } from '../src/lib/server/auth/session';

describeEachEngine('staff accounts and sessions', (engine) => {
	let db: FreshDb;
	let adminId: number;
	beforeAll(async () => {
		db = await preparedDatabase(engine);
		adminId = (
			await createUser(db.db, { email: 'Admin@Example.gov.uk', role: 'admin', password: 'admin-password-1' }, null)
		).id;
		await createUser(db.db, { email: 'leaf@example.gov.uk', role: 'entry', password: 'entry-password-1' }, adminId);
	});
	afterAll(async () => db?.drop());
	beforeEach(() => resetLoginLimits());

	const attempt = (email: string, password: string, client = '10.0.0.1', replacing?: string, now?: number) =>
		login(db.db, { email, password, client, replacing }, now);
	/** 'ok', or why the attempt was refused. */
	const outcome = async (...args: Parameters<typeof attempt>) => {
		const r = await attempt(...args);
		return r.ok ? 'ok' : r.reason;
	};

	it('stores an argon2id hash, never the password, and signs in with either case of email', async () => {
		const row = await db.db
			.selectFrom('app_user')
			.select(['email', 'password_hash'])
			.where('email', '=', 'admin@example.gov.uk')
			.executeTakeFirstOrThrow();
		expect(row.password_hash.startsWith('$argon2id$')).toBe(true);
		expect(row.password_hash).not.toContain('admin-password-1');
		const r = await attempt('ADMIN@example.gov.uk ', 'admin-password-1');
		expect(r.ok).toBe(true);
	});

	it('keeps only the SHA-256 of the session token and finds the user from the token', async () => {
		const r = await attempt('leaf@example.gov.uk', 'entry-password-1');
		if (!r.ok) throw new Error('login failed');
		expect(r.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
		const rows = await db.db.selectFrom('login_session').select('id').execute();
		expect(rows.map((x) => x.id)).toContain(hashToken(r.token));
		expect(rows.map((x) => x.id)).not.toContain(r.token);
		const s = await validateSession(db.db, r.token);
		expect(s?.user).toMatchObject({ email: 'leaf@example.gov.uk', role: 'entry', canSafeguard: false });
		expect(await validateSession(db.db, `${r.token}x`)).toBeNull();
	});

	it('gives the same message for an unknown email and a wrong password', async () => {
		const a = await attempt('nobody@example.gov.uk', 'whatever-it-is');
		const b = await attempt('leaf@example.gov.uk', 'wrong-password-9');
		expect(a).toEqual({ ok: false, reason: 'failed', message: LOGIN_FAILED });
		expect(b).toEqual(a);
	});

	it('ends a session after inactivity and renews it on use', async () => {
		const r = await attempt('leaf@example.gov.uk', 'entry-password-1');
		if (!r.ok) throw new Error('login failed');
		const soon = new Date(Date.now() + 90 * 60_000);
		const renewed = await validateSession(db.db, r.token, soon);
		expect(renewed?.renewed).toBe(true);
		// 90 minutes later again: still alive because the last use renewed it.
		expect(await validateSession(db.db, r.token, new Date(soon.getTime() + 90 * 60_000))).not.toBeNull();
		// Three idle hours: gone, and the row deleted.
		expect(await validateSession(db.db, r.token, new Date(Date.now() + 6 * 3_600_000))).toBeNull();
		expect(
			await db.db.selectFrom('login_session').select('id').where('id', '=', hashToken(r.token)).executeTakeFirst()
		).toBeUndefined();
	});

	it('rotates the token at sign-in: the old cookie stops working', async () => {
		const first = await attempt('leaf@example.gov.uk', 'entry-password-1');
		if (!first.ok) throw new Error('login failed');
		const second = await attempt('leaf@example.gov.uk', 'entry-password-1', '10.0.0.1', first.token);
		if (!second.ok) throw new Error('login failed');
		expect(await validateSession(db.db, first.token)).toBeNull();
		expect(await validateSession(db.db, second.token)).not.toBeNull();
	});

	it('after repeated failures asks for a growing wait, never a lock: the wait ends and the right password works', async () => {
		const t0 = Date.now();
		const free = loginPolicies().pair.free;
		for (let i = 0; i < free; i++)
			expect(await outcome('leaf@example.gov.uk', `wrong-${i}-password`, '10.1.0.1', undefined, t0)).toBe('failed');
		// The next attempt from that address must wait 1 s, then 2 s after another failure.
		const early = await attempt('leaf@example.gov.uk', 'entry-password-1', '10.1.0.1', undefined, t0);
		expect(early).toMatchObject({ ok: false, reason: 'throttled', retryAfter: 1 });
		if (early.ok) throw new Error('unexpected');
		expect(early.message).toMatch(/Wait 1 second, then try again/);
		expect(await outcome('leaf@example.gov.uk', 'wrong-again-1', '10.1.0.1', undefined, t0 + 1000)).toBe('failed');
		expect(await attempt('leaf@example.gov.uk', 'entry-password-1', '10.1.0.1', undefined, t0 + 2000)).toMatchObject({
			reason: 'throttled',
			retryAfter: 1
		});
		expect((await attempt('leaf@example.gov.uk', 'entry-password-1', '10.1.0.1', undefined, t0 + 3000)).ok).toBe(true);
	});

	it("the right password from a new address is not kept out by someone else's failures", async () => {
		const t0 = Date.now();
		// Five wrong passwords from elsewhere (yesterday's hard lock): no wait at all for the owner.
		for (let i = 0; i < 5; i++) await attempt('leaf@example.gov.uk', `wrong-${i}-password`, '10.6.6.6', undefined, t0);
		expect((await attempt('leaf@example.gov.uk', 'entry-password-1', '10.2.0.1', undefined, t0)).ok).toBe(true);
		// A long attack on the account from many addresses: the owner waits at most LOGIN_ACCOUNT_MAX_DELAY.
		for (let i = 0; i < 40; i++)
			await attempt('leaf@example.gov.uk', `wrong-${i}-password`, `10.7.${i}.1`, undefined, t0);
		const max = loginPolicies().account.maxSeconds;
		const asked = await attempt('leaf@example.gov.uk', 'entry-password-1', '10.2.0.1', undefined, t0);
		expect(asked).toMatchObject({ ok: false, reason: 'throttled' });
		expect((asked as { retryAfter: number }).retryAfter).toBeLessThanOrEqual(max);
		expect((await attempt('leaf@example.gov.uk', 'entry-password-1', '10.2.0.1', undefined, t0 + max * 1000)).ok).toBe(
			true
		);
	});

	it('slows an address that tries many accounts, and not other addresses', async () => {
		const t0 = Date.now();
		const free = loginPolicies().client.free;
		for (let i = 0; i < free; i++)
			await attempt(`guess${i}@example.gov.uk`, 'password-guess', '10.9.9.9', undefined, t0);
		expect(await attempt('admin@example.gov.uk', 'admin-password-1', '10.9.9.9', undefined, t0)).toMatchObject({
			reason: 'throttled'
		});
		expect((await attempt('admin@example.gov.uk', 'admin-password-1', '10.9.9.8', undefined, t0)).ok).toBe(true);
		// An IPv6 client cannot walk round it by changing address inside its /64.
		for (let i = 0; i < free; i++)
			await attempt(`guess${i}@example.gov.uk`, 'password-guess', `2001:db8:9:9::${i + 1}`, undefined, t0);
		expect(
			await attempt('admin@example.gov.uk', 'admin-password-1', '2001:db8:9:9::ffff', undefined, t0)
		).toMatchObject({ reason: 'throttled' });
	});

	it('writes an audit row for refused attempts at most once a minute per limit, not one per attempt', async () => {
		const t0 = Date.now();
		const before = await db.db.selectFrom('audit_log').select('id').where('action', '=', 'login.throttled').execute();
		for (let i = 0; i < 4; i++) await attempt('admin@example.gov.uk', `wrong-${i}-password`, '10.4.4.4', undefined, t0);
		for (let i = 0; i < 50; i++)
			expect(await outcome('admin@example.gov.uk', 'whatever-guess', '10.4.4.4', undefined, t0)).toBe('throttled');
		const after = await db.db
			.selectFrom('audit_log')
			.select(['id', 'detail'])
			.where('action', '=', 'login.throttled')
			.execute();
		expect(after.length - before.length).toBe(1);
		expect(after.at(-1)!.detail).not.toMatch(/10\.4\.4\.4/);
	});

	it('disabling a user ends their sessions at once and refuses sign-in; audit rows hold no hashes', async () => {
		const u = await createUser(
			db.db,
			{ email: 'temp@example.gov.uk', role: 'officer', password: 'temp-password-1' },
			adminId
		);
		const r = await attempt('temp@example.gov.uk', 'temp-password-1');
		if (!r.ok) throw new Error('login failed');
		await updateUser(db.db, u.id, { disabled: true }, adminId);
		expect(await validateSession(db.db, r.token)).toBeNull();
		expect((await attempt('temp@example.gov.uk', 'temp-password-1')).ok).toBe(false);
		await updateUser(db.db, u.id, { disabled: false, canSafeguard: true }, adminId);
		await setPassword(db.db, u.id, 'another-password-2', adminId);
		expect((await attempt('temp@example.gov.uk', 'another-password-2')).ok).toBe(true);
		const rows = await db.db
			.selectFrom('audit_log')
			.selectAll()
			.where('entity', '=', 'app_user')
			.where('entity_id', '=', String(u.id))
			.orderBy('id')
			.execute();
		expect(rows.map((r) => r.action)).toEqual(
			expect.arrayContaining([
				'user.create',
				'login',
				'user.disable',
				'login.failed',
				'user.enable',
				'user.password_reset'
			])
		);
		const disable = rows.find((r) => r.action === 'user.disable')!;
		expect(JSON.parse(disable.before!)).toMatchObject({ disabled: false });
		expect(JSON.parse(disable.after!)).toMatchObject({ disabled: true });
		for (const row of rows) expect(`${row.before}${row.after}${row.detail}`).not.toMatch(/argon2|password-/);
	});

	it('keeps an active admin when two admins disable each other at the same moment', async () => {
		for (let round = 0; round < 4; round++) {
			const a = await createUser(
				db.db,
				{ email: `race-a${round}@example.gov.uk`, role: 'admin', password: 'race-password-1' },
				adminId
			);
			const b = await createUser(
				db.db,
				{ email: `race-b${round}@example.gov.uk`, role: 'admin', password: 'race-password-1' },
				adminId
			);
			// Only these two are active admins: the first admin steps down for the race.
			await db.db
				.updateTable('app_user')
				.set({ disabled: 1 })
				.where('role', '=', 'admin')
				.where('id', 'not in', [a.id, b.id])
				.execute();
			const results = await Promise.allSettled([
				updateUser(db.db, b.id, { disabled: true }, a.id),
				updateUser(db.db, a.id, { disabled: true }, b.id)
			]);
			const active = await db.db
				.selectFrom('app_user')
				.select('id')
				.where('role', '=', 'admin')
				.where('disabled', '=', 0)
				.execute();
			expect(active).toHaveLength(1);
			expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
			const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
			expect(refused.reason).toBeInstanceOf(UserError);
			expect(String(refused.reason.message)).toMatch(/only active admin/);
			await db.db.updateTable('app_user').set({ disabled: 0 }).where('id', '=', adminId).execute();
			await db.db.updateTable('app_user').set({ disabled: 1 }).where('id', 'in', [a.id, b.id]).execute();
		}
	});

	it('refuses to remove the last active admin, a duplicate email and a short password', async () => {
		await expect(updateUser(db.db, adminId, { role: 'officer' }, adminId)).rejects.toThrow(/only active admin/);
		await expect(
			createUser(db.db, { email: 'admin@example.gov.uk', role: 'entry', password: 'long-enough-1' }, adminId)
		).rejects.toThrow(UserError);
		await expect(
			createUser(db.db, { email: 'new@example.gov.uk', role: 'entry', password: 'short' }, adminId)
		).rejects.toThrow(/at least 10/);
		await expect(
			createUser(db.db, { email: 'new@example.gov.uk', role: 'boss', password: 'long-enough-1' }, adminId)
		).rejects.toThrow(/Role/);
	});
});
