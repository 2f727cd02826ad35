/**
 * The safeguarding permission means what it says (issue #10 item 5): staff without it never see
 * the words of an answer under safeguarding review, on any page or export. They see WITHHELD_TEXT
 * and a count. An answer is under review while it has a flag that a person has not closed as
 * "no action needed": once a lead decides an answer is not a worry, officers may analyse it.
 */
import { sql } from 'kysely';
import type { AnyExpressionBuilder } from '../db/untyped';
import { WITHHELD_TEXT } from '../../domain/reading';

export { WITHHELD_TEXT };

export interface Viewer {
	role: 'admin' | 'officer' | 'entry';
	canSafeguard: boolean;
}

/** Admins, and staff given the safeguarding permission, may read flagged answers. */
export function mayReadFlagged(user: Viewer | null | undefined): boolean {
	return Boolean(user && (user.role === 'admin' || user.canSafeguard));
}

/** SQL: the answer (by the column reference given) has a flag not closed as "no action". */
export function underSafeguardingReview(eb: AnyExpressionBuilder, answerIdRef: string) {
	return eb.exists(
		eb
			.selectFrom('safeguarding_flag as wf')
			.select(sql`1`.as('one'))
			.whereRef('wf.answer_id', '=', answerIdRef as never)
			.where('wf.status', '!=', 'no_action')
	);
}

/** The words a viewer may see of one answer. */
export function shownText(text: string, underReview: boolean, mayRead: boolean): string {
	return underReview && !mayRead ? WITHHELD_TEXT : text;
}

/** Whether one answer is under safeguarding review now. */
export async function isUnderReview(db: import('../db/connect').Db, answerId: number): Promise<boolean> {
	const row = await db
		.selectFrom('safeguarding_flag')
		.select('id')
		.where('answer_id', '=', answerId)
		.where('status', '!=', 'no_action')
		.executeTakeFirst();
	return row !== undefined;
}

/**
 * The words each viewer may see of these answers: the redacted text, or WITHHELD_TEXT while the
 * answer is under safeguarding review and the viewer lacks the permission. For screens that list
 * answers they loaded by id (the entry screen's latest responses).
 */
export async function textsForViewer(
	db: import('../db/connect').Db,
	answerIds: number[],
	viewer: Viewer
): Promise<Map<number, { text: string; withheld: boolean }>> {
	const out = new Map<number, { text: string; withheld: boolean }>();
	if (answerIds.length === 0) return out;
	const rows = await db
		.selectFrom('answer')
		.select(['answer.id', 'answer.text', 'answer.redacted_text'])
		.select((eb) => underSafeguardingReview(eb, 'answer.id').as('under_review'))
		.where('answer.id', 'in', answerIds)
		.execute();
	const may = mayReadFlagged(viewer);
	for (const r of rows) {
		const withheld = Boolean(Number(r.under_review)) && !may;
		out.set(r.id, { text: shownText(r.redacted_text ?? r.text ?? '', Boolean(Number(r.under_review)), may), withheld });
	}
	return out;
}
