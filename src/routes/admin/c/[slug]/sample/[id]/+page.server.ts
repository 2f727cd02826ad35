import { error, fail, redirect } from '@sveltejs/kit';
import { analysisContext } from '$lib/server/analysis/route';
import {
	getSampleCheck,
	nextPending,
	recordVerdict,
	sampleItem,
	sampleResults,
	SampleCheckError
} from '$lib/server/sample-check';
import { mayReadFlagged } from '$lib/server/safeguarding/withheld';
import { markRead } from '$lib/server/safeguarding/reading';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { db, consultation, user } = await analysisContext(event);
	const check = await getSampleCheck(db, consultation.id, Number(event.params.id));
	if (!check) error(404, 'We could not find that sample check.');
	const at = event.url.searchParams.get('at');
	const asked = at !== null && /^\d+$/.test(at) ? Number(at) : null;
	const position = asked !== null && asked < check.drawn ? asked : await nextPending(db, check.id);
	const item =
		position === null
			? null
			: await sampleItem(db, consultation, check.id, position, { mayReadFlagged: mayReadFlagged(user) });
	return { check, item, results: await sampleResults(db, consultation, check.id) };
};

async function decide(event: Parameters<Actions[string]>[0], kind: 'check' | 'confirm' | 'skip') {
	const { db, consultation, user, base } = await analysisContext(event);
	const check = await getSampleCheck(db, consultation.id, Number(event.params.id));
	if (!check) error(404, 'We could not find that sample check.');
	const form = await event.request.formData();
	const position = Number(form.get('position'));
	if (!Number.isInteger(position) || position < 0 || position >= check.drawn)
		return fail(400, { errors: { themes: 'Choose an answer of this sample.' } });
	const may = mayReadFlagged(user);
	let verdict: number[] | 'skip' = 'skip';
	if (kind === 'confirm') {
		const item = await sampleItem(db, consultation, check.id, position, { mayReadFlagged: may });
		verdict = item!.machine.map((t) => t.id).filter((id) => item!.options.some((o) => o.id === id));
	} else if (kind === 'check') {
		const ids = form.getAll('theme').map((v) => Number(v));
		if (ids.some((n) => !Number.isInteger(n) || n <= 0))
			return fail(400, { position, errors: { themes: 'One of those themes does not belong to this question.' } });
		verdict = ids;
	}
	try {
		await recordVerdict(db, consultation, check.id, position, verdict, { id: user.id, mayReadFlagged: may });
	} catch (e) {
		if (e instanceof SampleCheckError) return fail(400, { position, errors: { themes: e.message } });
		throw e;
	}
	if (verdict !== 'skip') {
		const item = await sampleItem(db, consultation, check.id, position, { mayReadFlagged: may });
		if (item && !item.withheld) await markRead(db, [item.answerId], user.id, 'review');
	}
	const next = await nextPending(db, check.id, position + 1);
	redirect(303, `${base}/sample/${check.id}${next === null ? '#results' : `?at=${next}`}`);
}

export const actions: Actions = {
	check: (event) => decide(event, 'check'),
	confirm: (event) => decide(event, 'confirm'),
	skip: (event) => decide(event, 'skip')
};
