import { fail } from '@sveltejs/kit';
import { analysisContext } from '$lib/server/analysis/route';
import { activeThemes } from '$lib/server/analysis/queries';
import { suggestQuotes, setStar } from '$lib/server/review/quotes';
import { ReviewError } from '$lib/server/review';
import { formFailure, parseForm } from '$lib/server/forms';
import { starForm } from '$lib/schemas/analysis';
import type { Actions, PageServerLoad } from './$types';
import { staffQuestionText } from '$lib/domain/questions';

export const load: PageServerLoad = async (event) => {
	const { db, consultation, filters } = await analysisContext(event);
	const question = consultation.questions.find((q) => q.key === filters.question) ?? consultation.questions[0];
	const themes = await activeThemes(db, [question.id]);
	const quotes = await Promise.all(themes.map((t) => suggestQuotes(db, t.id, 6)));
	return {
		question: { key: question.key, text: staffQuestionText(question) },
		byTheme: themes.map((t, i) => ({ id: t.id, label: t.label, quotes: quotes[i] }))
	};
};

export const actions: Actions = {
	star: async (event) => {
		const { db, consultation, user } = await analysisContext(event);
		const parsed = await parseForm(starForm, event.request);
		if (!parsed.ok) return formFailure(parsed.values, parsed.errors, { error: Object.values(parsed.errors)[0] });
		try {
			const { theme, answer, star: on } = parsed.data;
			await setStar(db, consultation.id, theme, answer, on, user);
			return { message: on ? 'Starred for the report.' : 'Removed from the report.' };
		} catch (e) {
			if (e instanceof ReviewError) return fail(400, { error: e.message });
			throw e;
		}
	}
};
