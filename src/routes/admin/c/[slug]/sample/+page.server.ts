import { fail, redirect } from '@sveltejs/kit';
import { analysisContext } from '$lib/server/analysis/route';
import {
	listSampleChecks,
	machineCodedPool,
	parseStartForm,
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
		const form = await event.request.formData();
		const values = { size: String(form.get('size') ?? ''), seed: String(form.get('seed') ?? '') };
		let id: number;
		try {
			id = await startSampleCheck(db, consultation, parseStartForm(values), user);
		} catch (e) {
			if (e instanceof SampleCheckError) return fail(400, { values, errors: { [e.field ?? 'size']: e.message } });
			throw e;
		}
		redirect(303, `${base}/sample/${id}`);
	}
};
