/**
 * "Check a sample" (issue #12 item 6): an officer checks a random, stratified sample of
 * machine-coded answers, and the app reports how well the machine agrees with them, with
 * 95% intervals. The draw (seed, size, the answers and the machine's themes at that moment) is
 * stored, so it can be repeated and audited. Checking an answer is also an officer's coding of
 * it (the same decision as on the review page: human rows, reviewed, audited, recode scheduled).
 */
import { sql } from 'kysely';
import { randomInt } from 'node:crypto';
import type { Db } from '../db/connect';
import type { ConsultationView } from '../consultations/queries';
import { audit } from '../audit';
import { nowIso } from '../util/time';
import { scheduleRecode } from '../coding';
import { setAnswerThemesIn, ReviewError } from '../review';
import { shownText, underSafeguardingReview } from '../safeguarding/withheld';
import { allocateStrata, drawSample, sampleAgreement, type SampleAgreement } from '../../analysis/sample-check';
import { seededRandom } from '../../util/random';
import { staffQuestionText } from '../../domain/questions';

import { MAX_SEED } from '../../schemas/sample-check';

// The form's limits live with its schema (`$lib/schemas/sample-check`, read with parseForm).
export { DEFAULT_SAMPLE_SIZE, MAX_SAMPLE_SIZE, MAX_SEED } from '../../schemas/sample-check';

export class SampleCheckError extends Error {
	constructor(
		message: string,
		readonly field?: 'size' | 'seed' | 'themes'
	) {
		super(message);
	}
}

/**
 * Machine-coded answers of each question: coded by the engine (coded_at set), never coded or checked
 * by a person (not reviewed, no officer's decision), words not deleted. Ordered by id, so a seed
 * gives one draw.
 */
export async function machineCodedPool(db: Db, questionIds: number[]): Promise<Map<number, number[]>> {
	const out = new Map<number, number[]>(questionIds.map((q) => [q, []]));
	if (questionIds.length === 0) return out;
	const rows = await db
		.selectFrom('answer')
		.select(['answer.id', 'answer.question_id'])
		.where('answer.question_id', 'in', questionIds)
		.where('answer.reviewed_at', 'is', null)
		.where('answer.text', 'is not', null)
		.where('answer.coded_at', 'is not', null)
		.where('answer.id', 'not in', (eb) =>
			eb
				.selectFrom('answer_theme as ph')
				.select('ph.answer_id')
				.where(sql<boolean>`ph.source = 'human'`)
		) // literal: SQLite uses the partial index
		.orderBy('answer.id')
		.execute();
	for (const r of rows) out.get(r.question_id)?.push(r.id);
	return out;
}

/** The machine's themes of these answers now: active themes the engine proposes (confidence not null). */
async function machineThemes(db: Db, answerIds: number[]): Promise<Map<number, number[]>> {
	const out = new Map<number, number[]>(answerIds.map((a) => [a, []]));
	for (let i = 0; i < answerIds.length; i += 500) {
		const rows = await db
			.selectFrom('answer_theme')
			.innerJoin('theme', 'theme.id', 'answer_theme.theme_id')
			.select(['answer_theme.answer_id', 'answer_theme.theme_id'])
			.where('answer_theme.answer_id', 'in', answerIds.slice(i, i + 500))
			.where('answer_theme.confidence', 'is not', null)
			.where('theme.status', '=', 'active')
			.orderBy('theme.position')
			.orderBy('theme.id')
			.execute();
		for (const r of rows) out.get(r.answer_id)!.push(r.theme_id);
	}
	return out;
}

/**
 * Draws and stores a sample: `size` answers split across questions in proportion to their
 * machine-coded answers (at least one each), each question's share drawn at random with the seed.
 * Audited ('sample.start'). Nothing is stored when there is nothing to draw.
 */
