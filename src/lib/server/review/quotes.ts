/**
 * Quotes for the report: per theme, representative answers an officer can star.
 * Answers with a safeguarding flag are never suggested nor printed, and the text
 * shown is always the redacted text where personal data was found.
 */
import { sql } from 'kysely';
import type { Db } from '../db/connect';
import type { AnyExpressionBuilder } from '../db/untyped';
import { audit } from '../audit';
import { nowIso } from '../util/time';
import { ReviewError, type UserRef } from './index';

export interface Quote {
	answerId: number;
	themeId: number;
	text: string;
	group: string | null;
	starred: boolean;
}

const notFlagged = (eb: AnyExpressionBuilder) =>
	eb.not(
		eb.exists(
			eb
				.selectFrom('safeguarding_flag as sf')
				.select(sql`1`.as('one'))
				.whereRef('sf.answer_id', '=', 'answer.id')
		)
	);
const shown = sql<string>`coalesce(answer.redacted_text, answer.text)`;

/** Starred quotes of the given themes (never flagged answers). */
export async function starredQuotes(db: Db, themeIds: number[]): Promise<Quote[]> {
	if (themeIds.length === 0) return [];
	const rows = await db
		.selectFrom('quote')
		.innerJoin('answer', 'answer.id', 'quote.answer_id')
		.innerJoin('perspective', 'perspective.id', 'answer.perspective_id')
		.select(['quote.theme_id', 'quote.answer_id', shown.as('text'), 'perspective.group_code'])
		.where('quote.theme_id', 'in', themeIds)
		.where(shown, 'is not', null)
		.where(notFlagged)
		.orderBy('quote.theme_id')
		.orderBy('quote.starred_at')
		.execute();
	return rows.map((r) => ({
		answerId: r.answer_id,
		themeId: r.theme_id,
		text: r.text,
		group: r.group_code,
		starred: true
	}));
}

/**
 * Representative answers for a theme: those with the theme, most confidently
 * coded first (officers' own codings count as certain), of a readable length
 * (closest to about 120 characters), never flagged for safeguarding.
 */
export async function suggestQuotes(db: Db, themeId: number, limit = 5): Promise<Quote[]> {
	const rows = await db
		.selectFrom('answer_theme')
		.innerJoin('answer', 'answer.id', 'answer_theme.answer_id')
		.innerJoin('perspective', 'perspective.id', 'answer.perspective_id')
		.leftJoin('quote', (j) => j.onRef('quote.answer_id', '=', 'answer.id').on('quote.theme_id', '=', themeId))
		.select(['answer.id', shown.as('text'), 'perspective.group_code', 'quote.starred_at'])
		.where('answer_theme.theme_id', '=', themeId)
		.where('answer_theme.applies', '=', 1)
		.where(shown, 'is not', null)
		.where(notFlagged)
		.orderBy(sql`case when quote.starred_at is null then 1 else 0 end`)
		.orderBy(sql`coalesce(answer_theme.confidence, 1)`, 'desc')
		.orderBy(sql`abs(length(coalesce(answer.redacted_text, answer.text)) - 120)`)
		.orderBy('answer.id')
		.limit(limit)
		.execute();
	return rows.map((r) => ({
		answerId: r.id,
		themeId,
		text: r.text,
		group: r.group_code,
		starred: r.starred_at !== null
	}));
}

/** Stars (or unstars) an answer as a quote for a theme it has. Flagged answers cannot be starred. */
export async function setStar(
	db: Db,
	consultationId: number,
	themeId: number,
	answerId: number,
	starred: boolean,
	user: UserRef
): Promise<void> {
	await db.transaction().execute(async (tx) => {
		const ok = await tx
			.selectFrom('answer_theme')
			.innerJoin('theme', 'theme.id', 'answer_theme.theme_id')
			.innerJoin('question', 'question.id', 'theme.question_id')
			.innerJoin('answer', 'answer.id', 'answer_theme.answer_id')
			.select(['answer.id'])
			.where('answer_theme.theme_id', '=', themeId)
			.where('answer_theme.answer_id', '=', answerId)
			.where('answer_theme.applies', '=', 1)
			.where('question.consultation_id', '=', consultationId)
			.where(notFlagged)
			.executeTakeFirst();
		if (starred && !ok)
			throw new ReviewError('Only an answer with this theme, and no safeguarding flag, can be a quote.');
		if (starred)
			await tx
				.insertInto('quote')
				.values({ theme_id: themeId, answer_id: answerId, starred_by: user.id, starred_at: nowIso() })
				.onConflict((oc) => oc.columns(['theme_id', 'answer_id']).doNothing())
				.execute();
		else await tx.deleteFrom('quote').where('theme_id', '=', themeId).where('answer_id', '=', answerId).execute();
		await audit(tx, {
			userId: user.id,
			action: starred ? 'quote.star' : 'quote.unstar',
			entity: 'answer',
			entityId: answerId,
			detail: { themeId }
		});
	});
}
