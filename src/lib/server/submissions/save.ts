import type { Transaction } from 'kysely';
import type { Db } from '../db/connect';

import type { Database } from '../db/schema';
import type { ConsultationView } from '../consultations/queries';
import type { SubmissionInput } from '../../schemas/submission';
import { EQUALITY_QUESTIONS, LEFT_BLANK, NOT_ASKED, type EqualityField } from '../../domain/equality';
import { mayAskSexualOrientation } from './validate';
import { referenceFor } from './reference';
import { nowIso } from '../util/time';
import { prepareAnswerText, afterAnswersStored, type PreparedText } from './answer-pipeline';
import { scheduleCodingOfNewAnswers } from '../coding/index';
import { detectLanguage } from '../../i18n/detect';

export interface SaveMeta {
	channel: 'online' | 'library' | 'school' | 'event' | 'paper' | 'import';
	collectionSessionId?: number | null;
	locationId?: number | null;
	enteredBy?: number | null;
	/** A face-to-face leaf typed by this member of staff and explicitly taken over by enteredBy. */
	takenOverFrom?: number | null;
	isDemo?: boolean;
	createdAt?: string;
	/**
	 * The answers already screened and redacted (prepareAnswerText), by their text as given:
	 * a bulk writer (the import) does that work before it opens its transaction, so the
	 * transaction holds the database only for the inserts.
	 */
	prepared?: Map<string, PreparedText>;
}

export interface SaveResult {
	status: 'created' | 'replayed';
	id: string;
	reference: string;
}

/**
 * Stores one validated submission with its perspectives and answers, once.
 * The client's UUID is the primary key: a resend (double tap, retry after a
 * timeout, a second device sync) finds the row already there and is answered
 * as a replay, inside the same transaction, so no submission is ever doubled.
 */
export async function saveSubmission(
	db: Db,
	consultation: Pick<ConsultationView, 'id' | 'questions'>,
	input: SubmissionInput,
	meta: SaveMeta
): Promise<SaveResult> {
	return (await saveSubmissions(db, [{ consultation, input, meta }]))[0];
}

/** One submission for saveSubmissions: what saveSubmission takes. */
export interface ToSave {
	consultation: Pick<ConsultationView, 'id' | 'questions'>;
	input: SubmissionInput;
	meta: SaveMeta;
}

/** Rows per multi-row insert: an answer row has 14 values, and SQLite allows 32,766 per statement. */
const ROWS_PER_INSERT = 500;

async function insertInParts<R>(rows: R[], insert: (part: R[]) => Promise<unknown[]>): Promise<unknown[]> {
	const out: unknown[] = [];
	for (let i = 0; i < rows.length; i += ROWS_PER_INSERT)
		out.push(...(await insert(rows.slice(i, i + ROWS_PER_INSERT))));
	return out;
}

/**
 * Stores many submissions in one transaction (the caller's, or a new one), each exactly as saveSubmission
 * would, results in the same order: one multi-row insert per table for all of them (in parts of
 * ROWS_PER_INSERT rows), not a few statements per submission. On PostgreSQL each statement is a round trip,
 * and every write's triggers lock the aggregate rows it counts into (analysis_agg_*, shared by every submission
 * to a consultation) until the commit, so the statements per transaction are how long a grouped commit of the
 * survey, or an import's chunk, keeps every other instance's submissions waiting (issue 18).
 * The same UUID twice in one call: the first is stored, the later ones are its replays. A UUID already stored
 * under another consultation throws SubmissionConflictError (nothing of the call is then kept when it made the
 * transaction).
 */