export async function startSampleCheck(
	db: Db,
	c: ConsultationView,
	input: { size: number; seed: number | null },
	user: { id: number }
): Promise<number> {
	const questions = [...c.questions].sort((a, b) => a.position - b.position);
	const pool = await machineCodedPool(
		db,
		questions.map((q) => q.id)
	);
	const pools = questions.map((q) => pool.get(q.id) ?? []);
	const total = pools.reduce((s, p) => s + p.length, 0);
	if (total === 0)
		throw new SampleCheckError(
			'There are no machine-coded answers to check yet: every answer is either not coded or already coded by a person.'
		);
	const seed = input.seed ?? randomInt(1, MAX_SEED);
	const alloc = allocateStrata(
		pools.map((p) => p.length),
		input.size
	);
	const rand = seededRandom(seed).next;
	// Each question draws from the same seeded stream, in question order: the whole draw is one function of the seed.
	const drawn = pools.flatMap((p, i) =>
		drawSample(p, alloc[i], rand).map((answerId) => ({ answerId, questionId: questions[i].id }))
	);
	const machine = await machineThemes(
		db,
		drawn.map((d) => d.answerId)
	);
	const at = nowIso();
	return db.transaction().execute(async (tx) => {
		const row = await tx
			.insertInto('sample_check')
			.values({ consultation_id: c.id, seed, requested: input.size, created_by: user.id, created_at: at })
			.returning('id')
			.executeTakeFirstOrThrow();
		const items = drawn.map((d, position) => ({
			sample_check_id: row.id,
			position,
			answer_id: d.answerId,
			question_id: d.questionId,
			machine_themes: JSON.stringify(machine.get(d.answerId) ?? []),
			officer_themes: null,
			status: 'pending' as const,
			checked_by: null,
			checked_at: null
		}));
		for (let i = 0; i < items.length; i += 200)
			await tx
				.insertInto('sample_check_item')
				.values(items.slice(i, i + 200))
				.execute();
		await audit(tx, {
			userId: user.id,
			action: 'sample.start',
			entity: 'sample_check',
			entityId: row.id,
			after: {
				seed,
				requested: input.size,
				drawn: items.length,
				perQuestion: Object.fromEntries(questions.map((q, i) => [q.key, alloc[i]]))
			}
		});
		return row.id;
	});
}

export interface SampleCheckSummary {
	id: number;
	seed: number;
	requested: number;
	createdAt: string;
	createdBy: string | null;
	drawn: number;
	checked: number;
	skipped: number;
}

export async function listSampleChecks(db: Db, consultationId: number): Promise<SampleCheckSummary[]> {
	const rows = await db
		.selectFrom('sample_check')
		.leftJoin('app_user', 'app_user.id', 'sample_check.created_by')
		.select([
			'sample_check.id',
			'sample_check.seed',
			'sample_check.requested',
			'sample_check.created_at',
			'app_user.email'
		])
		.select((eb) => [
			eb
				.selectFrom('sample_check_item as i')
				.select(sql<number>`count(*)`.as('n'))
				.whereRef('i.sample_check_id', '=', 'sample_check.id')
				.as('drawn'),
			eb
				.selectFrom('sample_check_item as i')
				.select(sql<number>`count(*)`.as('n'))
				.whereRef('i.sample_check_id', '=', 'sample_check.id')
				.where('i.status', '=', 'checked')
				.as('checked'),
			eb
				.selectFrom('sample_check_item as i')
				.select(sql<number>`count(*)`.as('n'))
				.whereRef('i.sample_check_id', '=', 'sample_check.id')
				.where('i.status', '=', 'skipped')
				.as('skipped')
		])
		.where('sample_check.consultation_id', '=', consultationId)
		.orderBy('sample_check.id', 'desc')
		.execute();
	return rows.map((r) => ({
		id: r.id,
		seed: Number(r.seed),
		requested: Number(r.requested),
		createdAt: r.created_at,
		createdBy: r.email,
		drawn: Number(r.drawn ?? 0),
		checked: Number(r.checked ?? 0),
		skipped: Number(r.skipped ?? 0)
	}));
}

