import { error, redirect } from '@sveltejs/kit';
import { saveStep, shapeOf, surveyStep, surveyHref } from '$lib/server/survey/context';
import { aboutPages, audienceOf, nextStep, previousStep } from '$lib/server/survey/flow';
import { aboutQuestion, isAboutPage } from '$lib/domain/about-you';
import { parseForm } from '$lib/server/forms';
import { aboutAnswerForm } from '$lib/schemas/survey';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

/** One "About you" question per page, in the words for this respondent; only the pages their answers lead to. */
async function locate(event: Pick<RequestEvent, 'locals' | 'params' | 'url' | 'cookies'>) {
	const ctx = await surveyStep(event);
	const { c, easy, draft } = ctx;
	const page = event.params.page;
	if (!isAboutPage(page)) error(404, m.not_found_page());
	const shape = shapeOf(c);
	// Not asked of this person (a child's age, orientation under 16, or "No" to these questions).
	if (!aboutPages(draft.data, shape).includes(page)) redirect(303, surveyHref(c.slug, 'check', easy));
	return {
		...ctx,
		shape,
		page,
		path: `about/${page}`,
		question: aboutQuestion(page, audienceOf(draft.data, shape), easy)
	};
}

export const load: PageServerLoad = async (event) => {
	const { c, easy, change, draft, shape, path, question } = await locate(event);
	const about = draft.data.about ?? {};
	return {
		easy,
		question,
		chosen: about[question.field] ?? '',
		selfDescribe: question.field === 'gender' ? (about.genderSelfDescribe ?? '') : null,
		back: change ? surveyHref(c.slug, 'check', easy) : surveyHref(c.slug, previousStep(draft.data, shape, path), easy)
	};
};

export const actions: Actions = {
	default: async (event) => {
		const { c, easy, change, draft, shape, path, question } = await locate(event);
		const parsed = await parseForm(
			aboutAnswerForm(
				question.options.map((o) => o.code),
				easy
			),
			event.request
		);
		if (!parsed.ok) return parsed.failure;
		const { answer: value, genderSelfDescribe: self } = parsed.data;

		const about = (draft.data.about ??= {});
		if (value === '') delete about[question.field];
		else about[question.field] = value;
		if (question.field === 'gender') {
			if (value === 'self-describe' && self) about.genderSelfDescribe = self;
			else delete about.genderSelfDescribe;
		}
		const next = nextStep(draft.data, shape, path);
		// From "Check your answers" straight back, unless a changed age now brings the orientation question.
		const target =
			change && !(question.field === 'ageBand' && next === 'about/orientation' && !about.sexualOrientation)
				? 'check'
				: next;
		await saveStep(event, c, draft, target);
		redirect(303, surveyHref(c.slug, target, easy, change && target !== 'check' ? { change: '1' } : {}));
	}
};
