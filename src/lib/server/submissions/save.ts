import { CompiledQuery, SqliteAdapter, type Compilable, type Transaction } from 'kysely';
import { questionSetOf } from '../db/migrations/lib/aggregate-sql';
import { groupSetOf } from '../db/migrations/2026-12-01-0500-group-set-aggregates';
import type { Db } from '../db/connect';

import type { Database } from '../db/schema';
import type { ConsultationView } from '../consultations/queries';
import type { SubmissionInput } from '../../schemas/submission';
import { EQUALITY_QUESTIONS, LEFT_BLANK, NOT_ASKED, type EqualityField } from '../../domain/equality';
import { mayAskSexualOrientation } from './validate';
import { referenceFor } from './reference';
import { rowIdFor, serverIdsOn } from './client-ids';
import { nowIso } from '../util/time';
import { prepareAnswerText, afterAnswersStored, type PreparedText } from './answer-pipeline';
import { SCORING_VERSION } from '../../safeguarding/version';
import { scheduleCodingOfNewAnswers } from '../coding/index';
import { detectLanguage } from '../../i18n/detect';
import { addBatchAggregates, bypassInsertTriggers, type WriterSchema } from './writer-aggregates';

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
	/**
	 * Each answer's detected language (detectLanguage of its prepared text and the submission's survey language),
	 * by its text as given, when a caller worked it out before the transaction (preparedTexts).
	 */
	languages?: Map<string, string>;
}

/**
 * A submission's answer texts screened, redacted and their language detected, once per distinct text, for a
 * caller to do before the storing transaction and pass in SaveMeta (`prepared`, `languages`): the survey's writer
 * does it as each submission is queued (survey/writer.ts), so a grouped commit holds the database, and the event
 * loop, only for the inserts. What is stored is the same as when storeSubmissions does it in the transaction, and it
 * is still stored in the same commit as the answer it belongs to.
 */
export function preparedTexts(input: SubmissionInput): Pick<SaveMeta, 'prepared' | 'languages'> {
	const prepared = new Map<string, PreparedText>();
	const languages = new Map<string, string>();
	for (const p of input.perspectives)
		for (const text of Object.values(p.answers)) {
			if (text.trim() === '' || prepared.has(text)) continue;
			const done = prepareAnswerText(text);
			prepared.set(text, done);
			languages.set(text, detectLanguage(done.text, input.language ?? null));
		}
	return { prepared, languages };
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
	// Callers that store many at once (demo data, imports) pass their own transaction.
	const inTransaction = <T>(work: (tx: Transaction<Database>) => Promise<T>) =>
		db.isTransaction ? work(db as Transaction<Database>) : db.transaction().execute(work);
	const [result] = await inTransaction((tx) => storeSubmissions(tx, [{ consultation, input, meta }]));
	if (result instanceof SubmissionConflictError) throw result;
	if (result.status === 'created') scheduleCodingOfNewAnswers();
	return result;
}

/** One submission to store with storeSubmissions. */
export interface SaveItem {
	consultation: Pick<ConsultationView, 'id' | 'questions'>;
	input: SubmissionInput;
	meta: SaveMeta;
}

/** Bound parameters per statement, under SQLite's 32,766 and PostgreSQL's 65,535. */
const MAX_PARAMETERS = 30_000;

/** Rows in chunks small enough for one statement each (`columns` parameters per row). */
function chunks<T>(rows: T[], columns: number): T[][] {
	const size = Math.max(1, Math.floor(MAX_PARAMETERS / columns));
	const out: T[][] = [];
	for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
	return out;
}

/**
 * The submission's respondent types as the analysis keeps them (submission.group_set, migration
 * 2026-12-01-0500; the key's format is stated once, above inSet in analysis/aggregates.ts): sorted, distinct, ''
 * for a perspective with no type. Written with the row so that the insert is counted under its set at once, and
 * SQLite's perspective trigger, finding each type already listed, has nothing to move (migration 2026-12-10-0300).
 * A claim of two types or more is checked after the perspectives' insert (settleGroupSets: e.g. another collation's
 * order), so a wrong guess costs time, never counts; one type (or none) has no order to get wrong.
 */
