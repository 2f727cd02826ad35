import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/connect';
import type { Role } from './guard';

export const SESSION_COOKIE = 'session';

/** Minutes without a request before a session ends (SESSION_IDLE_MINUTES, default 120). */
export function idleMinutes(): number {
	return positive(process.env.SESSION_IDLE_MINUTES, 120);
}
/** Hours after sign-in when a session ends however busy it is (SESSION_MAX_HOURS, default 12). */
export function maxHours(): number {
	return positive(process.env.SESSION_MAX_HOURS, 12);
}
function positive(value: string | undefined, fallback: number): number {
	const n = Number(value);
	return Number.isFinite(n) && n > 0 ? n : fallback;
}

/** Renew the idle deadline at most this often, so a burst of requests is not a burst of writes. */
const RENEW_AFTER_MS = 60_000;

export interface SessionUserRow {
	id: number;
	email: string;
	role: Role;
	canSafeguard: boolean;
	/** Officers with the "manage consultations" permission (admins always have it). */
	canManageConsultations: boolean;
}

export function hashToken(token: string): string {
	return createHash('sha256').update(token).digest('hex');
}

export function newToken(): string {
	return randomBytes(32).toString('base64url');
}

function expiryFor(createdAt: Date, now: Date): Date {
	const idle = now.getTime() + idleMinutes() * 60_000;
	const absolute = createdAt.getTime() + maxHours() * 3_600_000;
	return new Date(Math.min(idle, absolute));
}

/**
 * Starts a session for the user and returns the cookie token (only its hash is
 * stored). `replacing` is the token the browser held before, which is ended:
 * a sign-in always gets a fresh token.
 */
export async function createSession(
	db: Db,
	userId: number,
	replacing?: string | null,
	now = new Date()
): Promise<{ token: string; expiresAt: Date }> {
	if (replacing) await db.deleteFrom('login_session').where('id', '=', hashToken(replacing)).execute();
	const token = newToken();
	const expiresAt = expiryFor(now, now);
	await db
		.insertInto('login_session')
		.values({
			id: hashToken(token),
			user_id: userId,
			created_at: now.toISOString(),
			last_seen_at: now.toISOString(),
			expires_at: expiresAt.toISOString()
		})
		.execute();
	return { token, expiresAt };
}

export interface ValidSession {
	user: SessionUserRow;
	expiresAt: Date;
	/** True when the deadline moved and the cookie should be re-sent. */
	renewed: boolean;
}

/**
 * The signed-in user for a cookie token, or null. Checks on every request that
 * the session has not expired and the user is not disabled; renews the idle
 * deadline on use. Expired sessions and sessions of disabled users are deleted.
 */
export async function validateSession(db: Db, token: string, now = new Date()): Promise<ValidSession | null> {
	if (!token || token.length > 100) return null;
	const id = hashToken(token);
	const row = await db
		.selectFrom('login_session')
		.innerJoin('app_user', 'app_user.id', 'login_session.user_id')
		.select([
			'login_session.created_at',
			'login_session.last_seen_at',
			'login_session.expires_at',
			'app_user.id as user_id',
			'app_user.email',
			'app_user.role',
			'app_user.can_safeguard',
			'app_user.can_manage_consultations',
			'app_user.disabled'
		])
		.where('login_session.id', '=', id)
		.executeTakeFirst();
	if (!row) return null;
	const expires = new Date(row.expires_at);
	if (row.disabled === 1 || expires.getTime() <= now.getTime()) {
		await db.deleteFrom('login_session').where('id', '=', id).execute();
		return null;
	}
	let expiresAt = expires;
	let renewed = false;
	if (now.getTime() - new Date(row.last_seen_at).getTime() >= RENEW_AFTER_MS) {
		expiresAt = expiryFor(new Date(row.created_at), now);
		await db
			.updateTable('login_session')
			.set({ last_seen_at: now.toISOString(), expires_at: expiresAt.toISOString() })
			.where('id', '=', id)
			.execute();
		renewed = true;
	}
	return {
		user: {
			id: row.user_id,
			email: row.email,
			role: row.role,
			canSafeguard: row.can_safeguard === 1,
			canManageConsultations: row.can_manage_consultations === 1
		},
		expiresAt,
		renewed
	};
}

export async function deleteSession(db: Db, token: string): Promise<void> {
	await db.deleteFrom('login_session').where('id', '=', hashToken(token)).execute();
}

export async function deleteUserSessions(db: Db, userId: number): Promise<void> {
	await db.deleteFrom('login_session').where('user_id', '=', userId).execute();
}

/** Removes sessions past their deadline (called now and then; validateSession ignores them anyway). */
export async function purgeExpiredSessions(db: Db, now = new Date()): Promise<number> {
	const r = await db.deleteFrom('login_session').where('expires_at', '<=', now.toISOString()).executeTakeFirst();
	return Number(r.numDeletedRows ?? 0);
}
