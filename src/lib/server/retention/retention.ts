import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { normaliseReference } from '../submissions/reference';
import { nowIso } from '../util/time';

type Db = Kysely<Database>;

export interface RetentionResult {
	consultations: { slug: string; retentionUntil: string; answersCleared: number }[];
	draftsDeleted: number;
}

/**
 * Deletes the words of every answer whose consultation is past its retention
 * date, keeping the answer rows, their themes and every count. Safeguarding
 * flags keep their level and status but lose the matched excerpts.
 * `dryRun` counts without changing anything.
 */
export async function applyRetention(db: Db, opts: { now?: Date; dryRun?: boolean } = {}): Promise<RetentionResult> {
	const today = (opts.now ?? new Date()).toISOString().slice(0, 10);
	const due = await db
		.selectFrom('consultation')
		.select(['id', 'slug', 'retention_until'])
		.where('retention_until', 'is not', null)
		.where('retention_until', '<', today)
		.orderBy('id')
		.execute();
	const result: RetentionResult = { consultations: [], draftsDeleted: 0 };
	const deletedAt = nowIso();
	for (const c of due) {
		const cleared = await db.transaction().execute(async (tx) => {
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
			await tx.updateTable('safeguarding_flag').set({ matches: '[]', updated_at: deletedAt }).where('answer_id', 'in', answerIds).execute();
			await tx
				.updateTable('answer')
				.set({ text: null, redacted_text: null, text_deleted_at: deletedAt, updated_at: deletedAt })
				.where('id', 'in', answerIds)
				.execute();
			return Number(count.n);
		});
		result.consultations.push({ slug: c.slug, retentionUntil: c.retention_until!, answersCleared: cleared });
	}
	if (!opts.dryRun) {
		// Unfinished survey drafts are never kept beyond a week.
		const weekAgo = new Date((opts.now ?? new Date()).getTime() - 7 * 86_400_000).toISOString();
		const drafts = await db.deleteFrom('survey_draft').where('updated_at', '<', weekAgo).executeTakeFirst();
		result.draftsDeleted = Number(drafts.numDeletedRows);
	}
	return result;
}

/**
 * Erases one submission, everything it said and every coding of it, when the
 * respondent asks and gives their reference. Returns what was erased (no text).
 */
export async function deleteByReference(db: Db, reference: string): Promise<{ id: string; reference: string; answers: number } | null> {
	const ref = normaliseReference(reference);
	return db.transaction().execute(async (tx) => {
		const sub = await tx.selectFrom('submission').select(['id', 'reference']).where('reference', '=', ref).executeTakeFirst();
		if (!sub) return null;
		const answers = await tx
			.selectFrom('answer')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where('submission_id', '=', sub.id)
			.executeTakeFirstOrThrow();
		// Foreign keys cascade to perspectives, answers, codings, quotes and flags.
		await tx.deleteFrom('submission').where('id', '=', sub.id).execute();
		return { id: sub.id, reference: sub.reference, answers: Number(answers.n) };
	});
}
