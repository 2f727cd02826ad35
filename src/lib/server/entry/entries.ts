import { entrySchema, type EntryInput } from '../../schemas/entry';
import type { Db } from '../db/connect';
import { answerIdsOf } from '../db/answers-of';
import { answerTooLong, answerTooLongMessage } from '../../schemas/answer';
import { cleanText } from '../../schemas/text';
import { getConsultation, type ConsultationView } from '../consultations/queries';
import { saveSubmission, SubmissionConflictError, type SaveMeta } from '../submissions/save';
import { prepareAnswerText, rescreenAnswer } from '../submissions/answer-pipeline';
import { detectLanguage } from '../../i18n/detect';
import { scheduleCodingOfNewAnswers } from '../coding/index';
import { audit, changedFields } from '../audit/index';
import { dropCandidateExamples } from '../retention/purge';
import { nowIso } from '../util/time';
import { sessionFor, seesAllSessions, type Actor, type SessionView } from './sessions';
import { keepForUndo } from './undo';
import { raiseConcern } from '../safeguarding/concerns';
import { scheduleRankerTraining } from '../safeguarding/ranker';

export { MAX_BATCH, entrySchema, syncBodySchema, type EntryInput } from '../../schemas/entry';

/** Set when the signed-in member of staff takes over leaves typed by someone else. */
export interface TakeOver {
	/** The author the device recorded (null: typed before authors were recorded). */
	fromUserId: number | null;
	/** What is stored as taken_over_from: fromUserId, or null if that account no longer exists. */
	recordAs: number | null;
	/** Where each leaf goes: the taker's own session for the same place, date and way of collecting. */
	targetSession: Map<number, number>;
}

export interface SyncResult {
	accepted: string[];
	duplicates: string[];
	rejected: { id: string | null; errors: Record<string, string> }[];
}

interface SessionContext {
	session: SessionView;
	consultation: ConsultationView;
	groups: Set<string>;
	districts: Set<string>;
	questions: Map<string, number>;
	/** Each question's answer limit (its own, never above the installation's). */
	limits: Map<string, number>;
}

async function loadContexts(db: Db, ids: number[], actor: Actor) {
	const contexts = new Map<number, SessionContext | 'not-found' | 'not-yours'>();
	const consultations = new Map<number, ConsultationView>();
	for (const id of new Set(ids)) {
		const access = await sessionFor(db, id, actor);
		if (!access.ok) {
			contexts.set(id, access.reason);
			continue;
		}
		let c = consultations.get(access.session.consultationId);
		if (!c) {
			c = (await getConsultation(db, access.session.consultationSlug))!;
			consultations.set(c.id, c);
		}
		contexts.set(id, {
			session: access.session,
			consultation: c,
			groups: new Set(c.groups.map((g) => g.code)),
			districts: new Set(c.districts.map((d) => d.code)),
			questions: new Map(c.questions.map((q) => [q.key, q.id])),
			limits: new Map(c.questions.map((q) => [q.key, q.maxLength]))
		});
	}
	return contexts;
}

/** Field errors for one entry against its session, or null when it may be stored. */
function check(
	entry: EntryInput,
	ctx: SessionContext | 'not-found' | 'not-yours' | undefined
): Record<string, string> | null {
	const errors: Record<string, string> = {};
	if (ctx === undefined || ctx === 'not-found') return { sessionId: `unknown session ${entry.sessionId}` };
	if (ctx === 'not-yours') return { sessionId: `session ${entry.sessionId} belongs to another member of staff` };
	if (!ctx.questions.has(entry.questionKey)) errors.questionKey = `unknown question "${entry.questionKey}"`;
	else if (ctx.session.questionKey && ctx.session.questionKey !== entry.questionKey) {
		errors.questionKey = `this session asks ${ctx.session.questionKey} only, not ${entry.questionKey}`;
	}
	if (entry.group !== null && !ctx.groups.has(entry.group)) errors.group = `unknown respondent group "${entry.group}"`;
	if (entry.district !== null && !ctx.districts.has(entry.district))
		errors.district = `unknown district "${entry.district}"`;
	const text = entry.text.trim();
	if (text === '') errors.text = 'the leaf has no words: type what it says';
	else {
		const limit = ctx.limits.get(entry.questionKey);
		if (answerTooLong(text, limit)) errors.text = answerTooLongMessage(text, { subject: 'The response', limit });
	}
	return Object.keys(errors).length ? errors : null;
}

function idOf(raw: unknown): string | null {
	return raw && typeof raw === 'object' && typeof (raw as { id?: unknown }).id === 'string'
		? (raw as { id: string }).id.slice(0, 64)
		: null;
}

