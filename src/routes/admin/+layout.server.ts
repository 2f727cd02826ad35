import { requireRole, ENTRY_STAFF } from '$lib/server/auth/guard';
import type { LayoutServerLoad } from './$types';

/**
 * Signed-in staff only (anonymous visitors go to /login). Each page and action
 * below still checks its own role: a layout load does not guard actions.
 */
export const load: LayoutServerLoad = async (event) => {
	const user = requireRole(event, ENTRY_STAFF);
	return {
		user: {
			email: user.email,
			role: user.role,
			canSafeguard: user.canSafeguard,
			canManageConsultations: user.canManageConsultations
		}
	};
};
