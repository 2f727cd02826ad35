import { error, redirect } from '@sveltejs/kit';
import {
	BuilderError,
	checkedDefinition,
	consultationToEdit,
	lifecycleState,
	moveConsultation,
	movesFrom,
	saveConsultation
} from '$lib/server/consultations/builder';
import { getConsultationCached } from '$lib/server/consultations/queries';
import { wordingsAsAsked } from '$lib/server/consultations/wordings';
import {
	definitionInput,
	draftOf,
	withGroupAdded,
	withGroupsPasted,
	withQuestionAdded,
	withRowRemoved,
	type Draft
} from '$lib/domain/consultation-form';
import { codebookImportForm, editorForm, lifecycleForm } from '$lib/schemas/builder';
import { importCodebookFile } from '$lib/server/consultations/codebook-files';
import { formFailure, parseForm } from '$lib/server/forms';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load: PageServerLoad = async (event) => {
	const { def } = await consultationToEdit(event);
	const [life, view] = await Promise.all([
		lifecycleState(event.locals.db, def.slug),
		getConsultationCached(event.locals.db, def.slug)
	]);
	return {
		slug: def.slug,
		draft: draftOf(def),
		state: life!.state,
		answers: life!.answers,
		moves: movesFrom(life!.state),
		wordings: view ? await wordingsAsAsked(event.locals.db, view.id) : [],
		questions: (view?.questions ?? []).map((q) => ({ key: q.key, text: q.text }))
	};
};

/** Add-another, paste and remove buttons change only the page: nothing is stored until "Save". */
async function reshape(
	event: RequestEvent,
	change: (d: Draft, form: { pasteGroups: string; remove: string }) => Draft
) {
	await consultationToEdit(event);
	const parsed = await parseForm(editorForm, event.request);
	if (!parsed.ok) return parsed.failure;
	return { draft: change(parsed.data.draft, parsed.data) };
}

export const actions: Actions = {
	save: async (event) => {
		const { user, def: base } = await consultationToEdit(event);
		const parsed = await parseForm(editorForm, event.request);
		if (!parsed.ok) return parsed.failure;
		const { draft } = parsed.data;
		// The one schema of the consultation file, on top of what is stored (what the page does not show is kept).
		const checked = checkedDefinition(definitionInput(draft, base));
		if (!checked.ok) return formFailure(parsed.values, checked.errors, { draft });
		try {
			await saveConsultation(event.locals.db, checked.definition, event.params.slug, user.id);
		} catch (e) {
			if (e instanceof BuilderError) return formFailure(parsed.values, { [e.field]: e.message }, { draft }, 409);
			throw e;
		}
		redirect(303, `/admin/consultations/${checked.definition.slug}?done=saved`);
	},
	addGroup: (event) => reshape(event, withGroupAdded),
	addQuestion: (event) => reshape(event, withQuestionAdded),
	pasteGroups: (event) => reshape(event, (d, f) => withGroupsPasted(d, f.pasteGroups)),
	remove: (event) => reshape(event, (d, f) => withRowRemoved(d, f.remove)),
	importCodebook: async (event) => {
		const { user } = await consultationToEdit(event);
		const parsed = await parseForm(codebookImportForm, event.request, { form: 'codebook' });
		if (!parsed.ok) return parsed.failure;
		const c = await getConsultationCached(event.locals.db, event.params.slug);
		if (!c) error(404, 'There is no such consultation.');
		try {
			const n = await importCodebookFile(
				event.locals.db,
				c.id,
				parsed.data.question,
				await parsed.data.codebook.text(),
				user.id
			);
			return {
				form: 'codebook',
				message: `Imported ${n} themes for ${parsed.data.question.toUpperCase()}: its answers are being coded.`
			};
		} catch (e) {
			if (e instanceof BuilderError) return formFailure(parsed.values, { [e.field]: e.message }, { form: 'codebook' });
			throw e;
		}
	},
	move: async (event) => {
		const { user } = await consultationToEdit(event);
		const parsed = await parseForm(lifecycleForm, event.request);
		if (!parsed.ok) return parsed.failure;
		try {
			await moveConsultation(event.locals.db, event.params.slug, parsed.data.to, user.id);
		} catch (e) {
			if (e instanceof BuilderError) return formFailure(parsed.values, { to: e.message }, undefined, 409);
			throw e;
		}
		redirect(303, `/admin/consultations/${event.params.slug}?done=${parsed.data.to}`);
	}
};
