import { fail } from '@sveltejs/kit';
import { analysisContext } from '$lib/server/analysis/route';
import { listAnswers, setAnswerThemes, bulkCode, ReviewError, PAGE_SIZE } from '$lib/server/review';
import { filterQuery, parseReviewFilters } from '$lib/analysis/filters';
import { codingStatusLine } from '$lib/server/coding';
import { isUnderReview, mayReadFlagged } from '$lib/server/safeguarding/withheld';
import { markRead } from '$lib/server/safeguarding/reading';
import { ConcernError, raiseConcern } from '$lib/server/safeguarding/concerns';
import { concernForm } from '$lib/schemas/concern';
import { bulkCodeForm, codeAnswerForm } from '$lib/schemas/analysis';
import { formFailure, parseForm } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { db, filters, scope, consultation, user } = await analysisContext(event);
	const rf = parseReviewFilters(event.url.searchParams);
	const { total, answers } = await listAnswers(db, scope, rf, PAGE_SIZE, { mayReadFlagged: mayReadFlagged(user) });
	const extra = { uncoded: rf.uncoded ? 1 : undefined, unreviewed: rf.unreviewed ? 1 : undefined, below: rf.below };
	return {
		filters,
		review: rf,
		total,
		answers,
		withheld: answers.filter((a) => a.withheld).length,
		pageSize: PAGE_SIZE,
		coding: codingStatusLine(consultation.questions),
		prev: rf.page > 1 ? filterQuery(filters, { ...extra, page: rf.page - 1 }) : null,
		next: rf.page * PAGE_SIZE < total ? filterQuery(filters, { ...extra, page: rf.page + 1 }) : null
	};
};

export const actions: Actions = {
	save: async (event) => {
		const { db, consultation, user } = await analysisContext(event);
		const parsed = await parseForm(codeAnswerForm, event.request);
		if (!parsed.ok) return formFailure(parsed.values, parsed.errors, { error: Object.values(parsed.errors)[0] });
		const answerId = parsed.data.answer;
		try {
			const r = await setAnswerThemes(db, consultation.id, answerId, parsed.data.theme, user);
			// Coding an answer means a person read it (unless its words were withheld from them).
			if (mayReadFlagged(user) || !(await isUnderReview(db, answerId))) await markRead(db, [answerId], user.id, 'review');
			return { saved: answerId, message: `Saved answer ${answerId}: ${r.after.length ? r.after.join('; ') : 'no themes'}.` };
		} catch (e) {
			if (e instanceof ReviewError) return fail(400, { error: e.message });
			throw e;
		}
	},
	concern: async (event) => {
		const { db, consultation, user } = await analysisContext(event);
		const parsed = await parseForm(concernForm('review'), event.request);
		const answerId = Number(parsed.values.answerId) || null;
		if (!parsed.ok) return formFailure(parsed.values, parsed.errors, { concernFor: answerId, concernError: Object.values(parsed.errors)[0] });
		try {
			await raiseConcern(db, parsed.data, user, { consultationId: consultation.id });
		} catch (e) {
			if (e instanceof ConcernError) return fail(400, { concernFor: answerId, concernError: e.message });
			throw e;
		}
		return { raisedFor: parsed.data.answerId, message: `Answer ${parsed.data.answerId} is in the safeguarding queue. A safeguarding lead will read it.` };
	},
	bulk: async (event) => {
		const { db, consultation, user } = await analysisContext(event);
		const parsed = await parseForm(bulkCodeForm, event.request);
		if (!parsed.ok) return formFailure(parsed.values, parsed.errors, { error: Object.values(parsed.errors)[0] });
		const { selected, bulkAction: action, bulkTheme: theme } = parsed.data;
		try {
			const n = await bulkCode(db, consultation.id, selected, action, theme, user);
			const verb = action === 'apply' ? 'Added the theme to' : action === 'remove' ? 'Removed the theme from' : 'Accepted the coding of';
			return { message: `${verb} ${n} answer${n === 1 ? '' : 's'}.` };
		} catch (e) {
			if (e instanceof ReviewError) return fail(400, { error: e.message });
			throw e;
		}
	}
};