function groupSetKey(input: SubmissionInput): string {
	if (input.perspectives.length === 0) return '';
	const groups = [...new Set(input.perspectives.map((p) => p.group ?? ''))].sort();
	return `|${groups.join('|')}|`;
}

/**
 * The question set (submission.question_set, perspective.question_set: migration 2026-12-05-0100's key, the
 * answered question ids sorted, '|3|12|', '' for none) of these answers, claimed with the row at insert so that
 * SQLite's answer trigger finds it already listed and has nothing to move (migration 2026-12-09-0400). Exactly the
 * answers the insert below stores (blank ones are not stored); checked after it by settleQuestionSets.
 */
function questionSetKey(questionIds: Map<string, number>, answers: Record<string, string>[]): string {
	const ids = new Set<number>();
	for (const a of answers)
		for (const [key, text] of Object.entries(a)) if (text.trim() !== '') ids.add(questionIds.get(key)!);
	return ids.size === 0 ? '' : `|${[...ids].sort((x, y) => x - y).join('|')}|`;
}

/**
 * The claimed question sets of the rows just stored, recomputed once from their answers and corrected where they
 * differ (the update triggers then move the counts), so a claim that is wrong costs time, never counts. SQLite
 * only: PostgreSQL's answer trigger runs at the end of the insert and recomputes them anyway.
 */
export async function settleQuestionSets(
	tx: Transaction<Database>,
	table: 'submission' | 'perspective',
	ids: (string | number)[]
) {
	if (!(tx.getExecutor().adapter instanceof SqliteAdapter)) return;
	// A submission's answers through its perspectives (answer_submission dropped on SQLite by migration
	// 2026-12-12-0400); a perspective's by answer_unique as before.
	const set = table === 'submission' ? submissionQuestionSet : questionSetOf('perspective_id', 'perspective.id', false);
	for (const chunk of chunks(ids, 1))
		await tx.executeQuery(
			CompiledQuery.raw(
				settleSql(
					`question_set:${table}`,
					chunk.length,
					(marks) => `update "${table}" set question_set = ${set} where id in (${marks}) and question_set <> ${set}`
				),
				chunk
			)
		);
}

/**
 * SQLite: the question set of the row `submission` (the same key as lib/aggregate-sql.ts's questionSetOf), read
 * through its perspectives' answers (`perspective_unique`, then `answer_unique`); `+qa.submission_id` keeps the
 * answer's own submission tested without letting the planner skip-scan answer_question_submission for it.
 */
const submissionQuestionSet = `coalesce((select '|' || group_concat(qs.q, '|') || '|'
		   from (select distinct qa.question_id as q from answer qa
		   where qa.perspective_id in (select sp.id from perspective sp where sp.submission_id = submission.id)
		   and +qa.submission_id = submission.id order by q) qs), '')`;

/** The settling statements' SQL (SQLite's), built once per statement and number of ids rather than per batch. */
const settleSqlCache = new Map<string, string>();
function settleSql(name: string, n: number, build: (marks: string) => string): string {
	const key = `${name}:${n}`;
	let text = settleSqlCache.get(key);
	if (text === undefined) settleSqlCache.set(key, (text = build(Array(n).fill('?').join(', '))));
	return text;
}

/**
 * The claimed group sets of these submissions (those of two types or more), recomputed once from their
 * perspectives and corrected where they differ (the update triggers then move the counts). SQLite only:
 * PostgreSQL's perspective trigger runs at the end of the insert and recomputes them anyway.
 */
export async function settleGroupSets(tx: Transaction<Database>, ids: string[]) {
	if (!(tx.getExecutor().adapter instanceof SqliteAdapter)) return;
	const set = groupSetOf('submission.id', false);
	for (const chunk of chunks(ids, 1))
		await tx.executeQuery(
			CompiledQuery.raw(
				settleSql(
					'group_set',
					chunk.length,
					(marks) => `update "submission" set group_set = ${set} where id in (${marks}) and group_set <> ${set}`
				),
				chunk
			)
		);
}

/**
 * A multi-row insert run from SQL compiled once per shape (table, columns, row count) instead of building and
 * compiling the query for every batch (issue 18: Kysely's builder and compiler were a tenth of a submission's
 * main-thread time). The first batch of each shape is compiled by Kysely as before, and the shape is kept only if
 * Kysely's parameters are exactly the rows' values in column order (so the reused SQL binds what Kysely would
 * have); otherwise every batch of that shape keeps going through Kysely. Off with SAVE_COMPILED=0 (the A/B switch).
 */
