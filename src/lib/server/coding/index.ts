import { codeUncoded, recodeQuestion, codingJobState, interruptedRecodes } from './recode';
import type { Db } from '../db/connect';
import { stopEngineThread } from './engine';

/*
 * How coding is stored (the contract between the automatic coder and officers):
 * - One answer_theme row per (answer, theme) at most.
 * - An answer HAS a theme exactly when its row has applies = 1, whatever the source.
 * - source = 'auto': the engine's verdict; recoding may insert, update or delete these rows.
 * - source = 'human': an officer's decision (applies = 1 added/accepted, applies = 0 removed);
 *   recoding never changes its source or applies, never deletes it.
 * - confidence: the engine's latest confidence for that theme on that answer, or null when the
 *   engine does not propose it; recoding updates it on human rows too, so agreement between the
 *   automatic coding (confidence not null) and the officer's final coding (applies = 1) can be
 *   measured on reviewed answers (answer.reviewed_at not null).
 */

export { codeUncoded, recodeQuestion, codingJobState, codeNextIds, type CodingJobState } from './recode';

type Job = { kind: 'uncoded' } | { kind: 'question'; questionId: number };

/**
 * One background worker per app process. Jobs run one at a time after the
 * request that asked for them has been answered; repeated requests for the same
 * work collapse into one. Off in command-line tools, on in the server.
 */
let worker: {
	db: Db;
	queue: Job[];
	running: boolean;
	current: Promise<unknown> | null;
	/** Aborted at shutdown: the running job stops after its current chunk (a recode keeps its progress). */
	stop: AbortController;
} | null = null;

export function startBackgroundCoding(db: Db): void {
	worker = { db, queue: [], running: false, current: null, stop: new AbortController() };
	enqueue({ kind: 'uncoded' });
	// A recode the last run of the server did not finish continues where it stopped.
	void interruptedRecodes(db)
		.then((ids) => ids.forEach((questionId) => enqueue({ kind: 'question', questionId })))
		.catch((error) =>
			console.error('Could not read interrupted recodes:', error instanceof Error ? error.message : error)
		);
}

/** Stops taking jobs and waits (a few seconds at most) for the one running, so the database can close cleanly. */
export async function stopBackgroundCoding(maxWaitMs = 5000): Promise<void> {
	const w = worker;
	worker = null;
	w?.stop.abort();
	if (w?.current) await Promise.race([w.current.catch(() => {}), new Promise((r) => setTimeout(r, maxWaitMs))]);
	await stopEngineThread();
}

function enqueue(job: Job) {
	if (!worker) return;
	const same = worker.queue.some(
		(j) => j.kind === job.kind && (j.kind === 'uncoded' || (job.kind === 'question' && j.questionId === job.questionId))
	);
	if (!same) worker.queue.push(job);
	if (!worker.running) {
		worker.running = true;
		setImmediate(drain);
	}
}

async function drain() {
	const w = worker;
	if (!w) return;
	while (w.queue.length > 0 && worker === w) {
		const job = w.queue.shift()!;
		try {
			w.current =
				job.kind === 'uncoded'
					? codeUncoded(w.db, undefined, w.stop.signal)
					: recodeQuestion(w.db, job.questionId, w.stop.signal);
			await w.current;
		} catch (error) {
			console.error(`Background coding failed (${job.kind}):`, error instanceof Error ? error.message : error);
		}
	}
	w.current = null;
	w.running = false;
}

/**
 * New answers arrived: code them soon. Debounced, so a burst of submissions (a
 * class of 30 sending at once) costs one coding pass, not thirty, and the
 * request path never waits for the engine.
 */
const NEW_ANSWER_DELAY_MS = Number(process.env.CODING_DELAY_MS ?? 2000);
let pendingNew: ReturnType<typeof setTimeout> | null = null;
export function scheduleCodingOfNewAnswers(): void {
	if (!worker || pendingNew) return;
	pendingNew = setTimeout(() => {
		pendingNew = null;
		enqueue({ kind: 'uncoded' });
	}, NEW_ANSWER_DELAY_MS);
	pendingNew.unref?.();
}

/**
 * The codebook or the officers' coding changed: retrain and recode that
 * question (or every question of the consultation), in the background.
 */
export function scheduleRecode(db: Db, consultationId: number, questionId?: number): void {
	if (!worker) return;
	if (questionId !== undefined) {
		enqueue({ kind: 'question', questionId });
		return;
	}
	void db
		.selectFrom('question')
		.select('id')
		.where('consultation_id', '=', consultationId)
		.execute()
		.then((qs) => qs.forEach((q) => enqueue({ kind: 'question', questionId: q.id })));
}

const JOB_VERBS = {
	training: 'Training the coder for',
	recoding: 'Recoding',
	coding: 'Coding new answers to'
} as const;

/**
 * The engine's current job as one line for the codebook and review pages ("Recoding Q3: 1,200 of
 * 2,594 answers"), or null when it is idle or busy with another consultation's question.
 */
export function codingStatusLine(questions: { id: number; key: string }[]): string | null {
	const job = codingJobState();
	const q = job && questions.find((x) => x.id === job.questionId);
	if (!job || !q) return null;
	const n = (x: number) => x.toLocaleString('en-GB');
	const what = `${JOB_VERBS[job.kind]} ${q.key.toUpperCase()}`;
	if (job.kind === 'training')
		return `${what}: learning from ${n(job.total)} coded answer${job.total === 1 ? '' : 's'}…`;
	return job.total > 0 ? `${what}: ${n(job.done)} of ${n(job.total)} answers` : `${what}…`;
}
