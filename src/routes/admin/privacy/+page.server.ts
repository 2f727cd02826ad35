import { deleteReferenceForm } from '$lib/schemas/admin';
import { formFailure, parseForm } from '$lib/server/forms';
import { requireRole, ADMINS } from '$lib/server/auth/guard';
import { applyRetention, deleteByReference } from '$lib/server/retention/retention';
import { retentionOverview } from '$lib/server/retention/overview';
import { audit } from '$lib/server/audit';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRole(event, ADMINS);
	return { consultations: await retentionOverview(event.locals.db) };
};

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
		const parsed = await parseForm(deleteReferenceForm, event.request);
		if (!parsed.ok) return parsed.failure;
		const deleted = await deleteByReference(event.locals.db, parsed.data.reference);
		if (!deleted) {
			return formFailure(
				parsed.values,
				{ reference: 'No submission has that reference. Check it and try again.' },
				{},
				404
			);
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
