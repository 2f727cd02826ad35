import { sql } from 'kysely';
import type { Db } from './connect';

/**
 * The answers of submission `submissionId` (their ids, as a sub-select), found through its perspectives:
 * `perspective_unique` (submission_id, position), then `answer_unique` (perspective_id, question_id). SQLite has no
 * index on answer.submission_id since migration 2026-12-12-0400 (issue #18: one random leaf per answer written); the
 * answer's own submission_id is still tested, written `submission_id || ''` so that no index may serve that term:
 * with its sqlite_stat1 SQLite would otherwise prefer a skip-scan of answer_question_submission (one seek per distinct
 * question in the table) to the submission's one or two perspectives. PostgreSQL (which keeps the index) reads the
 * same rows.
 */
export function answerIdsOf(db: Db, submissionId: string) {
	return db
		.selectFrom('answer')
		.select('answer.id')
		.where(
			'answer.perspective_id',
			'in',
			db.selectFrom('perspective').select('perspective.id').where('perspective.submission_id', '=', submissionId)
		)
		.where(sql<string>`answer.submission_id || ''`, '=', submissionId);
}
