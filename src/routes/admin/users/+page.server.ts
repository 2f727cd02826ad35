import { fail, redirect } from '@sveltejs/kit';
import { requireRole, ADMINS } from '$lib/server/auth/guard';
import { createUser, listUsers, UserError, ROLES, ROLE_LABELS } from '$lib/server/users';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRole(event, ADMINS);
	return { users: await listUsers(event.locals.db), roles: ROLES.map((r) => ({ code: r, label: ROLE_LABELS[r] })) };
};

export const actions: Actions = {
	create: async (event) => {
		const actor = requireRole(event, ADMINS);
		const form = await event.request.formData();
		const values = { email: String(form.get('email') ?? ''), role: String(form.get('role') ?? ''), canSafeguard: form.get('canSafeguard') === 'on' };
		const password = String(form.get('password') ?? '');
		try {
			const user = await createUser(event.locals.db, { ...values, password }, actor.id);
			redirect(303, `/admin/users?created=${encodeURIComponent(user.email)}`);
		} catch (error) {
			if (error instanceof UserError) return fail(400, { values, errors: { [error.field]: error.message } });
			throw error;
		}
	}
};
