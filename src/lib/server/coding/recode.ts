import type { Codebook } from '../../themes/codebook';
import type { Db } from '../db/connect';
import { createHash } from 'node:crypto';
import { engineThread } from './engine';
import { nowIso } from '../util/time';
import { engineLanguage } from '../i18n/answers';

// Small enough that coding one chunk holds the event loop for well under a second even after a
// 20,000-row import; a macrotask yield between chunks lets waiting requests in (awaits on
// better-sqlite3 settle as microtasks, which alone never let the event loop take new requests).
const CHUNK = 100;

interface QuestionModel {
	/** Changes whenever the codebook or the officers' coding changes. */
	signature: string;
	/** The coder's name in the engine worker (question and a hash of the signature). */
	key: string;
	/** The engine worker it was trained in (a restarted worker has lost it). */
	generation: number;
	themeIds: Map<string, number>;
}

/** What the engine is doing now, for the codebook and review pages ("recoding Q3: 1,200 of 2,594"). */
export interface CodingJobState {
	kind: 'training' | 'recoding' | 'coding';
	questionId: number;
	done: number;
	total: number;
	startedAt: string;
}
let state: CodingJobState | null = null;

/** The job the engine is busy with, or null when idle. */
export function codingJobState(): CodingJobState | null {
	return state ? { ...state } : null;
}

/** Runs `fn` with the job state set, and clears it afterwards. */
export async function withJobState<T>(
	job: Omit<CodingJobState, 'startedAt' | 'done'>,
	fn: () => Promise<T>
): Promise<T> {
	state = { ...job, done: 0, startedAt: nowIso() };
	try {
		return await fn();
	} finally {
		state = null;
	}
}

/** Trained coders per question, reused for new answers until the signature changes. */
const models = new Map<number, QuestionModel>();

/** The question's active themes as an engine codebook, and the map from engine ids to theme rows. */
async function codebookFor(db: Db, questionId: number) {
	const themes = await db
		.selectFrom('theme')
		.select(['id', 'code', 'label', 'description', 'keywords'])
		.where('question_id', '=', questionId)
		.where('status', '=', 'active')
		.orderBy('position')
		.orderBy('id')
		.execute();
	const codebook: Codebook = {
		themes: themes.map((t) => ({
			id: t.code,
			label: t.label,
			...(t.description ? { description: t.description } : {}),
			keywords: JSON.parse(t.keywords) as string[]
		}))
	};
	return { codebook, themeIds: new Map(themes.map((t) => [t.code, t.id])) };
}

/** Officers' final coding of reviewed answers: the training set. */
async function trainingSet(db: Db, questionId: number) {
	const rows = await db
		.selectFrom('answer')
		.leftJoin('answer_theme', (j) =>
			j.onRef('answer_theme.answer_id', '=', 'answer.id').on('answer_theme.applies', '=', 1)
		)
		.leftJoin('theme', 'theme.id', 'answer_theme.theme_id')
		.select(['answer.id', 'answer.text', 'theme.code'])
		.where('answer.question_id', '=', questionId)
		.where('answer.reviewed_at', 'is not', null)
		.where('answer.text', 'is not', null)
		// English words only: an officer's coding of a Polish answer would teach the English engine nothing true.
		.where(engineLanguage('answer'))
		.orderBy('answer.id')
		.execute();
	const byAnswer = new Map<number, { id: string; text: string; themes: string[] }>();
	for (const r of rows) {
		const item = byAnswer.get(r.id) ?? { id: String(r.id), text: r.text ?? '', themes: [] };
		if (r.code) item.themes.push(r.code);
		byAnswer.set(r.id, item);
	}
	return [...byAnswer.values()];
}

async function modelFor(db: Db, questionId: number, force: boolean): Promise<QuestionModel | null> {
	const { codebook, themeIds } = await codebookFor(db, questionId);
	if (codebook.themes.length === 0) return null;
	const training = await trainingSet(db, questionId);
	const signature = JSON.stringify([codebook, training.map((t) => [t.id, t.themes.sort()])]);
	const engine = await engineThread();
	const cached = models.get(questionId);
	if (!force && cached && cached.signature === signature && cached.generation === engine.generation) return cached;
	const key = `${questionId}:${createHash('sha256').update(signature).digest('hex').slice(0, 16)}`;
	const previous = state;
	state = { kind: 'training', questionId, done: 0, total: training.length, startedAt: nowIso() };
	try {
		await engine.train(key, codebook, training);
	} finally {
		state = previous;
	}
	const model = { signature, key, generation: engine.generation, themeIds };
	models.set(questionId, model);
	return model;
}

/**
 * Writes the engine's verdicts for some answers, keeping the storage contract
 * in coding/index.ts: auto rows follow the engine, human rows only get the
 * engine's latest confidence.
 */
