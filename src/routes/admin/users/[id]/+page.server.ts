import { error, redirect } from '@sveltejs/kit';
import { requireRole, ADMINS } from '$lib/server/auth/guard';
import { getUser, setPassword, updateUser, UserError, ROLES, ROLE_LABELS } from '$lib/server/users';
import { formFailure, parseForm, type FormValues } from '$lib/server/forms';
import { passwordForm, userRoleForm } from '$lib/schemas/staff';
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

async function change(
	event: RequestEvent,
	changes: Parameters<typeof updateUser>[2],
	done: string,
	values: FormValues = {}
) {
	const actor = requireRole(event, ADMINS);
	const id = userId(event);
	try {
		await updateUser(event.locals.db, id, changes, actor.id);
	} catch (e) {
		if (e instanceof UserError) {
			if (e.field === 'user') error(404, e.message);
			return formFailure(values, { [e.field]: e.message });
		}
		throw e;
	}
	redirect(303, `/admin/users/${id}?done=${done}`);
}

export const actions: Actions = {
	update: async (event) => {
		requireRole(event, ADMINS);
		const parsed = await parseForm(userRoleForm, event.request);
		if (!parsed.ok) return parsed.failure;
		return change(event, parsed.data, 'updated', parsed.values);
	},
	disable: async (event) => change(event, { disabled: true }, 'disabled'),
	enable: async (event) => change(event, { disabled: false }, 'enabled'),
	password: async (event) => {
		const actor = requireRole(event, ADMINS);
		const id = userId(event);
		const parsed = await parseForm(passwordForm, event.request);
		if (!parsed.ok) return parsed.failure;
		try {
			await setPassword(event.locals.db, id, parsed.data.password, actor.id);
		} catch (e) {
			if (e instanceof UserError) {
				if (e.field === 'user') error(404, e.message);
				return formFailure({}, { password: e.message });
			}
			throw e;
		}
		redirect(303, `/admin/users/${id}?done=password`);
	}
};
