import { error, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { requireConsultationManager } from '$lib/server/auth/guard';
import { BuilderError, builderErrors, saveConsultation, storedDefinition } from '$lib/server/consultations/builder';
import { getConsultation } from '$lib/server/consultations/queries';
import { consultationFileSchema } from '$lib/schemas/consultation-file';
import { translationFields, withTranslation } from '$lib/domain/translation-form';
import { untranslated } from '$lib/i18n/consultation';
import { LANGUAGES } from '$lib/i18n/languages';
import { formFailure, parseForm } from '$lib/server/forms';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const OTHER = LANGUAGES.filter((l) => l.code !== 'en');

function languageOf(url: URL) {
	return OTHER.find((l) => l.code === url.searchParams.get('lang')) ?? OTHER[0];
}

async function stored(event: Pick<RequestEvent, 'locals' | 'params'>) {
	const def = await storedDefinition(event.locals.db, event.params.slug);
	if (!def) error(404, 'There is no such consultation.');
	return def;
}

export const load: PageServerLoad = async (event) => {
	requireConsultationManager(event);
	const def = await stored(event);
	const view = await getConsultation(event.locals.db, def.slug);
	const lang = languageOf(event.url);
	return {
		slug: def.slug,
		title: def.title,
		lang: { code: lang.code, english: lang.english, dir: lang.dir },
		languages: OTHER.map((l) => ({ code: l.code, english: l.english })),
		fields: translationFields(def, lang.code),
		report: view
			? untranslated(
					view,
					view.translations,
					OTHER.map((l) => l.code)
				).map((r) => ({ ...r, name: OTHER.find((l) => l.code === r.language)!.english }))
			: []
	};
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireConsultationManager(event);
		const def = await stored(event);
		const lang = languageOf(event.url);
		// The fields this consultation has, each optional text (empty: shown in English).
		const schema = z.object(
			Object.fromEntries(
				translationFields(def, lang.code).map((f) => [
					f.id,
					z.string().trim().max(5000, `${f.label} must be 5,000 characters or fewer`).default('')
				])
			)
		);
		const parsed = await parseForm(schema, event.request);
		if (!parsed.ok) return parsed.failure;
		const checked = consultationFileSchema.safeParse(withTranslation(def, lang.code, parsed.data));
		if (!checked.success) return formFailure(parsed.values, builderErrors(checked.error));
		try {
			await saveConsultation(event.locals.db, checked.data, def.slug, user.id);
		} catch (e) {
			if (e instanceof BuilderError) return formFailure(parsed.values, { [e.field]: e.message }, undefined, 409);
			throw e;
		}
		redirect(303, `/admin/consultations/${def.slug}/translations?lang=${lang.code}&done=saved`);
	}
};
