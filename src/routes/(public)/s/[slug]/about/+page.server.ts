import { redirect } from '@sveltejs/kit';
import { parseForm } from '$lib/server/forms';
import { aboutWantedForm } from '$lib/schemas/survey';
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
		back: change
			? surveyHref(c.slug, 'check', easy)
			: surveyHref(c.slug, previousStep(draft.data, shape, 'about'), easy)
	};
};

export const actions: Actions = {
	default: async (event) => {
		const { c, easy, change, draft } = await surveyStep(event);
		const parsed = await parseForm(aboutWantedForm(easy), event.request);
		if (!parsed.ok) return parsed.failure;
		const value = parsed.data.wanted;
		const wasWanted = draft.data.aboutWanted === true;
		draft.data.aboutWanted = value === 'yes';
		// "No" stores every question as left blank; "Yes" keeps anything already answered.
		draft.data.about = value === 'yes' ? (draft.data.about ?? {}) : {};
		const next = change && (value === 'no' || wasWanted) ? 'check' : nextStep(draft.data, shapeOf(c), 'about');
		await saveStep(event, c, draft, next);
		redirect(303, surveyHref(c.slug, next, easy));
	}
};
