import { error, redirect } from '@sveltejs/kit';
import { analysisContext } from '$lib/server/analysis/route';
import { formFailure, parseForm } from '$lib/server/forms';
import { sampleVerdictForm } from '$lib/schemas/sample-check';
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
	const parsed = await parseForm(sampleVerdictForm, event.request);
	if (!parsed.ok) return parsed.failure;
	const { position, themes } = parsed.data;
	if (position >= check.drawn) return formFailure(parsed.values, { themes: 'Choose an answer of this sample.' });
	const may = mayReadFlagged(user);
	let verdict: number[] | 'skip' = 'skip';
	if (kind === 'confirm') {
		const item = await sampleItem(db, consultation, check.id, position, { mayReadFlagged: may });
		verdict = item!.machine.map((t) => t.id).filter((id) => item!.options.some((o) => o.id === id));
	} else if (kind === 'check') verdict = themes;
	try {
		await recordVerdict(db, consultation, check.id, position, verdict, { id: user.id, mayReadFlagged: may });
	} catch (e) {
		if (e instanceof SampleCheckError) return formFailure(parsed.values, { themes: e.message }, { position });
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
