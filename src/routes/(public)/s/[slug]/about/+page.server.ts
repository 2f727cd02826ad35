import { fail, redirect } from '@sveltejs/kit';
import { saveStep, shapeOf, surveyStep, surveyHref } from '$lib/server/survey/context';
import { audienceOf, nextStep, previousStep } from '$lib/server/survey/flow';
import { aboutIntro } from '$lib/domain/about-you';
import type { Actions, PageServerLoad } from './$types';

/** "Do you want to answer some questions about yourself?": the door to the optional equality questions. */
export const load: PageServerLoad = async (event) => {
	const { c, easy, change, draft } = await surveyStep(event);
	const shape = shapeOf(c);
	const audience = audienceOf(draft.data, shape);
	return {
		easy,
		child: audience.child,
		intro: aboutIntro(audience, easy),
		chosen: draft.data.aboutWanted === undefined ? '' : draft.data.aboutWanted ? 'yes' : 'no',
		back: change ? surveyHref(c.slug, 'check', easy) : surveyHref(c.slug, previousStep(draft.data, shape, 'about'), easy)
	};
};

export const actions: Actions = {
	default: async (event) => {
		const { c, easy, change, draft } = await surveyStep(event);
		const value = String((await event.request.formData()).get('wanted') ?? '');
		if (value !== 'yes' && value !== 'no') {
			return fail(400, { error: easy ? 'Choose Yes or No.' : 'Select yes if you want to answer questions about yourself' });
		}
		const wasWanted = draft.data.aboutWanted === true;
		draft.data.aboutWanted = value === 'yes';
		// "No" stores every question as left blank; "Yes" keeps anything already answered.
		draft.data.about = value === 'yes' ? (draft.data.about ?? {}) : {};
		const next = change && (value === 'no' || wasWanted) ? 'check' : nextStep(draft.data, shapeOf(c), 'about');
		await saveStep(event, c, draft, next);
		redirect(303, surveyHref(c.slug, next, easy));
	}
};
