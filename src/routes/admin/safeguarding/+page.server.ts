import { flagFilterSchema as filterSchema, flagUpdateForm } from '$lib/schemas/admin';
import { formFailure, parseForm } from '$lib/server/forms';
import { listFlags, updateFlag, FlagTransitionError, type FlagStatus } from '$lib/server/safeguarding/queue';
import { requireSafeguarding } from '$lib/server/safeguarding/guard';
import { concernsFor } from '$lib/server/safeguarding/concerns';
import { markRead, readingCoverage } from '$lib/server/safeguarding/reading';
import { latestModel, scheduleRankerTraining } from '$lib/server/safeguarding/ranker';
import { MIN_LABELS } from '$lib/safeguarding/ranker/index';
import { audit, changedFields } from '$lib/server/audit';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireSafeguarding(event);
	const db = event.locals.db;
	const status = filterSchema.parse(event.url.searchParams.get('status') ?? 'open') as FlagStatus | 'open' | 'all';
	const flags = await listFlags(db, { status });
	const [concerns, coverage, model] = await Promise.all([
		concernsFor(
			db,
			flags.map((f) => f.answerId)
		),
		readingCoverage(db),
		latestModel(db)
	]);
	return {
		status,
		flags: flags.map((f) => ({ ...f, concerns: concerns.get(f.answerId) ?? [] })),
		coverage,
		model,
		minLabels: MIN_LABELS
	};
};

export const actions: Actions = {
	update: async (event) => {
		const user = requireSafeguarding(event);
		const parsed = await parseForm(flagUpdateForm, event.request);
		if (!parsed.ok)
			return formFailure(parsed.values, parsed.errors, {
				id: Number(parsed.values.id) || null,
				error: Object.values(parsed.errors)[0]
			});
		try {
			const { answerId, before, after } = await updateFlag(event.locals.db, parsed.data.id, parsed.data, user.id);
			// Ids and field names only: the note holds people's words and stays on the flag.
			await audit(event.locals.db, {
				userId: user.id,
				action: 'safeguarding.update',
				entity: 'safeguarding_flag',
				entityId: String(parsed.data.id),
				// The status codes and whether the note changed; the note's words stay out of the log.
				before: { status: before.status },
				after: { status: after.status },
				detail: { answerId, fields: changedFields(before, after) }
			});
			// Deciding on a flag means a person read the answer; the decision is also a label.
			await markRead(event.locals.db, [answerId], user.id, 'queue');
			if (after.status === 'referred' || after.status === 'no_action') scheduleRankerTraining();
		} catch (e) {
			if (e instanceof FlagTransitionError)
				return formFailure(parsed.values, { status: e.message }, { id: parsed.data.id, error: e.message });
			throw e;
		}
		return { updated: parsed.data.id };
	}
};
