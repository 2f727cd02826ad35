import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { requireRole, ADMINS } from '$lib/server/auth/guard';
import { applyRetention, deleteByReference } from '$lib/server/retention/retention';
import { retentionOverview } from '$lib/server/retention/overview';
import { audit } from '$lib/server/audit';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRole(event, ADMINS);
	return { consultations: await retentionOverview(event.locals.db) };
};

const referenceSchema = z.object({
	reference: z.string().trim().min(1, 'Enter the reference the respondent was given').max(20, 'That is not a reference'),
	confirm: z.literal('yes', { message: 'Tick the box to confirm the submission should be deleted' })
});

export const actions: Actions = {
	retention: async (event) => {
		const user = requireRole(event, ADMINS);
		// Rare and asked for: worth rebuilding the SQLite file so no old free page keeps words.
		const result = await applyRetention(event.locals.db, { vacuum: true });
		await audit(event.locals.db, {
			userId: user.id,
			action: 'retention.apply',
			entity: 'consultation',
			entityId: null,
			after: result
		});
		const cleared = result.consultations.reduce((n, c) => n + c.answersCleared, 0);
		return { retentionDone: cleared };
	},
	deleteReference: async (event) => {
		const user = requireRole(event, ADMINS);
		const form = Object.fromEntries(await event.request.formData());
		const parsed = referenceSchema.safeParse(form);
		if (!parsed.success) {
			const issue = parsed.error.issues[0];
			return fail(400, { reference: String(form.reference ?? ''), field: String(issue.path[0]), error: issue.message });
		}
		const deleted = await deleteByReference(event.locals.db, parsed.data.reference);
		if (!deleted) {
			return fail(404, { reference: parsed.data.reference, field: 'reference', error: 'No submission has that reference. Check it and try again.' });
		}
		await audit(event.locals.db, {
			userId: user.id,
			action: 'submission.delete_on_request',
			entity: 'submission',
			entityId: deleted.id,
			before: { reference: deleted.reference, answers: deleted.answers }
		});
		return { deleted: deleted.reference };
	}
};
