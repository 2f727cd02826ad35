import type { Transaction } from 'kysely';
import type { Db } from '../db/connect';
import type { Database } from '../db/schema';
import { openState, type ConsultationView, type OpenState } from '../consultations/queries';
import type { SubmissionInput } from '../../schemas/submission';
import { saveSubmissions, type SaveResult } from '../submissions/save';
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
 * in progress are stored together in one transaction (each still through
 * saveSubmissions, so each is idempotent by its UUID). One commit, and one disk
 * flush, then serves many respondents. If a batch fails, each of its
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

function store(tx: Transaction<Database>, batch: Job[]): Promise<(SaveResult | NotOpen)[]> {
	return statesOf(tx, batch).then(async (states) => {
		// The open ones in one go (one multi-row insert per table: on PostgreSQL the batch then holds the aggregate
		// rows its triggers lock for a few round trips, not a few per submission).
		const open = batch.filter((_, i) => states[i] === 'open');
		const saved = await saveSubmissions(
			tx,
			open.map((job) => ({ consultation: job.c, input: job.input, meta: { channel: 'online' as const } }))
		);
		let next = 0;
		return batch.map((_, i) => {
			const state = states[i];
			return state === 'open' ? saved[next++] : { status: 'not-open', state };
		});
	});
}

async function drain(db: Db, q: { pending: Job[]; running: boolean }) {
	try {
		while (q.pending.length > 0) {
			const batch = q.pending.splice(0, MAX_BATCH);
			let results: (SaveResult | NotOpen)[] | null = null;
			try {
				results = await db.transaction().execute((tx) => store(tx, batch));
			} catch {
				results = null;
			}
			if (results) {
				batch.forEach((job, i) => job.resolve(results[i]));
			} else {
				for (const job of batch) {
					try {
						job.resolve((await db.transaction().execute((tx) => store(tx, [job])))[0]);
					} catch (error) {
						job.reject(error);
					}
				}
			}
			// saveSubmission asked for coding before this outer transaction committed: ask again now.
			scheduleCodingOfNewAnswers(0);
		}
	} finally {
		q.running = false;
	}
}
