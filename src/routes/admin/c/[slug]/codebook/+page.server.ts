import { fail } from '@sveltejs/kit';
import { analysisContext } from '$lib/server/analysis/route';
import { activeThemes } from '$lib/server/analysis/queries';
import { questionThemeTables } from '$lib/server/analysis/dashboard';
import { addTheme, updateTheme, mergeThemes, splitTheme, discoverCandidates, listCandidates, decideCandidate, parseKeywords, CodebookEditError } from '$lib/server/codebook';
import { DEFAULT_TICK_RULE } from '$lib/analysis/tables';
import { cachedAnalysis } from '$lib/server/analysis/cache';
import { filterQuery } from '$lib/analysis/filters';
import { codingStatusLine } from '$lib/server/coding';
import type { Actions, PageServerLoad } from './$types';
import { staffQuestionText } from '$lib/domain/questions';

export const load: PageServerLoad = async (event) => {
	const { db, consultation, filters, scope, base } = await analysisContext(event);
	const question = consultation.questions.find((q) => q.key === filters.question) ?? consultation.questions[0];
	const [themes, candidates, counts] = await Promise.all([
		activeThemes(db, [question.id]),
		listCandidates(db, question.id),
		cachedAnalysis(db, consultation.id, `themes-${question.key}${filterQuery(filters)}`, () => questionThemeTables(db, consultation, scope, question.key, DEFAULT_TICK_RULE, { base, filters }))
	]);
	return {
		question: { id: question.id, key: question.key, text: staffQuestionText(question) },
		codebook: themes.map((t) => ({ id: t.id, code: t.code, label: t.label, description: t.description, keywords: JSON.parse(t.keywords) as string[], answers: counts?.themes.find((x) => x.id === t.id)?.total ?? 0 })),
		candidates,
		coding: codingStatusLine(consultation.questions)
	};
};

async function run(event: Parameters<Actions[string]>[0], work: (ctx: Awaited<ReturnType<typeof analysisContext>>, form: FormData) => Promise<string>) {
	const ctx = await analysisContext(event);
	const form = await event.request.formData();
	try {
		return { message: await work(ctx, form) };
	} catch (e) {
		if (e instanceof CodebookEditError) return fail(400, { error: e.message, action: String(form.get('_form') ?? '') });
		throw e;
	}
}
const num = (v: FormDataEntryValue | null) => Number(v ?? NaN);
const text = (v: FormDataEntryValue | null) => String(v ?? '');

export const actions: Actions = {
	add: (event) =>
		run(event, async ({ db, consultation, user }, f) => {
			await addTheme(db, consultation.id, { questionId: num(f.get('question')), label: text(f.get('label')), description: text(f.get('description')), keywords: parseKeywords(text(f.get('keywords'))) }, user);
			return `Added the theme "${text(f.get('label')).trim()}". The answers will be recoded in the background.`;
		}),
	update: (event) =>
		run(event, async ({ db, consultation, user }, f) => {
			await updateTheme(db, consultation.id, num(f.get('theme')), { label: text(f.get('label')), description: text(f.get('description')), keywords: parseKeywords(text(f.get('keywords'))) }, user);
			return `Saved the theme "${text(f.get('label')).trim()}".`;
		}),
	merge: (event) =>
		run(event, async ({ db, consultation, user }, f) => {
			if (!f.get('from') || !f.get('into')) throw new CodebookEditError('Choose both themes to merge.');
			await mergeThemes(db, consultation.id, num(f.get('from')), num(f.get('into')), user);
			return 'Merged the themes.';
		}),
	split: (event) =>
		run(event, async ({ db, consultation, user }, f) => {
			const parts = [1, 2, 3]
				.map((i) => ({ label: text(f.get(`label${i}`)).trim(), keywords: parseKeywords(text(f.get(`keywords${i}`))) }))
				.filter((p) => p.label !== '' || p.keywords.length > 0);
			const r = await splitTheme(db, consultation.id, num(f.get('theme')), parts, user);
			return `Split into ${r.created.map((c) => `"${c.label}"`).join(' and ')}.${r.unmatched ? ` ${r.unmatched} answers matched none of the new themes' keywords and keep the original theme.` : ''}`;
		}),
	discover: (event) =>
		run(event, async ({ db, consultation, user }, f) => {
			const r = await discoverCandidates(db, consultation.id, num(f.get('question')), user);
			return `Looked at ${r.looked} answers with no theme and found ${r.found} possible new themes.`;
		}),
	accept: (event) =>
		run(event, async ({ db, consultation, user }, f) => {
			await decideCandidate(db, consultation.id, num(f.get('candidate')), 'accept', user, text(f.get('label')));
			return 'Added the candidate as a theme. The answers will be recoded in the background.';
		}),
	dismiss: (event) =>
		run(event, async ({ db, consultation, user }, f) => {
			await decideCandidate(db, consultation.id, num(f.get('candidate')), 'dismiss', user);
			return 'Dismissed the candidate.';
		})
};
