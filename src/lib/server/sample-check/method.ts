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
	if (qids.length === 0) return { answers: 0, machineOnly: 0, person: 0, uncoded: 0, sampleChecked: 0, sample: null, lastCoded: null };
	const hasHuman = sql<number>`exists (select 1 from answer_theme h where h.answer_id = answer.id and h.source = 'human')`;
	const hasAuto = sql<number>`exists (select 1 from answer_theme m where m.answer_id = answer.id and m.source = 'auto')`;
	const [counts, last, checked, latest] = await Promise.all([
		db
			.selectFrom('answer')
			.where('answer.question_id', 'in', qids)
			.select([
				sql<number>`count(*)`.as('answers'),
				sql<number>`sum(case when answer.reviewed_at is not null or ${hasHuman} then 1 else 0 end)`.as('person'),
				sql<number>`sum(case when answer.reviewed_at is null and not ${hasHuman} and (answer.coded_at is not null or ${hasAuto}) then 1 else 0 end)`.as('machine')
			])
			.executeTakeFirstOrThrow(),
		db
			.selectFrom('answer')
			.leftJoin('answer_theme', 'answer_theme.answer_id', 'answer.id')
			.where('answer.question_id', 'in', qids)
			.select([sql<string | null>`max(answer.coded_at)`.as('coded'), sql<string | null>`max(answer_theme.updated_at)`.as('theme')])
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
			.where((eb) => eb.exists(eb.selectFrom('sample_check_item as i').select(sql`1`.as('one')).whereRef('i.sample_check_id', '=', 's.id').where('i.status', '=', 'checked')))
			.select(['s.id', 's.created_at', 's.seed'])
			.orderBy('s.id', 'desc')
			.limit(1)
			.executeTakeFirst()
	]);
	const answers = Number(counts.answers ?? 0);
	const person = Number(counts.person ?? 0);
	const machineOnly = Number(counts.machine ?? 0);
	let sample: MethodFacts['sample'] = null;
	if (latest) {
		const r = await sampleResults(db, c, latest.id);
		sample = { id: latest.id, createdAt: latest.created_at, seed: Number(latest.seed), drawn: r.drawn, checked: r.checked, agreement: r.overall };
	}
	const lastCoded = [last.coded, last.theme].filter((x): x is string => Boolean(x)).sort().at(-1) ?? null;
	return { answers, machineOnly, person, uncoded: answers - person - machineOnly, sampleChecked: Number(checked.n ?? 0), sample, lastCoded };
}
