import { error } from '@sveltejs/kit';
import { requireRole, ANALYSTS, type SessionUser } from '../auth/guard';
import { mayReadFlagged } from './withheld';

/** Admins, and officers given the safeguarding permission, work the queue and the reading list. */
export function requireSafeguarding(event: Parameters<typeof requireRole>[0]): SessionUser {
	const user = requireRole(event, ANALYSTS);
	if (!mayReadFlagged(user)) error(403, 'Only staff with the safeguarding permission can see this page.');
	return user;
}