const compiledShapes = new WeakMap<object, Map<string, string | null>>(); // by SQL dialect (adapter class)

async function insertRows<R extends Record<string, unknown>, O>(
	tx: Transaction<Database>,
	table: string,
	rows: R[],
	build: (rows: R[]) => Compilable<O>
): Promise<O[]> {
	const adapter = tx.getExecutor().adapter.constructor;
	let shapes = compiledShapes.get(adapter);
	if (!shapes) compiledShapes.set(adapter, (shapes = new Map()));
	const columns = Object.keys(rows[0]);
	const key = `${table}:${rows.length}:${columns.join(',')}`;
	// Every row with the same columns in the same order, and no value left undefined (Kysely leaves those out).
	const sameShape = rows.every((r) => {
		const keys = Object.keys(r);
		return keys.length === columns.length && keys.every((k, i) => k === columns[i] && r[k] !== undefined);
	});
	const params = sameShape ? rows.flatMap((r) => columns.map((c) => r[c])) : null;
	const known = process.env.SAVE_COMPILED === '0' || !params ? null : shapes.get(key);
	if (known) return (await tx.executeQuery<O>(CompiledQuery.raw(known, params!))).rows;
	const compiled = build(rows).compile();
	if (params && known === undefined)
		shapes.set(
			key,
			compiled.parameters.length === params.length && compiled.parameters.every((v, i) => Object.is(v, params[i]))
				? compiled.sql
				: null
		);
	return (await tx.executeQuery<O>(compiled)).rows;
}

/**
 * Stores several validated submissions inside the caller's transaction, each once by its UUID, with one
 * multi-row insert per table for all of them (submissions, perspectives, answers; in chunks within the
 * engines' parameter limits), and every answer screened and redacted in the same commit. The result for each
 * item, in order: created, replayed (its id already stored, or an earlier item of the same call), or a
 * SubmissionConflictError when the id belongs to another consultation (that item alone is not stored).
 */
