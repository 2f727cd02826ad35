import type { Codebook } from '../../themes/codebook';
import { beforeClose, sqliteFileOf, type Db } from '../db/connect';
import { PostgresAdapter, sql, type ExpressionBuilder, type Transaction } from 'kysely';
import type { Database } from '../db/schema';
import { createHash } from 'node:crypto';
import { performance as nodePerformance, type EventLoopUtilization } from 'node:perf_hooks';
import { engineThread } from './engine';
import { withAggregateDelta } from './aggregate-delta';
import { storeVerdictsPg } from './store-pg';
import { retryingConflicts } from '../db/retry-conflicts';
import { sqliteNetDelta, storeVerdictsSqlite } from './store-sqlite';
import { nowIso } from '../util/time';
import { engineLanguage } from '../i18n/answers';
import type { CodingWriter, GrowLimits } from './writer-worker';
import { envSwitch } from '../../analysis/switches';

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

/** An answer as the engine takes it: its words and the respondent group it was given as. */
export interface EngineAnswer {
	id: number;
	text: string;
	perspective?: string | null;
}

/**
 * The respondent group of an answer's perspective (null when not known), selected beside the
 * answer: the learner pairs it with the answer's words (src/lib/themes/features.ts).
 */
export const perspectiveOf = (eb: ExpressionBuilder<Database, 'answer'>) =>
	eb
		.selectFrom('perspective')
		.select('perspective.group_code')
		.whereRef('perspective.id', '=', 'answer.perspective_id')
		.as('perspective');

/** Officers' final coding of reviewed answers: the training set. */
async function trainingSet(db: Db, questionId: number) {
	const rows = await db
		.selectFrom('answer')
		.leftJoin('answer_theme', (j) =>
			j.onRef('answer_theme.answer_id', '=', 'answer.id').on('answer_theme.applies', '=', 1)
		)
		// Only the question's active themes: an officer's coding with a theme since retired (or one of another
		// question's, after an answer was moved by hand) is not in the codebook the engine learns, and would stop it.
		.leftJoin('theme', (j) =>
			j
				.onRef('theme.id', '=', 'answer_theme.theme_id')
				.on('theme.question_id', '=', questionId)
				.on('theme.status', '=', 'active')
		)
		.select(['answer.id', 'answer.text', 'theme.code'])
		.select(perspectiveOf)
		.where('answer.question_id', '=', questionId)
		.where('answer.reviewed_at', 'is not', null)
		.where('answer.text', 'is not', null)
		// English words only: an officer's coding of a Polish answer would teach the English engine nothing true.
		.where(engineLanguage('answer'))
		.orderBy('answer.id')
		.execute();
	const byAnswer = new Map<number, { id: string; text: string; perspective: string | null; themes: string[] }>();
	for (const r of rows) {
		const item = byAnswer.get(r.id) ?? { id: String(r.id), text: r.text ?? '', perspective: r.perspective, themes: [] };
		if (r.code) item.themes.push(r.code);
		byAnswer.set(r.id, item);
	}
	return [...byAnswer.values()];
}

