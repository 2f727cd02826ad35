import { codeUncoded, recodeQuestion, codingJobState, interruptedRecodes } from './recode';
import type { Db } from '../db/connect';
import { PostgresAdapter } from 'kysely';
import { stopEngineThread } from './engine';
import {
	INSTANCE_ID,
	claimCodingJob,
	finishCodingJob,
	leaseMs,
	renewCodingLease,
	requestCodingJob,
	type ClaimedJob,
	type CodingJob
} from './queue';

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

/**
 * The background worker of this app process. Work is queued in the database
 * (./queue.ts), so with several instances exactly one claims each piece and an
 * instance that dies mid-job leaves it to another once its lease runs out. Each
 * worker polls for work (CODING_POLL_MS, default 1 s) and is also woken at once
 * when this process asks for work. Jobs run one at a time, in the engine's
 * worker thread, after the request that asked for them has been answered. Off in
 * command-line tools, on in the server.
 */
const POLL_MS = Math.max(50, Number(process.env.CODING_POLL_MS ?? 1000));
/** A job that failed is left unclaimed this long before another try. */
const RETRY_AFTER_MS = 60_000;

interface Worker {
	db: Db;
	pg: boolean;
	running: boolean;
	draining: Promise<void>;
	timer: ReturnType<typeof setInterval>;
	/** Aborted at shutdown: the running job stops after its current chunk (a recode keeps its progress). */
	stop: AbortController;
}
let worker: Worker | null = null;

/**
 * Starts this process's worker; resolves once its start-up claims are in the queue (new answers to code, and recodes
 * a stopped server did not finish), which the server waits for before it reports ready (readiness.ts).
 */
export async function startBackgroundCoding(db: Db): Promise<void> {
	const w: Worker = {
		db,
		pg: db.getExecutor().adapter instanceof PostgresAdapter,
		running: false,
		draining: Promise.resolve(),
		timer: setInterval(() => kick(w), POLL_MS),
		stop: new AbortController()
	};
	w.timer.unref?.();
	worker = w;
	const queued = [request({ kind: 'uncoded' })];
	// A recode a stopped server did not finish continues where it stopped (its progress is stored).
	try {
		for (const questionId of await interruptedRecodes(db)) queued.push(request({ kind: 'question', questionId }));
	} catch (error) {
		console.error('Could not read interrupted recodes:', error instanceof Error ? error.message : error);
	}
	await Promise.all(queued);
}

/**
 * Stops taking jobs and waits (a few seconds at most) for the one running, so the database can close cleanly.
 * A job still running then is released, so another instance takes it up at once instead of after its lease.
 */
export async function stopBackgroundCoding(maxWaitMs = 5000): Promise<void> {
	const w = worker;
	worker = null;
	if (w) {
		clearInterval(w.timer);
		if (pendingNew) clearTimeout(pendingNew);
		pendingNew = null;
		w.stop.abort();
		let timer: ReturnType<typeof setTimeout> | undefined;
		await Promise.race([w.draining, new Promise((r) => (timer = setTimeout(r, maxWaitMs)))]);
		clearTimeout(timer);
		await w.db
			.updateTable('coding_job')
			.set({ claimed_by: null, lease_until: null })
			.where('claimed_by', '=', INSTANCE_ID)
			.execute()
			.catch(() => {});
	}
	await stopEngineThread();
}

function request(job: CodingJob): Promise<void> {
	const w = worker;
	if (!w) return Promise.resolve();
	return requestCodingJob(w.db, job).then(
		() => kick(w),
		(error) => console.error('Could not queue background coding:', error instanceof Error ? error.message : error)
	);
}

function kick(w: Worker) {
	if (w.running || worker !== w) return;
	w.running = true;
	w.draining = drain(w).finally(() => {
		w.running = false;
	});
}

