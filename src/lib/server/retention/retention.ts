import { normaliseReference, referenceFor } from '../submissions/reference';
import type { Db } from '../db/connect';
import { answerIdsOf } from '../db/answers-of';
import { nowIso } from '../util/time';
import { audit } from '../audit';
import { purgeWords, reclaimSpace, type ReclaimResult } from './purge';
import { retryingConflicts } from '../db/retry-conflicts';

export interface RetentionResult {
	consultations: { slug: string; retentionUntil: string; answersCleared: number }[];
	draftsDeleted: number;
	/** How the freed space was wiped (absent on a dry run or when nothing changed). */
	reclaim?: ReclaimResult;
}

export interface PurgeOptions {
	/**
	 * SQLite: also rebuild the file (VACUUM) so free space left by deletions made
	 * before secure_delete was on goes too. Default false: it holds every writer
	 * for seconds on a large file (see the README's figures), so the retention
	 * job does it and deletion on request, done while people answer, does not.
	 */
	vacuum?: boolean;
	/** SQLite: how long emptying the log may retry while busy before this throws (default TRUNCATE_PATIENCE_MS). */
	patienceMs?: number;
	/**
	 * Who asked (null: a scheduled job), to write the audit row with the purge, before the space is reclaimed: that
	 * step can still throw (SQLite's log not emptied), but the deletion has committed by then and stays audited.
	 */
	audit?: { userId: number | null; detail?: string };
}

/**
 * Deletes every copy of the words of every answer whose consultation is past
 * its retention date (see purge.ts for the list), keeping the answer rows,
 * their themes and every count. Safeguarding flags keep their level and status
 * but lose their excerpts and notes. `dryRun` counts without changing anything.
 */
export async function applyRetention(
	db: Db,
	opts: { now?: Date; dryRun?: boolean } & PurgeOptions = {}
): Promise<RetentionResult> {
	const today = (opts.now ?? new Date()).toISOString().slice(0, 10);
	const due = await db
		.selectFrom('consultation')
		.select(['id', 'slug', 'retention_until'])
		.where('retention_until', 'is not', null)
		.where('retention_until', '<', today)
		.orderBy('id')
		.execute();
	const result: RetentionResult = { consultations: [], draftsDeleted: 0 };
	const touched = new Set<string>();
	const deletedAt = nowIso();
	try {
		await purgeDue();
	} finally {
		// Every purge that committed is audited, even when a later one failed (the error still reaches the caller).
		if (!opts.dryRun && opts.audit)
			await audit(db, {
				userId: opts.audit.userId,
				action: 'retention.apply',
				entity: 'consultation',
				entityId: null,
				after: { consultations: result.consultations, draftsDeleted: result.draftsDeleted },
				detail: opts.audit.detail
			});
	}
	// With vacuum asked for, the file is rebuilt even when nothing was due: the first run after
	// upgrading wipes free space left by deletions made before secure_delete was on.
	if (!opts.dryRun && (touched.size > 0 || opts.vacuum))
		result.reclaim = await reclaimSpace(db, [...touched].sort(), opts);
	return result;

	async function purgeDue() {
		for (const c of due) {
			// Run again if PostgreSQL ends it as a deadlock's victim (its triggers lock aggregate rows the coder and
			// submissions lock too, in their own orders): retention must not stop half-way because coding was running.
			const cleared = await retryingConflicts(() =>
				db.transaction().execute(async (tx) => {
					const answerIds = tx
						.selectFrom('answer')
						.innerJoin('question', 'question.id', 'answer.question_id')
						.select('answer.id')
						.where('question.consultation_id', '=', c.id)
						.where('answer.text', 'is not', null);
					const count = await tx
						.selectFrom('answer')
						.select((eb) => eb.fn.countAll<number>().as('n'))
						.where('id', 'in', answerIds)
						.executeTakeFirstOrThrow();
					if (opts.dryRun) return Number(count.n);
					await tx
						.updateTable('answer')
						.set({ text_deleted_at: deletedAt, updated_at: deletedAt })
						.where('id', 'in', answerIds)
						.execute();
					for (const t of (await purgeWords(tx, { consultationId: c.id })).tables) touched.add(t);
					return Number(count.n);
				})
			);
			result.consultations.push({ slug: c.slug, retentionUntil: c.retention_until!, answersCleared: cleared });
		}
		if (opts.dryRun) return;
		// Unfinished survey drafts are never kept beyond a week.
		const weekAgo = new Date((opts.now ?? new Date()).getTime() - 7 * 86_400_000).toISOString();
		const drafts = await db.deleteFrom('survey_draft').where('updated_at', '<', weekAgo).executeTakeFirst();
		result.draftsDeleted = Number(drafts.numDeletedRows);
		if (result.draftsDeleted > 0) touched.add('survey_draft');
	}
}

