import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { createUser, updateUser, setPassword, UserError } from '../src/lib/server/users/index';
import { login, resetLoginLimits, LOGIN_FAILED, LOGIN_THROTTLED, limits } from '../src/lib/server/auth/login';
import { hashToken, validateSession } from '../src/lib/server/auth/session';

describeEachEngine('staff accounts and sessions', (engine) => {
	let db: FreshDb;
	let adminId: number;
	beforeAll(async () => {
		db = await preparedDatabase(engine);
		adminId = (await createUser(db.db, { email: 'Admin@Example.gov.uk', role: 'admin', password: 'admin-password-1' }, null)).id;
		await createUser(db.db, { email: 'leaf@example.gov.uk', role: 'entry', password: 'entry-password-1' }, adminId);
	});
	afterAll(async () => db?.drop());
	beforeEach(() => resetLoginLimits());

	const attempt = (email: string, password: string, client = '10.0.0.1', replacing?: string) =>
		login(db.db, { email, password, client, replacing });

	it('stores an argon2id hash, never the password, and signs in with either case of email', async () => {
		const row = await db.db.selectFrom('app_user').select(['email', 'password_hash']).where('email', '=', 'admin@example.gov.uk').executeTakeFirstOrThrow();
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
		expect(await db.db.selectFrom('login_session').select('id').where('id', '=', hashToken(r.token)).executeTakeFirst()).toBeUndefined();
	});

	it('rotates the token at sign-in: the old cookie stops working', async () => {
		const first = await attempt('leaf@example.gov.uk', 'entry-password-1');
		if (!first.ok) throw new Error('login failed');
		const second = await attempt('leaf@example.gov.uk', 'entry-password-1', '10.0.0.1', first.token);
		if (!second.ok) throw new Error('login failed');
		expect(await validateSession(db.db, first.token)).toBeNull();
		expect(await validateSession(db.db, second.token)).not.toBeNull();
	});

	it('throttles an account after repeated failures, even with the right password then', async () => {
		for (let i = 0; i < limits.perAccount; i++) await attempt('leaf@example.gov.uk', `wrong-${i}-password`, `10.1.0.${i}`);
		const r = await attempt('leaf@example.gov.uk', 'entry-password-1', '10.2.0.1');
		expect(r).toEqual({ ok: false, reason: 'throttled', message: LOGIN_THROTTLED });
		// Another account from another address is unaffected.
		expect((await attempt('admin@example.gov.uk', 'admin-password-1', '10.3.0.1')).ok).toBe(true);
	});

	it('throttles a client address that tries many accounts', async () => {
		for (let i = 0; i < limits.perClient; i++) await attempt(`guess${i}@example.gov.uk`, 'password-guess', '10.9.9.9');
		expect((await attempt('admin@example.gov.uk', 'admin-password-1', '10.9.9.9')).ok).toBe(false);
		expect((await attempt('admin@example.gov.uk', 'admin-password-1', '10.9.9.8')).ok).toBe(true);
	});

	it('disabling a user ends their sessions at once and refuses sign-in; audit rows hold no hashes', async () => {
		const u = await createUser(db.db, { email: 'temp@example.gov.uk', role: 'officer', password: 'temp-password-1' }, adminId);
		const r = await attempt('temp@example.gov.uk', 'temp-password-1');
		if (!r.ok) throw new Error('login failed');
		await updateUser(db.db, u.id, { disabled: true }, adminId);
		expect(await validateSession(db.db, r.token)).toBeNull();
		expect((await attempt('temp@example.gov.uk', 'temp-password-1')).ok).toBe(false);
		await updateUser(db.db, u.id, { disabled: false, canSafeguard: true }, adminId);
		await setPassword(db.db, u.id, 'another-password-2', adminId);
		expect((await attempt('temp@example.gov.uk', 'another-password-2')).ok).toBe(true);
		const rows = await db.db.selectFrom('audit_log').selectAll().where('entity', '=', 'app_user').where('entity_id', '=', String(u.id)).orderBy('id').execute();
		expect(rows.map((r) => r.action)).toEqual(
			expect.arrayContaining(['user.create', 'login', 'user.disable', 'login.failed', 'user.enable', 'user.password_reset'])
		);
		const disable = rows.find((r) => r.action === 'user.disable')!;
		expect(JSON.parse(disable.before!)).toMatchObject({ disabled: false });
		expect(JSON.parse(disable.after!)).toMatchObject({ disabled: true });
		for (const row of rows) expect(`${row.before}${row.after}${row.detail}`).not.toMatch(/argon2|password-/);
	});

	it('refuses to remove the last active admin, a duplicate email and a short password', async () => {
		await expect(updateUser(db.db, adminId, { role: 'officer' }, adminId)).rejects.toThrow(/only active admin/);
		await expect(createUser(db.db, { email: 'admin@example.gov.uk', role: 'entry', password: 'long-enough-1' }, adminId)).rejects.toThrow(UserError);
		await expect(createUser(db.db, { email: 'new@example.gov.uk', role: 'entry', password: 'short' }, adminId)).rejects.toThrow(/at least 10/);
		await expect(createUser(db.db, { email: 'new@example.gov.uk', role: 'boss', password: 'long-enough-1' }, adminId)).rejects.toThrow(/Role/);
	});
});
