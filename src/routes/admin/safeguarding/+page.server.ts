import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import { requireRole, ANALYSTS, type SessionUser } from '$lib/server/auth/guard';
import { listFlags, updateFlag, FlagTransitionError, FLAG_STATUSES, type FlagStatus } from '$lib/server/safeguarding/queue';
import { audit, changedFields } from '$lib/server/audit';
import type { Actions, PageServerLoad } from './$types';

/** Admins, and officers given the safeguarding permission, work the queue. */
function requireSafeguarding(event: Parameters<typeof requireRole>[0]): SessionUser {
	const user = requireRole(event, ANALYSTS);
	if (user.role !== 'admin' && !user.canSafeguard) error(403, 'Only staff with the safeguarding permission can see this page.');
	return user;
}

const filterSchema = z.enum(['open', 'all', ...FLAG_STATUSES] as [string, ...string[]]).catch('open');

export const load: PageServerLoad = async (event) => {
	requireSafeguarding(event);
	const status = filterSchema.parse(event.url.searchParams.get('status') ?? 'open') as FlagStatus | 'open' | 'all';
	return { status, flags: await listFlags(event.locals.db, { status }) };
};

const updateSchema = z.object({
	id: z.coerce.number().int().positive(),
	status: z.enum(FLAG_STATUSES as [FlagStatus, ...FlagStatus[]], { message: 'Choose what happens next' }),
	note: z.string().trim().max(2000, 'The note must be 2,000 characters or fewer').transform((v) => v || null)
});

export const actions: Actions = {
	update: async (event) => {
		const user = requireSafeguarding(event);
		const form = Object.fromEntries(await event.request.formData());
		const parsed = updateSchema.safeParse(form);
		if (!parsed.success) {
			return fail(400, { id: Number(form.id) || null, error: parsed.error.issues[0].message });
		}
		try {
			const { before, after } = await updateFlag(event.locals.db, parsed.data.id, parsed.data, user.id);
			await audit(event.locals.db, {
				userId: user.id,
				action: 'safeguarding.update',
				entity: 'safeguarding_flag',
				entityId: String(parsed.data.id),
				// The status codes and whether the note changed; the note's words stay out of the log.
				before: { status: before.status },
				after: { status: after.status },
				detail: { fields: changedFields(before, after) }
			});
		} catch (e) {
			if (e instanceof FlagTransitionError) return fail(400, { id: parsed.data.id, error: e.message });
			throw e;
		}
		return { updated: parsed.data.id };
	}
};
