import { error } from '@sveltejs/kit';
import { requireRole, ADMINS } from '$lib/server/auth/guard';
import { audit } from '$lib/server/audit';
import { staffQuestionText } from '$lib/domain/questions';
import type { PageServerLoad } from './$types';

/**
 * The original, unredacted words of one answer. Admins only, and every view is
 * written to the audit log, because the original may hold names and addresses.
 */
export const load: PageServerLoad = async (event) => {
	const user = requireRole(event, ADMINS);
	const id = Number(event.params.id);
	if (!Number.isInteger(id) || id <= 0) error(404, 'No such answer.');
	const answer = await event.locals.db
		.selectFrom('answer')
		.innerJoin('question', 'question.id', 'answer.question_id')
		.innerJoin('submission', 'submission.id', 'answer.submission_id')
		.select(['answer.id', 'answer.text', 'answer.redacted_text', 'answer.pii_kinds', 'answer.text_deleted_at', 'question.key', 'question.text as question', 'question.wording_to_confirm', 'submission.reference'])
		.where('answer.id', '=', id)
		.executeTakeFirst();
	if (!answer) error(404, 'No such answer.');
	await audit(event.locals.db, {
		userId: user.id,
		action: 'answer.view_original',
		entity: 'answer',
		entityId: String(id)
	});
	return {
		answer: {
			id: answer.id,
			question: `${answer.key}: ${staffQuestionText({ text: answer.question, wordingToConfirm: answer.wording_to_confirm === 1 })}`,
			reference: answer.reference,
			original: answer.text,
			redacted: answer.redacted_text,
			piiKinds: answer.pii_kinds ? (JSON.parse(answer.pii_kinds) as string[]) : [],
			deletedAt: answer.text_deleted_at
		}
	};
};