async function writeVerdicts(db: Db, model: QuestionModel, answers: { id: number; text: string }[]) {
	const engine = await engineThread();
	const verdicts = await engine.code(
		model.key,
		answers.map((a) => ({ id: String(a.id), text: a.text }))
	);
	const now = nowIso();
	await db.transaction().execute(async (tx) => {
		const answerIds = answers.map((a) => a.id);
		const rows = verdicts.flatMap((v) =>
			v.themes
				.filter((t) => model.themeIds.has(t.id))
				.map((t) => ({
					answer_id: Number(v.id),
					theme_id: model.themeIds.get(t.id)!,
					source: 'auto' as const,
					applies: 1,
					confidence: Math.round(t.confidence * 1000) / 1000,
					user_id: null,
					updated_at: now
				}))
		);
		// Forget the engine's earlier opinion on these answers, then record the new one.
		await tx.deleteFrom('answer_theme').where('answer_id', 'in', answerIds).where('source', '=', 'auto').execute();
		await tx.updateTable('answer_theme').set({ confidence: null }).where('answer_id', 'in', answerIds).execute();
		for (let i = 0; i < rows.length; i += 200) {
			await tx
				.insertInto('answer_theme')
				.values(rows.slice(i, i + 200))
				.onConflict((oc) =>
					oc.columns(['answer_id', 'theme_id']).doUpdateSet({ confidence: (eb) => eb.ref('excluded.confidence') })
				)
				.execute();
		}
		await tx.updateTable('answer').set({ coded_at: now }).where('id', 'in', answerIds).execute();
	});
}

/** Codes answers that have never been coded (new arrivals), question by question. */
export async function codeUncoded(db: Db, consultationId?: number): Promise<number> {
	let query = db
		.selectFrom('answer')
		.innerJoin('question', 'question.id', 'answer.question_id')
		.select('answer.question_id')
		.distinct()
		.where('answer.coded_at', 'is', null)
		.where('answer.text', 'is not', null)
		.where(engineLanguage('answer'));
	if (consultationId !== undefined) query = query.where('question.consultation_id', '=', consultationId);
	const questions = await query.execute();
	let coded = 0;
	for (const { question_id } of questions) {
		coded += await withJobState({ kind: 'coding', questionId: question_id, total: 0 }, async () => {
			const model = await modelFor(db, question_id, false);
			return model ? codeInBatches(db, model, question_id, { onlyUncoded: true }) : 0;
		});
	}
	return coded;
}

/** Codes a question's answers (those with words left), in id order, a chunk per transaction. */
async function codeInBatches(
	db: Db,
	model: QuestionModel,
	questionId: number,
	opts: { onlyUncoded: boolean }
): Promise<number> {
	let coded = 0;
	let after = 0;
	let count = db
		.selectFrom('answer')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('question_id', '=', questionId)
		.where('text', 'is not', null)
		.where(engineLanguage('answer'));
	if (opts.onlyUncoded) count = count.where('coded_at', 'is', null);
	const total = Number((await count.executeTakeFirst())?.n ?? 0);
	if (state) Object.assign(state, { total, done: 0 });
	for (;;) {
		let query = db
			.selectFrom('answer')
			.select(['id', 'text'])
			.where('question_id', '=', questionId)
			.where('text', 'is not', null)
			.where(engineLanguage('answer'))
			.where('id', '>', after);
		if (opts.onlyUncoded) query = query.where('coded_at', 'is', null);
		const batch = await query.orderBy('id').limit(CHUNK).execute();
		if (batch.length === 0) break;
		const items = batch.map((a) => ({ id: a.id, text: a.text ?? '' }));
		try {
			await writeVerdicts(db, model, items);
		} catch (e) {
			// The worker keeps a bounded number of models; one evicted or lost is trained again, once.
			if (!(e instanceof Error && e.message.startsWith('no model'))) throw e;
			const again = await modelFor(db, questionId, true);
			if (!again) return coded;
			model = again;
			await writeVerdicts(db, model, items);
		}
		coded += batch.length;
		if (state) Object.assign(state, { done: coded, total: Math.max(total, coded) });
		after = batch[batch.length - 1].id;
		await new Promise((resolve) => setImmediate(resolve));
	}
	return coded;
}

/** Retrains on the officers' latest coding and recodes every answer to the question. */
export async function recodeQuestion(db: Db, questionId: number): Promise<number> {
	return withJobState({ kind: 'recoding', questionId, total: 0 }, async () => {
		const model = await modelFor(db, questionId, true);
		return model ? codeInBatches(db, model, questionId, { onlyUncoded: false }) : 0;
	});
}

/**
 * "Code next": these answers' ids in the order in which an officer's coding would teach the
 * question's coder most (uncertainty and diversity, src/lib/themes/active.ts), from the model the
 * engine worker already holds. Trains nothing: null when there is no trained model for the
 * question in this worker yet (the caller schedules a recode and shows answer order meanwhile).
 */
export async function codeNextIds(
	questionId: number,
	answers: { id: number; text: string }[]
): Promise<number[] | null> {
	const engine = await engineThread();
	const cached = models.get(questionId);
	if (!cached || cached.generation !== engine.generation) return null;
	try {
		const ids = await engine.queue(
			cached.key,
			answers.map((a) => ({ id: String(a.id), text: a.text })),
			{ batch: 20 }
		);
		return ids.map(Number);
	} catch (e) {
		if (e instanceof Error && e.message.startsWith('no model')) return null;
		throw e;
	}
}
