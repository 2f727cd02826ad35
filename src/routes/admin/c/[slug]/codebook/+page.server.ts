import type { z } from 'zod';
import { formFailure, parseForm } from '$lib/server/forms';
import {
	candidateForm,
	discoverForm,
	themeAddForm,
	themeMergeForm,
	themeRetireForm,
	themeSplitForm,
	themeUpdateForm
} from '$lib/schemas/analysis';
import { analysisContext } from '$lib/server/analysis/route';
import { activeThemes } from '$lib/server/analysis/queries';
import { questionThemeTables } from '$lib/server/analysis/dashboard';
import {
	addTheme,
	updateTheme,
	mergeThemes,
	setThemeRetired,
	retiredThemes,
	splitTheme,
	discoverCandidates,
	listCandidates,
	decideCandidate,
	parseKeywords,
	CodebookEditError
} from '$lib/server/codebook';
import { DEFAULT_TICK_RULE } from '$lib/analysis/tables';
import { cachedAnalysis } from '$lib/server/analysis/cache';
import { filterQuery } from '$lib/analysis/filters';
import { codingStatusLine } from '$lib/server/coding';
import type { Actions, PageServerLoad } from './$types';
import { staffQuestionText } from '$lib/domain/questions';

export const load: PageServerLoad = async (event) => {
	const { db, consultation, filters, scope, base } = await analysisContext(event);
	const question = consultation.questions.find((q) => q.key === filters.question) ?? consultation.questions[0];
	const [themes, retired, candidates, counts] = await Promise.all([
		activeThemes(db, [question.id]),
		retiredThemes(db, question.id),
		listCandidates(db, question.id),
		cachedAnalysis(db, consultation.id, `themes-${question.key}${filterQuery(filters)}`, () =>
			questionThemeTables(db, consultation, scope, question.key, DEFAULT_TICK_RULE, { base, filters })
		)
	]);
	return {
		question: { id: question.id, key: question.key, text: staffQuestionText(question) },
		codebook: themes.map((t) => ({
			id: t.id,
			code: t.code,
			label: t.label,
			description: t.description,
			keywords: JSON.parse(t.keywords) as string[],
			answers: counts?.themes.find((x) => x.id === t.id)?.total ?? 0
		})),
		retired: retired.map((t) => ({ id: t.id, label: t.label, at: t.updated_at })),
		candidates,
		coding: codingStatusLine(consultation.questions)
	};
};

async function run<S extends z.ZodType>(
	event: Parameters<Actions[string]>[0],
	schema: S,
	work: (ctx: Awaited<ReturnType<typeof analysisContext>>, f: z.output<S>) => Promise<string>
) {
	const ctx = await analysisContext(event);
	const parsed = await parseForm(schema, event.request);
	// Which of the page's forms was sent, so its message shows beside it.
	const action = String(parsed.values._form ?? '');
	if (!parsed.ok) return formFailure(parsed.values, parsed.errors, { error: Object.values(parsed.errors)[0], action });
	try {
		return { message: await work(ctx, parsed.data) };
	} catch (e) {
		if (e instanceof CodebookEditError)
			return formFailure(parsed.values, { form: e.message }, { error: e.message, action });
		throw e;
	}
}

export const actions: Actions = {
	add: (event) =>
		run(event, themeAddForm, async ({ db, consultation, user }, f) => {
			await addTheme(
				db,
				consultation.id,
				{ questionId: f.question, label: f.label, description: f.description, keywords: parseKeywords(f.keywords) },
				user
			);
			return `Added the theme "${f.label.trim()}". The answers will be recoded in the background.`;
		}),
	update: (event) =>
		run(event, themeUpdateForm, async ({ db, consultation, user }, f) => {
			await updateTheme(
				db,
				consultation.id,
				f.theme,
				{ label: f.label, description: f.description, keywords: parseKeywords(f.keywords) },
				user
			);
			return `Saved the theme "${f.label.trim()}".`;
		}),
	merge: (event) =>
		run(event, themeMergeForm, async ({ db, consultation, user }, f) => {
			await mergeThemes(db, consultation.id, f.from, f.into, user);
			return 'Merged the themes.';
		}),
	retire: (event) =>
		run(event, themeRetireForm, async ({ db, consultation, user }, f) => {
			const t = await setThemeRetired(db, consultation.id, f.theme, true, user);
			return `Retired the theme "${t.label}": it is hidden from tables, charts, exports and the results page; its coding is kept, and it can be restored below.`;
		}),
	restore: (event) =>
		run(event, themeRetireForm, async ({ db, consultation, user }, f) => {
			const t = await setThemeRetired(db, consultation.id, f.theme, false, user);
			return `Restored the theme "${t.label}" with its coding.`;
		}),
	split: (event) =>
		run(event, themeSplitForm, async ({ db, consultation, user }, f) => {
			const parts = [
				{ label: f.label1.trim(), keywords: parseKeywords(f.keywords1) },
				{ label: f.label2.trim(), keywords: parseKeywords(f.keywords2) },
				{ label: f.label3.trim(), keywords: parseKeywords(f.keywords3) }
			].filter((p) => p.label !== '' || p.keywords.length > 0);
			const r = await splitTheme(db, consultation.id, f.theme, parts, user);
			return `Split into ${r.created.map((c) => `"${c.label}"`).join(' and ')}.${r.unmatched ? ` ${r.unmatched} answers matched none of the new themes' keywords and keep the original theme.` : ''}`;
		}),
	discover: (event) =>
		run(event, discoverForm, async ({ db, consultation, user }, f) => {
			const r = await discoverCandidates(db, consultation.id, f.question, user);
			return `Looked at ${r.looked} answers with no theme and found ${r.found} possible new themes.`;
		}),
	accept: (event) =>
		run(event, candidateForm, async ({ db, consultation, user }, f) => {
			await decideCandidate(db, consultation.id, f.candidate, 'accept', user, f.label);
			return 'Added the candidate as a theme. The answers will be recoded in the background.';
		}),
	dismiss: (event) =>
		run(event, candidateForm, async ({ db, consultation, user }, f) => {
			await decideCandidate(db, consultation.id, f.candidate, 'dismiss', user);
			return 'Dismissed the candidate.';
		})
};
