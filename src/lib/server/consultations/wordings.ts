import { sql } from 'kysely';
import type { Db } from '../db/connect';
import { aggAnswersByWording } from '../analysis/aggregates';

export interface WordingVersion {
	version: number;
	text: string;
	easyRead: string;
	byGroup: Record<string, { text: string; easyRead?: string }>;
	/** Answers given to this wording. */
	answers: number;
}

export interface QuestionWordings {
	key: string;
	versions: WordingVersion[];
}

/**
 * The wordings each question was asked in, with how many answers each got,
 * for the questions whose wording changed after answers came in (a question
 * never reworded has one wording, shown with the question as usual). Answers
 * stored before versioning (wording_version null) were given version 1.
 */
export async function wordingsAsAsked(db: Db, consultationId: number): Promise<QuestionWordings[]> {
	const [versions, counts] = await Promise.all([
		db
			.selectFrom('question_wording as w')
			.innerJoin('question as q', 'q.id', 'w.question_id')
			.select(['q.key', 'q.position', 'w.version', 'w.text', 'w.easy_read', 'w.wording_by_group'])
			.where('q.consultation_id', '=', consultationId)
			.orderBy('q.position')
			.orderBy('w.version')
			.execute(),
		answersByWording(db, consultationId)
	]);
	const count = new Map(counts.map((c) => [`${c.key}:${Number(c.version)}`, Number(c.n)]));
	const byKey = new Map<string, QuestionWordings>();
	for (const v of versions) {
		let q = byKey.get(v.key);
		if (!q) byKey.set(v.key, (q = { key: v.key, versions: [] }));
		q.versions.push({
			version: v.version,
			text: v.text,
			easyRead: v.easy_read,
			byGroup: JSON.parse(v.wording_by_group),
			answers: count.get(`${v.key}:${v.version}`) ?? 0
		});
	}
	return [...byKey.values()];
}

/**
 * Answers per question key and wording version: from the trigger-kept counts (migration
 * 2026-12-01-0400; counting the answers read every one of them on every report), or with
 * ANALYSIS_AGGREGATES=off from the answers.
 */
async function answersByWording(db: Db, consultationId: number) {
	const questions = await db
		.selectFrom('question')
		.select(['id', 'key'])
		.where('consultation_id', '=', consultationId)
		.execute();
	const agg = await aggAnswersByWording(
		db,
		questions.map((q) => q.id)
	);
	if (agg) {
		const keyOf = new Map(questions.map((q) => [q.id, q.key]));
		return agg.map((r) => ({ key: keyOf.get(r.questionId)!, version: r.version, n: r.n }));
	}
	return db
		.selectFrom('answer as a')
		.innerJoin('question as q', 'q.id', 'a.question_id')
		.select(['q.key', sql<number>`coalesce(a.wording_version, 1)`.as('version'), sql<number>`count(*)`.as('n')])
		.where('q.consultation_id', '=', consultationId)
		.groupBy(['q.key', sql`coalesce(a.wording_version, 1)`])
		.execute();
}