async function modelFor(db: Db, questionId: number, force: boolean): Promise<QuestionModel | null> {
	const { codebook, themeIds } = await codebookFor(db, questionId);
	if (codebook.themes.length === 0) return null;
	const training = await trainingSet(db, questionId);
	const signature = JSON.stringify([codebook, training.map((t) => [t.id, t.themes.sort(), t.perspective])]);
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

// Each chunk is one write transaction on the server's main thread. Chunks start small and grow while a
// chunk's write stays under CHUNK_WRITE_MS (shrinking when one runs long), so a million answers take a
// few hundred transactions (each a disk flush) instead of ten thousand, and no write holds the event
// loop for long. A macrotask yield between chunks lets waiting requests in (awaits on better-sqlite3
// settle as microtasks, which alone never let the event loop take new requests).
const MIN_CHUNK = 100;
const MAX_CHUNK = Number(process.env.CODING_MAX_CHUNK ?? 2000);
const CHUNK_WRITE_MS = Number(process.env.CODING_CHUNK_MS ?? 40);
// On the writer thread (SQLite files, writer-worker.ts) a chunk holds no event loop, only the write lock (readers go on
// beside it), so chunks grow while a chunk's transaction stays under CODING_WRITER_CHUNK_MS, up to
// CODING_WRITER_MAX_CHUNK answers. By default that is the main thread's own bound (CODING_CHUNK_MS, 40 ms): a request
// that writes (a submission's grouped commit, an entry) waits for the lock synchronously (better-sqlite3's
// busy_timeout holds the event loop), so a longer chunk would freeze every request behind one write for as long.
// CODING_WRITER_CHUNK_MS=1000 for a bulk run on a service nobody is using (the million in docs/analysis.md).
const WRITER_MAX_CHUNK = Number(process.env.CODING_WRITER_MAX_CHUNK ?? 5000);
const WRITER_CHUNK_MS = Number(process.env.CODING_WRITER_CHUNK_MS ?? CHUNK_WRITE_MS);

/**
 * The writer thread's transaction grows across chunks while no other writer waits (issue #19, helper code37): each
 * chunk's writes stay under the chunk bound as before (a writer on the main connection that asks for the lock waits
 * for at most the chunk being written, then the COMMIT: db/write-wanted.ts), but the COMMIT, the log's sync (after the
 * COMMIT, off the lock) and the pages every chunk rewrites (the theme cube's) are paid once per transaction, not once
 * per chunk. Committed after CODING_WRITER_GROW_MS (default 1,000) open, or at its answers cap (a run's first chunk
 * commits alone, then the cap is CODING_WRITER_GROW_ANSWERS, default 20,000, halved while a COMMIT takes over twice
 * the chunk bound), or when the run ends (writer-worker.ts). `CODING_WRITER_GROW=off` (read
 * at each run): a transaction per chunk, synced in its COMMIT, as before.
 */
function growLimits(): GrowLimits | undefined {
	if (envSwitch('CODING_WRITER_GROW') === 'off') return undefined;
	return {
		maxMs: Number(envSwitch('CODING_WRITER_GROW_MS') ?? 1000),
		maxAnswers: Number(envSwitch('CODING_WRITER_GROW_ANSWERS') ?? 20000),
		commitMs: WRITER_CHUNK_MS
	};
}

/** The coder's writer thread of each SQLite database file (started on first use, stopped before the database closes). */
const writers = new WeakMap<Db, Promise<CodingWriter>>();

/**
 * The writer thread that stores this database's coding chunks, or null when they are written on the main thread:
 * PostgreSQL (its pool already works off the event loop), an SQLite database in memory (no second connection), or
 * `CODING_WRITER_THREAD=off` (the A of an A/B, and a way back). Read per run, so tests can switch it.
 */
export async function codingWriterFor(db: Db): Promise<CodingWriter | null> {
	if (process.env.CODING_WRITER_THREAD === 'off') return null;
	const file = sqliteFileOf(db);
	if (!file) return null;
	let writer = writers.get(db);
	if (!writer) {
		const started = import('./writer-worker').then((m) => new m.CodingWriter(file));
		writers.set(db, (writer = started));
		beforeClose(db, async () => (await started).stop());
	}
	return writer;
}

/** The main thread's event-loop use since `since` (Node's), or now. */
const loopUse = (since?: EventLoopUtilization) => nodePerformance.eventLoopUtilization(since);

export type Verdicts = Awaited<ReturnType<Awaited<ReturnType<typeof engineThread>>['code']>>;

/** The engine's verdicts on some answers (in the worker thread). */
async function engineVerdicts(model: QuestionModel, answers: EngineAnswer[]): Promise<Verdicts> {
	const engine = await engineThread();
	return engine.code(
		model.key,
		answers.map((a) => ({ id: String(a.id), text: a.text, perspective: a.perspective }))
	);
}

/**
 * PostgreSQL: the same four writes as the SQLite path in storeVerdicts, each one statement whose ids and
 * values are sent as arrays (`= any($1)`, `unnest`): a list of 2,000 ids spelled as 2,000 parameters, and
 * the codings as multi-row VALUES of 500 rows × 7 parameters, were parsed and planned afresh in every
 * chunk (issue #19: the main thread's own SQL dominated coding on PostgreSQL). Confidence goes in as
 * `real[]`, the column's own type, so each value is read from the same text as a single parameter.
 */
async function writeVerdictsPg(
	tx: Transaction<Database>,
	answerIds: number[],
	rows: { answer_id: number; theme_id: number; confidence: number }[],
	now: string
) {
	await sql`delete from answer_theme where answer_id = any(${answerIds}::integer[]) and source = 'auto'`.execute(tx);
	await sql`update answer_theme set confidence = null where answer_id = any(${answerIds}::integer[])`.execute(tx);
	if (rows.length > 0)
		await sql`insert into answer_theme (answer_id, theme_id, source, applies, confidence, user_id, updated_at)
			select u.answer_id, u.theme_id, 'auto', 1, u.confidence, null, ${now}
			from unnest(${rows.map((r) => r.answer_id)}::integer[], ${rows.map((r) => r.theme_id)}::integer[],
				${rows.map((r) => r.confidence)}::real[]) as u(answer_id, theme_id, confidence)
			on conflict (answer_id, theme_id) do update set confidence = excluded.confidence`.execute(tx);
	await sql`update answer set coded_at = ${now} where id = any(${answerIds}::integer[])`.execute(tx);
}

type VerdictRow = {
	answer_id: number;
	theme_id: number;
	source: 'auto';
	applies: number;
	confidence: number;
	user_id: null;
	updated_at: string;
};

/**
 * SQLite: the same codings as deleting the chunk's engine rows, clearing confidences and upserting the verdicts, but
 * only rows whose stored state differs are written (issue #19: a recode's verdicts are mostly what is stored, and
 * the delete alone was the largest statement of a chunk with `secure_delete` on). A row that already says the
 * verdict (an engine row that applies with this confidence, or an officer's with it) is left as it is, so an engine
 * row's `updated_at` is when the engine first proposed it, as on PostgreSQL (store-pg.ts); `coded_at` is set as
 * before.
 */
async function writeVerdictsNet(tx: Transaction<Database>, answerIds: number[], rows: VerdictRow[], now: string) {
	const want = new Map(rows.map((r) => [`${r.answer_id},${r.theme_id}`, r]));
	const stored = await tx
		.selectFrom('answer_theme')
		.select(['answer_id', 'theme_id', 'source', 'applies', 'confidence', 'user_id'])
		.where('answer_id', 'in', answerIds)
		.execute();
	const drop: [number, number][] = [];
	const clear: [number, number][] = [];
	const same = new Set<string>();
	for (const x of stored) {
		const k = `${x.answer_id},${x.theme_id}`;
		const v = want.get(k);
		if (x.source === 'auto') {
			if (v && x.applies === 1 && x.confidence === v.confidence && x.user_id === null) same.add(k);
			else drop.push([x.answer_id, x.theme_id]); // gone, or written again below
		} else if (!v) {
			if (x.confidence !== null) clear.push([x.answer_id, x.theme_id]);
		} else if (x.confidence === v.confidence) same.add(k);
	}
	const pairs = sql`select json_extract(value, '$[0]'), json_extract(value, '$[1]') from json_each(`;
	if (drop.length)
		await sql`delete from answer_theme where (answer_id, theme_id) in (${pairs}${JSON.stringify(drop)}))`.execute(tx);
	if (clear.length)
		await sql`update answer_theme set confidence = null
			where (answer_id, theme_id) in (${pairs}${JSON.stringify(clear)}))`.execute(tx);
	const write = rows.filter((r) => !same.has(`${r.answer_id},${r.theme_id}`));
	for (let i = 0; i < write.length; i += 500)
		await tx
			.insertInto('answer_theme')
			.values(write.slice(i, i + 500))
			.onConflict((oc) =>
				oc.columns(['answer_id', 'theme_id']).doUpdateSet({ confidence: (eb) => eb.ref('excluded.confidence') })
			)
			.execute();
	await tx.updateTable('answer').set({ coded_at: now }).where('id', 'in', answerIds).execute();
}

/**
 * Writes the engine's verdicts for some answers, keeping the storage contract
 * in coding/index.ts: auto rows follow the engine, human rows only get the
 * engine's latest confidence. A recode records how far it has got in the same
 * transaction, so a restart continues after the last chunk written.
 */
export async function storeVerdicts(
	db: Db,
	model: Pick<QuestionModel, 'key' | 'themeIds'>,
	answers: { id: number }[],
	verdicts: Verdicts,
	progress: { questionId: number; done: number } | null
) {
	// Again if PostgreSQL ends the chunk as a deadlock's victim (a deletion or retention locks the same aggregate rows).
	await retryingConflicts(() =>
		db.transaction().execute((tx) => storeVerdictsIn(tx, model, answers, verdicts, progress))
	);
}

/**
 * storeVerdicts' writes inside a transaction the caller holds: the coder's writer thread keeps one open across
 * several chunks while no other writer waits (writer-worker.ts, CODING_WRITER_GROW).
 */
export async function storeVerdictsIn(
	tx: Transaction<Database>,
	model: Pick<QuestionModel, 'key' | 'themeIds'>,
	answers: { id: number }[],
	verdicts: Verdicts,
	progress: { questionId: number; done: number } | null
) {
	const now = nowIso();
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
	const pg = tx.getExecutor().adapter instanceof PostgresAdapter;
	// PostgreSQL: two statements for the whole chunk, codings, aggregates and data version (store-pg.ts).
	// CODING_PG_WRITE=statements (or CODING_AGGREGATE_DELTA=off) keeps the general path below (the bench's A).
	if (pg && process.env.CODING_PG_WRITE !== 'statements' && process.env.CODING_AGGREGATE_DELTA !== 'off')
		await storeVerdictsPg(tx, answerIds, rows, now);
	// SQLite: the aggregates and the theme cube from the chunk's net change, worked out here (store-sqlite.ts).
	// CODING_SQLITE_DELTA=grouped keeps the grouped shares below (the A of an A/B).
	else if (!pg && sqliteNetDelta()) await storeVerdictsSqlite(tx, answerIds, rows, now);
	// The aggregates follow in a few grouped statements for the whole chunk (aggregate-delta.ts), not
	// row triggers per coding row.
	else
		await withAggregateDelta(tx, answerIds, async () => {
			if (pg) return writeVerdictsPg(tx, answerIds, rows, now);
			if (process.env.CODING_SQLITE_WRITE !== 'rewrite') return writeVerdictsNet(tx, answerIds, rows, now);
			// CODING_SQLITE_WRITE=rewrite (the A of an A/B): forget the engine's earlier opinion on these answers,
			// then record the new one.
			await tx.deleteFrom('answer_theme').where('answer_id', 'in', answerIds).where('source', '=', 'auto').execute();
			await tx.updateTable('answer_theme').set({ confidence: null }).where('answer_id', 'in', answerIds).execute();
			for (let i = 0; i < rows.length; i += 500) {
				await tx
					.insertInto('answer_theme')
					.values(rows.slice(i, i + 500))
					.onConflict((oc) =>
						oc.columns(['answer_id', 'theme_id']).doUpdateSet({ confidence: (eb) => eb.ref('excluded.confidence') })
					)
					.execute();
			}
			await tx.updateTable('answer').set({ coded_at: now }).where('id', 'in', answerIds).execute();
		});
	if (progress) {
		const row = {
			signature: model.key,
			after_id: answerIds[answerIds.length - 1],
			done: progress.done,
			updated_at: now
		};
		await tx
			.insertInto('coding_progress')
			.values({ question_id: progress.questionId, ...row })
			.onConflict((oc) => oc.column('question_id').doUpdateSet(row))
			.execute();
	}
}

/** Codes answers that have never been coded (new arrivals), question by question. */
export async function codeUncoded(db: Db, consultationId?: number, signal?: AbortSignal): Promise<number> {
	// Question by question, one probe of the uncoded-answers index each (migration 2026-12-01-0240): listing the
	// distinct questions of uncoded answers read every answer, seconds of main thread at a million.
	let query = db
		.selectFrom('question')
		.select('question.id as question_id')
		.where((eb) =>
			eb.exists(
				eb
					.selectFrom('answer')
					.select('answer.id')
					.whereRef('answer.question_id', '=', 'question.id')
					.where('answer.coded_at', 'is', null)
					.where('answer.text', 'is not', null)
					.where(engineLanguage('answer'))
			)
		)
		.orderBy('question.id');
	if (consultationId !== undefined) query = query.where('question.consultation_id', '=', consultationId);
	const questions = await query.execute();
	let coded = 0;
	for (const { question_id } of questions) {
		if (signal?.aborted) break;
		coded += await withJobState({ kind: 'coding', questionId: question_id, total: 0 }, async () => {
			const model = await modelFor(db, question_id, false);
			return model ? codeInBatches(db, model, question_id, { onlyUncoded: true, signal }) : 0;
		});
	}
	return coded;
}

/**
 * Codes a question's answers (those with words left), in id order, a chunk per transaction, after
 * `startAfter` (a resumed recode). The engine codes the next chunk in its worker thread while the
 * main thread writes this one.
 */
async function codeInBatches(
	db: Db,
	model: QuestionModel,
	questionId: number,
	opts: { onlyUncoded: boolean; recording?: boolean; startAfter?: number; doneBefore?: number; signal?: AbortSignal }
): Promise<number> {
	let coded = 0;
	const doneBefore = opts.doneBefore ?? 0;
	// The progress total (what the codebook page shows), counted from an index alone: an upper bound, as answers
	// not in English are counted too (reading each row to tell held the main thread for seconds at a million).
	let count = db
		.selectFrom('answer')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('question_id', '=', questionId);
	if (opts.onlyUncoded) count = count.where('coded_at', 'is', null).where('text', 'is not', null);
	const total = Number((await count.executeTakeFirst())?.n ?? 0);
	if (state) Object.assign(state, { total, done: doneBefore });
	let size = MIN_CHUNK;
	const pg = db.getExecutor().adapter instanceof PostgresAdapter;
	const writer = pg ? null : await codingWriterFor(db);
	const [maxChunk, chunkMs] = writer ? [WRITER_MAX_CHUNK, WRITER_CHUNK_MS] : [MAX_CHUNK, CHUNK_WRITE_MS];
	const grow = writer ? growLimits() : undefined;
	// The transaction the writer thread holds open across chunks is committed before the run counts as done (or
	// stopped, or failed: its chunks are whole, each with its coded_at and a recode's progress).
	let written: number;
	try {
		written = await writeInChunks();
	} catch (e) {
		if (grow) await writer!.flush().catch(() => {});
		throw e;
	}
	if (grow) await writer!.flush();
	return written;
	async function writeInChunks(): Promise<number> {
		const fetch = (after: number) => {
			let query = db
				.selectFrom('answer')
				.select(['id', 'text'])
				.select(perspectiveOf)
				.where('question_id', '=', questionId)
				.where('text', 'is not', null)
				.where(engineLanguage('answer'))
				.where('id', '>', after);
			if (opts.onlyUncoded) query = query.where('coded_at', 'is', null);
			return query
				.orderBy('id')
				.limit(size)
				.execute()
				.then((rows) => rows.map((a) => ({ id: a.id, text: a.text ?? '', perspective: a.perspective })));
		};
		/** Verdicts asked of the engine, with the model they were asked of. */
		const ask = (items: EngineAnswer[]) => {
			const asked = { model, verdicts: engineVerdicts(model, items) };
			asked.verdicts.catch(() => {}); // awaited (and handled) in the loop
			return asked;
		};
		let batch = await fetch(opts.startAfter ?? 0);
		let asked = batch.length ? ask(batch) : null;
		while (batch.length > 0 && asked && !opts.signal?.aborted) {
			let verdicts: Verdicts;
			try {
				verdicts = await asked.verdicts;
			} catch (e) {
				// The worker keeps a bounded number of models; one evicted or lost is trained again, once.
				if (!(e instanceof Error && e.message.startsWith('no model'))) throw e;
				if (asked.model === model) {
					const again = await modelFor(db, questionId, true);
					if (!again) return coded;
					model = again;
				}
				verdicts = await engineVerdicts(model, batch);
			}
			const next = await fetch(batch[batch.length - 1].id);
			const nextAsked = next.length ? ask(next) : null;
			const started = performance.now();
			const loop0 = pg ? loopUse() : null;
			const progress = opts.recording ? { questionId, done: doneBefore + coded + batch.length } : null;
			// On the writer thread: the transaction's own time there (the engine's thread codes the next chunk meanwhile).
			const written = writer
				? await writer.store(
						{
							key: model.key,
							themeIds: [...model.themeIds],
							answerIds: batch.map((a) => a.id),
							verdicts,
							progress
						},
						grow
					)
				: await storeVerdicts(db, model, batch, verdicts, progress).then(() => null);
			// How long the write held the event loop: on SQLite the whole write (better-sqlite3 is synchronous);
			// on PostgreSQL only the main thread's own part, as the database works while the loop serves others
			// (its wall time, mostly round trips, kept chunks at the smallest size under load: 1,003 chunks of
			// 100 for 100,000 answers, each some 17 statements).
			const ms = written ?? (loop0 ? loopUse(loop0).active : performance.now() - started);
			if (ms < chunkMs / 2) size = Math.min(maxChunk, size * 2);
			else if (ms > chunkMs * 2) size = Math.max(MIN_CHUNK, Math.floor(size / 2));
			coded += batch.length;
			if (state) Object.assign(state, { done: doneBefore + coded, total: Math.max(total, doneBefore + coded) });
			batch = next;
			asked = nextAsked;
			await new Promise((resolve) => setImmediate(resolve));
		}
		return coded;
	}
}

/**
 * Retrains on the officers' latest coding and recodes every answer to the question. Resumable: the
 * progress is stored with each chunk, and a recode started again for the same coder (a restarted
 * server) continues after the last answer written; a changed coder starts from the first answer.
 * `signal` stops it between two chunks, keeping the progress.
 */
export async function recodeQuestion(db: Db, questionId: number, signal?: AbortSignal): Promise<number> {
	return withJobState({ kind: 'recoding', questionId, total: 0 }, async () => {
		const model = await modelFor(db, questionId, true);
		if (!model) {
			await db.deleteFrom('coding_progress').where('question_id', '=', questionId).execute();
			return 0;
		}
		const saved = await db
			.selectFrom('coding_progress')
			.select(['signature', 'after_id', 'done'])
			.where('question_id', '=', questionId)
			.executeTakeFirst();
		const resume = saved?.signature === model.key ? saved : null;
		const coded = await codeInBatches(db, model, questionId, {
			onlyUncoded: false,
			recording: true,
			startAfter: resume?.after_id ?? 0,
			doneBefore: resume?.done ?? 0,
			signal
		});
		// Stopped between chunks (the server shutting down): the progress stays for the next start.
		if (signal?.aborted) return coded;
		await db.deleteFrom('coding_progress').where('question_id', '=', questionId).execute();
		return coded;
	});
}

/** Questions whose recode was interrupted (the server stopped mid-way): to be continued. */
export async function interruptedRecodes(db: Db): Promise<number[]> {
	const rows = await db.selectFrom('coding_progress').select('question_id').orderBy('question_id').execute();
	return rows.map((r) => r.question_id);
}

/**
 * "Code next": these answers' ids in the order in which an officer's coding would teach the
 * question's coder most (uncertainty and diversity, src/lib/themes/active.ts), from the model the
 * engine worker already holds. Trains nothing: null when there is no trained model for the
 * question in this worker yet (the caller schedules a recode and shows answer order meanwhile).
 */
export async function codeNextIds(questionId: number, answers: EngineAnswer[]): Promise<number[] | null> {
	const engine = await engineThread();
	const cached = models.get(questionId);
	if (!cached || cached.generation !== engine.generation) return null;
	try {
		const ids = await engine.queue(
			cached.key,
			answers.map((a) => ({ id: String(a.id), text: a.text, perspective: a.perspective })),
			{ batch: 20 }
		);
		return ids.map(Number);
	} catch (e) {
		if (e instanceof Error && e.message.startsWith('no model')) return null;
		throw e;
	}
}
