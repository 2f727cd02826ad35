import { fail, redirect } from '@sveltejs/kit';
import { surveyStep, surveyHref } from '$lib/server/survey/context';
import { saveDraft, type DraftAbout } from '$lib/server/survey/draft';
import { nextStep, orientationAllowed, previousStep } from '$lib/server/survey/flow';
import { AGE_BANDS, DISABILITY, ETHNICITIES, GENDERS, PREFER_NOT } from '$lib/domain/equality';
import type { Actions, PageServerLoad } from './$types';

const FIELDS = { ageBand: AGE_BANDS, gender: GENDERS, disability: DISABILITY, ethnicity: ETHNICITIES } as const;

export const load: PageServerLoad = async (event) => {
	const { c, easy, change, draft } = await surveyStep(event);
	const keys = c.questions.map((q) => q.key);
	return {
		easy,
		about: draft.data.about ?? {},
		back: change ? surveyHref(c.slug, 'check', easy) : surveyHref(c.slug, previousStep(draft.data, keys, 'about'), easy)
	};
};

export const actions: Actions = {
	default: async (event) => {
		const { c, easy, change, draft } = await surveyStep(event);
		const form = await event.request.formData();
		const about: DraftAbout = {};
		const errors: Record<string, string> = {};
		for (const [field, options] of Object.entries(FIELDS) as [keyof typeof FIELDS, (typeof FIELDS)[keyof typeof FIELDS]][]) {
			const value = form.get(field);
			if (typeof value !== 'string' || value === '') continue;
			if (value === PREFER_NOT || options.some((o) => o.code === value)) about[field] = value;
			else errors[field] = 'Choose one of the options';
		}
		const self = String(form.get('genderSelfDescribe') ?? '').trim();
		if (self.length > 100) errors.genderSelfDescribe = 'Describe your gender in 100 characters or fewer';
		else if (self && about.gender === 'self-describe') about.genderSelfDescribe = self;
		if (Object.keys(errors).length > 0) return fail(400, { errors, about });
		const before = draft.data.about?.sexualOrientation;
		draft.data.about = about;
		if (before && orientationAllowed(draft.data)) about.sexualOrientation = before;
		await saveDraft(event.locals.db, draft);
		const keys = c.questions.map((q) => q.key);
		const next = nextStep(draft.data, keys, 'about');
		if (change && next !== 'about/orientation') redirect(303, surveyHref(c.slug, 'check', easy));
		redirect(303, surveyHref(c.slug, next, easy, change ? { change: '1' } : {}));
	}
};