/** Tables a submission's own rows live in (deleted with it by the foreign keys' cascade). */
const SUBMISSION_TABLES = ['submission', 'perspective', 'answer', 'answer_theme', 'quote', 'safeguarding_flag'];

/**
 * Erases one submission, everything it said, every copy of it and every coding
 * of it, when the respondent asks and gives their reference. Returns what was
 * erased (no text).
 */
/**
 * A leaf staff deleted moment ago lives on only as its undo copy (entry/undo.ts) for a few minutes; its reference
 * still reaches it, so a request to delete made in that window deletes those words too. The table holds minutes of
 * deletions, so reading every id is cheap (the reference is a hash of the id and cannot be looked up).
 */
async function deletedLeafByReference(tx: Db, ref: string): Promise<{ id: string; reference: string } | undefined> {
	const rows = await tx.selectFrom('entry_undo').select('submission_id').execute();
	const hit = rows.find((r) => referenceFor(r.submission_id) === ref);
	return hit ? { id: hit.submission_id, reference: ref } : undefined;
}

export async function deleteByReference(
	db: Db,
	reference: string,
	opts: PurgeOptions = {}
): Promise<{ id: string; reference: string; answers: number } | null> {
	const ref = normaliseReference(reference);
	// Again if PostgreSQL ends it as a deadlock's victim: the officer's deletion must not fail because coding ran.
	const done = await retryingConflicts(() =>
		db.transaction().execute(async (tx) => {
			const sub =
				(await tx
					.selectFrom('submission')
					.select(['id', 'reference'])
					.where('reference', '=', ref)
					.executeTakeFirst()) ?? (await deletedLeafByReference(tx, ref));
			if (!sub) return null;
			// Through its perspectives (answer_submission dropped on SQLite by migration 2026-12-12-0400).
			const answers = await tx
				.selectFrom(answerIdsOf(tx, sub.id).as('a'))
				.select((eb) => eb.fn.countAll<number>().as('n'))
				.executeTakeFirstOrThrow();
			const purged = await purgeWords(tx, { submissionId: sub.id });
			// Foreign keys cascade to perspectives, answers, codings, quotes and flags.
			await tx.deleteFrom('submission').where('id', '=', sub.id).execute();
			if (opts.audit)
				await audit(tx, {
					userId: opts.audit.userId,
					action: 'submission.delete_on_request',
					entity: 'submission',
					entityId: sub.id,
					before: { reference: sub.reference, answers: Number(answers.n) },
					detail: opts.audit.detail
				});
			return { deleted: { id: sub.id, reference: sub.reference, answers: Number(answers.n) }, tables: purged.tables };
		})
	);
	if (!done) return null;
	// PostgreSQL: the tables' rewrite (VACUUM FULL, which holds each table for its whole run) is left to the
	// hourly job rather than done while an officer waits and people answer; a plain VACUUM (ANALYZE) runs now.
	await reclaimSpace(db, [...new Set([...SUBMISSION_TABLES, ...done.tables])].sort(), { ...opts, rewrite: 'later' });
	return done.deleted;
}
