import { fail, redirect } from '@sveltejs/kit';
import { surveyStep, surveyHref } from '$lib/server/survey/context';
import { saveDraft } from '$lib/server/survey/draft';
import { nextStep, orientationAllowed, previousStep } from '$lib/server/survey/flow';
import { PREFER_NOT, SEXUAL_ORIENTATIONS } from '$lib/domain/equality';
import type { Actions, PageServerLoad } from './$types';

/** Asked only of people answering as 16 or over (never of someone answering only as a child). */
export const load: PageServerLoad = async (event) => {
	const { c, easy, change, draft } = await surveyStep(event);
	if (!orientationAllowed(draft.data)) redirect(303, surveyHref(c.slug, 'check', easy));
	const keys = c.questions.map((q) => q.key);
	return {
		easy,
		chosen: draft.data.about?.sexualOrientation ?? '',
		back: change ? surveyHref(c.slug, 'check', easy) : surveyHref(c.slug, previousStep(draft.data, keys, 'about/orientation'), easy)
	};
};

export const actions: Actions = {
	default: async (event) => {
		const { c, easy, draft } = await surveyStep(event);
		if (!orientationAllowed(draft.data) || !draft.data.about) redirect(303, surveyHref(c.slug, 'check', easy));
		const value = String((await event.request.formData()).get('sexualOrientation') ?? '');
		if (value === '') delete draft.data.about.sexualOrientation;
		else if (value === PREFER_NOT || SEXUAL_ORIENTATIONS.some((o) => o.code === value)) draft.data.about.sexualOrientation = value;
		else return fail(400, { error: 'Choose one of the options' });
		await saveDraft(event.locals.db, draft);
		const keys = c.questions.map((q) => q.key);
		redirect(303, surveyHref(c.slug, nextStep(draft.data, keys, 'about/orientation'), easy));
	}
};
