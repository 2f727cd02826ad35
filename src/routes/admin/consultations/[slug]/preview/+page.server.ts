import { error } from '@sveltejs/kit';
import { requireConsultationManager } from '$lib/server/auth/guard';
import { getConsultationCached, wordingFor } from '$lib/server/consultations/queries';
import { asRespondentsSeeIt, groupLabel } from '$lib/server/survey/context';
import { asPhrase } from '$lib/server/survey/flow';
import type { PageServerLoad } from './$types';

/**
 * Every question page as a respondent of one group sees it, in the standard or
 * easy read version (?group=child&easy=1), at a phone's width: before opening,
 * an officer reads the survey exactly as it will be shown.
 */
export const load: PageServerLoad = async (event) => {
	requireConsultationManager(event);
	const found = await getConsultationCached(event.locals.db, event.params.slug);
	if (!found) error(404, 'There is no such consultation.');
	const c = asRespondentsSeeIt(found);
	const easy = event.url.searchParams.get('easy') === '1';
	const group = c.groups.find((g) => g.code === event.url.searchParams.get('group')) ?? c.groups[0];
	if (!group) error(404, 'This consultation has no groups to preview.');
	const label = groupLabel(c, group.code, easy);
	return {
		slug: c.slug,
		title: c.title,
		description: c.description,
		easy,
		group: group.code,
		groups: c.groups.map((g) => ({ code: g.code, label: g.label })),
		answeringAs: easy ? label : asPhrase(label),
		questions: c.questions.map((q, i) => ({
			key: q.key,
			caption: `Question ${i + 1} of ${c.questions.length}`,
			text: wordingFor(q, group.code, easy),
			hint: q.hint,
			max: q.maxLength,
			required: q.required
		}))
	};
};
