import { SqliteAdapter } from 'kysely';
import type { ConsultationView } from '../consultations/queries';
import type { SubmissionInput } from '../../schemas/submission';
import { preparedTexts, SubmissionConflictError, type SaveResult } from '../submissions/save';
import { scheduleCodingOfNewAnswers } from '../coding/index';
import { commitBatch, type BatchItem, type BatchOutcome, type NotOpen } from './batch-store';
import { writerThreadFor } from './writer-thread';
import type { Db } from '../db/connect';
import {
	mark,
	setCurrentBatch,
	currentBatch,
	stamp,
	submissionTrace,
	traceBatch,
	traceOn,
	type BatchTrace,
	type SubmissionTrace
} from './submit-trace';

export type { NotOpen } from './batch-store';

interface Job {
	c: Pick<ConsultationView, 'id' | 'questions'>;
	input: SubmissionInput;
	now: Date | undefined;
	texts: BatchItem['texts'];
	/** Its place in the order of arrival (Queue.arrived when it was queued). */
	seq: number;
	/** When it was queued (performance.now(); the trace's timeline, submit-trace.ts). */
	at: number;
	/** Its own timeline (SUBMIT_TRACE=1, lean route). */
	tl: SubmissionTrace | null;
	resolve: (r: SaveResult | NotOpen) => void;
	reject: (e: unknown) => void;
}

const MAX_BATCH = 64;

interface Queue {
	pending: Job[];
	running: boolean;
	/** While the writer gathers (see gather): how many pending submissions end the wait, and how to end it. */
	target: number;
	wake: (() => void) | null;
	/** Grouped commits run so far (the A/B and the tests read it through groupedCommits). */
	commits: number;
	/** The last batch's size, and when it was answered (performance.now()). */
	lastAnswered: number;
	lastEnd: number;
	/** Submissions queued so far. */
	arrived: number;
	/** The adaptive wait (see gather): waits still to skip, and how many to skip after the next one runs out. */
	skip: number;
	backoff: number;
}
const queues = new WeakMap<Db, Queue>();

/** How many grouped commits the writer has run on this database (each a transaction and, on SQLite, a log sync). */
export function groupedCommits(db: Db): number {
	return queues.get(db)?.commits ?? 0;
}

/**
 * Group commit for online submissions: submissions that arrive while a write is
 * in progress are stored together in one transaction, with one multi-row insert
 * per table for the whole batch (storeSubmissions: each still idempotent by its
 * UUID, each answer screened and redacted in the same commit). One commit, and
 * one disk flush, then serves many respondents. A submission whose UUID belongs
 * to another consultation is refused alone; if a batch fails, each of its
 * submissions is retried on its own so one bad submission cannot sink the rest.
 *
 * Whether each consultation is still open is read once per batch inside the
 * same transaction (submitResponse checked a cached copy), so a consultation
 * closed a moment ago takes nothing more, without a lookup per submission.
 */
export function saveOnline(
	db: Db,
	c: Pick<ConsultationView, 'id' | 'questions'>,
	input: SubmissionInput,
	now?: Date
): Promise<SaveResult | NotOpen> {
	let q = queues.get(db);
	if (!q)
		queues.set(
			db,
			(q = {
				pending: [],
				running: false,
				target: 0,
				wake: null,
				commits: 0,
				lastAnswered: 0,
				lastEnd: 0,
				arrived: 0,
				skip: 0,
				backoff: 0
			})
		);
	const queue = q;
	return new Promise<SaveResult | NotOpen>((resolve, reject) => {
		const texts = prepareEarly(db) ? preparedTexts(input) : undefined;
		const tl = submissionTrace();
		const at = performance.now();
		if (tl) tl.queued = at;
		queue.pending.push({ c, input, now, texts, seq: queue.arrived++, at, tl, resolve, reject });
		if (queue.wake && queue.pending.length >= queue.target) queue.wake();
		if (!queue.running) {
			queue.running = true;
			// Start after this turn of the event loop so requests that arrived together are written together.
			setImmediate(() => void drain(db, queue));
		}
	});
}

