import { analysisContext } from '$lib/server/analysis/route';
import { activeThemes } from '$lib/server/analysis/queries';
import {
	ACTION_STATUSES,
	LIMITS,
	ResultsError,
	deleteAction,
	listActions,
	resultsQuotes,
	resultsState,
	saveAction,
	saveSummary,
	setQuotePublic,
	setResultsStatus
} from '$lib/server/results';
import { createShareLink, listShareLinks, revokeShareLink, MAX_SHARE_DAYS } from '$lib/server/results/share';
import { formFailure, parseForm, type FormValues } from '$lib/server/forms';
import {
	quotePublicForm,
	resultsActionForm,
	resultsStatusForm,
	resultsSummaryForm,
	rowForm,
	shareLinkForm
} from '$lib/schemas/results';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { db, consultation: c } = await analysisContext(event);
	const [state, actions, themes, quotes, shares] = await Promise.all([
		resultsState(db, c.id),
		listActions(db, c.id),
		activeThemes(
			db,
			c.questions.map((q) => q.id)
		),
		resultsQuotes(db, c.id, false),
		listShareLinks(db, c.id)
	]);
	const questionKey = (qid: number) => c.questions.find((q) => q.id === qid)?.key.toUpperCase() ?? '';
	return {
		state,
		actions,
		themes: themes.map((t) => ({ id: t.id, label: `${questionKey(t.question_id)}: ${t.label}` })),
		quotes: quotes.map((q) => ({ ...q, theme: themes.find((t) => t.id === q.themeId)?.label ?? '' })),
		shares,
		maxShareDays: MAX_SHARE_DAYS,
		statuses: ACTION_STATUSES,
		limits: LIMITS
	};
};

/** Which form a failure belongs to, so the page shows its messages and typed text there. */
type FormName = 'status' | 'summary' | 'action' | 'share' | 'row' | 'quote';

/** A refusal from the domain (ResultsError) as the same failure parseForm gives, on the field it names. */
const refused = (e: unknown, values: FormValues, form: FormName) => {
	if (e instanceof ResultsError) return formFailure(values, { [e.field ?? 'form']: e.message }, { form });
	throw e;
};

export const actions: Actions = {
	status: async (event) => {
		const { db, consultation: c, user } = await analysisContext(event);
		const parsed = await parseForm(resultsStatusForm, event.request, { form: 'status' as FormName });
		if (!parsed.ok) return parsed.failure;
		const to = parsed.data.status;
		try {
			await setResultsStatus(db, c.id, to, user);
			return {
				message:
					to === 'published'
						? 'The results page is published.'
						: 'The results page is withdrawn: the public can no longer see it.'
			};
		} catch (e) {
			return refused(e, {}, 'status');
		}
	},
	summary: async (event) => {
		const { db, consultation: c, user } = await analysisContext(event);
		const parsed = await parseForm(resultsSummaryForm, event.request, { form: 'summary' as FormName });
		if (!parsed.ok) return parsed.failure;
		try {
			await saveSummary(db, c.id, parsed.data.summary, user);
			return { message: 'Introduction saved.' };
		} catch (e) {
			return refused(e, parsed.values, 'summary');
		}
	},
	action: async (event) => {
		const { db, consultation: c, user } = await analysisContext(event);
		const parsed = await parseForm(resultsActionForm, event.request, { form: 'action' as FormName });
		if (!parsed.ok) return parsed.failure;
		const d = parsed.data;
		try {
			await saveAction(
				db,
				c.id,
				{ id: d.id, themeId: d.theme, action: d.action, owner: d.owner, due: d.due, status: d.status, note: d.note },
				user
			);
			return { message: d.id ? 'Action updated.' : 'Action added.' };
		} catch (e) {
			return refused(e, parsed.values, 'action');
		}
	},
	deleteAction: async (event) => {
		const { db, consultation: c, user } = await analysisContext(event);
		const parsed = await parseForm(rowForm, event.request, { form: 'row' as FormName });
		if (!parsed.ok) return parsed.failure;
		try {
			await deleteAction(db, c.id, parsed.data.id, user);
			return { message: 'Action removed.' };
		} catch (e) {
			return refused(e, {}, 'row');
		}
	},
	share: async (event) => {
		const { db, consultation: c, user } = await analysisContext(event);
		const parsed = await parseForm(shareLinkForm, event.request, { form: 'share' as FormName });
		if (!parsed.ok) return parsed.failure;
		try {
			const { token } = await createShareLink(db, c.id, parsed.data.label, parsed.data.expires, user);
			return {
				message: 'Share link made. Copy it now: it is shown only once.',
				shareUrl: `${event.url.origin}/share/${token}`
			};
		} catch (e) {
			return refused(e, parsed.values, 'share');
		}
	},
	revokeShare: async (event) => {
		const { db, consultation: c, user } = await analysisContext(event);
		const parsed = await parseForm(rowForm, event.request, { form: 'row' as FormName });
		if (!parsed.ok) return parsed.failure;
		try {
			await revokeShareLink(db, c.id, parsed.data.id, user);
			return { message: 'Share link revoked: it no longer opens.' };
		} catch (e) {
			return refused(e, {}, 'row');
		}
	},
	quote: async (event) => {
		const { db, consultation: c, user } = await analysisContext(event);
		const parsed = await parseForm(quotePublicForm, event.request, { form: 'quote' as FormName });
		if (!parsed.ok) return parsed.failure;
		const on = parsed.data.public === '1';
		try {
			await setQuotePublic(db, c.id, parsed.data.theme, parsed.data.answer, on, user);
			return { message: on ? 'Quote approved for the public page.' : 'Quote taken off the public page.' };
		} catch (e) {
			return refused(e, {}, 'quote');
		}
	}
};