export async function storeSubmissions(
	tx: Transaction<Database>,
	items: SaveItem[],
	opts: {
		writerAggregates?: WriterSchema | false;
		/**
		 * The schema has submission.client_id (migration 2026-12-13-0100; the survey's grouped writer says so): a
		 * submission whose client id is not time-ordered is stored under a version-7 id of its own (client-ids.ts,
		 * unless SUBMISSION_SERVER_IDS=off), and a resend is found by its reference. Without it, by its id as before.
		 */
		clientIds?: boolean;
	} = {}
): Promise<(SaveResult | SubmissionConflictError)[]> {
	// The online grouped commit on SQLite: the insert triggers off, the aggregates added once for the batch below
	// (writer-aggregates.ts; the caller checked that the schema allows it).
	const schema = opts.writerAggregates || null;
	const lean = schema !== null && schema.usable && items.length > 0;
	const now = nowIso();
	const clientIds = opts.clientIds === true;
	const serverIds = clientIds && serverIdsOn();
	const first = new Map<string, number>(); // id → the first item with it
	// Each new submission's row id: its client's id, or (serverIds) a time-ordered one when that is not.
	const rowIds = new Map<string, string>();
	const rowOf = (clientId: string) => rowIds.get(clientId) ?? clientId;
	// Each new submission's reference, hashed once for its row and its answer (a SHA-256 each).
	const references = new Map<string, string>();
	const referenceOf = (id: string) => {
		let r = references.get(id);
		if (r === undefined) references.set(id, (r = referenceFor(id)));
		return r;
	};
	const submissionRows = [];
	const questionIdsOf = new Map<SaveItem['consultation'], Map<string, number>>();
	const questionIds = (c: SaveItem['consultation']) => {
		let ids = questionIdsOf.get(c);
		if (!ids) questionIdsOf.set(c, (ids = new Map(c.questions.map((q) => [q.key, q.id]))));
		return ids;
	};
	for (const [i, { consultation, input, meta }] of items.entries()) {
		if (first.has(input.id)) continue;
		first.set(input.id, i);
		const createdAt = meta.createdAt ?? now;
		const rowId = serverIds ? rowIdFor(input.id) : input.id;
		if (rowId !== input.id) rowIds.set(input.id, rowId);
		submissionRows.push({
			id: rowId,
			...(clientIds ? { client_id: rowId === input.id ? null : input.id } : {}),
			consultation_id: consultation.id,
			reference: referenceOf(input.id),
			channel: meta.channel,
			collection_session_id: meta.collectionSessionId ?? null,
			location_id: meta.locationId ?? null,
			district_code: input.district ?? null,
			entered_by: meta.enteredBy ?? null,
			taken_over_from: meta.takenOverFrom ?? null,
			is_demo: meta.isDemo ? 1 : 0,
			...equalityColumns(input, meta.channel),
			group_set: groupSetKey(input),
			question_set: questionSetKey(
				questionIds(consultation),
				input.perspectives.map((p) => p.answers)
			),
			created_at: createdAt,
			updated_at: createdAt
		});
	}
	const created = new Set<string>();
	if (lean) await bypassInsertTriggers(tx, true);
	for (const chunk of chunks(submissionRows, Object.keys(submissionRows[0] ?? {}).length)) {
		const rows = await insertRows(tx, 'submission', chunk, (rows) =>
			tx
				.insertInto('submission')
				.values(rows)
				// With client ids, a resend is refused by the reference's unique index (a hash of the client's id, the
				// same whatever the row's id is), so any conflict is no row; without, by the id as before.
				.onConflict((oc) => (clientIds ? oc.doNothing() : oc.column('id').doNothing()))
				.returning('id')
		);
		for (const r of rows) created.add(r.id);
	}
	const isNew = (i: number) => created.has(rowOf(items[i].input.id)) && first.get(items[i].input.id) === i;

	// Replays: the row already there (stored before, or by an earlier item of this call), by its client's id.
	const others = [...new Set(items.filter((_, i) => !isNew(i)).map((it) => it.input.id))];
	const existing = new Map<string, { reference: string; consultation_id: number }>();
	if (clientIds) {
		// By the reference (unique), then the row's client id checked: its own id, or client_id when the server keyed
		// it (a reference another id shares is not this submission's row: then neither stored nor found, below).
		const byReference = new Map(others.map((id) => [referenceOf(id), id]));
		for (const chunk of chunks([...byReference.keys()], 1)) {
			const rows = await tx
				.selectFrom('submission')
				.select(['id', 'client_id', 'reference', 'consultation_id'])
				.where('reference', 'in', chunk)
				.execute();
			for (const r of rows) {
				const id = byReference.get(r.reference)!;
				if (r.id === id || r.client_id === id) existing.set(id, r);
			}
		}
	} else
		for (const chunk of chunks(others, 1)) {
			const rows = await tx
				.selectFrom('submission')
				.select(['id', 'reference', 'consultation_id'])
				.where('id', 'in', chunk)
				.execute();
			for (const r of rows) existing.set(r.id, r);
		}

	// One multi-row insert for the perspectives and one for all the answers: each answer's id is paired with its
	// row by (perspective, question), which is unique (a perspective answers each question at most once).
	const fresh = items.filter((_, i) => isNew(i));
	const perspectiveRows = fresh.flatMap(({ consultation, input }) =>
		input.perspectives.map((p, position) => ({
			submission_id: rowOf(input.id),
			group_code: p.group,
			position,
			question_set: questionSetKey(questionIds(consultation), [p.answers])
		}))
	);
	const perspectiveAt = new Map<string, number>();
	for (const chunk of chunks(perspectiveRows, 3)) {
		const rows = await insertRows(tx, 'perspective', chunk, (rows) =>
			tx.insertInto('perspective').values(rows).returning(['id', 'submission_id', 'position'])
		);
		for (const p of rows) perspectiveAt.set(`${p.submission_id}:${p.position}`, p.id);
	}
	const answerRows = fresh.flatMap(({ consultation, input, meta }) => {
		// The wording each answer was given to (the builder versions a question's wording once it has answers).
		const wordingVersions = new Map(consultation.questions.map((q) => [q.key, q.wordingVersion ?? 1]));
		const createdAt = meta.createdAt ?? now;
		const preparedHere = new Map<string, PreparedText>();
		return input.perspectives.flatMap((p, position) =>
			Object.entries(p.answers)
				.filter(([, text]) => text.trim() !== '')
				.map(([key, text]) => {
					// Screened and redacted once per distinct text (a caller may have done it before the transaction).
					let prepared = meta.prepared?.get(text) ?? preparedHere.get(text);
					if (!prepared) preparedHere.set(text, (prepared = prepareAnswerText(text)));
					return {
						submission_id: rowOf(input.id),
						perspective_id: perspectiveAt.get(`${rowOf(input.id)}:${position}`)!,
						question_id: questionIds(consultation).get(key)!,
						text: prepared.text,
						redacted_text: prepared.redactedText,
						pii_kinds: prepared.piiKinds,
						risk_score: prepared.screen.score,
						risk_version: SCORING_VERSION,
						wording_version: wordingVersions.get(key) ?? 1,
						// Not English: the theme engine leaves it to a person (coding/recode.ts).
						language: meta.languages?.get(text) ?? detectLanguage(prepared.text, input.language ?? null),
						ui_language: input.language ?? null,
						created_at: createdAt,
						updated_at: createdAt,
						screen: prepared.screen
					};
				})
		);
	});
	const stored: Parameters<typeof afterAnswersStored>[1] = [];
	for (const chunk of chunks(answerRows, 13)) {
		const ids = await insertRows(
			tx,
			'answer',
			chunk.map(({ screen: _screen, ...row }) => row),
			(rows) => tx.insertInto('answer').values(rows).returning(['id', 'perspective_id', 'question_id'])
		);
		const idOf = new Map(ids.map((r) => [`${r.perspective_id}:${r.question_id}`, r.id]));
		for (const row of chunk)
			stored.push({ id: idOf.get(`${row.perspective_id}:${row.question_id}`)!, text: row.text, screen: row.screen });
	}
	if (lean) {
		await bypassInsertTriggers(tx, false);
		// The batch's counts from its rows, instead of the triggers and the settling (writer-aggregates.ts: a claimed
		// set SQLite could order otherwise is checked there, and a wrong one throws: the caller stores the batch again
		// with the triggers).
		const submissionOf = new Map(submissionRows.filter((r) => created.has(r.id)).map((r) => [r.id, r]));
		const groupOf = new Map<number, string | null>();
		const perspectives = perspectiveRows.map((p) => {
			const id = perspectiveAt.get(`${p.submission_id}:${p.position}`)!;
			groupOf.set(id, p.group_code ?? null);
			return {
				id,
				s: submissionOf.get(p.submission_id)!,
				group_code: p.group_code ?? null,
				question_set: p.question_set
			};
		});
		await addBatchAggregates(
			tx,
			{
				submissions: [...submissionOf.values()],
				perspectives,
				answers: answerRows.map((a) => ({
					s: submissionOf.get(a.submission_id)!,
					group_code: groupOf.get(a.perspective_id) ?? null,
					question_id: a.question_id,
					wording_version: a.wording_version,
					language: a.language,
					text: a.text,
					created_at: a.created_at
				}))
			},
			schema.day,
			schema.totals === true
		);
	} else {
		await settleGroupSets(
			tx,
			fresh
				.filter(({ input }) => new Set(input.perspectives.map((p) => p.group ?? '')).size > 1)
				.map(({ input }) => rowOf(input.id))
		);
		await settleQuestionSets(tx, 'perspective', [...perspectiveAt.values()]);
		await settleQuestionSets(
			tx,
			'submission',
			fresh.map(({ input }) => rowOf(input.id))
		);
	}
	await afterAnswersStored(tx, stored);

	return items.map(({ consultation, input }, i) => {
		if (isNew(i)) return { status: 'created', id: input.id, reference: referenceOf(input.id) };
		// Stored before, or by an earlier item of this call (then a replay, or a conflict as if sent later).
		const row = existing.get(input.id);
		if (!row) throw new Error(`submission ${input.id} neither stored nor found`);
		if (row.consultation_id !== consultation.id) return new SubmissionConflictError(input.id);
		return { status: 'replayed', id: input.id, reference: row.reference };
	});
}

export class SubmissionConflictError extends Error {
	constructor(readonly id: string) {
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
