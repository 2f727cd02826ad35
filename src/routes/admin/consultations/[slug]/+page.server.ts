import { error, fail, redirect } from '@sveltejs/kit';
import { requireConsultationManager } from '$lib/server/auth/guard';
import {
	BuilderError,
	builderErrors,
	lifecycleState,
	moveConsultation,
	movesFrom,
	saveConsultation,
	storedDefinition
} from '$lib/server/consultations/builder';
import { getConsultation } from '$lib/server/consultations/queries';
import { wordingsAsAsked } from '$lib/server/consultations/wordings';
import {
	definitionInput,
	draftFromForm,
	draftOf,
	withGroupAdded,
	withGroupsPasted,
	withQuestionAdded,
	withRowRemoved,
	type Draft
} from '$lib/domain/consultation-form';
import { consultationFileSchema } from '$lib/schemas/consultation-file';
import { codebookImportForm, lifecycleForm } from '$lib/schemas/builder';
import { importCodebookFile } from '$lib/server/consultations/codebook-files';
import { formFailure } from '$lib/server/forms';
import { parseForm } from '$lib/server/forms';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

async function stored(event: Pick<RequestEvent, 'locals' | 'params'>) {
	const def = await storedDefinition(event.locals.db, event.params.slug);
	if (!def) error(404, 'There is no such consultation.');
	return def;
}

export const load: PageServerLoad = async (event) => {
	requireConsultationManager(event);
	const def = await stored(event);
	const [life, view] = await Promise.all([
		lifecycleState(event.locals.db, def.slug),
		getConsultation(event.locals.db, def.slug)
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

/** The form as posted, as text (no files here); the "About you" checkboxes are the one field sent more than once. */
async function posted(event: RequestEvent): Promise<{ form: FormData; values: Record<string, string> }> {
	const form = await event.request.formData();
	const values: Record<string, string> = {};
	for (const [k, v] of form) if (typeof v === 'string' && !(k in values)) values[k] = v;
	return { form, values };
}
const draftOfPost = (form: FormData, values: Record<string, string>) =>
	draftFromForm({ ...values, aboutAsked: form.getAll('aboutAsked').map(String) });

/** Add-another, paste and remove buttons change only the page: nothing is stored until "Save". */
async function reshape(event: RequestEvent, change: (d: Draft, values: Record<string, string>) => Draft) {
	requireConsultationManager(event);
	const { form, values } = await posted(event);
	return { draft: change(draftOfPost(form, values), values), errors: {} as Record<string, string> };
}

export const actions: Actions = {
	save: async (event) => {
		const user = requireConsultationManager(event);
		const base = await stored(event);
		const { form, values } = await posted(event);
		const draft = draftOfPost(form, values);
		const parsed = consultationFileSchema.safeParse(definitionInput(draft, base));
		if (!parsed.success) return fail(400, { draft, errors: builderErrors(parsed.error) });
		try {
			await saveConsultation(event.locals.db, parsed.data, event.params.slug, user.id);
		} catch (e) {
			if (e instanceof BuilderError) return fail(409, { draft, errors: { [e.field]: e.message } });
			throw e;
		}
		redirect(303, `/admin/consultations/${parsed.data.slug}?done=saved`);
	},
	addGroup: (event) => reshape(event, withGroupAdded),
	addQuestion: (event) => reshape(event, withQuestionAdded),
	pasteGroups: (event) => reshape(event, (d, v) => withGroupsPasted(d, v.pasteGroups ?? '')),
	remove: (event) => reshape(event, (d, v) => withRowRemoved(d, v.remove ?? '')),
	importCodebook: async (event) => {
		const user = requireConsultationManager(event);
		const parsed = await parseForm(codebookImportForm, event.request, { form: 'codebook' });
		if (!parsed.ok) return parsed.failure;
		const c = await getConsultation(event.locals.db, event.params.slug);
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
		const user = requireConsultationManager(event);
		const parsed = await parseForm(lifecycleForm, event.request);
		if (!parsed.ok) return parsed.failure;
		try {
			await moveConsultation(event.locals.db, event.params.slug, parsed.data.to, user.id);
		} catch (e) {
			if (e instanceof BuilderError) return fail(409, { errors: { to: e.message } });
			throw e;
		}
		redirect(303, `/admin/consultations/${event.params.slug}?done=${parsed.data.to}`);
	}
};