export async function getSampleCheck(db: Db, consultationId: number, id: number): Promise<SampleCheckSummary | null> {
	if (!Number.isInteger(id) || id <= 0) return null;
	return (await listSampleChecks(db, consultationId)).find((s) => s.id === id) ?? null;
}

export interface SampleItemView {
	position: number;
	answerId: number;
	questionKey: string;
	questionText: string;
	text: string;
	withheld: boolean;
	group: string | null;
	status: 'pending' | 'checked' | 'skipped';
	machine: { id: number; label: string }[];
	officer: number[] | null;
	/** The question's active themes, for the officer to tick. */
	options: { id: number; label: string; machine: boolean }[];
}

/** One item of a sample, as the viewer may see it (words withheld while under safeguarding review). */
export async function sampleItem(
	db: Db,
	c: ConsultationView,
	checkId: number,
	position: number,
	viewer: { mayReadFlagged: boolean }
): Promise<SampleItemView | null> {
	const r = await db
		.selectFrom('sample_check_item as i')
		.innerJoin('sample_check as s', 's.id', 'i.sample_check_id')
		.innerJoin('answer', 'answer.id', 'i.answer_id')
		.innerJoin('perspective', 'perspective.id', 'answer.perspective_id')
		.select([
			'i.position',
			'i.answer_id',
			'i.question_id',
			'i.machine_themes',
			'i.officer_themes',
			'i.status',
			'answer.text',
			'answer.redacted_text',
			'perspective.group_code'
		])
		.select((eb) => underSafeguardingReview(eb, 'answer.id').as('under_review'))
		.where('s.consultation_id', '=', c.id)
		.where('i.sample_check_id', '=', checkId)
		.where('i.position', '=', position)
		.executeTakeFirst();
	if (!r) return null;
	const q = c.questions.find((x) => x.id === r.question_id)!;
	const themes = await db
		.selectFrom('theme')
		.select(['id', 'label', 'status'])
		.where('question_id', '=', r.question_id)
		.orderBy('position')
		.orderBy('id')
		.execute();
	const machineIds: number[] = JSON.parse(r.machine_themes);
	const label = new Map(themes.map((t) => [t.id, t.label]));
	const underReview = Boolean(Number(r.under_review));
	return {
		position: r.position,
		answerId: r.answer_id,
		questionKey: q.key,
		questionText: staffQuestionText(q),
		text: shownText(
			r.redacted_text ?? r.text ?? '(text deleted under the retention policy)',
			underReview,
			viewer.mayReadFlagged
		),
		withheld: underReview && !viewer.mayReadFlagged,
		group: r.group_code,
		status: r.status,
		machine: machineIds.map((id) => ({ id, label: label.get(id) ?? `theme ${id}` })),
		officer: r.officer_themes === null ? null : JSON.parse(r.officer_themes),
		options: themes
			.filter((t) => t.status === 'active')
			.map((t) => ({ id: t.id, label: t.label, machine: machineIds.includes(t.id) }))
	};
}

/** The first unchecked position at or after `from` (wrapping round), or null when all are done. */
export async function nextPending(db: Db, checkId: number, from = 0): Promise<number | null> {
	const rows = await db
		.selectFrom('sample_check_item')
		.select('position')
		.where('sample_check_id', '=', checkId)
		.where('status', '=', 'pending')
		.orderBy('position')
		.execute();
	if (rows.length === 0) return null;
	return (rows.find((r) => r.position >= from) ?? rows[0]).position;
}

/**
 * The officer's verdict on one sampled answer: the themes that apply (confirming the machine's
 * is the same with its themes), or 'skip'. A verdict is also the officer's coding of the answer
 * (human rows, reviewed, audited 'coding.review'), in the same transaction; the verdict itself is
 * audited 'sample.check'. Answers whose words are withheld from the viewer can only be skipped.
 */
