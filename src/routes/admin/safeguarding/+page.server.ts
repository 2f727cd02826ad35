import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { listFlags, updateFlag, FlagTransitionError, FLAG_STATUSES, type FlagStatus } from '$lib/server/safeguarding/queue';
import { requireSafeguarding } from '$lib/server/safeguarding/guard';
import { concernsFor } from '$lib/server/safeguarding/concerns';
import { markRead, readingCoverage } from '$lib/server/safeguarding/reading';
import { latestModel, scheduleRankerTraining } from '$lib/server/safeguarding/ranker';
import { MIN_LABELS } from '$lib/safeguarding/ranker/index';
import { audit, changedFields } from '$lib/server/audit';
import type { Actions, PageServerLoad } from './$types';

const filterSchema = z.enum(['open', 'all', ...FLAG_STATUSES] as [string, ...string[]]).catch('open');

export const load: PageServerLoad = async (event) => {
	requireSafeguarding(event);
	const db = event.locals.db;
	const status = filterSchema.parse(event.url.searchParams.get('status') ?? 'open') as FlagStatus | 'open' | 'all';
	const flags = await listFlags(db, { status });
	const [concerns, coverage, model] = await Promise.all([concernsFor(db, flags.map((f) => f.answerId)), readingCoverage(db), latestModel(db)]);
	return {
		status,
		flags: flags.map((f) => ({ ...f, concerns: concerns.get(f.answerId) ?? [] })),
		coverage,
		model,
		minLabels: MIN_LABELS
	};
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
			if (e instanceof FlagTransitionError) return fail(400, { id: parsed.data.id, error: e.message });
			throw e;
		}
		return { updated: parsed.data.id };
	}
};
