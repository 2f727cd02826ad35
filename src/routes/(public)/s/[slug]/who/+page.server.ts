import { fail, redirect } from '@sveltejs/kit';
import { surveyStep, surveyHref } from '$lib/server/survey/context';
import { saveDraft } from '$lib/server/survey/draft';
import { nextStep, previousStep } from '$lib/server/survey/flow';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { c, easy, change, draft } = await surveyStep(event);
	const keys = c.questions.map((q) => q.key);
	return {
		easy,
		slug: c.slug,
		groups: c.groups.map((g) => ({ code: g.code, label: easy ? (g.easyReadLabel ?? g.label) : g.label, description: easy ? null : g.description })),
		chosen: draft.data.groups,
		back: change ? surveyHref(c.slug, 'check', easy) : surveyHref(c.slug, previousStep(draft.data, keys, 'who'), easy)
	};
};

export const actions: Actions = {
	default: async (event) => {
		const { c, easy, change, draft } = await surveyStep(event);
		const form = await event.request.formData();
		const picked = new Set(form.getAll('groups').map(String));
		const groups = c.groups.map((g) => g.code).filter((code) => picked.has(code));
		if (groups.length === 0) {
			return fail(400, { error: easy ? 'Choose at least one.' : 'Select who you are answering as' });
		}
		const added = groups.filter((g) => !draft.data.groups.includes(g));
		draft.data.groups = groups;
		await saveDraft(event.locals.db, draft);
		const keys = c.questions.map((q) => q.key);
		if (change && added.length === 0) redirect(303, surveyHref(c.slug, 'check', easy));
		if (change) redirect(303, surveyHref(c.slug, `q/${groups.indexOf(added[0]) + 1}/1`, easy));
		redirect(303, surveyHref(c.slug, nextStep(draft.data, keys, 'who'), easy));
	}
};