export async function recordVerdict(
	db: Db,
	c: ConsultationView,
	checkId: number,
	position: number,
	verdict: number[] | 'skip',
	user: { id: number; mayReadFlagged: boolean }
): Promise<void> {
	let questionId = 0;
	await db.transaction().execute(async (tx) => {
		const item = await tx
			.selectFrom('sample_check_item as i')
			.innerJoin('sample_check as s', 's.id', 'i.sample_check_id')
			.select(['i.answer_id', 'i.question_id', 'i.status', 'i.officer_themes'])
			.select((eb) => underSafeguardingReview(eb, 'i.answer_id').as('under_review'))
			.where('s.consultation_id', '=', c.id)
			.where('i.sample_check_id', '=', checkId)
			.where('i.position', '=', position)
			.executeTakeFirst();
		if (!item) throw new SampleCheckError('That answer is not in this sample.');
		questionId = item.question_id;
		const at = nowIso();
		if (verdict === 'skip') {
			await tx
				.updateTable('sample_check_item')
				.set({ status: 'skipped', officer_themes: null, checked_by: user.id, checked_at: at })
				.where('sample_check_id', '=', checkId)
				.where('position', '=', position)
				.execute();
		} else {
			if (Boolean(Number(item.under_review)) && !user.mayReadFlagged)
				throw new SampleCheckError(
					'The words of this answer are withheld from you while it is under safeguarding review: skip it, or ask someone with the safeguarding permission to check it.'
				);
			try {
				await setAnswerThemesIn(tx, c.id, item.answer_id, verdict, user);
			} catch (e) {
				if (e instanceof ReviewError) throw new SampleCheckError(e.message, 'themes');
				throw e;
			}
			const ids = [...new Set(verdict)].sort((a, b) => a - b);
			await tx
				.updateTable('sample_check_item')
				.set({ status: 'checked', officer_themes: JSON.stringify(ids), checked_by: user.id, checked_at: at })
				.where('sample_check_id', '=', checkId)
				.where('position', '=', position)
				.execute();
		}
		await audit(tx, {
			userId: user.id,
			action: 'sample.check',
			entity: 'sample_check',
			entityId: checkId,
			before: {
				position,
				answer: item.answer_id,
				status: item.status,
				themes: item.officer_themes === null ? null : JSON.parse(item.officer_themes)
			},
			after: {
				position,
				answer: item.answer_id,
				status: verdict === 'skip' ? 'skipped' : 'checked',
				themes: verdict === 'skip' ? null : [...new Set(verdict)].sort((a, b) => a - b)
			}
		});
	});
	if (verdict !== 'skip') scheduleRecode(db, c.id, questionId);
}

export interface SampleResults {
	perQuestion: { key: string; label: string; drawn: number; agreement: SampleAgreement }[];
	overall: SampleAgreement;
	drawn: number;
	checked: number;
	skipped: number;
}

/** Agreement per question and overall on the checked answers of one sample. */
export async function sampleResults(db: Db, c: ConsultationView, checkId: number): Promise<SampleResults> {
	const rows = await db
		.selectFrom('sample_check_item')
		.select(['question_id', 'machine_themes', 'officer_themes', 'status'])
		.where('sample_check_id', '=', checkId)
		.orderBy('position')
		.execute();
	const checked = rows
		.filter((r) => r.status === 'checked')
		.map((r) => ({
			q: r.question_id,
			machine: JSON.parse(r.machine_themes) as number[],
			officer: JSON.parse(r.officer_themes!) as number[]
		}));
	const questions = [...c.questions].sort((a, b) => a.position - b.position);
	return {
		perQuestion: questions
			.filter((q) => rows.some((r) => r.question_id === q.id))
			.map((q) => ({
				key: q.key,
				label: `${q.key.toUpperCase()}. ${staffQuestionText(q)}`,
				drawn: rows.filter((r) => r.question_id === q.id).length,
				agreement: sampleAgreement(checked.filter((x) => x.q === q.id))
			})),
		overall: sampleAgreement(checked),
		drawn: rows.length,
		checked: checked.length,
		skipped: rows.filter((r) => r.status === 'skipped').length
	};
}
