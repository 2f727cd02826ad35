import { redirect } from '@sveltejs/kit';
import { saveStep, shapeOf, surveyStep, surveyHref } from '$lib/server/survey/context';
import { nextStep, previousStep } from '$lib/server/survey/flow';
import { parseForm } from '$lib/server/forms';
import { DONT_KNOW, whereForm } from '$lib/schemas/survey';
import type { Actions, PageServerLoad } from './$types';

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
		const parsed = await parseForm(whereForm(c.districts.map((d) => d.code)), event.request);
		if (!parsed.ok) return parsed.failure;
		const { district } = parsed.data;
		if (district === undefined) delete draft.data.district;
		else draft.data.district = district;
		const next = change ? 'check' : nextStep(draft.data, shapeOf(c), 'where');
		await saveStep(event, c, draft, next);
		redirect(303, surveyHref(c.slug, next, easy));
	}
};
