import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Db } from '../db/connect';
import { audit } from '../audit/index';
import { nowIso } from '../util/time';
import { clientKey } from '../http/client-key';
import { newLimiter, storedKey } from '../http/limit-store';
import { FailureDelays, type DelayPolicy } from './delays';
import { dummyHash, verifyPassword } from './password';
import { createSession } from './session';

/** The one message for a wrong email or a wrong password: it never says which. */
export const LOGIN_FAILED = 'The email address or password is not right, or the account is not active';
/** Asked to wait: says how long, and that nothing is locked. */
export function loginWaitMessage(seconds: number): string {
	const wait = seconds >= 90 ? `${Math.ceil(seconds / 60)} minutes` : seconds === 1 ? '1 second' : `${seconds} seconds`;
	return `There have been too many attempts to sign in. Wait ${wait}, then try again.`;
}

function setting(name: string, fallback: number): number {
	const n = Number(process.env[name]);
	return Number.isFinite(n) && n >= 0 ? n : fallback;
}
const FORGET_SECONDS = 15 * 60;

/**
 * Progressive delays (see delays.ts), never a hard lock:
 * - this account from this address: after 3 failures, 1 s doubling up to 15 minutes;
 * - this address, whatever account (guessing many accounts): after 10, up to 15 minutes;
 * - this account, from anywhere (a spread-out attack): after 10, doubling up to
 *   LOGIN_ACCOUNT_MAX_DELAY seconds (default 30) only, so the right password from
 *   another address is never kept out by someone else's failures for longer than that.
 * Addresses count by clientKey (an IPv6 /64); counters live in memory only.
 */
export function loginPolicies(): Record<'pair' | 'client' | 'account', DelayPolicy> {
	return {
		pair: {
			free: setting('LOGIN_FREE_FAILURES', 3),
			baseSeconds: 1,
			maxSeconds: 15 * 60,
			forgetSeconds: FORGET_SECONDS
		},
		client: {
			free: setting('LOGIN_FREE_FAILURES_PER_ADDRESS', 10),
			baseSeconds: 1,
			maxSeconds: 15 * 60,
			forgetSeconds: FORGET_SECONDS
		},
		account: {
			free: setting('LOGIN_FREE_FAILURES_PER_ACCOUNT', 10),
			baseSeconds: 1,
			maxSeconds: setting('LOGIN_ACCOUNT_MAX_DELAY', 30),
			forgetSeconds: FORGET_SECONDS
		}
	};
}

function makeDelays() {
	const p = loginPolicies();
	return {
		pair: new FailureDelays(p.pair),
		client: new FailureDelays(p.client),
		account: new FailureDelays(p.account)
	};
}
let delays = makeDelays();
/**
 * One audit row per limit and key per minute at most: a flood of refused attempts is not a flood of fsynced writes.
 * In the shared store on PostgreSQL (limit-store.ts), so N instances behind one address still write at most one a
 * minute per key, not one each; in memory on SQLite. Made on first use, once the store is known.
 */
let throttledAudits: RateLimiterAbstract | null = null;
const auditLimiter = () =>
	(throttledAudits ??= newLimiter({ keyPrefix: 'login-throttled-audit', points: 1, duration: 60 }));

/** For tests: forget every counter (and read the settings again). */
export function resetLoginLimits(): void {
	delays = makeDelays();
	throttledAudits = null;
}

export type LoginResult =
	| { ok: true; token: string; expiresAt: Date; user: { id: number; role: string } }
	| { ok: false; reason: 'failed'; message: string }
	| { ok: false; reason: 'throttled'; message: string; retryAfter: number };

export function normaliseEmail(email: string): string {
	return email.trim().toLowerCase();
}

/**
 * Checks an email and password. An unknown email is checked against a dummy
 * hash so it takes as long as a wrong password, and both get the same message;
 * the delays are kept per email typed, so they say nothing about which exist.
 * An attempt made before its delay is over is refused unchecked, with how long
 * to wait. Audit: every sign-in and failure; refusals at most once a minute per key.
 */
export async function login(
	db: Db,
	input: { email: string; password: string; client: string; replacing?: string | null },
	now = Date.now()
): Promise<LoginResult> {
	const email = normaliseEmail(input.email).slice(0, 320);
	const keys = { account: email || '(blank)', client: clientKey(input.client), pair: '' };
	keys.pair = `${keys.account}\n${keys.client}`;
	const waits = (['pair', 'client', 'account'] as const).map((k) => ({
		kind: k,
		seconds: delays[k].waitSeconds(keys[k], now)
	}));
	const longest = waits.reduce((a, b) => (b.seconds > a.seconds ? b : a));
	if (longest.seconds > 0) {
		if (
			// A keyed hash in the shared store: the key holds the email and the address (storedKey).
			await auditLimiter()
				.consume(storedKey(`${longest.kind}\n${keys[longest.kind]}`))
				.then(
					() => true,
					() => false
				)
		) {
			const user = await db.selectFrom('app_user').select('id').where('email', '=', email).executeTakeFirst();
			await audit(db, {
				userId: user?.id ?? null,
				action: 'login.throttled',
				entity: 'app_user',
				entityId: user?.id ?? null,
				detail: `asked to wait ${longest.seconds} s (${longest.kind === 'pair' ? 'this account from one address' : longest.kind === 'client' ? 'one address' : 'this account'}); further refusals under this limit are not audited for a minute`
			});
		}
		return { ok: false, reason: 'throttled', message: loginWaitMessage(longest.seconds), retryAfter: longest.seconds };
	}
	const user = await db
		.selectFrom('app_user')
		.select(['id', 'password_hash', 'disabled', 'role'])
		.where('email', '=', email)
		.executeTakeFirst();
	const good = await verifyPassword(user?.password_hash ?? (await dummyHash()), input.password.slice(0, 1024));
	if (!user || !good || user.disabled === 1) {
		delays.pair.fail(keys.pair, now);
		delays.client.fail(keys.client, now);
		delays.account.fail(keys.account, now);
		await audit(db, {
			userId: user?.id ?? null,
			action: 'login.failed',
			entity: 'app_user',
			entityId: user?.id ?? null,
			detail: user ? (user.disabled ? 'account disabled' : 'wrong password') : 'unknown email'
		});
		return { ok: false, reason: 'failed', message: LOGIN_FAILED };
	}
	// The right password clears this account's and this pair's counters (not the address's: it may be guessing others).
	delays.pair.clear(keys.pair);
	delays.account.clear(keys.account);
	const session = await createSession(db, user.id, input.replacing);
	await db.updateTable('app_user').set({ last_login_at: nowIso() }).where('id', '=', user.id).execute();
	await audit(db, { userId: user.id, action: 'login', entity: 'app_user', entityId: user.id });
	return { ok: true, token: session.token, expiresAt: session.expiresAt, user: { id: user.id, role: user.role } };
}