/**
 * Stores face-to-face leaves sent by a device. Each is checked on its own: a
 * bad one is rejected with its errors and never blocks the others. A leaf whose
 * UUID is already stored is answered as a duplicate, so resending is harmless.
 * The good ones are written in one transaction (falling back to one at a time).
 */
export async function syncEntries(
	db: Db,
	rawEntries: unknown[],
	actor: Actor,
	takeOver?: TakeOver
): Promise<SyncResult> {
	const result: SyncResult = { accepted: [], duplicates: [], rejected: [] };
	const parsed: EntryInput[] = [];
	for (const raw of rawEntries) {
		const p = entrySchema.safeParse(raw);
		if (!p.success) {
			const errors: Record<string, string> = {};
			for (const issue of p.error.issues) errors[String(issue.path[0] ?? 'entry')] ??= issue.message;
			result.rejected.push({ id: idOf(raw), errors });
		} else if (!takeOver && p.data.authorId !== undefined && p.data.authorId !== actor.id) {
			// Never silently re-attributed: another person's leaf waits for them.
			result.rejected.push({
				id: p.data.id,
				errors: { authorId: 'typed by another member of staff: it is sent when they sign in, or taken over' }
			});
		} else if (takeOver && (p.data.authorId ?? null) !== takeOver.fromUserId) {
			result.rejected.push({
				id: p.data.id,
				errors: { authorId: 'not typed by the member of staff being taken over from' }
			});
		} else if (takeOver) {
			const target = takeOver.targetSession.get(p.data.sessionId);
			if (target === undefined)
				result.rejected.push({ id: p.data.id, errors: { sessionId: `unknown session ${p.data.sessionId}` } });
			else parsed.push({ ...p.data, sessionId: target });
		} else parsed.push(p.data);
	}
	const contexts = await loadContexts(
		db,
		parsed.map((e) => e.sessionId),
		actor
	);
	const valid: { entry: EntryInput; ctx: SessionContext }[] = [];
	for (const entry of parsed) {
		const ctx = contexts.get(entry.sessionId);
		const errors = check(entry, ctx);
		if (errors) result.rejected.push({ id: entry.id, errors });
		else valid.push({ entry, ctx: ctx as SessionContext });
	}
	if (valid.length === 0) return result;

	// Already stored (a resend): a duplicate if it is the same consultation, else a clash.
	const existing = new Map(
		(
			await db
				.selectFrom('submission')
				.select(['id', 'consultation_id'])
				.where(
					'id',
					'in',
					valid.map((v) => v.entry.id)
				)
				.execute()
		).map((r) => [r.id, r.consultation_id])
	);
	const toSave: typeof valid = [];
	const seen = new Set<string>();
	for (const v of valid) {
		const had = existing.get(v.entry.id);
		if (had === undefined && !seen.has(v.entry.id)) {
			seen.add(v.entry.id);
			toSave.push(v);
		} else if (had === undefined || had === v.ctx.consultation.id) result.duplicates.push(v.entry.id);
		else result.rejected.push({ id: v.entry.id, errors: { id: 'this id is already used by another response' } });
	}

	const save = (tx: Db, v: (typeof valid)[number]) =>
		saveSubmission(
			tx,
			v.ctx.consultation,
			{
				id: v.entry.id,
				district: v.entry.district,
				perspectives: [{ group: v.entry.group, answers: { [v.entry.questionKey]: v.entry.text } }]
			},
			{
				channel: v.ctx.session.channel as SaveMeta['channel'],
				collectionSessionId: v.ctx.session.id,
				locationId: v.ctx.session.locationId,
				enteredBy: actor.id,
				takenOverFrom: takeOver ? takeOver.recordAs : null
			}
		);
	const record = (v: (typeof valid)[number], status: 'created' | 'replayed') =>
		(status === 'created' ? result.accepted : result.duplicates).push(v.entry.id);

	if (toSave.length > 0) {
		try {
			const statuses = await db.transaction().execute(async (tx) => {
				const out: ('created' | 'replayed')[] = [];
				for (const v of toSave) {
					const status = (await save(tx, v)).status;
					out.push(status);
					if (status === 'created') await raiseWithLeaf(tx, v.entry, actor);
				}
				await auditBatch(
					tx,
					actor,
					toSave.map((v) => v.entry.id),
					out,
					takeOver
				);
				return out;
			});
			toSave.forEach((v, i) => record(v, statuses[i]));
		} catch {
			// One entry spoiled the batch (a race or a clash): store them one by one.
			for (const v of toSave) {
				try {
					const status = await db.transaction().execute(async (tx) => {
						const st = (await save(tx, v)).status;
						if (st === 'created') {
							await raiseWithLeaf(tx, v.entry, actor);
							await auditBatch(tx, actor, [v.entry.id], [st], takeOver);
						}
						return st;
					});
					record(v, status);
				} catch (error) {
					const message =
						error instanceof SubmissionConflictError
							? 'this id is already used by another response'
							: 'could not be stored; try again';
					result.rejected.push({ id: v.entry.id, errors: { id: message } });
				}
			}
		}
	}
	if (toSave.some((v) => v.entry.concern && result.accepted.includes(v.entry.id))) scheduleRankerTraining();
	return result;
}

