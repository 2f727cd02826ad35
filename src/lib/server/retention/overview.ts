import type { Db } from '../db/connect';
import { applyRetention } from './retention';

export interface RetentionRow {
	slug: string;
	title: string;
	retentionUntil: string | null;
	/** Answers whose words retention would clear if it ran now. */
	dueAnswers: number;
}

/** Each consultation's retention date and what a retention run would clear today (a dry run: nothing changes). */
export async function retentionOverview(db: Db): Promise<RetentionRow[]> {
	const [consultations, due] = await Promise.all([
		db.selectFrom('consultation').select(['slug', 'title', 'retention_until']).orderBy('id').execute(),
		applyRetention(db, { dryRun: true })
	]);
	const dueBySlug = new Map(due.consultations.map((d) => [d.slug, d.answersCleared]));
	return consultations.map((c) => ({
		slug: c.slug,
		title: c.title,
		retentionUntil: c.retention_until,
		dueAnswers: dueBySlug.get(c.slug) ?? 0
	}));
}
