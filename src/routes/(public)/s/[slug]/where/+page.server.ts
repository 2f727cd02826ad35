import { redirect } from '@sveltejs/kit';
import { surveyStep, surveyHref } from '$lib/server/survey/context';
import { saveDraft } from '$lib/server/survey/draft';
import { nextStep, previousStep } from '$lib/server/survey/flow';
import type { Actions, PageServerLoad } from './$types';

/** The UI option meaning "I don't know": stored as district null. */
const DONT_KNOW = 'dont-know';

export const load: PageServerLoad = async (event) => {
	const { c, easy, change, draft } = await surveyStep(event);
	const keys = c.questions.map((q) => q.key);
	const d = draft.data.district;
	return {
		easy,
		districts: c.districts,
		chosen: d === undefined ? '' : d === null ? DONT_KNOW : d,
		back: change ? surveyHref(c.slug, 'check', easy) : surveyHref(c.slug, previousStep(draft.data, keys, 'where'), easy)
	};
};

export const actions: Actions = {
	default: async (event) => {
		const { c, easy, change, draft } = await surveyStep(event);
		const value = String((await event.request.formData()).get('district') ?? '');
		if (value === DONT_KNOW) draft.data.district = null;
		else if (c.districts.some((d) => d.code === value)) draft.data.district = value;
		else delete draft.data.district;
		await saveDraft(event.locals.db, draft);
		const keys = c.questions.map((q) => q.key);
		redirect(303, surveyHref(c.slug, change ? 'check' : nextStep(draft.data, keys, 'where'), easy));
	}
};
