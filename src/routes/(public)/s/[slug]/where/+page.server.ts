import { redirect } from '@sveltejs/kit';
import { saveStep, shapeOf, surveyStep, surveyHref } from '$lib/server/survey/context';
import { nextStep, previousStep } from '$lib/server/survey/flow';
import type { Actions, PageServerLoad } from './$types';

/** The UI option meaning "I don't know": stored as district null. */
const DONT_KNOW = 'dont-know';

export const load: PageServerLoad = async (event) => {
	const { c, easy, change, draft } = await surveyStep(event);
	const keys = shapeOf(c);
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
		const next = change ? 'check' : nextStep(draft.data, shapeOf(c), 'where');
		await saveStep(event, c, draft, next);
		redirect(303, surveyHref(c.slug, next, easy));
	}
};
