import { fail } from '@sveltejs/kit';
import { requireSafeguarding } from '$lib/server/safeguarding/guard';
import { markRead, openReadingList, readingCoverage } from '$lib/server/safeguarding/reading';
import { latestModel } from '$lib/server/safeguarding/ranker';
import { ConcernError, raiseConcern } from '$lib/server/safeguarding/concerns';
import { concernForm } from '$lib/schemas/concern';
import { markReadForm } from '$lib/schemas/analysis';
import { formFailure, parseForm } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

/** Answers shown at a time below the flags: a batch a person can read and confirm. */
const BATCH = 10;

export const load: PageServerLoad = async (event) => {
	const user = requireSafeguarding(event);
	const db = event.locals.db;
	// Opening the list shows these answers' words: that is reading them (recorded and audited once).
	const list = await openReadingList(db, user.id, { limit: BATCH });
	const [coverage, model] = await Promise.all([readingCoverage(db), latestModel(db)]);
	return { ...list, openedNow: list.openedNow.length, coverage, model };
};

export const actions: Actions = {
	/** "I have read these": the person confirms the batch they were shown. */
	read: async (event) => {
		const user = requireSafeguarding(event);
		const parsed = await parseForm(markReadForm, event.request);
		if (!parsed.ok) return formFailure(parsed.values, parsed.errors, { error: Object.values(parsed.errors)[0] });
		const answers = parsed.data.answer;
		const marked = await markRead(event.locals.db, answers, user.id, 'reading');
		return { message: `Marked ${marked.length} answer${marked.length === 1 ? '' : 's'} as read by you.` };
	},
	concern: async (event) => {
		const user = requireSafeguarding(event);
		const parsed = await parseForm(concernForm('reading'), event.request);
		const answerId = Number(parsed.values.answerId) || null;
		if (!parsed.ok)
			return formFailure(parsed.values, parsed.errors, {
				concernFor: answerId,
				concernError: Object.values(parsed.errors)[0]
			});
		try {
			await raiseConcern(event.locals.db, parsed.data, user);
		} catch (e) {
			if (e instanceof ConcernError) return fail(400, { concernFor: answerId, concernError: e.message });
			throw e;
		}
		return { raisedFor: parsed.data.answerId, message: `Answer ${parsed.data.answerId} is in the safeguarding queue.` };
	}
};