type Stored = BatchOutcome;

/**
 * Whether each submission's answers are screened, redacted and their language detected as it is queued, rather
 * than inside the grouped commit's transaction. Either way the results are stored in the same commit as the
 * answers. SUBMIT_PREPARE=early or commit chooses; by default (auto) early when the batch goes to the writer thread
 * (writer-thread.ts): that per-text work then runs on the event loop beside the thread's commit instead of on the
 * thread, which was the one saturated (about 0.3 ms of a submission's CPU moves; docs/deployment.md, sixteenth
 * round). Without the thread both ways run on the event loop, and early did not show a gain over HTTP, so it stays
 * at commit there.
 */
function prepareEarly(db: Db): boolean {
	const mode = process.env.SUBMIT_PREPARE;
	if (mode === 'early' || mode === 'commit') return mode === 'early';
	return writerThreadFor(db) !== null;
}

function settle(job: Job, result: Stored) {
	if (result.status === 'conflict') job.reject(new SubmissionConflictError(result.id));
	else if (result.status === 'failed') job.reject(result.error);
	else job.resolve(result);
}

/**
 * Whether the next batch may start while the last one's log sync is still running (SQLite only; on with
 * WRITER_PIPELINE=1): the next batch is whatever is queued once the last one's COMMIT is done. Off by default: on a
 * quiet machine it cost CPU per submission (0.65–0.69 ms against 0.54–0.57 ms without it, 3 interleaved rounds,
 * docs/deployment.md) and gave a lower rate in every round, because its batches were small (two at the median at
 * 10 connections, twentieth round). SQLite's one connection runs one transaction at a time, so the next batch
 * begins only after the last one's COMMIT; each batch is still answered only once a sync that started after its
 * own commit has finished (wal-flush.ts, groupFlusher), so nothing is acknowledged before it is on disk. Without
 * it the event loop sat idle through every sync, with the next batch's requests already read and waiting.
 */
function pipelined(db: Db): boolean {
	return process.env.WRITER_PIPELINE === '1' && db.getExecutor().adapter instanceof SqliteAdapter;
}

/**
 * What the writer thread needs of a consultation (storeSubmissions reads each question's key, id and wording
 * version), made once per consultation view: the batch's jobs then share one object, which the structured clone
 * keeps shared, so the thread builds each consultation's question map once per batch as on the event loop.
 */
const threadViews = new WeakMap<object, Job['c']>();
function forThread(c: Job['c']): Job['c'] {
	let v = threadViews.get(c);
	if (!v) {
		const questions = c.questions.map((q) => ({ key: q.key, id: q.id, wordingVersion: q.wordingVersion }));
		threadViews.set(c, (v = { id: c.id, questions: questions as unknown as Job['c']['questions'] }));
	}
	return v;
}

/**
 * One batch stored and its submissions answered; `stored` is called once its work is done and only the commit is
 * left. On the writer thread when there is one (writer-thread.ts): each submission is answered only once the
 * thread reports its COMMIT returned (synced there, synchronous=FULL), and if the thread stops first, every
 * submission of the batch fails with WriterStoppedError (retryable), never acknowledged.
 */
