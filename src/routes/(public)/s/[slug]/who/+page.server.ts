import { redirect } from '@sveltejs/kit';
import { parseForm } from '$lib/server/forms';
import { whoForm } from '$lib/schemas/survey';
import { saveStep, shapeOf, surveyStep, surveyHref } from '$lib/server/survey/context';
import { nextStep, previousStep } from '$lib/server/survey/flow';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { c, easy, change, draft } = await surveyStep(event);
	const keys = shapeOf(c);
	return {
		easy,
		slug: c.slug,
		groups: c.groups.map((g) => ({
			code: g.code,
			label: easy ? (g.easyReadLabel ?? g.label) : g.label,
			description: easy ? null : g.description
		})),
		chosen: draft.data.groups,
		back: change ? surveyHref(c.slug, 'check', easy) : surveyHref(c.slug, previousStep(draft.data, keys, 'who'), easy)
	};
};

export const actions: Actions = {
	default: async (event) => {
		const { c, easy, change, draft } = await surveyStep(event);
		const parsed = await parseForm(
			whoForm(
				c.groups.map((g) => g.code),
				easy
			),
			event.request
		);
		if (!parsed.ok) return parsed.failure;
		const { groups } = parsed.data;
		const added = groups.filter((g) => !draft.data.groups.includes(g));
		draft.data.groups = groups;
		const next =
			change && added.length === 0
				? 'check'
				: change
					? `q/${groups.indexOf(added[0]) + 1}/1`
					: nextStep(draft.data, shapeOf(c), 'who');
		await saveStep(event, c, draft, next);
		redirect(303, surveyHref(c.slug, next, easy));
	}
};
