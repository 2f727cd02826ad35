import { redirect } from '@sveltejs/kit';
import {
	BuilderError,
	checkedDefinition,
	consultationToEdit,
	saveConsultation
} from '$lib/server/consultations/builder';
import { getConsultationCached } from '$lib/server/consultations/queries';
import { translationForm } from '$lib/schemas/builder';
import { translationFields, withTranslation } from '$lib/domain/translation-form';
import { untranslated } from '$lib/i18n/consultation';
import { LANGUAGES } from '$lib/i18n/languages';
import { formFailure, parseForm } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

const OTHER = LANGUAGES.filter((l) => l.code !== 'en');

function languageOf(url: URL) {
	return OTHER.find((l) => l.code === url.searchParams.get('lang')) ?? OTHER[0];
}

export const load: PageServerLoad = async (event) => {
	const { def } = await consultationToEdit(event);
	const view = await getConsultationCached(event.locals.db, def.slug);
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
		const { user, def } = await consultationToEdit(event);
		const lang = languageOf(event.url);
		const parsed = await parseForm(translationForm(translationFields(def, lang.code)), event.request);
		if (!parsed.ok) return parsed.failure;
		const checked = checkedDefinition(withTranslation(def, lang.code, parsed.data));
		if (!checked.ok) return formFailure(parsed.values, checked.errors);
		try {
			await saveConsultation(event.locals.db, checked.definition, def.slug, user.id);
		} catch (e) {
			if (e instanceof BuilderError) return formFailure(parsed.values, { [e.field]: e.message }, undefined, 409);
			throw e;
		}
		redirect(303, `/admin/consultations/${def.slug}/translations?lang=${lang.code}&done=saved`);
	}
};
