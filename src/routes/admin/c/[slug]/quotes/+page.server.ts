import { analysisContext } from '$lib/server/analysis/route';
import { activeThemes } from '$lib/server/analysis/queries';
import { suggestQuotesOfThemes, setStar, setQuoteWording, type WordingChange } from '$lib/server/review/quotes';
import { ReviewError } from '$lib/server/review';
import { formFailure, parseForm, type FormValues } from '$lib/server/forms';
import { quoteEditForm, quoteRestoreForm, quoteTrimForm, starForm, QUOTE_WORDING_MAX } from '$lib/schemas/analysis';
import { UNKNOWN } from '$lib/analysis/filters';
import type { Actions, PageServerLoad } from './$types';
import { staffQuestionText } from '$lib/domain/questions';

export const load: PageServerLoad = async (event) => {
	const { db, consultation, filters } = await analysisContext(event);
	const question = consultation.questions.find((q) => q.key === filters.question) ?? consultation.questions[0];
	const known = filters.group === UNKNOWN || consultation.groups.some((g) => g.code === filters.group);
	const group = known ? (filters.group ?? null) : null;
	const themes = await activeThemes(db, [question.id]);
	const quotes = await suggestQuotesOfThemes(
		db,
		themes.map((t) => t.id),
		6,
		{ group }
	);
	return {
		question: { key: question.key, text: staffQuestionText(question) },
		group,
		maxWording: QUOTE_WORDING_MAX,
		byTheme: themes.map((t, i) => ({ id: t.id, label: t.label, quotes: quotes[i] }))
	};
};

/** A refusal from the domain, on the field it names, for the quote's own form. */
const refused = (e: unknown, values: FormValues, form: string) => {
	if (e instanceof ReviewError) return formFailure(values, { [e.field ?? 'form']: e.message }, { form });
	throw e;
};

/** Trim, edit and restore share everything but the change they ask for. */
async function reword(
	event: Parameters<Actions[string]>[0],
	kind: WordingChange['kind'],
	schema: typeof quoteTrimForm | typeof quoteEditForm | typeof quoteRestoreForm
) {
	const { db, consultation, user } = await analysisContext(event);
	const form = await event.request.formData();
	const formName = `${kind}-${Number(form.get('theme'))}-${Number(form.get('answer'))}`;
	const parsed = await parseForm(schema, form, { form: formName });
	if (!parsed.ok) return parsed.failure;
	const d = parsed.data as { theme: number; answer: number; part?: string; wording?: string };
	const change: WordingChange =
		kind === 'trim'
			? { kind, part: d.part ?? '' }
			: kind === 'edit'
				? { kind, text: d.wording ?? '' }
				: { kind: 'restore' };
	try {
		const { redacted } = await setQuoteWording(db, consultation.id, d.theme, d.answer, change, user);
		const message =
			kind === 'trim'
				? 'Quote trimmed. The answer itself is kept as given.'
				: kind === 'edit'
					? `Wording saved${redacted ? ', with personal details removed' : ''}. The answer itself is kept as given.`
					: 'The quote has the answer’s own words again.';
		return { message };
	} catch (e) {
		return refused(e, parsed.values, formName);
	}
}

export const actions: Actions = {
	star: async (event) => {
		const { db, consultation, user } = await analysisContext(event);
		const parsed = await parseForm(starForm, event.request, { form: 'star' });
		if (!parsed.ok) return parsed.failure;
		try {
			const { theme, answer, star: on } = parsed.data;
			await setStar(db, consultation.id, theme, answer, on, user);
			return { message: on ? 'Starred for the report.' : 'Removed from the report.' };
		} catch (e) {
			return refused(e, {}, 'star');
		}
	},
	trim: (event) => reword(event, 'trim', quoteTrimForm),
	edit: (event) => reword(event, 'edit', quoteEditForm),
	restore: (event) => reword(event, 'restore', quoteRestoreForm)
};
