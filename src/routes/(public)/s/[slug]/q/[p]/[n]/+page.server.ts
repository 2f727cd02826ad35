import { redirect } from '@sveltejs/kit';
import { wordingFor } from '$lib/server/consultations/queries';
import { groupLabel, saveStep, shapeOf, surveyStep, surveyHref } from '$lib/server/survey/context';
import { asPhrase, nextStep, previousStep } from '$lib/server/survey/flow';
import { questionForm } from '$lib/schemas/survey';
import { parseForm } from '$lib/server/forms';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

// The one survey page sent with the app's JavaScript (the others are not, see ../../../+layout.server.ts):
// its character count counts as the person types, with the server's rule (schemas/answer-length.ts).
export const csr = true;

async function locate(event: Pick<RequestEvent, 'locals' | 'params' | 'url' | 'cookies'>) {
	const ctx = await surveyStep(event);
	const { c, easy, draft } = ctx;
	const p = Number(event.params.p);
	const n = Number(event.params.n);
	const group = Number.isInteger(p) ? draft.data.groups[p - 1] : undefined;
	const question = Number.isInteger(n) && n >= 1 ? c.questions[n - 1] : undefined;
	if (!group || !question) redirect(303, surveyHref(c.slug, 'who', easy));
	return { ...ctx, p, n, group, question, path: `q/${p}/${n}` };
}

export const load: PageServerLoad = async (event) => {
	const { c, easy, change, draft, p, n, group, question, path } = await locate(event);
	const keys = shapeOf(c);
	const label = groupLabel(c, group, easy);
	return {
		easy,
		question: wordingFor(question, group, easy),
		hint: question.hint,
		n,
		total: c.questions.length,
		p,
		perspectives: draft.data.groups.length,
		answeringAs: easy ? label : asPhrase(label, event.locals.lang),
		answer: draft.data.answers[group]?.[question.key] ?? '',
		max: question.maxLength,
		required: question.required,
		back: change ? surveyHref(c.slug, 'check', easy) : surveyHref(c.slug, previousStep(draft.data, keys, path), easy)
	};
};

export const actions: Actions = {
	default: async (event) => {
		const { c, easy, change, draft, group, question, path } = await locate(event);
		const parsed = await parseForm(questionForm(easy, question), event.request);
		if (!parsed.ok) return parsed.failure;
		const text = parsed.data.answer;
		(draft.data.answers[group] ??= {})[question.key] = text;
		const next = change ? 'check' : nextStep(draft.data, shapeOf(c), path);
		await saveStep(event, c, draft, next);
		redirect(303, surveyHref(c.slug, next, easy));
	}
};
