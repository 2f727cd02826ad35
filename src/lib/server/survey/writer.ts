import type { Db } from '../db/connect';
import type { ConsultationView } from '../consultations/queries';
import type { SubmissionInput } from '../../schemas/submission';
import { saveSubmission, type SaveResult } from '../submissions/save';
import { scheduleCodingOfNewAnswers } from '../coding/index';

interface Job {
	c: Pick<ConsultationView, 'id' | 'questions'>;
	input: SubmissionInput;
	resolve: (r: SaveResult) => void;
	reject: (e: unknown) => void;
}

const MAX_BATCH = 64;
const queues = new WeakMap<Db, { pending: Job[]; running: boolean }>();

/**
 * Group commit for online submissions: submissions that arrive while a write is
 * in progress are stored together in one transaction (each still through
 * saveSubmission, so each is idempotent by its UUID). One commit, and one disk
 * flush, then serves many respondents. If a batch fails, each of its
 * submissions is retried on its own so one bad submission cannot sink the rest.
 */
export function saveOnline(
	db: Db,
	c: Pick<ConsultationView, 'id' | 'questions'>,
	input: SubmissionInput
): Promise<SaveResult> {
	let q = queues.get(db);
	if (!q) queues.set(db, (q = { pending: [], running: false }));
	const queue = q;
	return new Promise<SaveResult>((resolve, reject) => {
		queue.pending.push({ c, input, resolve, reject });
		if (!queue.running) {
			queue.running = true;
			// Start after this turn of the event loop so requests that arrived together are written together.
			setImmediate(() => void drain(db, queue));
		}
	});
}

async function drain(db: Db, q: { pending: Job[]; running: boolean }) {
	try {
		while (q.pending.length > 0) {
			const batch = q.pending.splice(0, MAX_BATCH);
			let results: SaveResult[] | null = null;
			try {
				results = await db.transaction().execute(async (tx) => {
					const out: SaveResult[] = [];
					for (const job of batch) out.push(await saveSubmission(tx, job.c, job.input, { channel: 'online' }));
					return out;
				});
			} catch {
				results = null;
			}
			if (results) {
				batch.forEach((job, i) => job.resolve(results[i]));
			} else {
				for (const job of batch) {
					try {
						job.resolve(await saveSubmission(db, job.c, job.input, { channel: 'online' }));
					} catch (error) {
						job.reject(error);
					}
				}
			}
			// saveSubmission asked for coding before this outer transaction committed: ask again now.
			scheduleCodingOfNewAnswers();
		}
	} finally {
		q.running = false;
	}
}
