/**
 * The method statement (issue #12 item 6) shown on the dashboard, the agreement page and the
 * printed report: how the themes were assigned and how far to trust them, for the whole
 * consultation (not filtered).
 */
import { sql } from 'kysely';
import type { Db } from '../db/connect';
import type { ConsultationView } from '../consultations/queries';
import { sampleResults } from './index';
import type { MethodFacts } from '../../analysis/method';

export async function methodFacts(db: Db, c: ConsultationView): Promise<MethodFacts> {
	const qids = c.questions.map((q) => q.id);
	if (qids.length === 0)
		return { answers: 0, machineOnly: 0, person: 0, uncoded: 0, sampleChecked: 0, sample: null, lastCoded: null };
	// One pass over the answers, and one over officers' decisions (partial index answer_theme_human;
	// the literal 'human' lets SQLite use it): no per-answer sub-queries.
	const [counts, human, checked, latest] = await Promise.all([
		db
			.selectFrom('answer')
			.where('answer.question_id', 'in', qids)
			.select([
				sql<number>`count(*)`.as('answers'),
				sql<number>`sum(case when answer.reviewed_at is not null then 1 else 0 end)`.as('reviewed'),
				sql<number>`sum(case when answer.reviewed_at is null and answer.coded_at is not null then 1 else 0 end)`.as(
					'coded'
				),
				sql<string | null>`max(answer.coded_at)`.as('lastCoded'),
				sql<string | null>`max(answer.reviewed_at)`.as('lastReviewed')
			])
			.executeTakeFirstOrThrow(),
		db
			.selectFrom('answer_theme as h')
			.innerJoin('answer', 'answer.id', 'h.answer_id')
			.where(sql<boolean>`h.source = 'human'`)
			.where('answer.question_id', 'in', qids)
			.select([
				sql<number>`count(distinct case when answer.reviewed_at is null then answer.id end)`.as('unreviewed'),
				sql<number>`count(distinct case when answer.reviewed_at is null and answer.coded_at is not null then answer.id end)`.as(
					'unreviewedCoded'
				),
				sql<string | null>`max(h.updated_at)`.as('last')
			])
			.executeTakeFirstOrThrow(),
		db
			.selectFrom('sample_check_item as i')
			.innerJoin('sample_check as s', 's.id', 'i.sample_check_id')
			.where('s.consultation_id', '=', c.id)
			.where('i.status', '=', 'checked')
			.select(sql<number>`count(distinct i.answer_id)`.as('n'))
			.executeTakeFirstOrThrow(),
		db
			.selectFrom('sample_check as s')
			.where('s.consultation_id', '=', c.id)
			.where((eb) =>
				eb.exists(
					eb
						.selectFrom('sample_check_item as i')
						.select(sql`1`.as('one'))
						.whereRef('i.sample_check_id', '=', 's.id')
						.where('i.status', '=', 'checked')
				)
			)
			.select(['s.id', 's.created_at', 's.seed'])
			.orderBy('s.id', 'desc')
			.limit(1)
			.executeTakeFirst()
	]);
	const answers = Number(counts.answers ?? 0);
	const person = Number(counts.reviewed ?? 0) + Number(human.unreviewed ?? 0);
	const machineOnly = Number(counts.coded ?? 0) - Number(human.unreviewedCoded ?? 0);
	let sample: MethodFacts['sample'] = null;
	if (latest) {
		const r = await sampleResults(db, c, latest.id);
		sample = {
			id: latest.id,
			createdAt: latest.created_at,
			seed: Number(latest.seed),
			drawn: r.drawn,
			checked: r.checked,
			agreement: r.overall
		};
	}
	const lastCoded =
		[counts.lastCoded, counts.lastReviewed, human.last]
			.filter((x): x is string => Boolean(x))
			.sort()
			.at(-1) ?? null;
	return {
		answers,
		machineOnly,
		person,
		uncoded: answers - person - machineOnly,
		sampleChecked: Number(checked.n ?? 0),
		sample,
		lastCoded
	};
}

/** methodFacts through the result cache (the data version covers the sample tables too). */
export async function cachedMethodFacts(db: Db, c: ConsultationView): Promise<MethodFacts> {
	const { cachedAnalysis } = await import('../analysis/cache');
	return cachedAnalysis(db, c.id, 'method', () => methodFacts(db, c));
}
