import { redirect } from '@sveltejs/kit';
import { requireConsultationManager } from '$lib/server/auth/guard';
import {
	BuilderError,
	consultationsForBuilder,
	duplicateConsultation,
	parseDefinitionText,
	saveConsultation,
	templates
} from '$lib/server/consultations/builder';
import { blankDefinition } from '$lib/domain/consultation-form';
import { formFailure, parseForm } from '$lib/server/forms';
import { duplicateForm, importForm, newConsultationForm } from '$lib/schemas/builder';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireConsultationManager(event);
	return {
		consultations: await consultationsForBuilder(event.locals.db),
		templates: templates().map((t) => ({ name: t.name, title: t.title }))
	};
};

/** A refusal from the builder shown at the field it is about, in the form it came from. */
function refused(error: unknown, values: Record<string, string | string[]>, form: string) {
	if (error instanceof BuilderError) return formFailure(values, { [error.field]: error.message }, { form });
	throw error;
}

export const actions: Actions = {
	create: async (event) => {
		const user = requireConsultationManager(event);
		const parsed = await parseForm(newConsultationForm, event.request, { form: 'create' });
		if (!parsed.ok) return parsed.failure;
		const { slug, title, organisation, template } = parsed.data;
		const chosen = template ? templates().find((t) => t.name === template) : undefined;
		if (template && !chosen) return formFailure(parsed.values, { template: 'Choose a template' }, { form: 'create' });
		const definition = chosen
			? { ...chosen.definition, slug, title, organisation, status: 'draft' as const, codebooks: undefined }
			: blankDefinition(slug, title, organisation);
		try {
			await saveConsultation(event.locals.db, definition, null, user.id);
		} catch (error) {
			return refused(error, parsed.values, 'create');
		}
		redirect(303, `/admin/consultations/${slug}?done=created`);
	},
	duplicate: async (event) => {
		const user = requireConsultationManager(event);
		const parsed = await parseForm(duplicateForm, event.request, { form: 'duplicate' });
		if (!parsed.ok) return parsed.failure;
		try {
			const copy = { slug: parsed.data.copySlug, title: parsed.data.copyTitle };
			await duplicateConsultation(event.locals.db, parsed.data.from, copy, user.id);
		} catch (error) {
			if (error instanceof BuilderError && error.field === 'slug')
				return formFailure(parsed.values, { copySlug: error.message }, { form: 'duplicate' });
			return refused(error, parsed.values, 'duplicate');
		}
		redirect(303, `/admin/consultations/${parsed.data.copySlug}?done=duplicated`);
	},
	import: async (event) => {
		const user = requireConsultationManager(event);
		const parsed = await parseForm(importForm, event.request, { form: 'import' });
		if (!parsed.ok) return parsed.failure;
		const read = parseDefinitionText(await parsed.data.file.text());
		if (!read.ok) return formFailure({}, read.errors, { form: 'import' });
		// An imported consultation starts as a draft here, whatever it was where it came from.
		const definition = { ...read.definition, status: 'draft' as const, codebooks: undefined };
		try {
			await saveConsultation(event.locals.db, definition, null, user.id);
		} catch (error) {
			if (error instanceof BuilderError) return formFailure({}, { file: error.message }, { form: 'import' });
			throw error;
		}
		redirect(303, `/admin/consultations/${definition.slug}?done=imported`);
	}
};