async function runBatch(
	db: Db,
	batch: Job[],
	stored: () => void,
	answering = () => {},
	trace: BatchTrace | null = null
): Promise<void> {
	const thread = writerThreadFor(db);
	let results: Stored[];
	mark(trace, 'begin');
	if (thread) {
		try {
			mark(trace, 'posted');
			results = await thread.commit(batch.map(({ c, input, now, texts }) => ({ c: forThread(c), input, now, texts })));
			mark(trace, 'replied');
		} finally {
			stored();
		}
	} else {
		if (trace) setCurrentBatch(trace);
		try {
			results = await commitBatch(db, batch, () => {
				if (trace && !trace.marks.stored) mark(trace, 'stored');
				stored();
			});
		} finally {
			if (trace && currentBatch() === trace) setCurrentBatch(null);
		}
	}
	answering();
	batch.forEach((job, i) => settle(job, results[i]));
	if (trace) {
		mark(trace, 'settled');
		setImmediate(() => mark(trace, 'answered'));
	}
	// The new answers to code, counted once this commit is done (the coder's busy measure counts submissions).
	scheduleCodingOfNewAnswers(results.filter((r) => r.status === 'created').length);
}

/** The writer's default wait for the respondents just answered (SUBMIT_GATHER_MS unset), in ms. */
export const DEFAULT_GATHER_MS = 2;

/**
 * How long (ms) the writer may wait, before a batch that is already waiting, for the respondents it has just
 * answered to send their next submissions: SUBMIT_GATHER_MS, 2 by default, 0 (or off) for no wait. A grouped commit
 * writes about 40 log pages whatever its size (the aggregate tables' rows, the data version, the tails of the tables
 * and of the question-keyed indexes) besides each submission's own, so the log pages per submission fall with the
 * batch: 54 at one a commit, 21.7 at five, 15.6 at ten, 10.9 at twenty (docs/deployment.md, seventeenth round).
 * Under steady load the grouped commits alternate between two halves of the clients (one half waits while the
 * other's commit and sync run), so 10 connections make batches of about five. With a wait, the next batch is taken
 * once it holds as many as were waiting plus as many as were just answered (at most MAX_BATCH), or when the wait is
 * over, whichever is first. Only after a batch and with something already waiting, so a submission on an idle
 * service never waits. On by default since the eighteenth round (docs/deployment.md): on a quiet machine a 5 ms
 * wait cost less CPU per submission in every pair at 10 connections, where the respondents' round trip is well under
 * a millisecond; on a heavily loaded one 5 ms did not hold and 2 ms cost less main-thread CPU than none in 8 of 11
 * pairs, so 2 ms. The wait adapts: after waits that ran out on the clock the next ones are skipped (gather).
 */
export function gatherMs(env: NodeJS.ProcessEnv = process.env): number {
	const value = env.SUBMIT_GATHER_MS;
	if (value === undefined || value.trim() === '') return DEFAULT_GATHER_MS;
	if (value === 'off') return 0;
	const ms = Number(value);
	return Number.isFinite(ms) && ms > 0 ? ms : 0;
}

/** The most waits skipped in a row after waits that ran out on the clock (SUBMIT_GATHER_ADAPT=off: never skip). */
export const MAX_GATHER_SKIP = 16;

/** How many waits the writer has skipped, and how many ran out on the clock, on this database (tests, A/Bs). */
export function gatherCounts(db: Db): { skipped: number; ranOut: number } {
	const stats = gatherStats.get(db);
	return { skipped: stats?.skipped ?? 0, ranOut: stats?.ranOut ?? 0 };
}
const gatherStats = new WeakMap<Db, { skipped: number; ranOut: number }>();

/** Start the adaptive wait afresh on this database: no waits to skip (tests). */
export function forgetGatherBackoff(db: Db) {
	const q = queues.get(db);
	if (q) q.skip = q.backoff = 0;
}

/**
 * The wait for the respondents just answered (gatherMs), adapting to how far away they are: a wait that runs out on
 * the clock before its target is reached means the clients' round trip is longer than the wait (a loaded machine,
 * slow networks), where waiting only puts the event loop to sleep and wakes it again for nothing (docs/deployment.md,
 * eighteenth round). So after a wait that ran out, the next one is skipped; after two in a row that ran out, the
 * next two; then four, eight, up to MAX_GATHER_SKIP; a wait that reaches its target resets this. On a quiet machine,
 * where the waits end on their target, an occasional stall costs one skipped wait. SUBMIT_GATHER_ADAPT=off waits
 * every time (the A/B switch). Only the timing of a batch changes: what is stored, and when it is acknowledged
 * (after its own commit), do not.
 */
