import { randomUUID } from 'node:crypto';
import { error, fail, redirect } from '@sveltejs/kit';
import { formFailure, parseForm } from '$lib/server/forms';
import { leafEditForm, leafForm, leafIdForm } from '$lib/schemas/entry';
import { concernForm } from '$lib/schemas/concern';
import { requireRole, ENTRY_STAFF, type SessionUser } from '$lib/server/auth/guard';
import { getConsultation } from '$lib/server/consultations/queries';
import { sessionFor } from '$lib/server/entry/sessions';
import {
	countEntries,
	deleteEntry,
	EntryError,
	recentEntries,
	syncEntries,
	updateEntry
} from '$lib/server/entry/entries';
import { restoreEntry, undoOffer, UndoError, UNDO_MINUTES } from '$lib/server/entry/undo';
import { CHANNEL_LABELS, type Channel } from '$lib/domain/channels';
import { textsForViewer } from '$lib/server/safeguarding/withheld';
import { ConcernError, raiseConcern } from '$lib/server/safeguarding/concerns';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { staffQuestionText } from '$lib/domain/questions';

async function sessionOr404(event: RequestEvent | Parameters<PageServerLoad>[0], user: SessionUser) {
	const access = await sessionFor(event.locals.db, Number(event.params.id), user);
	if (!access.ok) {
		if (access.reason === 'not-yours') error(403, 'This session belongs to another member of staff.');
		error(404, 'There is no such collection session.');
	}
	return access.session;
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function backTo(id: number, question: string, extra = '', anchor = 'text'): string {
	const params = [question ? `q=${encodeURIComponent(question)}` : '', extra].filter(Boolean).join('&');
	return `/entry/s/${id}?${params}#${anchor}`;
}

export const load: PageServerLoad = async (event) => {
	const user = requireRole(event, ENTRY_STAFF);
	const session = await sessionOr404(event, user);
	const c = (await getConsultation(event.locals.db, session.consultationSlug))!;
	const editId = event.url.searchParams.get('edit');
	// Staff see the redacted words, and none of an answer under safeguarding review without the permission.
	const typed = await recentEntries(event.locals.db, session.id, 20);
	const shown = await textsForViewer(
		event.locals.db,
		typed.map((e) => e.answerId),
		user
	);
	const recent = typed.map((e) => ({
		...e,
		text: shown.get(e.answerId)?.text ?? e.text,
		withheld: shown.get(e.answerId)?.withheld ?? false
	}));
	const lastQ = event.url.searchParams.get('q');
	const deleted = event.url.searchParams.get('deleted');
	return {
		session: {
			id: session.id,
			date: session.date,
			channel: session.channel,
			channelLabel: CHANNEL_LABELS[session.channel as Channel] ?? session.channel,
			locationName: session.locationName,
			locationDistrict: session.locationDistrict,
			questionKey: session.questionKey,
			defaultGroup: session.defaultGroup,
			consultationTitle: session.consultationTitle
		},
		questions: c.questions.map((q) => ({ key: q.key, text: staffQuestionText(q) })),
		groups: c.groups.map((g) => ({ code: g.code, label: g.label })),
		districts: c.districts,
		count: await countEntries(event.locals.db, session.id),
		recent,
		editing: editId ? (recent.find((e) => e.id === editId && !e.withheld) ?? null) : null,
		lastQuestion: lastQ && c.questions.some((q) => q.key === lastQ) ? lastQ : null,
		/** "Leaf deleted — Undo", while the deleted leaf can still be put back. */
		undo: deleted && deleted.length <= 64 ? await undoOffer(event.locals.db, session.id, deleted) : null,
		undoMinutes: UNDO_MINUTES,
		/** Used by the form without JavaScript: a double submit of the same form stores one response. */
		formId: randomUUID()
	};
};

export const actions: Actions = {
	add: async (event) => {
		const user = requireRole(event, ENTRY_STAFF);
		const session = await sessionOr404(event, user);
		const parsed = await parseForm(leafForm, event.request);
		if (!parsed.ok) return parsed.failure;
		const { id, question, group, district, text, concernLevel, concernNote, worry } = parsed.data;
		const values = { id, questionKey: session.questionKey ?? question, group, district, text };
		// The page puts the question back from questionKey (a one-question session sends none).
		const shown = { ...parsed.values, questionKey: values.questionKey };
		// "Save and send to the safeguarding queue", or a level chosen under "This worries me" (then
		// Enter or "Save response" must not drop the concern): the leaf and its concern in one go.
		const worried = worry || concernLevel !== '' || concernNote.trim() !== '';
		if (worried && concernLevel !== 'urgent' && concernLevel !== 'review') {
			return formFailure(shown, { concernLevel: 'Choose how urgent this is: urgent or review' });
		}
		const concern = worried ? { level: concernLevel as 'urgent' | 'review', note: concernNote.trim() || null } : null;
		const result = await syncEntries(event.locals.db, [{ ...values, sessionId: session.id, concern }], user);
		if (result.rejected.length > 0) {
			const errors = result.rejected[0].errors;
			const mapped: Record<string, string> = {};
			for (const [k, v] of Object.entries(errors))
				mapped[
					k === 'questionKey'
						? 'question'
						: k === 'concern'
							? /note/.test(v)
								? 'concernNote'
								: 'concernLevel'
							: k === 'id' || k === 'sessionId'
								? 'text'
								: k
				] = capital(v);
			return formFailure(shown, mapped);
		}
		redirect(
			303,
			backTo(session.id, session.questionKey ? '' : values.questionKey, concern ? 'saved=1&raised=1' : 'saved=1')
		);
	},
	edit: async (event) => {
		const user = requireRole(event, ENTRY_STAFF);
		const session = await sessionOr404(event, user);
		const parsed = await parseForm(leafEditForm, event.request);
		if (!parsed.ok) return parsed.failure;
		const { id, text, question, group, district, lastQuestion } = parsed.data;
		const changes = { text, questionKey: session.questionKey ?? question, group, district };
		try {
			await updateEntry(event.locals.db, id, changes, user);
		} catch (e) {
			if (e instanceof EntryError) {
				if (e.status !== 400) error(e.status, Object.values(e.errors)[0]);
				const mapped: Record<string, string> = {};
				for (const [k, v] of Object.entries(e.errors))
					mapped[`edit-${k === 'questionKey' ? 'question' : k}`] = capital(v);
				// Not under `values`: those put the add form back, and this was the edit form.
				return fail(400, { editId: id, editValues: changes, editErrors: mapped });
			}
			throw e;
		}
		redirect(303, backTo(session.id, lastQuestion, 'updated=1'));
	},
	/** "This worries me" on a leaf just typed: straight to the safeguarding queue. */
	concern: async (event) => {
		const user = requireRole(event, ENTRY_STAFF);
		const session = await sessionOr404(event, user);
		const parsed = await parseForm(concernForm('entry'), event.request);
		const answerId = Number(parsed.values.answerId) || null;
		if (!parsed.ok) return fail(400, { concernFor: answerId, concernError: Object.values(parsed.errors)[0] });
		try {
			await raiseConcern(event.locals.db, parsed.data, user, { submissionSessionId: session.id });
		} catch (e) {
			if (e instanceof ConcernError) return fail(400, { concernFor: answerId, concernError: e.message });
			throw e;
		}
		return { raisedFor: parsed.data.answerId };
	},
	delete: async (event) => {
		const user = requireRole(event, ENTRY_STAFF);
		const session = await sessionOr404(event, user);
		const parsed = await parseForm(leafIdForm, event.request);
		if (!parsed.ok) return parsed.failure;
		const { id, lastQuestion } = parsed.data;
		try {
			await deleteEntry(event.locals.db, id, user);
		} catch (e) {
			if (e instanceof EntryError) error(e.status, Object.values(e.errors)[0]);
			throw e;
		}
		// To the "Leaf deleted — Undo" banner, so it is in view (the text box still has the focus).
		redirect(303, backTo(session.id, lastQuestion, `deleted=${encodeURIComponent(id)}`, 'undo-banner'));
	},
	undo: async (event) => {
		const user = requireRole(event, ENTRY_STAFF);
		const session = await sessionOr404(event, user);
		const parsed = await parseForm(leafIdForm, event.request);
		if (!parsed.ok) return parsed.failure;
		const { id, lastQuestion } = parsed.data;
		try {
			await restoreEntry(event.locals.db, id, user);
		} catch (e) {
			if (e instanceof UndoError) {
				if (e.status !== 410) error(e.status, e.message);
				return fail(400, { undoError: `${e.message}.` });
			}
			throw e;
		}
		redirect(303, backTo(session.id, lastQuestion, 'restored=1'));
	}
};
