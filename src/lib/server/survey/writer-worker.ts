/**
 * The submission writer thread's entry (writer-thread.ts): its own SQLite connection to the server's database file
 * stores each grouped commit handed over by the event loop (commitBatch: the inserts with their triggers, the
 * settle checks, the screening, redaction and language detection of the answers, and the COMMIT, which syncs the
 * log on this thread) and posts back each submission's outcome only once that COMMIT has returned.
 *
 * The main thread imports this module only to learn its own URL after bundling (a chunk of its own in the built
 * server because it is imported dynamically); the work starts only inside the worker.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { BatchItem, BatchOutcome } from './batch-store';

export const WRITER_WORKER_URL = import.meta.url;
export const WRITER_WORKER_ROLE = 'submission-writer';

export type WriterRequest = { kind: 'commit'; id: number; batch: BatchItem[] } | { kind: 'close' };
export type WriterReply = { id: number; results: BatchOutcome[] } | { id: number; error: string } | { closed: true };

/** An outcome made safe to post: a failed submission's error as a plain Error with its message. */
function postable(r: BatchOutcome): BatchOutcome {
	if (r.status !== 'failed') return r;
	const e = r.error;
	return { status: 'failed', error: new Error(e instanceof Error ? e.message : String(e)) };
}

if (!isMainThread && (workerData as { role?: string } | null)?.role === WRITER_WORKER_ROLE) {
	const port = parentPort!;
	const file = (workerData as { file: string }).file;
	const ready = Promise.all([import('../db/connect'), import('./batch-store')]).then(([connect, batches]) => ({
		db: connect.openSqliteWriter(file),
		commitBatch: batches.commitBatch
	}));
	// One batch at a time, in the order posted (the event loop posts the next only after this one's answer anyway).
	let queue: Promise<void> = Promise.resolve();
	port.on('message', (m: WriterRequest) => {
		queue = queue.then(async () => {
			if (m.kind === 'close') {
				try {
					await (await ready).db.destroy();
				} finally {
					port.postMessage({ closed: true } satisfies WriterReply);
					port.close();
				}
				return;
			}
			try {
				const { db, commitBatch } = await ready;
				const results = await commitBatch(db, m.batch);
				port.postMessage({ id: m.id, results: results.map(postable) } satisfies WriterReply);
			} catch (error) {
				port.postMessage({
					id: m.id,
					error: error instanceof Error ? error.message : String(error)
				} satisfies WriterReply);
			}
		});
	});
}
