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
	const createdAt = meta.createdAt ?? nowIso();
	const reference = referenceFor(input.id);
	const questionIds = new Map(consultation.questions.map((q) => [q.key, q.id]));
	// The wording each answer was given to (the builder versions a question's wording once it has answers).
	const wordingVersions = new Map(consultation.questions.map((q) => [q.key, q.wordingVersion ?? 1]));
	const equality = equalityColumns(input, meta.channel);

	// Callers that store many at once (demo data, imports) pass their own transaction.
	const inTransaction = <T>(work: (tx: Transaction<Database>) => Promise<T>) =>
		db.isTransaction ? work(db as Transaction<Database>) : db.transaction().execute(work);
	const result = await inTransaction(async (tx) => {
		const inserted = await tx
			.insertInto('submission')
			.values({
				id: input.id,
				consultation_id: consultation.id,
				reference,
				channel: meta.channel,
				collection_session_id: meta.collectionSessionId ?? null,
				location_id: meta.locationId ?? null,
				district_code: input.district ?? null,
				entered_by: meta.enteredBy ?? null,
				taken_over_from: meta.takenOverFrom ?? null,
				is_demo: meta.isDemo ? 1 : 0,
				...equality,
				created_at: createdAt,
				updated_at: createdAt
			})
			.onConflict((oc) => oc.column('id').doNothing())
			.returning('id')
			.executeTakeFirst();
		if (!inserted) {
			const existing = await tx
				.selectFrom('submission')
				.select(['reference', 'consultation_id'])
				.where('id', '=', input.id)
				.executeTakeFirstOrThrow();
			if (existing.consultation_id !== consultation.id) throw new SubmissionConflictError(input.id);
			return { status: 'replayed' as const, reference: existing.reference };
		}
		// One multi-row insert for the perspectives and one for all the answers: each answer's id is paired with its
		// row by (perspective, question), which is unique (a perspective answers each question at most once).
		const perspectives = await tx
			.insertInto('perspective')
			.values(input.perspectives.map((p, position) => ({ submission_id: input.id, group_code: p.group, position })))
			.returning(['id', 'position'])
			.execute();
		const perspectiveAt = new Map(perspectives.map((p) => [p.position, p.id]));
		const preparedHere = new Map<string, PreparedText>();
		const rows = input.perspectives.flatMap((p, position) =>
			Object.entries(p.answers)
				.filter(([, text]) => text.trim() !== '')
				.map(([key, text]) => {
					// Screened and redacted once per distinct text (a caller may have done it before the transaction).
					let prepared = meta.prepared?.get(text) ?? preparedHere.get(text);
					if (!prepared) preparedHere.set(text, (prepared = prepareAnswerText(text)));
					return {
						submission_id: input.id,
						perspective_id: perspectiveAt.get(position)!,
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
		const stored: Parameters<typeof afterAnswersStored>[1] = [];
		if (rows.length > 0) {
			const ids = await tx
				.insertInto('answer')
				.values(rows.map(({ screen: _screen, ...row }) => row))
				.returning(['id', 'perspective_id', 'question_id'])
				.execute();
			const idOf = new Map(ids.map((r) => [`${r.perspective_id}:${r.question_id}`, r.id]));
			for (const row of rows)
				stored.push({ id: idOf.get(`${row.perspective_id}:${row.question_id}`)!, text: row.text, screen: row.screen });
		}
		await afterAnswersStored(tx, stored);
		return { status: 'created' as const, reference };
	});
	if (result.status === 'created') scheduleCodingOfNewAnswers();
	return { status: result.status, id: input.id, reference: result.reference };
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
