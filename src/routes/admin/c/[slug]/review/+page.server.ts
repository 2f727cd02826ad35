import { fail } from '@sveltejs/kit';
import { analysisContext } from '$lib/server/analysis/route';
import { listAnswers, setAnswerThemes, bulkCode, ReviewError, PAGE_SIZE, codeNextPool } from '$lib/server/review';
import { parseReviewFilters, reviewPageLinks } from '$lib/analysis/filters';
import { codeNextIds, codingStatusLine, scheduleRecode } from '$lib/server/coding';
import { isUnderReview, mayReadFlagged } from '$lib/server/safeguarding/withheld';
import { markOpenedInReview, markRead } from '$lib/server/safeguarding/reading';
import { ConcernError, raiseConcern } from '$lib/server/safeguarding/concerns';
import { concernForm } from '$lib/schemas/concern';
import { bulkCodeForm, codeAnswerForm } from '$lib/schemas/analysis';
import { formFailure, parseForm } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { db, filters, scope, consultation, user } = await analysisContext(event);
	const rf = parseReviewFilters(event.url.searchParams);
	// "Code next": one question's not-yet-reviewed answers in the order its coder (already trained,
	// in the engine worker) would learn most from. No request trains: without a model, a recode is
	// scheduled in the background and the answers are shown in the order they arrived meanwhile.
	let order: number[] | null = null;
	let nextNote: string | null = null;
	if (rf.next) {
		const qid = filters.question ? scope.questionIds.get(filters.question) : undefined;
		if (qid === undefined)
			nextNote =
				'Choose a question to code next: each question has its own coder. Showing answers not yet reviewed, in the order they arrived.';
		else {
			order = await codeNextIds(qid, await codeNextPool(db, scope, rf));
			if (!order) {
				scheduleRecode(db, consultation.id, qid);
				nextNote =
					'The coder for this question is being trained in the background. Until it is ready, answers not yet reviewed are shown in the order they arrived; reload in a minute for the code-next order.';
			}
		}
	}
	const { total, answers } = await listAnswers(
		db,
		scope,
		rf,
		PAGE_SIZE,
		{ mayReadFlagged: mayReadFlagged(user) },
		order
	);
	// Opening the review page shows these answers' words to this person: that is reading them
	// (recorded and audited once per person; withheld words were not shown, so they are not read).
	await markOpenedInReview(db, answers, user.id);
	const extra = {
		uncoded: rf.uncoded ? 1 : undefined,
		unreviewed: rf.unreviewed ? 1 : undefined,
		below: rf.below,
		next: rf.next ? 1 : undefined
	};
	return {
		filters,
		review: rf,
		total,
		answers,
		withheld: answers.filter((a) => a.withheld).length,
		pageSize: PAGE_SIZE,
		coding: codingStatusLine(consultation.questions),
		codeNext: rf.next ? { ordered: order !== null, note: nextNote } : null,
		// Plain links (no JavaScript needed); in id order they page by key, the page number shown.
		...reviewPageLinks(filters, extra, rf, total, PAGE_SIZE, order === null ? answers.map((a) => a.id) : null)
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
			if (mayReadFlagged(user) || !(await isUnderReview(db, answerId)))
				await markRead(db, [answerId], user.id, 'review');
			return {
				saved: answerId,
				message: `Saved answer ${answerId}: ${r.after.length ? r.after.join('; ') : 'no themes'}.`
			};
		} catch (e) {
			if (e instanceof ReviewError) return fail(400, { error: e.message });
			throw e;
		}
	},
	concern: async (event) => {
		const { db, consultation, user } = await analysisContext(event);
		const parsed = await parseForm(concernForm('review'), event.request);
		const answerId = Number(parsed.values.answerId) || null;
		if (!parsed.ok)
			return formFailure(parsed.values, parsed.errors, {
				concernFor: answerId,
				concernError: Object.values(parsed.errors)[0]
			});
		try {
			await raiseConcern(db, parsed.data, user, { consultationId: consultation.id });
		} catch (e) {
			if (e instanceof ConcernError) return fail(400, { concernFor: answerId, concernError: e.message });
			throw e;
		}
		return {
			raisedFor: parsed.data.answerId,
			message: `Answer ${parsed.data.answerId} is in the safeguarding queue. A safeguarding lead will read it.`
		};
	},
	bulk: async (event) => {
		const { db, consultation, user } = await analysisContext(event);
		const parsed = await parseForm(bulkCodeForm, event.request);
		if (!parsed.ok) return formFailure(parsed.values, parsed.errors, { error: Object.values(parsed.errors)[0] });
		const { selected, bulkAction: action, bulkTheme: theme } = parsed.data;
		try {
			const n = await bulkCode(db, consultation.id, selected, action, theme, user);
			const verb =
				action === 'apply'
					? 'Added the theme to'
					: action === 'remove'
						? 'Removed the theme from'
						: 'Accepted the coding of';
			return { message: `${verb} ${n} answer${n === 1 ? '' : 's'}.` };
		} catch (e) {
			if (e instanceof ReviewError) return fail(400, { error: e.message });
			throw e;
		}
	}
};
