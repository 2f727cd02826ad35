import { redirect } from '@sveltejs/kit';
import { sql } from 'kysely';
import { requireRole, ANALYSTS } from '$lib/server/auth/guard';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	// Library and entry staff have no analysis screens: send them to face-to-face entry.
	if (event.locals.user?.role === 'entry') redirect(303, '/entry');
	requireRole(event, ANALYSTS);
	const db = event.locals.db;
	const [consultations, subs, answers] = await Promise.all([
		db.selectFrom('consultation').select(['id', 'slug', 'title', 'status']).orderBy('id').execute(),
		db.selectFrom('submission').select(['consultation_id', sql<number>`count(*)`.as('n')]).groupBy('consultation_id').execute(),
		db
			.selectFrom('answer')
			.innerJoin('question', 'question.id', 'answer.question_id')
			.select([
				'question.consultation_id',
				sql<number>`count(*)`.as('n'),
				sql<number>`sum(case when answer.reviewed_at is null then 0 else 1 end)`.as('reviewed')
			])
			.groupBy('question.consultation_id')
			.execute()
	]);
	return {
		consultations: consultations.map((c) => ({
			slug: c.slug,
			title: c.title,
			status: c.status,
			submissions: Number(subs.find((s) => s.consultation_id === c.id)?.n ?? 0),
			answers: Number(answers.find((a) => a.consultation_id === c.id)?.n ?? 0),
			reviewed: Number(answers.find((a) => a.consultation_id === c.id)?.reviewed ?? 0)
		}))
	};
};