/** The concern typed with a leaf, raised on the leaf's answer in the transaction that stored it. */
async function raiseWithLeaf(tx: Db, entry: EntryInput, actor: Actor): Promise<void> {
	if (!entry.concern) return;
	// Through the leaf's perspective (answer_submission dropped on SQLite by migration 2026-12-12-0400).
	const answer = await answerIdsOf(tx, entry.id).executeTakeFirstOrThrow();
	await raiseConcern(
		tx,
		{ answerId: answer.id, level: entry.concern.level, note: entry.concern.note || null, via: 'entry' },
		actor
	);
}

async function auditBatch(db: Db, actor: Actor, ids: string[], statuses: string[], takeOver?: TakeOver) {
	const created = ids.filter((_, i) => statuses[i] === 'created');
	if (created.length === 0) return;
	await audit(db, {
		userId: actor.id,
		action: takeOver ? 'entry.take_over' : 'entry.create',
		entity: 'submission',
		entityId: created.length === 1 ? created[0] : null,
		detail: takeOver ? { ids: created, count: created.length, fromUserId: takeOver.fromUserId } : { ids: created }
	});
}

export interface EntryView {
	id: string;
	answerId: number;
	questionKey: string;
	group: string | null;
	district: string | null;
	text: string;
	createdAt: string;
	enteredBy: number | null;
}

/** The latest leaves of a session, newest first. */
export async function recentEntries(db: Db, sessionId: number, limit = 20): Promise<EntryView[]> {
	const rows = await db
		.selectFrom('submission as s')
		// A submission's answers through its perspectives (answer_submission dropped on SQLite by 2026-12-12-0400).
		.innerJoin('perspective as p', 'p.submission_id', 's.id')
		.innerJoin('answer as a', (j) => j.onRef('a.perspective_id', '=', 'p.id').onRef('a.submission_id', '=', 's.id'))
		.innerJoin('question as q', 'q.id', 'a.question_id')
		.select([
			's.id',
			'a.id as answer_id',
			'q.key',
			'p.group_code',
			's.district_code',
			'a.text',
			's.created_at',
			's.entered_by'
		])
		.where('s.collection_session_id', '=', sessionId)
		.orderBy('s.created_at', 'desc')
		.orderBy('a.id', 'desc')
		.limit(limit)
		.execute();
	return rows.map((r) => ({
		id: r.id,
		answerId: r.answer_id,
		questionKey: r.key,
		group: r.group_code,
		district: r.district_code,
		text: r.text ?? '',
		createdAt: r.created_at,
		enteredBy: r.entered_by
	}));
}

export async function countEntries(db: Db, sessionId: number): Promise<number> {
	const r = await db
		.selectFrom('submission')
		.select((eb) => eb.fn.countAll().as('n'))
		.where('collection_session_id', '=', sessionId)
		.executeTakeFirstOrThrow();
	return Number(r.n);
}

export class EntryError extends Error {
	constructor(
		readonly status: 400 | 403 | 404,
		readonly errors: Record<string, string>
	) {
		super(Object.values(errors).join('; '));
	}
}

/** The entry with its session, if this member of staff may change it. */
async function entryFor(db: Db, submissionId: string, actor: Actor) {
	const row = await db
		.selectFrom('submission as s')
		// A submission's answers through its perspectives (answer_submission dropped on SQLite by 2026-12-12-0400).
		.innerJoin('perspective as p', 'p.submission_id', 's.id')
		.innerJoin('answer as a', (j) => j.onRef('a.perspective_id', '=', 'p.id').onRef('a.submission_id', '=', 's.id'))
		.innerJoin('question as q', 'q.id', 'a.question_id')
		.select([
			's.id',
			's.collection_session_id',
			's.district_code',
			's.entered_by',
			's.taken_over_from',
			's.created_at',
			'a.id as answer_id',
			'a.text',
			'a.redacted_text',
			'p.id as perspective_id',
			'p.group_code',
			'q.key'
		])
		.where('s.id', '=', submissionId)
		.executeTakeFirst();
	if (!row || row.collection_session_id === null) throw new EntryError(404, { entry: 'There is no such entry' });
	const access = await sessionFor(db, row.collection_session_id, actor);
	if (!access.ok) {
		throw access.reason === 'not-yours'
			? new EntryError(403, { entry: 'You can only change entries in your own sessions' })
			: new EntryError(404, { entry: 'There is no such entry' });
	}
	return { row, session: access.session };
}

