import { fail } from '@sveltejs/kit';
import { analysisContext } from '$lib/server/analysis/route';
import { activeThemes } from '$lib/server/analysis/queries';
import {
	ACTION_STATUSES,
	LIMITS,
	ResultsError,
	actionInput,
	checkAction,
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

const fromError = (e: unknown, values?: Record<string, string>) => {
	if (e instanceof ResultsError)
		return fail(400, { errors: [{ field: e.field ?? 'form', message: e.message }], values });
	throw e;
};

export const actions: Actions = {
	publish: async (event) => {
		const { db, consultation: c, user } = await analysisContext(event);
		try {
			await setResultsStatus(db, c.id, 'published', user);
			return { message: 'The results page is published.' };
		} catch (e) {
			return fromError(e);
		}
	},
	withdraw: async (event) => {
		const { db, consultation: c, user } = await analysisContext(event);
		try {
			await setResultsStatus(db, c.id, 'withdrawn', user);
			return { message: 'The results page is withdrawn: the public can no longer see it.' };
		} catch (e) {
			return fromError(e);
		}
	},
	summary: async (event) => {
		const { db, consultation: c, user } = await analysisContext(event);
		const summary = String((await event.request.formData()).get('summary') ?? '');
		try {
			await saveSummary(db, c.id, summary, user);
			return { message: 'Introduction saved.' };
		} catch (e) {
			return fromError(e, { summary });
		}
	},
	action: async (event) => {
		const { db, consultation: c, user } = await analysisContext(event);
		const input = actionInput(await event.request.formData());
		const values = {
			id: String(input.id ?? ''),
			theme: String(input.themeId || ''),
			action: input.action,
			owner: input.owner,
			due: input.due,
			status: input.status,
			note: input.note
		};
		const errors = checkAction(input);
		if (errors.length) return fail(400, { errors, values });
		try {
			await saveAction(db, c.id, input, user);
			return { message: input.id ? 'Action updated.' : 'Action added.' };
		} catch (e) {
			return fromError(e, values);
		}
	},
	deleteAction: async (event) => {
		const { db, consultation: c, user } = await analysisContext(event);
		try {
			await deleteAction(db, c.id, Number((await event.request.formData()).get('id')), user);
			return { message: 'Action removed.' };
		} catch (e) {
			return fromError(e);
		}
	},
	share: async (event) => {
		const { db, consultation: c, user } = await analysisContext(event);
		const f = await event.request.formData();
		const label = String(f.get('label') ?? '');
		const expires = String(f.get('expires') ?? '');
		try {
			const { token } = await createShareLink(db, c.id, label, expires, user);
			return {
				message: 'Share link made. Copy it now: it is shown only once.',
				shareUrl: `${event.url.origin}/share/${token}`
			};
		} catch (e) {
			if (e instanceof ResultsError)
				return fail(400, { errors: [{ field: `share-${e.field}`, message: e.message }], values: { label, expires } });
			throw e;
		}
	},
	revokeShare: async (event) => {
		const { db, consultation: c, user } = await analysisContext(event);
		try {
			await revokeShareLink(db, c.id, Number((await event.request.formData()).get('id')), user);
			return { message: 'Share link revoked: it no longer opens.' };
		} catch (e) {
			return fromError(e);
		}
	},
	quote: async (event) => {
		const { db, consultation: c, user } = await analysisContext(event);
		const f = await event.request.formData();
		const on = f.get('public') === '1';
		try {
			await setQuotePublic(db, c.id, Number(f.get('theme')), Number(f.get('answer')), on, user);
			return { message: on ? 'Quote approved for the public page.' : 'Quote taken off the public page.' };
		} catch (e) {
			return fromError(e);
		}
	}
};
