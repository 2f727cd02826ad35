/**
 * One place that knows every copy of a person's words, used by retention and by
 * deletion on request alike, so that a copy added later is deleted by both or
 * by neither (and a test that plants a marker in every copy notices the second).
 */
import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type { Db } from '../db/connect';
import { answerIdsOf } from '../db/answers-of';
import { pausedFor } from '../db/checkpointer';

import { scrubAuditJson } from '../audit';

// The registry names tables and columns as data, so queries are built untyped.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tables and columns come from the registry at run time
type AnyDb = Kysely<any>;

/** What a column's id points at: one answer, one submission, a safeguarding flag, or a whole consultation. */
export type PurgeLink = 'answer' | 'submission' | 'flag' | 'consultation' | 'deletedLeaf';

export interface PersonalTextColumn {
	table: string;
	/** The column that holds the answer, submission or consultation id. */
	via: string;
	link: PurgeLink;
	/** Values that replace the words (the row stays, e.g. for counts), or 'delete' to drop the row. */
	clear: Record<string, string | null> | 'delete';
}

/**
 * Every column that can hold a respondent's words, or a copy of them, reached
 * by id. A new table or column that holds words gets ONE line here, e.g.
 * `{ table: 'safeguarding_concern', via: 'answer_id', link: 'answer', clear: { note: null } }`.
 * (Rows deleted by a foreign key's cascade still need their line: retention
 * keeps the answer rows, so nothing cascades then.)
 */
export const PERSONAL_TEXT: PersonalTextColumn[] = [
	{ table: 'answer', via: 'id', link: 'answer', clear: { text: null, redacted_text: null } },
	{ table: 'safeguarding_flag', via: 'answer_id', link: 'answer', clear: { matches: '[]', note: null } },
	{ table: 'safeguarding_concern', via: 'answer_id', link: 'answer', clear: { note: null } },
	{ table: 'quote', via: 'answer_id', link: 'answer', clear: 'delete' },
	{ table: 'submission', via: 'id', link: 'submission', clear: { eq_gender_self: null } },
	{ table: 'survey_draft', via: 'submission_id', link: 'submission', clear: 'delete' },
	{ table: 'survey_draft', via: 'consultation_id', link: 'consultation', clear: 'delete' },
	// A deleted leaf's undo copy (at most ENTRY_UNDO_MINUTES old). Its submission row is already gone, so it is
	// reached by the id itself (on request) or through its collection session (retention): see undoCopies.
	{ table: 'entry_undo', via: 'submission_id', link: 'deletedLeaf', clear: 'delete' },
	// An officer's upload held between preview and commit keeps every parsed cell, before any redaction, for up to
	// 30 minutes (import/store.ts); retention drops the consultation's (the hourly job drops expired ones).
	{ table: 'import_preview', via: 'consultation_id', link: 'consultation', clear: 'delete' }
];

/**
 * Audit rows about these entities may hold words written before the audit log
 * kept only ids and field names (or a text a writer had to audit, redacted):
 * their strings are scrubbed. entity -> the link its entity_id is.
 */
export const AUDITED_ENTITIES: { entity: string; link: PurgeLink }[] = [
	{ entity: 'answer', link: 'answer' },
	{ entity: 'submission', link: 'submission' },
	{ entity: 'safeguarding_flag', link: 'flag' },
	{ entity: 'consultation', link: 'consultation' }
];

/** Whose words: every answer of a consultation (retention) or one submission (on request). */
export type PurgeScope = { consultationId: number } | { submissionId: string };

export interface PurgeResult {
	/** Tables whose rows were changed or deleted (to VACUUM on PostgreSQL). */
	tables: string[];
}

/**
 * Deletes every copy of the words in scope. Call inside the transaction that
 * also deletes the rows themselves (deletion on request), so nothing is left
 * half-done; then call `reclaimSpace` after it commits.
 */
