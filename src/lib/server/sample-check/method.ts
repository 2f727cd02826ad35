/**
 * The method statement (issue #12 item 6) shown on the dashboard, the agreement page and the
 * printed report: how the themes were assigned and how far to trust them, for the whole
 * consultation (not filtered).
 */
import { PostgresAdapter, sql } from 'kysely';
import type { Db } from '../db/connect';
import type { ConsultationView } from '../consultations/queries';
import { sampleResults } from './index';
import { aggCodingCounts } from '../analysis/aggregates';
import type { MethodFacts } from '../../analysis/method';

export async function methodFacts(db: Db, c: ConsultationView): Promise<MethodFacts> {
	const qids = c.questions.map((q) => q.id);
	if (qids.length === 0)
		return { answers: 0, machineOnly: 0, person: 0, uncoded: 0, sampleChecked: 0, sample: null, lastCoded: null };
	const [counts, last, checked, latest] = await Promise.all([
		codingCounts(db, qids),
		lastCoded(db, qids),
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
	const answers = counts.answers;
	const person = counts.reviewed + counts.unreviewed;
	const machineOnly = counts.coded - counts.unreviewedCoded;
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
	return {
		answers,
		machineOnly,
		person,
		uncoded: answers - person - machineOnly,
		sampleChecked: Number(checked.n ?? 0),
		sample,
		lastCoded: last
	};
}

/**
 * Answers, reviewed ones, unreviewed ones the engine coded, and unreviewed ones with an officer's
 * coding (a sample check or a bulk decision; of those, the engine-coded): from the trigger-kept
 * counts (migration 2026-12-01-0400), or with ANALYSIS_AGGREGATES=off from the answers.
 */
async function codingCounts(db: Db, qids: number[]) {
	const agg = await aggCodingCounts(db, qids);
	if (agg) return agg;
	const [r, human] = await Promise.all([answerCounts(db, qids), humanCounts(db, qids)]);
	return { ...r, ...human };
}

/** One pass over the answers. */
async function answerCounts(db: Db, qids: number[]) {
	const r = await db
		.selectFrom('answer')
		.where('answer.question_id', 'in', qids)
		.select([
			sql<number>`count(*)`.as('answers'),
			sql<number>`sum(case when answer.reviewed_at is not null then 1 else 0 end)`.as('reviewed'),
			sql<number>`sum(case when answer.reviewed_at is null and answer.coded_at is not null then 1 else 0 end)`.as(
				'coded'
			)
		])
		.executeTakeFirstOrThrow();
	return { answers: Number(r.answers ?? 0), reviewed: Number(r.reviewed ?? 0), coded: Number(r.coded ?? 0) };
}

/** Unreviewed answers with an officer's coding, and of those the engine-coded. */
async function humanCounts(db: Db, qids: number[]) {
	// One pass over officers' decisions (partial index answer_theme_human; the literal 'human' lets SQLite use it).
	const r = await db
		.selectFrom('answer_theme as h')
		.innerJoin('answer', 'answer.id', 'h.answer_id')
		.where(sql<boolean>`h.source = 'human'`)
		.where('answer.question_id', 'in', qids)
		.select([
			sql<number>`count(distinct case when answer.reviewed_at is null then answer.id end)`.as('unreviewed'),
			sql<number>`count(distinct case when answer.reviewed_at is null and answer.coded_at is not null then answer.id end)`.as(
				'unreviewedCoded'
			)
		])
		.executeTakeFirstOrThrow();
	return { unreviewed: Number(r.unreviewed ?? 0), unreviewedCoded: Number(r.unreviewedCoded ?? 0) };
}

/**
 * When coding last changed: the latest coded_at, reviewed_at and officer's decision. Each is one step
 * down an index (migrations 2026-12-01-0400, 2026-12-12-0700): per question for the answers' columns ("is not
 * null" lets both engines use the partial indexes), newest first for the decisions until one is of these questions.
 */
async function lastCoded(db: Db, qids: number[]): Promise<string | null> {
	const perQuestion = await Promise.all(
		qids.flatMap((q) => [
			db
				.selectFrom('answer')
				.where('question_id', '=', q)
				.where(sql<boolean>`coded_at is not null`)
				.select(sql<string | null>`max(coded_at)`.as('at'))
				.executeTakeFirst(),
			db
				.selectFrom('answer')
				.where('question_id', '=', q)
				.where(sql<boolean>`reviewed_at is not null`)
				.select(sql<string | null>`max(reviewed_at)`.as('at'))
				.executeTakeFirst()
		])
	);
	// SQLite is told the index: by its statistics the older index of decisions by answer looks
	// cheaper, and it would then read and sort every decision of the consultation.
	const pg = db.getExecutor().adapter instanceof PostgresAdapter;
	const human = (
		await sql<{ at: string | null }>`select h.updated_at as at
			from answer_theme h ${pg ? sql`` : sql`indexed by answer_theme_human_updated`}
			join answer a on a.id = h.answer_id
			where h.source = 'human' and a.question_id in (${sql.join(qids)})
			order by h.updated_at desc limit 1`.execute(db)
	).rows[0];
	return (
		[...perQuestion.map((r) => r?.at), human?.at]
			.filter((x): x is string => Boolean(x))
			.sort()
			.at(-1) ?? null
	);
}

/** methodFacts through the result cache (the data version covers the sample tables too). */
export async function cachedMethodFacts(db: Db, c: ConsultationView): Promise<MethodFacts> {
	const { cachedAnalysis } = await import('../analysis/cache');
	return cachedAnalysis(db, c.id, 'method', () => methodFacts(db, c));
}
