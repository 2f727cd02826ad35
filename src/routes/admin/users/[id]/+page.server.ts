import { error, fail, redirect } from '@sveltejs/kit';
import { requireRole, ADMINS } from '$lib/server/auth/guard';
import { getUser, setPassword, updateUser, UserError, ROLES, ROLE_LABELS } from '$lib/server/users';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

function userId(event: { params: { id: string } }): number {
	const id = Number(event.params.id);
	if (!Number.isSafeInteger(id) || id <= 0) error(404, 'There is no such user.');
	return id;
}

export const load: PageServerLoad = async (event) => {
	requireRole(event, ADMINS);
	const user = await getUser(event.locals.db, userId(event));
	if (!user) error(404, 'There is no such user.');
	return { account: user, roles: ROLES.map((r) => ({ code: r, label: ROLE_LABELS[r] })) };
};

async function change(event: RequestEvent, changes: Parameters<typeof updateUser>[2], done: string) {
	const actor = requireRole(event, ADMINS);
	const id = userId(event);
	try {
		await updateUser(event.locals.db, id, changes, actor.id);
	} catch (e) {
		if (e instanceof UserError) {
			if (e.field === 'user') error(404, e.message);
			return fail(400, { errors: { [e.field]: e.message } as Record<string, string> });
		}
		throw e;
	}
	redirect(303, `/admin/users/${id}?done=${done}`);
}

export const actions: Actions = {
	update: async (event) => {
		requireRole(event, ADMINS);
		const form = await event.request.formData();
		return change(event, { role: String(form.get('role') ?? ''), canSafeguard: form.get('canSafeguard') === 'on' }, 'updated');
	},
	disable: async (event) => change(event, { disabled: true }, 'disabled'),
	enable: async (event) => change(event, { disabled: false }, 'enabled'),
	password: async (event) => {
		const actor = requireRole(event, ADMINS);
		const id = userId(event);
		const form = await event.request.formData();
		try {
			await setPassword(event.locals.db, id, String(form.get('password') ?? ''), actor.id);
		} catch (e) {
			if (e instanceof UserError) {
				if (e.field === 'user') error(404, e.message);
				return fail(400, { errors: { password: e.message } as Record<string, string> });
			}
			throw e;
		}
		redirect(303, `/admin/users/${id}?done=password`);
	}
};