export async function purgeWords(tx: Db, scope: PurgeScope): Promise<PurgeResult> {
	const db = tx as unknown as AnyDb;
	const touched = new Set<string>();
	const ids = idQueries(db, scope);

	// Copies by value (not by id) first, while the words they copy can still be read.
	if (await purgeCandidateExamples(db, scope, ids)) touched.add('theme_candidate');
	for (const t of await purgeDerivedWords(db, scope, ids)) touched.add(t);
	if (await scrubAudit(db, ids)) touched.add('audit_log');

	for (const col of PERSONAL_TEXT) {
		const idsOf = ids[col.link];
		if (!idsOf) continue;
		const result =
			col.clear === 'delete'
				? await db.deleteFrom(col.table).where(col.via, 'in', idsOf()).executeTakeFirst()
				: await db
						.updateTable(col.table)
						.set(col.clear)
						.where(col.via, 'in', idsOf())
						// Only rows still holding words, so a second run changes (and reports) nothing.
						.where((eb) =>
							eb.or(
								Object.entries(col.clear as Record<string, string | null>).map(([c, v]) =>
									v === null ? eb(c, 'is not', null) : eb(c, '<>', v)
								)
							)
						)
						.executeTakeFirst();
		const n = 'numDeletedRows' in result ? result.numDeletedRows : result.numUpdatedRows;
		if (Number(n) > 0) touched.add(col.table);
	}
	return { tables: [...touched].sort() };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped subqueries over registry tables (see AnyDb)
type Ids = Record<PurgeLink, (() => any) | null>;

const typed = (db: AnyDb) => db as unknown as Db;

function idQueries(db: AnyDb, scope: PurgeScope): Ids {
	if ('consultationId' in scope) {
		const questions = () => db.selectFrom('question').select('id').where('consultation_id', '=', scope.consultationId);
		const answers = () => db.selectFrom('answer').select('id').where('question_id', 'in', questions());
		return {
			answer: answers,
			submission: () => db.selectFrom('submission').select('id').where('consultation_id', '=', scope.consultationId),
			consultation: () => db.selectFrom('consultation').select('id').where('id', '=', scope.consultationId),
			flag: () => db.selectFrom('safeguarding_flag').select('id').where('answer_id', 'in', answers()),
			deletedLeaf: () =>
				db
					.selectFrom('entry_undo')
					.select('submission_id')
					.where(
						'collection_session_id',
						'in',
						db.selectFrom('collection_session').select('id').where('consultation_id', '=', scope.consultationId)
					)
		};
	}
	// Through the submission's perspectives (answer_submission dropped on SQLite by migration 2026-12-12-0400).
	const answers = () => answerIdsOf(typed(db), scope.submissionId);
	return {
		answer: answers,
		submission: () => db.selectFrom('submission').select('id').where('id', '=', scope.submissionId),
		// One submission never takes the consultation's own rows (other people's drafts) with it.
		consultation: null,
		flag: () => db.selectFrom('safeguarding_flag').select('id').where('answer_id', 'in', answers()),
		// A leaf deleted by staff a moment ago has no submission row, only its undo copy under the same id.
		deletedLeaf: () =>
			db.selectFrom('entry_undo').select('submission_id').where('submission_id', '=', scope.submissionId)
	};
}

/**
 * Theme candidates keep up to three example answers as text. Retention empties
 * them for the consultation; deletion on request drops the examples that are
 * this submission's answers (as the discovery stored them: trimmed, redacted
 * where personal data was found).
 */
async function purgeCandidateExamples(db: AnyDb, scope: PurgeScope, ids: Ids): Promise<boolean> {
	if ('consultationId' in scope) {
		const r = await db
			.updateTable('theme_candidate')
			.set({ examples: '[]' })
			.where(
				'question_id',
				'in',
				db.selectFrom('question').select('id').where('consultation_id', '=', scope.consultationId)
			)
			.where('examples', '<>', '[]')
			.executeTakeFirst();
		return Number(r.numUpdatedRows) > 0;
	}
	const answers: AnswerWords[] = await db
		.selectFrom('answer')
		.select(['question_id', 'text', 'redacted_text'])
		.where('id', 'in', ids.answer!())
		.execute();
	return dropCandidateExamples(typed(db), answers);
}

/**
 * Texts BUILT from answers' words rather than copied whole: a theme candidate's
 * label and phrases (discovery names a cluster by its words) and the notes staff
 * write about a collection session. Retention deletes the consultation's
 * candidates (the decided ones already became themes, which keep their own
 * label) and empties its sessions' notes (a demo session's note is the loader's
 * key, never typed words). Deletion on request cannot tell which words of a
 * phrase or note came from one person, so it removes each candidate, and
 * empties each note of the consultation's sessions, that holds a word found in
 * this person's answers and in no other answer to the same consultation: a
 * word only they used (a name, a place) is theirs; a common word is not.
 */
async function purgeDerivedWords(db: AnyDb, scope: PurgeScope, ids: Ids): Promise<string[]> {
	const touched: string[] = [];
	if ('consultationId' in scope) {
		const q = db.selectFrom('question').select('id').where('consultation_id', '=', scope.consultationId);
		const c = await db.deleteFrom('theme_candidate').where('question_id', 'in', q).executeTakeFirst();
		if (Number(c.numDeletedRows) > 0) touched.push('theme_candidate');
		const n = await db
			.updateTable('collection_session')
			.set({ notes: null })
			.where('consultation_id', '=', scope.consultationId)
			.where('is_demo', '=', 0)
			.where('notes', 'is not', null)
			.executeTakeFirst();
		if (Number(n.numUpdatedRows) > 0) touched.push('collection_session');
		return touched;
	}
	const mine: { question_id: number; text: string | null; redacted_text: string | null }[] = await db
		.selectFrom('answer')
		.select(['question_id', 'text', 'redacted_text'])
		.where('id', 'in', ids.answer!())
		.execute();
	const texts = mine.flatMap((a) => [a.text, a.redacted_text]);
	const undo: { snapshot: string }[] = await db
		.selectFrom('entry_undo')
		.select('snapshot')
		.where('submission_id', 'in', ids.deletedLeaf!())
		.execute();
	for (const u of undo) texts.push(...stringsIn(JSON.parse(u.snapshot)));
	const words = new Set(texts.flatMap((t) => wordsOf(t)));
	if (words.size === 0) return touched;
	// The consultation: of the submission, or of the deleted leaf's session.
	const sub: { consultation_id: number } | undefined =
		(await db
			.selectFrom('submission')
			.select('consultation_id')
			.where('id', '=', scope.submissionId)
			.executeTakeFirst()) ??
		(await db
			.selectFrom('entry_undo')
			.innerJoin('collection_session', 'collection_session.id', 'entry_undo.collection_session_id')
			.select('collection_session.consultation_id')
			.where('entry_undo.submission_id', '=', scope.submissionId)
			.executeTakeFirst());
	if (!sub) return touched;
	const questionIds = () => db.selectFrom('question').select('id').where('consultation_id', '=', sub.consultation_id);
	const candidates: { id: number; label: string; phrases: string }[] = await db
		.selectFrom('theme_candidate')
		.select(['id', 'label', 'phrases'])
		.where('question_id', 'in', questionIds())
		.execute();
	const notes: { id: number; notes: string }[] = await db
		.selectFrom('collection_session')
		.select(['id', 'notes'])
		.where('consultation_id', '=', sub.consultation_id)
		.where('is_demo', '=', 0)
		.where('notes', 'is not', null)
		.execute();
	// Only the words that appear in a candidate or a note need the (slower) look in everyone else's answers.
	const shared = (t: string) => wordsOf(t).filter((w) => words.has(w));
	const toCheck = new Set([
		...candidates.flatMap((c) => shared(`${c.label} ${c.phrases}`)),
		...notes.flatMap((n) => shared(n.notes))
	]);
	const onlyTheirs = new Set<string>();
	for (const w of toCheck) {
		// Words are letters and digits only, so nothing in them needs escaping in a LIKE pattern.
		const pattern = `%${w}%`;
		const other = await db
			.selectFrom('answer')
			.select('id')
			.where('question_id', 'in', questionIds())
			.where('submission_id', '<>', scope.submissionId)
			.where((eb) => eb.or([eb(sql`lower(text)`, 'like', pattern), eb(sql`lower(redacted_text)`, 'like', pattern)]))
			.limit(1)
			.executeTakeFirst();
		if (!other) onlyTheirs.add(w);
	}
	const theirs = (t: string) => wordsOf(t).some((w) => onlyTheirs.has(w));
	const dropCandidates = candidates.filter((c) => theirs(`${c.label} ${c.phrases}`)).map((c) => c.id);
	if (dropCandidates.length > 0) {
		await db.deleteFrom('theme_candidate').where('id', 'in', dropCandidates).execute();
		touched.push('theme_candidate');
	}
	const clearNotes = notes.filter((n) => theirs(n.notes)).map((n) => n.id);
	if (clearNotes.length > 0) {
		await db.updateTable('collection_session').set({ notes: null }).where('id', 'in', clearNotes).execute();
		touched.push('collection_session');
	}
	return touched;
}

/** Lower-cased words of three or more letters or digits (shorter ones are too common to be anyone's). */
function wordsOf(text: string | null): string[] {
	if (!text) return [];
	return (text.toLowerCase().match(/[\p{L}\p{N}]{3,}/gu) ?? []) as string[];
}

function stringsIn(v: unknown): string[] {
	if (typeof v === 'string') return [v];
	if (Array.isArray(v)) return v.flatMap(stringsIn);
	if (v && typeof v === 'object') return Object.values(v).flatMap(stringsIn);
	return [];
}

export interface AnswerWords {
	question_id: number;
	text: string | null;
	redacted_text: string | null;
}

/**
 * Removes these answers' words from the examples of their questions' theme
 * candidates. Also called when staff correct a leaf, so the words as first
 * typed do not live on as an example. Returns whether any candidate changed.
 */
export async function dropCandidateExamples(tx: Db, answers: AnswerWords[]): Promise<boolean> {
	if (answers.length === 0) return false;
	const db = tx as unknown as AnyDb;
	const words = new Set(
		answers
			.flatMap((a) => [a.text, a.redacted_text])
			.filter((t): t is string => !!t)
			.map((t) => t.trim())
	);
	const candidates: { id: number; examples: string }[] = await db
		.selectFrom('theme_candidate')
		.select(['id', 'examples'])
		.where('question_id', 'in', [...new Set(answers.map((a) => a.question_id))])
		.execute();
	let changed = false;
	for (const c of candidates) {
		const examples = JSON.parse(c.examples) as string[];
		const kept = examples.filter((e) => !words.has(e.trim()));
		if (kept.length === examples.length) continue;
		await db
			.updateTable('theme_candidate')
			.set({ examples: JSON.stringify(kept) })
			.where('id', '=', c.id)
			.execute();
		changed = true;
	}
	return changed;
}

/** Rewrites the audit rows about the entities in scope so that only ids, codes and field names remain. */
async function scrubAudit(db: AnyDb, ids: Ids): Promise<boolean> {
	const asText = (q: Ids[PurgeLink] & object) =>
		db.selectFrom(q().as('x')).select(sql<string>`cast(x.id as text)`.as('id'));
	const conditions = AUDITED_ENTITIES.filter((e) => ids[e.link]);
	if (conditions.length === 0) return false;
	const rows: { id: number; before: string | null; after: string | null; detail: string | null }[] = await db
		.selectFrom('audit_log')
		.select(['id', 'before', 'after', 'detail'])
		.where((eb) =>
			eb.or(conditions.map((c) => eb.and([eb('entity', '=', c.entity), eb('entity_id', 'in', asText(ids[c.link]!))])))
		)
		.execute();
	let changed = false;
	for (const r of rows) {
		const next = { before: scrubAuditJson(r.before), after: scrubAuditJson(r.after), detail: scrubAuditJson(r.detail) };
		if (next.before === r.before && next.after === r.after && next.detail === r.detail) continue;
		await db.updateTable('audit_log').set(next).where('id', '=', r.id).execute();
		changed = true;
	}
	return changed;
}

export interface ReclaimResult {
	engine: 'sqlite' | 'postgres';
	vacuumed: string[] | 'database' | [];
	ms: number;
}

/**
 * Makes deleted words unrecoverable from the database files, after the purge
 * committed. SQLite (secure_delete is on, so freed cells and pages are zeroed):
 * copy the write-ahead log into the file and truncate it to nothing, where the
 * old pages still sat; with `vacuum`, also rebuild the file so that free space
 * left by deletions made before secure_delete was on goes too. PostgreSQL:
 * VACUUM (ANALYZE) the touched tables so dead row versions are removed from their pages and the planner's
 * sampled values (pg_stats) are taken again without the words
 * (WAL segments and backups are the operator's to expire: see the docs).
 *
 * SQLite runs all of it with this process's checkpoint worker paused and any
 * checkpoint it had in flight finished (db/checkpointer.ts): a checkpoint on the
 * worker's connection beside ours makes TRUNCATE give up, leaving the words in
 * the log. The truncation is then checked, and retried while busy (another
 * process's reader or checkpoint) for a bounded time before this throws.
 */
export async function reclaimSpace(
	db: Db,
	tables: string[],
	opts: { vacuum?: boolean; patienceMs?: number; rewrite?: 'now' | 'later' } = {}
): Promise<ReclaimResult> {
	const started = performance.now();
	if (db.getExecutor().adapter instanceof PostgresAdapter) {
		const pending = await markPending(db, tables);
		// ANALYZE too: pg_statistic keeps sampled values (most common values, histogram bounds) of every column
		// until the next ANALYZE, and those samples are people's words.
		for (const t of tables) await sql`vacuum (analyze) ${sql.table(t)}`.execute(db);
		if ((opts.rewrite ?? 'now') === 'now') await rewritePending(db, pending);
		return { engine: 'postgres', vacuumed: tables, ms: Math.round(performance.now() - started) };
	}
	const main = await sql<{ file: string }>`select file from pragma_database_list where name = 'main'`.execute(db);
	const file = main.rows[0]?.file ?? '';
	const work = async () => {
		await truncateLog(db, opts.patienceMs);
		if (opts.vacuum ?? false) {
			await sql`vacuum`.execute(db);
			await truncateLog(db, opts.patienceMs);
		}
	};
	// An in-memory database (file '') has no log and no worker.
	await (file ? pausedFor(file, work) : work());
	return {
		engine: 'sqlite',
		vacuumed: (opts.vacuum ?? false) ? 'database' : [],
		ms: Math.round(performance.now() - started)
	};
}

/** How long truncating the log may keep retrying while SQLite reports it busy, before reclaimSpace fails. */
export const TRUNCATE_PATIENCE_MS = 20_000;

/**
 * Copies the whole log into the database file and truncates it to nothing, and checks that SQLite did: its result
 * row is (busy, log, checkpointed), busy=0 and log=0 once emptied (log=-1: not in WAL mode, nothing to empty).
 * Busy (another connection reading an old snapshot or checkpointing) is waited out and retried, bounded; then it
 * throws, rather than report success with deleted words still in the log.
 */
async function truncateLog(db: Db, patienceMs = TRUNCATE_PATIENCE_MS): Promise<void> {
	const deadline = performance.now() + patienceMs;
	for (let attempt = 1; ; attempt++) {
		const r = await sql<{ busy: number; log: number; checkpointed: number }>`pragma wal_checkpoint(TRUNCATE)`.execute(
			db
		);
		const row = r.rows[0];
		if (!row || (Number(row.busy) === 0 && Number(row.log) <= 0)) return;
		const last = `busy ${row.busy}, ${row.log} frames in the log, ${row.checkpointed} copied`;
		if (performance.now() >= deadline)
			throw new Error(
				`Could not empty the SQLite write-ahead log after ${attempt} attempts (${last}): the deletion is committed but its words may remain in the log until it is emptied; stop whatever else holds the database open (a reader, a backup, another process) and run npm run retention, which empties it even when nothing is due`
			);
		await new Promise((resolve) => setTimeout(resolve, Math.min(25 * attempt, 500)));
	}
}

/** How long a rewrite waits for its table's lock before leaving it to the hourly job (RECLAIM_LOCK_TIMEOUT_MS). */
export const RECLAIM_LOCK_TIMEOUT_MS = Math.max(50, Number(process.env.RECLAIM_LOCK_TIMEOUT_MS ?? 500));

/** Lists tables to rewrite (PostgreSQL), so that a rewrite not done now is done by the hourly job. */
async function markPending(db: Db, tables: string[]): Promise<string[]> {
	if (tables.length === 0) return [];
	const since = new Date().toISOString();
	await db
		.insertInto('reclaim_pending')
		.values(tables.map((table_name) => ({ table_name, since })))
		.onConflict((oc) => oc.column('table_name').doNothing())
		.execute();
	return tables;
}

/**
 * PostgreSQL: rewrites the tables still listed in reclaim_pending (all of them, or those named) with
 * VACUUM (FULL, ANALYZE), each into a new file holding only the live rows, so the bytes of deleted rows leave the
 * table's files (a plain VACUUM only marks their space free). VACUUM FULL needs the table to itself: it waits at
 * most RECLAIM_LOCK_TIMEOUT_MS for its lock (every other statement on the table queues behind it meanwhile), and a
 * table it could not lock stays listed for the next try (the hourly job). Once locked it holds the table for the
 * whole rewrite (seconds to minutes on a large `answer`): see docs/safeguarding-and-privacy.md. Returns the
 * tables rewritten and those left pending. SQLite: nothing is ever listed.
 */
export async function rewritePending(db: Db, only?: string[]): Promise<{ rewritten: string[]; pending: string[] }> {
	if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return { rewritten: [], pending: [] };
	let q = db.selectFrom('reclaim_pending').select('table_name').orderBy('table_name');
	if (only) {
		if (only.length === 0) return { rewritten: [], pending: [] };
		q = q.where('table_name', 'in', only);
	}
	const tables = (await q.execute()).map((r) => r.table_name);
	const rewritten: string[] = [];
	const pending: string[] = [];
	for (const t of tables) {
		const done = await db.connection().execute(async (conn) => {
			await sql`select set_config('lock_timeout', ${`${RECLAIM_LOCK_TIMEOUT_MS}ms`}, false)`.execute(conn);
			try {
				await sql`vacuum (full, analyze) ${sql.table(t)}`.execute(conn);
				return true;
			} catch (e) {
				// 55P03 lock_not_available: another transaction holds the table; try again later.
				if ((e as { code?: string }).code === '55P03') return false;
				throw e;
			} finally {
				await sql`reset lock_timeout`.execute(conn);
			}
		});
		if (done) {
			await db.deleteFrom('reclaim_pending').where('table_name', '=', t).execute();
			rewritten.push(t);
		} else {
			await db
				.updateTable('reclaim_pending')
				.set((eb) => ({ attempts: eb('attempts', '+', 1) }))
				.where('table_name', '=', t)
				.execute();
			pending.push(t);
		}
	}
	return { rewritten, pending };
}
