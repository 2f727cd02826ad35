import { error, redirect } from '@sveltejs/kit';

export type Role = 'admin' | 'officer' | 'entry';
export type SessionUser = NonNullable<App.Locals['user']>;

interface GuardEvent {
	locals: App.Locals;
	url: URL;
}

/**
 * The one check every staff page, action and endpoint makes, on the server, in
 * the action itself and not only in `load`: not signed in goes to /login
 * (pages) or 401 (JSON); signed in without the role is 403.
 */
export function requireRole(event: GuardEvent, roles: readonly Role[]): SessionUser {
	const user = event.locals.user;
	if (!user) {
		const next = event.url.pathname + event.url.search;
		redirect(303, `/login?next=${encodeURIComponent(next)}`);
	}
	if (!roles.includes(user.role)) error(403, 'You do not have permission to see this page.');
	return user;
}

/** As requireRole, for JSON endpoints: 401 instead of a redirect. */
export function requireRoleApi(event: GuardEvent, roles: readonly Role[]): SessionUser {
	const user = event.locals.user;
	if (!user) error(401, 'Sign in first.');
	if (!roles.includes(user.role)) error(403, 'You do not have permission to do this.');
	return user;
}

/**
 * The "manage consultations" permission: admins, and officers given it on
 * their account; entry staff never. 403 otherwise.
 */
export function requireConsultationManager(event: GuardEvent): SessionUser {
	const user = requireRole(event, ['admin', 'officer']);
	if (user.role !== 'admin' && !user.canManageConsultations)
		error(403, 'You do not have permission to manage consultations.');
	return user;
}

export function mayManageConsultations(user: { role: Role; canManageConsultations: boolean } | null): boolean {
	return Boolean(user && (user.role === 'admin' || (user.role === 'officer' && user.canManageConsultations)));
}

export const ANALYSTS: readonly Role[] = ['admin', 'officer'];
export const ENTRY_STAFF: readonly Role[] = ['admin', 'officer', 'entry'];
export const ADMINS: readonly Role[] = ['admin'];
