import type { Kysely } from 'kysely';
import { RateLimiterMemory, type RateLimiterRes } from 'rate-limiter-flexible';
import type { Database } from '../db/schema';
import { audit } from '../audit/index';
import { nowIso } from '../util/time';
import { dummyHash, verifyPassword } from './password';
import { createSession } from './session';

/** The one message for a wrong email or a wrong password: it never says which. */
export const LOGIN_FAILED = 'The email address or password is not right, or the account is not active';
export const LOGIN_THROTTLED = 'Too many attempts to sign in. Wait 15 minutes and try again.';

const WINDOW_SECONDS = 15 * 60;
/**
 * Failed attempts allowed per account and per client address in 15 minutes.
 * Counters live in this process's memory only: addresses are never stored.
 */
export const limits = {
	perAccount: Number(process.env.LOGIN_MAX_FAILURES_PER_ACCOUNT ?? 5),
	perClient: Number(process.env.LOGIN_MAX_FAILURES_PER_CLIENT ?? 30)
};
let byAccount = new RateLimiterMemory({ keyPrefix: 'acct', points: limits.perAccount, duration: WINDOW_SECONDS });
let byClient = new RateLimiterMemory({ keyPrefix: 'ip', points: limits.perClient, duration: WINDOW_SECONDS });

/** For tests: forget every counter. */
export function resetLoginLimits(): void {
	byAccount = new RateLimiterMemory({ keyPrefix: 'acct', points: limits.perAccount, duration: WINDOW_SECONDS });
	byClient = new RateLimiterMemory({ keyPrefix: 'ip', points: limits.perClient, duration: WINDOW_SECONDS });
}

export type LoginResult =
	| { ok: true; token: string; expiresAt: Date; user: { id: number; role: string } }
	| { ok: false; reason: 'failed' | 'throttled'; message: string };

async function exhausted(limiter: RateLimiterMemory, key: string, max: number): Promise<boolean> {
	const res: RateLimiterRes | null = await limiter.get(key);
	return res !== null && res.consumedPoints >= max;
}

async function penalise(key: string, client: string): Promise<void> {
	await byAccount.consume(key).catch(() => {});
	await byClient.consume(client).catch(() => {});
}

export function normaliseEmail(email: string): string {
	return email.trim().toLowerCase();
}

/**
 * Checks an email and password. An unknown email is checked against a dummy
 * hash so it takes as long as a wrong password, and both get the same message.
 * Writes an audit row for every attempt (the email only when it is an account).
 */
export async function login(
	db: Kysely<Database>,
	input: { email: string; password: string; client: string; replacing?: string | null }
): Promise<LoginResult> {
	const email = normaliseEmail(input.email).slice(0, 320);
	const accountKey = email || '(blank)';
	if ((await exhausted(byAccount, accountKey, limits.perAccount)) || (await exhausted(byClient, input.client, limits.perClient))) {
		const user = await db.selectFrom('app_user').select('id').where('email', '=', email).executeTakeFirst();
		await audit(db, { userId: user?.id ?? null, action: 'login.throttled', entity: 'app_user', entityId: user?.id ?? null });
		return { ok: false, reason: 'throttled', message: LOGIN_THROTTLED };
	}
	const user = await db
		.selectFrom('app_user')
		.select(['id', 'password_hash', 'disabled', 'role'])
		.where('email', '=', email)
		.executeTakeFirst();
	const good = await verifyPassword(user?.password_hash ?? (await dummyHash()), input.password.slice(0, 1024));
	if (!user || !good || user.disabled === 1) {
		await penalise(accountKey, input.client);
		await audit(db, {
			userId: user?.id ?? null,
			action: 'login.failed',
			entity: 'app_user',
			entityId: user?.id ?? null,
			detail: user ? (user.disabled ? 'account disabled' : 'wrong password') : 'unknown email'
		});
		return { ok: false, reason: 'failed', message: LOGIN_FAILED };
	}
	await byAccount.delete(accountKey);
	const session = await createSession(db, user.id, input.replacing);
	await db.updateTable('app_user').set({ last_login_at: nowIso() }).where('id', '=', user.id).execute();
	await audit(db, { userId: user.id, action: 'login', entity: 'app_user', entityId: user.id });
	return { ok: true, token: session.token, expiresAt: session.expiresAt, user: { id: user.id, role: user.role } };
}
