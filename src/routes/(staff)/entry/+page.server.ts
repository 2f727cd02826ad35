import { redirect } from '@sveltejs/kit';
import { requireRole, ENTRY_STAFF } from '$lib/server/auth/guard';
import { listConsultations, getConsultation } from '$lib/server/consultations/queries';
import { listLocations } from '$lib/server/entry/locations';
import { locationKeepers } from '$lib/server/entry/contacts';
import { listSessions, startSession, SessionInputError } from '$lib/server/entry/sessions';
import { newSessionSchema, ENTRY_CHANNELS, ALL_QUESTIONS, NOT_KNOWN } from '$lib/schemas/entry';
import { formFailure, parseForm } from '$lib/server/forms';
import { CHANNEL_LABELS } from '$lib/domain/channels';
import type { Actions, PageServerLoad } from './$types';
import { staffQuestionText } from '$lib/domain/questions';

export const load: PageServerLoad = async (event) => {
	const user = requireRole(event, ENTRY_STAFF);
	const db = event.locals.db;
	const consultations = (await listConsultations(db)).filter((c) => c.status !== 'draft');
	const wanted = event.url.searchParams.get('c');
	const chosen =
		consultations.find((c) => c.slug === wanted) ?? consultations.find((c) => c.status === 'open') ?? consultations[0];
	const consultation = chosen ? await getConsultation(db, chosen.slug) : null;
	const locations = (await listLocations(db, { activeOnly: true })).map((l) => ({ id: l.id, name: l.name }));
	return {
		sessions: await listSessions(db, user),
		seesAll: user.role !== 'entry',
		consultations: consultations.map((c) => ({ id: c.id, slug: c.slug, title: c.title })),
		consultation: consultation && {
			id: consultation.id,
			slug: consultation.slug,
			title: consultation.title,
			questions: consultation.questions.map((q) => ({ key: q.key, text: staffQuestionText(q) })),
			groups: consultation.groups.map((g) => ({ code: g.code, label: g.label }))
		},
		locations,
		/** With no locations, entry staff are told whom to ask (they cannot open /admin/locations). */
		askForLocations: locations.length === 0 && user.role === 'entry' ? await locationKeepers(db) : [],
		channels: ENTRY_CHANNELS.map((c) => ({ code: c, label: CHANNEL_LABELS[c] })),
		today: new Date().toISOString().slice(0, 10),
		ALL_QUESTIONS,
		NOT_KNOWN
	};
};

export const actions: Actions = {
	start: async (event) => {
		const user = requireRole(event, ENTRY_STAFF);
		const parsed = await parseForm(newSessionSchema, event.request);
		if (!parsed.ok) return parsed.failure;
		let id: number;
		try {
			id = await startSession(event.locals.db, parsed.data, user);
		} catch (error) {
			if (error instanceof SessionInputError) return formFailure(parsed.values, error.errors);
			throw error;
		}
		redirect(303, `/entry/s/${id}`);
	}
};