/** Claims and runs jobs until none is free (or this worker is stopped). */
async function drain(w: Worker) {
	while (worker === w) {
		let claimed: ClaimedJob | null;
		try {
			claimed = await claimCodingJob(w.db, w.pg);
		} catch (error) {
			console.error('Could not claim background coding:', error instanceof Error ? error.message : error);
			return;
		}
		if (!claimed) return;
		const held = claimed;
		const renew = setInterval(() => void renewCodingLease(w.db, held).catch(() => {}), leaseMs() / 3);
		renew.unref?.();
		let failed = false;
		try {
			await (held.job.kind === 'uncoded'
				? codeUncoded(w.db, undefined, w.stop.signal)
				: recodeQuestion(w.db, held.job.questionId, w.stop.signal));
		} catch (error) {
			failed = true;
			console.error(`Background coding failed (${held.job.kind}):`, error instanceof Error ? error.message : error);
		} finally {
			clearInterval(renew);
		}
		await finishCodingJob(w.db, held, failed ? RETRY_AFTER_MS : undefined).catch((error) =>
			console.error('Could not finish background coding:', error instanceof Error ? error.message : error)
		);
	}
}

/**
 * New answers arrived: code them soon. Debounced, so a burst of submissions (a
 * class of 30 sending at once) costs one coding pass, not thirty, and the
 * request path never waits for the engine.
 *
 * While submissions keep arriving fast (at least CODING_BUSY_PER_SECOND over
 * the wait so far), the pass waits longer, so it codes a larger batch later:
 * a pass has a fixed cost (queries, the model check, one transaction per chunk
 * on the main thread), which a stream of submissions would otherwise pay every
 * couple of seconds beside them. The wait never exceeds CODING_MAX_DEFER_MS
 * from the first answer not yet coded: that is the bound on how stale the
 * coding of a new answer gets, however busy the survey is.
 */
const NEW_ANSWER_DELAY_MS = Number(process.env.CODING_DELAY_MS ?? 2000);
const BUSY_PER_SECOND = Number(process.env.CODING_BUSY_PER_SECOND ?? 5);
const MAX_DEFER_MS = Math.max(NEW_ANSWER_DELAY_MS, Number(process.env.CODING_MAX_DEFER_MS ?? 30_000));
let pendingNew: ReturnType<typeof setTimeout> | null = null;
/** When the first submission not yet handed to the coder arrived; how many arrived since the timer last looked. */
let firstArrival = 0;
let arrivals = 0;

/** `stored`: submissions just stored (0 when a writer only asks again after its commit). */
export function scheduleCodingOfNewAnswers(stored = 1): void {
	if (!worker) return;
	arrivals += stored;
	if (pendingNew) return;
	firstArrival = Date.now();
	armCodingTimer(NEW_ANSWER_DELAY_MS);
}

function armCodingTimer(ms: number) {
	pendingNew = setTimeout(() => {
		const left = MAX_DEFER_MS - (Date.now() - firstArrival);
		const busy = arrivals >= (BUSY_PER_SECOND * ms) / 1000;
		arrivals = 0;
		if (busy && left > 0) {
			// Still busy over the last wait: wait once more (not past the bound), then look at the rate again.
			armCodingTimer(Math.min(NEW_ANSWER_DELAY_MS, left));
			return;
		}
		pendingNew = null;
		request({ kind: 'uncoded' });
	}, ms);
	pendingNew.unref?.();
}

/**
 * The codebook or the officers' coding changed: retrain and recode that
 * question (or every question of the consultation), in the background.
 */
export function scheduleRecode(db: Db, consultationId: number, questionId?: number): void {
	if (!worker) return;
	if (questionId !== undefined) {
		request({ kind: 'question', questionId });
		return;
	}
	void db
		.selectFrom('question')
		.select('id')
		.where('consultation_id', '=', consultationId)
		.execute()
		.then((qs) => qs.forEach((q) => request({ kind: 'question', questionId: q.id })));
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
