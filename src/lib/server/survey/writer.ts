import { SqliteAdapter, type Transaction } from 'kysely';
import type { Db } from '../db/connect';
import type { Database } from '../db/schema';
import { openState, type ConsultationView, type OpenState } from '../consultations/queries';
import type { SubmissionInput } from '../../schemas/submission';
import { storeSubmissions, SubmissionConflictError, type SaveResult } from '../submissions/save';
import { scheduleCodingOfNewAnswers } from '../coding/index';

/** Not stored: the consultation is no longer open (or is gone) at the moment of the commit. */
export interface NotOpen {
	status: 'not-open';
	state: Exclude<OpenState, 'open'> | 'gone';
}

interface Job {
	c: Pick<ConsultationView, 'id' | 'questions'>;
	input: SubmissionInput;
	now: Date | undefined;
	resolve: (r: SaveResult | NotOpen) => void;
	reject: (e: unknown) => void;
}

const MAX_BATCH = 64;
const queues = new WeakMap<Db, { pending: Job[]; running: boolean }>();

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
	if (!q) queues.set(db, (q = { pending: [], running: false }));
	const queue = q;
	return new Promise<SaveResult | NotOpen>((resolve, reject) => {
		queue.pending.push({ c, input, now, resolve, reject });
		if (!queue.running) {
			queue.running = true;
			// Start after this turn of the event loop so requests that arrived together are written together.
			setImmediate(() => void drain(db, queue));
		}
	});
}

/** Each job's consultation state now, read once for the batch in its transaction. */
async function statesOf(tx: Transaction<Database>, batch: Job[]): Promise<(OpenState | 'gone')[]> {
	const ids = [...new Set(batch.map((j) => j.c.id))];
	const rows = await tx
		.selectFrom('consultation')
		.select(['id', 'status', 'opens_at', 'closes_at'])
		.where('id', 'in', ids)
		.execute();
	const byId = new Map(rows.map((r) => [r.id, r]));
	return batch.map((j) => {
		const r = byId.get(j.c.id);
		return r ? openState({ status: r.status, opensAt: r.opens_at, closesAt: r.closes_at }, j.now) : 'gone';
	});
}

/** The batch stored with one multi-row insert per table (storeSubmissions); closed consultations take nothing. */
async function store(tx: Transaction<Database>, batch: Job[]): Promise<Stored[]> {
	const states = await statesOf(tx, batch);
	const open = batch.flatMap((job, i) =>
		states[i] === 'open' ? [{ consultation: job.c, input: job.input, meta: { channel: 'online' as const } }] : []
	);
	const saved = await storeSubmissions(tx, open);
	let next = 0;
	return states.map((state) => (state === 'open' ? saved[next++] : { status: 'not-open', state }));
}

type Stored = SaveResult | NotOpen | SubmissionConflictError | Failed;

/** A submission whose own transaction failed (its error goes to its caller). */
class Failed {
	constructor(readonly error: unknown) {}
}

function settle(job: Job, result: Stored) {
	if (result instanceof SubmissionConflictError) job.reject(result);
	else if (result instanceof Failed) job.reject(result.error);
	else job.resolve(result);
}

/**
 * Whether the next batch may start while the last one's log sync is still running (SQLite only; on with
 * WRITER_PIPELINE=1). Off by default: on a quiet machine it cost CPU per submission (0.65–0.69 ms against
 * 0.54–0.57 ms without it, 3 interleaved rounds, docs/deployment.md) and gave a lower rate in every round. SQLite's one connection runs one transaction at a time, so the next batch
 * begins only after the last one's COMMIT; each batch is still answered only once a sync that started after its
 * own commit has finished (wal-flush.ts, groupFlusher), so nothing is acknowledged before it is on disk. Without
 * it the event loop sat idle through every sync, with the next batch's requests already read and waiting.
 */
function pipelined(db: Db): boolean {
	return process.env.WRITER_PIPELINE === '1' && db.getExecutor().adapter instanceof SqliteAdapter;
}

/** One batch stored and its submissions answered; `stored` is called once its work is done and only the commit is left. */
async function runBatch(db: Db, batch: Job[], stored: () => void): Promise<void> {
	let results: Stored[] | null = null;
	try {
		results = await db.transaction().execute(async (tx) => {
			const r = await store(tx, batch);
			stored();
			return r;
		});
	} catch {
		results = null;
	} finally {
		stored();
	}
	if (!results) {
		// One bad submission must not sink the rest: each on its own.
		results = [];
		for (const job of batch) {
			try {
				results.push((await db.transaction().execute((tx) => store(tx, [job])))[0]);
			} catch (error) {
				results.push(error instanceof SubmissionConflictError ? error : new Failed(error));
			}
		}
	}
	batch.forEach((job, i) => settle(job, results[i]));
	// The new answers to code, counted once this commit is done (the coder's busy measure counts submissions).
	scheduleCodingOfNewAnswers(results.filter((r) => 'status' in r && r.status === 'created').length);
}

async function drain(db: Db, q: { pending: Job[]; running: boolean }) {
	const pipeline = pipelined(db);
	try {
		while (q.pending.length > 0) {
			const batch = q.pending.splice(0, MAX_BATCH);
			if (!pipeline) {
				await runBatch(db, batch, () => {});
				continue;
			}
			// The next batch is taken once this one has done its work (its COMMIT is queued ahead of the next
			// BEGIN on the one connection), after one more turn of the event loop so that requests read meanwhile
			// join it; this batch is answered when its own sync is done, whenever that is.
			await new Promise<void>((resolve) => {
				runBatch(db, batch, resolve).catch((error) => {
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
