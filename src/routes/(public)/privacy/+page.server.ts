import { getConsultation, listConsultations } from '$lib/server/consultations/queries';
import { draftIdleMinutes } from '$lib/server/survey/config';
import { localise } from '$lib/i18n/consultation';
import type { PageServerLoad } from './$types';

// A page to read: sent without the app's JavaScript, as the survey's pages are (s/[slug]/+layout.server.ts).
export const csr = false;

/** The site's privacy page: each public consultation's own notice (or just one with ?c=<slug>). */
export const load: PageServerLoad = async ({ locals, url }) => {
	const only = url.searchParams.get('c');
	const slugs = (await listConsultations(locals.db))
		.filter((c) => c.status !== 'draft' && (!only || c.slug === only))
		.map((c) => c.slug);
	const views = await Promise.all(slugs.map((s) => getConsultation(locals.db, s)));
	return {
		idleMinutes: draftIdleMinutes(),
		// Each consultation's title and notice in the page's language where translated.
		consultations: views
			.filter((c) => c !== null)
			.map((c) => localise(c, c.translations, locals.lang))
			.map((c) => ({ slug: c.slug, title: c.title, text: c.privacyNotice }))
	};
};
