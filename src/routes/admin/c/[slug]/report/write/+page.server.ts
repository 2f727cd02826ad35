import { analysisContext } from '$lib/server/analysis/route';
import { reportData } from '$lib/server/report/data';
import { saveSection, sectionSchema } from '$lib/server/report/narrative';
import { parseTickRule } from '$lib/analysis/filters';
import { parseForm } from '$lib/server/forms';
import { MAX_SECTION } from '$lib/report/markdown';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { db, consultation: c, filters, scope, base } = await analysisContext(event);
	const data = await reportData(db, c, filters, scope, parseTickRule(event.url.searchParams), base);
	return { sections: data.narrative, max: MAX_SECTION };
};

export const actions: Actions = {
	default: async (event) => {
		const { db, consultation: c, user } = await analysisContext(event);
		const parsed = await parseForm(sectionSchema(c), event.request);
		if (!parsed.ok) return parsed.failure;
		await saveSection(db, c.id, parsed.data.section, parsed.data.body, user);
		return {
			section: parsed.data.section,
			message: parsed.data.body ? 'Section saved.' : 'Section cleared (the method section goes back to its draft).'
		};
	}
};
