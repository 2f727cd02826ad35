import type { Db } from '../db/connect';
import { audit } from '../audit';
import { staffQuestionText } from '../../domain/questions';

export interface OriginalAnswer {
	id: number;
	question: string;
	reference: string;
	original: string | null;
	redacted: string | null;
	piiKinds: string[];
	deletedAt: string | null;
}

/**
 * The original, unredacted words of one answer, or null when there is no such answer. Every view is written to
 * the audit log, because the original may hold names and addresses.
 */
export async function viewOriginalAnswer(db: Db, id: number, userId: number): Promise<OriginalAnswer | null> {
	if (!Number.isSafeInteger(id) || id <= 0) return null;
	const answer = await db
		.selectFrom('answer')
		.innerJoin('question', 'question.id', 'answer.question_id')
		.innerJoin('submission', 'submission.id', 'answer.submission_id')
		.select([
			'answer.id',
			'answer.text',
			'answer.redacted_text',
			'answer.pii_kinds',
			'answer.text_deleted_at',
			'question.key',
			'question.text as question',
			'question.wording_to_confirm',
			'submission.reference'
		])
		.where('answer.id', '=', id)
		.executeTakeFirst();
	if (!answer) return null;
	await audit(db, { userId, action: 'answer.view_original', entity: 'answer', entityId: String(id) });
	return {
		id: answer.id,
		question: `${answer.key}: ${staffQuestionText({ text: answer.question, wordingToConfirm: answer.wording_to_confirm === 1 })}`,
		reference: answer.reference,
		original: answer.text,
		redacted: answer.redacted_text,
		piiKinds: answer.pii_kinds ? (JSON.parse(answer.pii_kinds) as string[]) : [],
		deletedAt: answer.text_deleted_at
	};
}