/** Changes the words, question, group or district of one leaf; audited with before and after. */
export async function updateEntry(
	db: Db,
	submissionId: string,
	changes: { text: string; questionKey: string; group: string | null; district: string | null },
	actor: Actor
): Promise<void> {
	changes = { ...changes, text: cleanText(changes.text) };
	const { row, session } = await entryFor(db, submissionId, actor);
	// The edit form shows the redacted copy (names, phones ... replaced). Sent back unchanged, it means "words
	// as they were": keep the stored words rather than overwrite what the child wrote with the redacted copy.
	if (row.redacted_text !== null && row.text !== null && changes.text.trim() === row.redacted_text.trim())
		changes = { ...changes, text: row.text };
	const [ctx] = [...(await loadContexts(db, [session.id], actor)).values()];
	const errors = check({ id: submissionId, sessionId: session.id, ...changes }, ctx);
	if (errors) throw new EntryError(400, errors);
	const context = ctx as SessionContext;
	const prepared = prepareAnswerText(changes.text);
	const questionId = context.questions.get(changes.questionKey)!;
	const before = { text: row.text, questionKey: row.key, group: row.group_code, district: row.district_code };
	const after = {
		text: prepared.text,
		questionKey: changes.questionKey,
		group: changes.group,
		district: changes.district
	};
	if (JSON.stringify(before) === JSON.stringify(after)) return;
	const now = nowIso();
	await db.transaction().execute(async (tx) => {
		if (before.text !== after.text) {
			// The words as first typed must not live on as a theme candidate's example.
			await dropCandidateExamples(tx, [
				await tx
					.selectFrom('answer')
					.select(['question_id', 'text', 'redacted_text'])
					.where('id', '=', row.answer_id)
					.executeTakeFirstOrThrow()
			]);
		}
		await tx
			.updateTable('answer')
			.set({
				text: prepared.text,
				redacted_text: prepared.redactedText,
				pii_kinds: prepared.piiKinds,
				// Corrected words may be in another language: detected again (face-to-face entry is in English).
				language: detectLanguage(prepared.text, 'en'),
				question_id: questionId,
				coded_at: null,
				updated_at: now
			})
			.where('id', '=', row.answer_id)
			.execute();
		if (before.text !== after.text || before.questionKey !== after.questionKey) {
			// The automatic coding was for the old words; officers' decisions are kept.
			await tx.deleteFrom('answer_theme').where('answer_id', '=', row.answer_id).where('source', '=', 'auto').execute();
			await rescreenAnswer(tx, row.answer_id, prepared.text);
		}
		await tx
			.updateTable('perspective')
			.set({ group_code: changes.group })
			.where('id', '=', row.perspective_id)
			.execute();
		await tx
			.updateTable('submission')
			.set({ district_code: changes.district, updated_at: now })
			.where('id', '=', submissionId)
			.execute();
		// Codes and the names of what changed; the words themselves stay out of the log.
		const { text: _oldText, ...codesBefore } = before;
		const { text: _newText, ...codesAfter } = after;
		await audit(tx, {
			userId: actor.id,
			action: 'entry.update',
			entity: 'submission',
			entityId: submissionId,
			before: codesBefore,
			after: codesAfter,
			detail: { fields: changedFields(before, after) }
		});
	});
	// The edited answer is uncoded again (coded_at null): the background coder picks it up.
	scheduleCodingOfNewAnswers();
}

/**
 * Deletes one leaf (its answer, perspective and coding go with it); audited with
 * its codes, not its words, and kept for a few minutes so the person can undo it
 * (the undo copy is purged with every other copy of the words: retention/purge.ts).
 */
export async function deleteEntry(db: Db, submissionId: string, actor: Actor): Promise<void> {
	const { row } = await entryFor(db, submissionId, actor);
	await db.transaction().execute(async (tx) => {
		await tx.deleteFrom('submission').where('id', '=', submissionId).execute();
		await keepForUndo(tx, {
			submissionId,
			sessionId: row.collection_session_id!,
			deletedBy: actor.id,
			leaf: {
				questionKey: row.key,
				group: row.group_code,
				district: row.district_code,
				text: row.text ?? '',
				enteredBy: row.entered_by,
				takenOverFrom: row.taken_over_from,
				createdAt: row.created_at
			}
		});
		await audit(tx, {
			userId: actor.id,
			action: 'entry.delete',
			entity: 'submission',
			entityId: submissionId,
			before: {
				questionKey: row.key,
				group: row.group_code,
				district: row.district_code,
				sessionId: row.collection_session_id
			}
		});
	});
}

export { seesAllSessions };
