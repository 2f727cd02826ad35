import type { Worker } from 'node:worker_threads';
import { beforeClose, sqliteFileOf, type Db } from '../db/connect';
import { startWorker } from '../import/parse-isolated';
import type { BatchItem, BatchOutcome } from './batch-store';
import type { WriterReply, WriterRequest } from './writer-worker';

/**
 * The writer thread stopped (crashed, was ended, or could not start) before it reported the commit: the batch may
 * or may not be stored, and nothing of it was acknowledged. Retryable: the submission's UUID makes a resend safe.
 */
export class WriterStoppedError extends Error {}

/**
 * Whether grouped commits of online submissions run on a writer thread (SUBMIT_WRITER_THREAD=on|off): SQLite
 * databases in a file only (an in-memory database has no second connection; PostgreSQL's pool already writes off
 * the event loop). Read per batch, so tests can switch it.
 */
export function writerThreadEnabled(): boolean {
	return process.env.SUBMIT_WRITER_THREAD === 'on';
}

/**
 * A worker thread with its own SQLite connection to `file` (writer-worker.ts) that stores grouped commits: with
 * better-sqlite3 every statement and COMMIT otherwise runs on the event loop, which the submission path saturated
 * (docs/deployment.md, fifteenth round). Started at the first batch; if it stops, every batch waiting on it fails
 * with WriterStoppedError (never acknowledged) and the next batch starts a new one.
 */
export interface WriterThread {
	commit(batch: BatchItem[]): Promise<BatchOutcome[]>;
	/** Batches committed by threads of this writer (tests: the thread is used). */
	readonly committed: number;
	/** Batches handed to the thread and not yet answered. */
	readonly waiting: number;
	/** Test hook: ends the current thread at once, as a crash would. */
	kill(): Promise<void>;
	close(): Promise<void>;
}

export function writerThread(file: string): WriterThread {
	let worker: Worker | null = null;
	const gone = new WeakSet<Worker>();
	let starting: Promise<Worker> | null = null;
	let next = 0;
	let committed = 0;
	let closed = false;
	const pending = new Map<number, { resolve: (r: BatchOutcome[]) => void; reject: (e: unknown) => void }>();

	const failAll = (error: Error) => {
		for (const [id, p] of pending) {
			pending.delete(id);
			p.reject(error);
		}
	};
	const spawn = async (): Promise<Worker> => {
		const { WRITER_WORKER_URL, WRITER_WORKER_ROLE } = await import('./writer-worker');
		const w = startWorker(WRITER_WORKER_URL, { role: WRITER_WORKER_ROLE, file });
		w.unref(); // kept alive by the batches it owes (ref'd below), not by being there
		w.on('message', (m: WriterReply) => {
			if ('closed' in m) return;
			const p = pending.get(m.id);
			if (!p) return;
			pending.delete(m.id);
			if (pending.size === 0) w.unref();
			if ('error' in m) p.reject(new Error(m.error));
			else {
				committed++;
				p.resolve(m.results);
			}
		});
		const stopped = (why: string) => {
			gone.add(w);
			if (worker === w) worker = null;
			failAll(
				new WriterStoppedError(`the submission writer thread stopped (${why}); nothing of its batch was acknowledged`)
			);
		};
		w.on('error', (error) => stopped(error.message));
		w.on('exit', (code) => stopped(`exit code ${code}`));
		return w;
	};
	const current = async (): Promise<Worker> => {
		if (worker) return worker;
		starting ??= spawn().finally(() => (starting = null));
		const w = await starting;
		// A thread that stopped as it started is not kept: the next batch starts another.
		if (gone.has(w)) throw new Error('it stopped as it started');
		return (worker = w);
	};

	return {
		get committed() {
			return committed;
		},
		get waiting() {
			return pending.size;
		},
		async commit(batch) {
			if (closed) throw new WriterStoppedError('the submission writer is closed');
			let w: Worker;
			try {
				w = await current();
			} catch (error) {
				throw new WriterStoppedError(`the submission writer thread could not start: ${(error as Error).message}`);
			}
			return new Promise<BatchOutcome[]>((resolve, reject) => {
				const id = ++next;
				pending.set(id, { resolve, reject });
				w.ref();
				w.postMessage({ kind: 'commit', id, batch } satisfies WriterRequest);
			});
		},
		async kill() {
			const w = worker;
			if (w) await w.terminate();
		},
		async close() {
			closed = true;
			const w = worker ?? (starting ? await starting.catch(() => null) : null);
			worker = null;
			if (!w) return;
			w.ref();
			await new Promise<void>((resolve) => {
				w.once('exit', () => resolve());
				w.on('message', (m: WriterReply) => {
					if ('closed' in m) void w.terminate();
				});
				w.postMessage({ kind: 'close' } satisfies WriterRequest);
			});
		}
	};
}

const threads = new WeakMap<Db, WriterThread>();

/** The writer thread of this database if grouped commits go to one (writerThreadEnabled and an SQLite file). */
export function writerThreadFor(db: Db): WriterThread | null {
	if (!writerThreadEnabled()) return null;
	let t = threads.get(db);
	if (t) return t;
	const file = sqliteFileOf(db);
	if (!file) return null;
	threads.set(db, (t = writerThread(file)));
	// Closed before the main connection (its connection is then not the last: the main one's close checkpoints).
	beforeClose(db, t.close);
	return t;
}