async function gather(db: Db, q: Queue, target: number, ms: number): Promise<'met' | 'ranOut' | 'skipped'> {
	target = Math.min(MAX_BATCH, target);
	if (q.pending.length >= target) return 'met';
	let stats = gatherStats.get(db);
	if (!stats) gatherStats.set(db, (stats = { skipped: 0, ranOut: 0 }));
	const adapt = process.env.SUBMIT_GATHER_ADAPT !== 'off';
	if (adapt && q.skip > 0) {
		q.skip--;
		stats.skipped++;
		return 'skipped';
	}
	const ranOut = await new Promise<boolean>((resolve) => {
		const timer = setTimeout(() => {
			q.wake = null;
			resolve(true);
		}, ms);
		q.target = target;
		q.wake = () => {
			clearTimeout(timer);
			q.wake = null;
			resolve(false);
		};
	});
	if (ranOut) {
		stats.ranOut++;
		q.backoff = Math.min(MAX_GATHER_SKIP, Math.max(1, q.backoff * 2));
		if (adapt) q.skip = q.backoff;
	} else q.backoff = 0;
	return ranOut ? 'ranOut' : 'met';
}

async function drain(db: Db, q: Queue) {
	const pipeline = pipelined(db);
	const wait = pipeline ? 0 : gatherMs();
	// A drain that starts within the wait of the last batch's answers: the first of those respondents is back and
	// the others are expected (the pending ones are among them, not in addition). After a batch of this drain, those
	// queued before its answers went out were waiting, and those just answered are expected in addition (some may
	// be back already: they count once).
	const recent = wait > 0 && q.lastAnswered > 0 && performance.now() - q.lastEnd < wait;
	let afterBatch = false;
	let answeredAt = 0; // Queue.arrived when the last batch was answered: who queued before then was waiting
	try {
		while (q.pending.length > 0) {
			const gatherStart = traceOn() ? stamp() : null;
			let gathered: Awaited<ReturnType<typeof gather>> | null = null;
			if (afterBatch)
				gathered = await gather(db, q, q.pending.filter((j) => j.seq < answeredAt).length + q.lastAnswered, wait);
			else if (recent) gathered = await gather(db, q, q.lastAnswered, wait);
			const batch = q.pending.splice(0, MAX_BATCH);
			q.commits++;
			const trace = traceBatch(batch.map((j) => j.at));
			if (trace) {
				trace.subs = batch.map((j) => j.tl);
				trace.pipelined = pipeline;
				if (gathered && gatherStart) {
					trace.marks.gatherStart = gatherStart;
					mark(trace, 'gatherEnd');
					trace.ranOut = gathered === 'ranOut';
					trace.skipped = gathered === 'skipped';
				}
			}
			if (!pipeline) {
				await runBatch(
					db,
					batch,
					() => {},
					() => (answeredAt = q.arrived),
					trace
				).catch((error) => {
					answeredAt = q.arrived;
					for (const job of batch) job.reject(error); // the writer thread stopped: none acknowledged
				});
				q.lastAnswered = batch.length;
				q.lastEnd = performance.now();
				afterBatch = wait > 0;
				continue;
			}
			// The next batch is taken once this one has done its work (its COMMIT is queued ahead of the next
			// BEGIN on the one connection), after one more turn of the event loop so that requests read meanwhile
			// join it; this batch is answered when its own sync is done, whenever that is.
			await new Promise<void>((resolve) => {
				runBatch(db, batch, resolve, undefined, trace).catch((error) => {
					for (const job of batch) job.reject(error); // (settled jobs ignore this)
					resolve();
				});
			});
			await new Promise((resolve) => setImmediate(resolve));
		}
	} finally {
		q.running = false;
	}
}
