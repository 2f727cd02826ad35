import { fail, redirect } from '@sveltejs/kit';
import { consultationFor, shapeOf, startAfresh, startOrResume, surveyHref } from '$lib/server/survey/context';
import { loadDraft, DRAFT_COOKIE } from '$lib/server/survey/draft';
import { resumeStep } from '$lib/server/survey/flow';
import { draftIdleMinutes } from '$lib/server/survey/config';
import { limitStart } from '$lib/server/survey/rate-limit';
import { isPublished } from '$lib/server/results';
import { parseForm } from '$lib/server/forms';
import { startForm } from '$lib/schemas/survey';
import { startFacts } from '$lib/domain/start-page';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { c, state, easy } = await consultationFor(event);
	const draft = state === 'open' ? await loadDraft(event.locals.db, c.id, event.cookies.get(DRAFT_COOKIE)) : null;
	return {
		easy,
		consultation: {
			slug: c.slug,
			title: c.title,
			organisation: c.organisation,
			description: c.description,
			privacyNotice: c.privacyNotice,
			opensAt: c.opensAt,
			closesAt: c.closesAt,
			retentionUntil: c.retentionUntil,
			state,
			questionCount: c.questions.length,
			questions: c.questions.map((q) => q.text),
			facts: startFacts(c)
		},
		// Only whether answers exist on this device: never what they are, until the person chooses Continue.
		resuming: draft !== null && draft.data.groups.length > 0,
		idleMinutes: draftIdleMinutes(),
		expired: event.url.searchParams.has('expired') && draft === null,
		resultsPublished: await isPublished(event.locals.db, c.id)
	};
};

export const actions: Actions = {
	default: async (event) => {
		const { c, state, easy } = await consultationFor(event);
		if (state !== 'open') redirect(303, surveyHref(c.slug, '', easy));
		const limit = await limitStart(event.getClientAddress());
		if (!limit.allowed) return fail(429, { tooMany: true });
		const parsed = await parseForm(startForm, event.request);
		const choice = parsed.ok ? parsed.data.choice : '';
		if (choice === 'restart') {
			await startAfresh(event, c);
			redirect(303, surveyHref(c.slug, 'who', easy));
		}
		const existing = await loadDraft(event.locals.db, c.id, event.cookies.get(DRAFT_COOKIE));
		if (existing && existing.data.groups.length > 0) {
			// Someone's answers are on this device: only an explicit "Continue" opens them.
			if (choice !== 'continue') redirect(303, surveyHref(c.slug, '', easy));
			redirect(303, surveyHref(c.slug, resumeStep(existing.data, shapeOf(c)), easy));
		}
		await startOrResume(event, c);
		redirect(303, surveyHref(c.slug, 'who', easy));
	}
};
