import { deleteReferenceForm } from '$lib/schemas/admin';
import { formFailure, parseForm } from '$lib/server/forms';
import { requireRole, ADMINS } from '$lib/server/auth/guard';
import { applyRetention, deleteByReference } from '$lib/server/retention/retention';
import { retentionOverview } from '$lib/server/retention/overview';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRole(event, ADMINS);
	return { consultations: await retentionOverview(event.locals.db) };
};

export const actions: Actions = {
	retention: async (event) => {
		const user = requireRole(event, ADMINS);
		// Rare and asked for: worth rebuilding the SQLite file so no old free page keeps words.
		// The audit row is written with the purge, so it stays even if wiping the freed space then fails.
		const result = await applyRetention(event.locals.db, { vacuum: true, audit: { userId: user.id } });
		const cleared = result.consultations.reduce((n, c) => n + c.answersCleared, 0);
		return { retentionDone: cleared };
	},
	deleteReference: async (event) => {
		const user = requireRole(event, ADMINS);
		const parsed = await parseForm(deleteReferenceForm, event.request);
		if (!parsed.ok) return parsed.failure;
		// Audited in the deleting transaction (submission.delete_on_request).
		const deleted = await deleteByReference(event.locals.db, parsed.data.reference, { audit: { userId: user.id } });
		if (!deleted) {
			return formFailure(
				parsed.values,
				{ reference: 'No submission has that reference. Check it and try again.' },
				{},
				404
			);
		}
		return { deleted: deleted.reference };
	}
};
