import { consultationFor } from '$lib/server/survey/context';
import { draftIdleMinutes } from '$lib/server/survey/config';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { c, easy } = await consultationFor(event);
	return {
		easy,
		slug: c.slug,
		title: c.title,
		organisation: c.organisation,
		text: c.privacyNotice,
		sections: c.content.privacy,
		idleMinutes: draftIdleMinutes()
	};
};
