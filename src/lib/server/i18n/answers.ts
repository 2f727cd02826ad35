import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/connect';
import { languageName } from '../../i18n/names';
import { aggAnswersByLanguage } from '../analysis/aggregates';

/**
 * Answers the theme engine may code: English, or from before languages were
 * kept (null, all taken through the English survey). Every other answer waits
 * for a person who reads its language (see needsPersonByLanguage). `table` is
 * the answer table's name or alias in the query.
 */
export function engineLanguage(table: 'answer'): RawBuilder<boolean> {
	return sql<boolean>`(${sql.ref(`${table}.language`)} is null or ${sql.ref(`${table}.language`)} = 'en')`;
}

export interface LanguageCount {
	language: string;
	name: string;
	answers: number;
	/** Not English, with no officer's coding yet: waiting for a person who reads the language. */
	waiting: number;
}

/**
 * Answers to a consultation by language (English first, then most answers first, ties by code), for the dashboard:
 * from the counts kept by triggers (analysis_agg_language, migration 2026-12-04-0200), or with ANALYSIS_AGGREGATES=off
 * by counting the answers (the tests' oracle).
 */
export async function answersByLanguage(db: Db, consultationId: number): Promise<LanguageCount[]> {
	const rows = (await aggAnswersByLanguage(db, consultationId)) ?? (await countAnswersByLanguage(db, consultationId));
	// Ties by language code: each query returns its groups in its own order (PostgreSQL's hash aggregate), so
	// without it the kept and the counted lists, or two page loads, could list tied languages differently.
	const byCode = (a: { language: string }, b: { language: string }) =>
		a.language < b.language ? -1 : a.language > b.language ? 1 : 0;
	return rows
		.map((r) => ({
			language: r.language,
			name: languageName(r.language),
			answers: Number(r.answers),
			waiting: r.language === 'en' ? 0 : Number(r.unreviewed)
		}))
		.sort((a, b) => (a.language === 'en' ? -1 : b.language === 'en' ? 1 : b.answers - a.answers || byCode(a, b)));
}

/** The same counts read from the answers (one scan of the consultation's answers). */
async function countAnswersByLanguage(db: Db, consultationId: number) {
	return db
		.selectFrom('answer')
		.innerJoin('question', 'question.id', 'answer.question_id')
		.select((eb) => [
			sql<string>`coalesce(answer.language, 'en')`.as('language'),
			eb.fn.countAll<number>().as('answers'),
			sql<number>`sum(case when answer.reviewed_at is null then 1 else 0 end)`.as('unreviewed')
		])
		.where('question.consultation_id', '=', consultationId)
		.where('answer.text', 'is not', null)
		.groupBy(sql`coalesce(answer.language, 'en')`)
		.execute();
}
