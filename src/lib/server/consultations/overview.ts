import { sql } from 'kysely';
import type { Db } from '../db/connect';

export interface ConsultationSummary {
	slug: string;
	title: string;
	status: string;
	submissions: number;
	answers: number;
	reviewed: number;
}

/** Every consultation with its submissions, answers and answers reviewed so far, for the staff home page. */
export async function consultationSummaries(db: Db): Promise<ConsultationSummary[]> {
	const rows = await db
		.selectFrom('consultation as c')
		.select((eb) => [
			'c.slug',
			'c.title',
			'c.status',
			eb
				.selectFrom('submission')
				.select(sql<number>`count(*)`.as('n'))
				.whereRef('submission.consultation_id', '=', 'c.id')
				.as('submissions'),
			eb
				.selectFrom('answer')
				.innerJoin('question', 'question.id', 'answer.question_id')
				.select(sql<number>`count(*)`.as('n'))
				.whereRef('question.consultation_id', '=', 'c.id')
				.as('answers'),
			eb
				.selectFrom('answer')
				.innerJoin('question', 'question.id', 'answer.question_id')
				.select(sql<number>`count(*)`.as('n'))
				.whereRef('question.consultation_id', '=', 'c.id')
				.where('answer.reviewed_at', 'is not', null)
				.as('reviewed')
		])
		.orderBy('c.id')
		.execute();
	return rows.map((r) => ({
		slug: r.slug,
		title: r.title,
		status: r.status,
		submissions: Number(r.submissions ?? 0),
		answers: Number(r.answers ?? 0),
		reviewed: Number(r.reviewed ?? 0)
	}));
}
