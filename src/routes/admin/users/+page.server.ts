import { redirect } from '@sveltejs/kit';
import { requireRole, ADMINS } from '$lib/server/auth/guard';
import { createUser, listUsers, UserError, ROLES, ROLE_LABELS } from '$lib/server/users';
import { formFailure, parseForm } from '$lib/server/forms';
import { newUserForm } from '$lib/schemas/staff';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRole(event, ADMINS);
	return { users: await listUsers(event.locals.db), roles: ROLES.map((r) => ({ code: r, label: ROLE_LABELS[r] })) };
};

export const actions: Actions = {
	create: async (event) => {
		const actor = requireRole(event, ADMINS);
		const parsed = await parseForm(newUserForm, event.request);
		if (!parsed.ok) return parsed.failure;
		try {
			const user = await createUser(event.locals.db, parsed.data, actor.id);
			redirect(303, `/admin/users?created=${encodeURIComponent(user.email)}`);
		} catch (error) {
			if (error instanceof UserError) return formFailure(parsed.values, { [error.field]: error.message });
			throw error;
		}
	}
};
