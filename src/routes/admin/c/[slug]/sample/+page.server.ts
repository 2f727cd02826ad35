import { redirect } from '@sveltejs/kit';
import { analysisContext } from '$lib/server/analysis/route';
import { formFailure, parseForm } from '$lib/server/forms';
import { sampleStartForm } from '$lib/schemas/sample-check';
import {
	listSampleChecks,
	machineCodedPool,
	startSampleCheck,
	SampleCheckError,
	DEFAULT_SAMPLE_SIZE,
	MAX_SAMPLE_SIZE
} from '$lib/server/sample-check';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { db, consultation } = await analysisContext(event);
	const [checks, pool] = await Promise.all([
		listSampleChecks(db, consultation.id),
		machineCodedPool(
			db,
			consultation.questions.map((q) => q.id)
		)
	]);
	return {
		checks,
		pool: consultation.questions.map((q) => ({ key: q.key, n: pool.get(q.id)?.length ?? 0 })),
		defaultSize: DEFAULT_SAMPLE_SIZE,
		maxSize: MAX_SAMPLE_SIZE
	};
};

export const actions: Actions = {
	start: async (event) => {
		const { db, consultation, user, base } = await analysisContext(event);
		const parsed = await parseForm(sampleStartForm, event.request);
		if (!parsed.ok) return parsed.failure;
		let id: number;
		try {
			id = await startSampleCheck(db, consultation, parsed.data, user);
		} catch (e) {
			// Nothing to draw is about the whole form, not one field.
			if (e instanceof SampleCheckError) return formFailure(parsed.values, { [e.field ?? 'form']: e.message });
			throw e;
		}
		redirect(303, `${base}/sample/${id}`);
	}
};