export async function saveSubmissions(db: Db, items: ToSave[]): Promise<SaveResult[]> {
	if (items.length === 0) return [];
	// Callers that store many at once (demo data, imports, the survey's grouped commit) pass their own transaction.
	const inTransaction = <T>(work: (tx: Transaction<Database>) => Promise<T>) =>
		db.isTransaction ? work(db as Transaction<Database>) : db.transaction().execute(work);
	const results = await inTransaction(async (tx) => {
		const firstAt = new Map<string, number>();
		items.forEach((item, i) => firstAt.has(item.input.id) || firstAt.set(item.input.id, i));
		const firsts = [...firstAt.values()].map((i) => items[i]);
		// One time for the call (as one submission's rows always had), unless a caller gives each its own.
		const now = nowIso();
		const inserted = new Set(
			(
				(await insertInParts(firsts, (part) =>
					tx
						.insertInto('submission')
						.values(
							part.map(({ consultation, input, meta }) => {
								const createdAt = meta.createdAt ?? now;
								return {
									id: input.id,
									consultation_id: consultation.id,
									reference: referenceFor(input.id),
									channel: meta.channel,
									collection_session_id: meta.collectionSessionId ?? null,
									location_id: meta.locationId ?? null,
									district_code: input.district ?? null,
									entered_by: meta.enteredBy ?? null,
									taken_over_from: meta.takenOverFrom ?? null,
									is_demo: meta.isDemo ? 1 : 0,
									...equalityColumns(input, meta.channel),
									created_at: createdAt,
									updated_at: createdAt
								};
							})
						)
						.onConflict((oc) => oc.column('id').doNothing())
						.returning('id')
						.execute()
				)) as { id: string }[]
			).map((r) => r.id)
		);
		// Already stored before this call: a replay, answered with the stored reference.
		const before = firsts.filter((f) => !inserted.has(f.input.id)).map((f) => f.input.id);
		const existing = new Map<string, { reference: string; consultation_id: number }>();
		for (let i = 0; i < before.length; i += ROWS_PER_INSERT)
			for (const r of await tx
				.selectFrom('submission')
				.select(['id', 'reference', 'consultation_id'])
				.where('id', 'in', before.slice(i, i + ROWS_PER_INSERT))
				.execute())
				existing.set(r.id, r);
		const out: { status: 'created' | 'replayed'; reference: string }[] = items.map((item, i) => {
			const id = item.input.id;
			const stored = existing.get(id);
			const consultationId = stored ? stored.consultation_id : items[firstAt.get(id)!].consultation.id;
			if (consultationId !== item.consultation.id) throw new SubmissionConflictError(id);
			if (stored) return { status: 'replayed', reference: stored.reference };
			return { status: firstAt.get(id) === i ? 'created' : 'replayed', reference: referenceFor(id) };
		});
		const fresh = firsts.filter((f) => inserted.has(f.input.id));
		if (fresh.length === 0) return out;
		// One multi-row insert for the perspectives and one for all the answers: each perspective's id is paired
		// with its row by (submission, position), each answer's by (perspective, question), which are unique (a
		// perspective answers each question at most once).
		const perspectives = (await insertInParts(
			fresh.flatMap(({ input }) =>
				input.perspectives.map((p, position) => ({ submission_id: input.id, group_code: p.group, position }))
			),
			(part) => tx.insertInto('perspective').values(part).returning(['id', 'submission_id', 'position']).execute()
		)) as { id: number; submission_id: string; position: number }[];
		const perspectiveAt = new Map(perspectives.map((p) => [`${p.submission_id}:${p.position}`, p.id]));
		const preparedHere = new Map<string, PreparedText>();
		const rows = fresh.flatMap(({ consultation, input, meta }) => {
			const createdAt = meta.createdAt ?? now;
			const questionIds = new Map(consultation.questions.map((q) => [q.key, q.id]));
			// The wording each answer was given to (the builder versions a question's wording once it has answers).
			const wordingVersions = new Map(consultation.questions.map((q) => [q.key, q.wordingVersion ?? 1]));
			return input.perspectives.flatMap((p, position) =>
				Object.entries(p.answers)
					.filter(([, text]) => text.trim() !== '')
					.map(([key, text]) => {
						// Screened and redacted once per distinct text (a caller may have done it before the transaction).
						let prepared = meta.prepared?.get(text) ?? preparedHere.get(text);
						if (!prepared) preparedHere.set(text, (prepared = prepareAnswerText(text)));
						return {
							submission_id: input.id,
							perspective_id: perspectiveAt.get(`${input.id}:${position}`)!,
							question_id: questionIds.get(key)!,
							text: prepared.text,
							redacted_text: prepared.redactedText,
							pii_kinds: prepared.piiKinds,
							risk_score: prepared.screen.score,
							wording_version: wordingVersions.get(key) ?? 1,
							// Not English: the theme engine leaves it to a person (coding/recode.ts).
							language: detectLanguage(prepared.text, input.language ?? null),
							ui_language: input.language ?? null,
							created_at: createdAt,
							updated_at: createdAt,
							screen: prepared.screen
						};
					})
			);
		});
		const stored: Parameters<typeof afterAnswersStored>[1] = [];
		if (rows.length > 0) {
			const ids = (await insertInParts(rows, (part) =>
				tx
					.insertInto('answer')
					.values(part.map(({ screen: _screen, ...row }) => row))
					.returning(['id', 'perspective_id', 'question_id'])
					.execute()
			)) as { id: number; perspective_id: number; question_id: number }[];
			const idOf = new Map(ids.map((r) => [`${r.perspective_id}:${r.question_id}`, r.id]));
			for (const row of rows)
				stored.push({ id: idOf.get(`${row.perspective_id}:${row.question_id}`)!, text: row.text, screen: row.screen });
		}
		await afterAnswersStored(tx, stored);
		return out;
	});
	if (results.some((r) => r.status === 'created')) scheduleCodingOfNewAnswers();
	return results.map((r, i) => ({ status: r.status, id: items[i].input.id, reference: r.reference }));
}

export class SubmissionConflictError extends Error {
	constructor(id: string) {
		super(`submission ${id} already belongs to another consultation`);
	}
}

/**
 * Maps the "About you" answers to columns, keeping "not asked", "prefer not to
 * say" and "left blank" apart. Face-to-face and imported responses were never
 * asked; online respondents who were shown a question and skipped it left it blank.
 */
export function equalityColumns(input: SubmissionInput, channel: SaveMeta['channel']) {
	const asked = channel === 'online' && input.about != null;
	const value = (field: EqualityField): string => {
		if (!asked) return NOT_ASKED;
		if (field === 'sexualOrientation' && !mayAskSexualOrientation(input)) return NOT_ASKED;
		return input.about?.[field] ?? LEFT_BLANK;
	};
	return {
		eq_age_band: value('ageBand'),
		eq_gender: value('gender'),
		eq_gender_self: asked && input.about?.gender === 'self-describe' ? (input.about.genderSelfDescribe ?? null) : null,
		eq_disability: value('disability'),
		eq_ethnicity: value('ethnicity'),
		eq_sexual_orientation: value('sexualOrientation')
	} satisfies Record<(typeof EQUALITY_QUESTIONS)[EqualityField]['column'] | 'eq_gender_self', string | null>;
}
