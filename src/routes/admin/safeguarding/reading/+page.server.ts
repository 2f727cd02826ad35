import { fail } from '@sveltejs/kit';
import { requireSafeguarding } from '$lib/server/safeguarding/guard';
import { markRead, openReadingList, readingCoverage } from '$lib/server/safeguarding/reading';
import { latestModel } from '$lib/server/safeguarding/ranker';
import { ConcernError, raiseConcern } from '$lib/server/safeguarding/concerns';
import { parseConcernForm } from '$lib/schemas/concern';
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

const ids = (values: FormDataEntryValue[]) => values.map((v) => Number(v)).filter((n) => Number.isInteger(n) && n > 0);

export const actions: Actions = {
	/** "I have read these": the person confirms the batch they were shown. */
	read: async (event) => {
		const user = requireSafeguarding(event);
		const answers = ids((await event.request.formData()).getAll('answer'));
		if (answers.length === 0) return fail(400, { error: 'There were no answers to mark as read.' });
		const marked = await markRead(event.locals.db, answers, user.id, 'reading');
		return { message: `Marked ${marked.length} answer${marked.length === 1 ? '' : 's'} as read by you.` };
	},
	concern: async (event) => {
		const user = requireSafeguarding(event);
		const form = await event.request.formData();
		const parsed = parseConcernForm(form, 'reading');
		const answerId = Number(form.get('answerId')) || null;
		if (!parsed.success) return fail(400, { concernFor: answerId, concernError: parsed.error.issues[0].message });
		try {
			await raiseConcern(event.locals.db, parsed.data, user);
		} catch (e) {
			if (e instanceof ConcernError) return fail(400, { concernFor: answerId, concernError: e.message });
			throw e;
		}
		return { raisedFor: parsed.data.answerId, message: `Answer ${parsed.data.answerId} is in the safeguarding queue.` };
	}
};
