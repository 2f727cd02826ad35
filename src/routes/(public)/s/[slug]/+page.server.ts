import { fail, redirect } from '@sveltejs/kit';
import { consultationFor, startOrResume, surveyHref } from '$lib/server/survey/context';
import { loadDraft, DRAFT_COOKIE } from '$lib/server/survey/draft';
import { limitStart } from '$lib/server/survey/rate-limit';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { c, state, easy } = await consultationFor(event);
	const draft = state === 'open' ? await loadDraft(event.locals.db, c.id, event.cookies.get(DRAFT_COOKIE)) : null;
	return {
		easy,
		consultation: {
			slug: c.slug,
			title: c.title,
			organisation: c.organisation,
			description: c.description,
			privacyNotice: c.privacyNotice,
			opensAt: c.opensAt,
			closesAt: c.closesAt,
			retentionUntil: c.retentionUntil,
			state,
			questionCount: c.questions.length,
			questions: c.questions.map((q) => q.text)
		},
		resuming: draft !== null && draft.data.groups.length > 0,
		expired: event.url.searchParams.has('expired') && draft === null
	};
};

export const actions: Actions = {
	default: async (event) => {
		const { c, state, easy } = await consultationFor(event);
		if (state !== 'open') redirect(303, surveyHref(c.slug, '', easy));
		const limit = await limitStart(event.getClientAddress());
		if (!limit.allowed) return fail(429, { tooMany: true });
		await startOrResume(event, c);
		redirect(303, surveyHref(c.slug, 'who', easy));
	}
};
