import { error, fail, redirect } from '@sveltejs/kit';
import { wordingFor } from '$lib/server/consultations/queries';
import {
	clearDraftCookie,
	consultationFor,
	groupLabel,
	shapeOf,
	surveyHref,
	surveyStep
} from '$lib/server/survey/context';
import { deleteDraft, loadDraft, DRAFT_COOKIE } from '$lib/server/survey/draft';
import {
	aboutAnswers,
	aboutPages,
	asPhrase,
	audienceOf,
	previousStep,
	toSubmissionInput
} from '$lib/server/survey/flow';
import { storedReference, submitResponse } from '$lib/server/survey/submit';
import { limitedSubmit, REFUSAL_MESSAGE } from '$lib/server/survey/rate-limit';
import { minSecondsToComplete } from '$lib/server/survey/config';
import { ABOUT_PAGES, aboutQuestion } from '$lib/domain/about-you';
import { PREFER_NOT } from '$lib/domain/equality';
import { parseForm } from '$lib/server/forms';
import { checkForm } from '$lib/schemas/survey';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';

/** The honeypot: a field people never see or reach; only bots fill it in. */
const HONEYPOT = 'website';

export const load: PageServerLoad = async (event) => {
	const { c, easy, draft } = await surveyStep(event);
	const shape = shapeOf(c);
	const d = draft.data;
	const notAnswered = easy ? m.check_no_answer_easy() : m.check_not_answered();
	const audience = audienceOf(d, shape);
	const given = aboutAnswers(d, shape) ?? {};
	const asked = aboutPages(d, shape);
	// Each question in the words the person saw; a child's age (known from their group) is shown but not asked.
	const aboutRows = ABOUT_PAGES.filter(
		(page) => asked.includes(page) || (page === 'age' && d.aboutWanted && given.ageBand)
	).map((page) => {
		const q = aboutQuestion(page, audience, easy);
		const v = given[q.field];
		const label = !v
			? notAnswered
			: v === PREFER_NOT
				? q.preferNotLabel
				: (q.options.find((o) => o.code === v)?.label ?? v);
		return {
			label: q.summaryLabel,
			value:
				q.field === 'gender' && v === 'self-describe' && given.genderSelfDescribe
					? `${label}: ${given.genderSelfDescribe}`
					: label,
			href: asked.includes(page)
				? surveyHref(c.slug, `about/${page}`, easy, { change: '1' })
				: surveyHref(c.slug, 'who', easy, { change: '1' })
		};
	});
	const about = [
		{
			label: easy ? m.check_about_wanted_easy() : m.check_about_wanted(),
			value:
				d.aboutWanted === true
					? m.ay_yes()
					: d.aboutWanted === false
						? easy
							? m.ay_no()
							: m.check_about_skipped()
						: notAnswered,
			href: surveyHref(c.slug, 'about', easy, { change: '1' })
		},
		...aboutRows
	];
	return {
		easy,
		slug: c.slug,
		submissionId: draft.submissionId,
		groups: d.groups.map((g) => groupLabel(c, g, easy)),
		district:
			d.district === undefined
				? notAnswered
				: d.district === null
					? m.where_dont_know()
					: (c.districts.find((x) => x.code === d.district)?.label ?? d.district),
		perspectives: d.groups.map((g, i) => ({
			heading: easy
				? m.check_answers_as_easy({ group: groupLabel(c, g, easy) })
				: m.check_answers_as({ group: asPhrase(groupLabel(c, g, false), event.locals.lang) }),
			answers: c.questions.map((q, n) => ({
				question: wordingFor(q, g, easy),
				answer: (d.answers[g]?.[q.key] ?? '').trim() || null,
				href: surveyHref(c.slug, `q/${i + 1}/${n + 1}`, easy, { change: '1' })
			}))
		})),
		about,
		back: surveyHref(c.slug, previousStep(d, shape, 'check'), easy)
	};
};

const refused = () => m.check_refused();

export const actions: Actions = {
	default: async (event) => {
		const { c, state, easy } = await consultationFor(event);
		if (state !== 'open') redirect(303, surveyHref(c.slug, '', easy));
		const { values: form } = await parseForm(checkForm(HONEYPOT), event.request);
		const draft = await loadDraft(event.locals.db, c.id, event.cookies.get(DRAFT_COOKIE));

		if (!draft) {
			clearDraftCookie(event.cookies, event.url, c.slug);
			// Sent twice (Back then Send, or a retry after a timeout): the first send removed the draft.
			const id = String(form.submission ?? '');
			const reference = /^[0-9a-f-]{36}$/i.test(id) ? await storedReference(event.locals.db, c.id, id) : null;
			if (reference) redirect(303, surveyHref(c.slug, 'done', easy, { ref: reference }));
			redirect(303, surveyHref(c.slug, '', easy, { expired: '1' }));
		}

		// Bots fill in every field and answer in no time; people do neither. Nothing is stored.
		const honeypot = form[HONEYPOT];
		const tooQuick = Date.now() - draft.data.startedAt < minSecondsToComplete() * 1000;
		if ((typeof honeypot === 'string' && honeypot !== '') || tooQuick) return fail(400, { refused: refused() });

		const result = await limitedSubmit(event.getClientAddress(), () =>
			submitResponse(
				event.locals.db,
				c.slug,
				{ ...toSubmissionInput(draft.data, draft.submissionId, shapeOf(c)), language: event.locals.lang },
				{ consultation: c }
			)
		);
		switch (result.kind) {
			case 'refused':
				// The draft is kept: the page shows their answers again with a message worded for a child.
				event.setHeaders({ 'retry-after': String(result.retryAfter) });
				return fail(result.reason === 'address' ? 429 : 503, {
					refused: easy ? REFUSAL_MESSAGE.easy : REFUSAL_MESSAGE.standard
				});
			case 'created':
			case 'replayed':
				await deleteDraft(event.locals.db, draft.id);
				clearDraftCookie(event.cookies, event.url, c.slug);
				redirect(303, surveyHref(c.slug, 'done', easy, { ref: result.reference }));
			// eslint-disable-next-line no-fallthrough -- redirect() throws, so nothing falls through
			case 'invalid': {
				if (draft.data.groups.length === 0) {
					return fail(400, {
						errors: { [surveyHref(c.slug, 'who', easy, { change: '1' })]: easy ? m.who_error_easy() : m.who_error() }
					});
				}
				// Keyed by where each message links: the step to change, or the Send button.
				const errors: Record<string, string> = {};
				for (const [field, message] of Object.entries(result.fieldErrors)) {
					if (field === 'perspectives') {
						errors[surveyHref(c.slug, 'q/1/1', easy, { change: '1' })] = easy ? m.check_none_easy() : m.check_none();
					} else errors.send ??= m.check_wrong({ field, message });
				}
				return fail(400, { errors });
			}
			case 'closed':
				redirect(303, surveyHref(c.slug, '', easy));
			// eslint-disable-next-line no-fallthrough -- redirect() throws, so nothing falls through
			case 'conflict':
				return fail(400, { refused: refused() });
			case 'notFound':
				error(404, m.not_found_consultation());
		}
	}
};
