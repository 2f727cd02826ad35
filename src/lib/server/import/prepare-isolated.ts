import type { Worker } from 'node:worker_threads';
import type { PreparedText } from '../submissions/answer-pipeline';
import type { PrepareReply } from './prepare-worker';
import { startWorker } from './parse-isolated';

/*
 * Screens and redacts an import's answers in a worker thread (prepare-worker.ts), so that the
 * main thread, which every request shares, only writes. One worker per commit, asked for one
 * batch at a time; the caller keeps a batch in flight while it writes the previous one.
 */

/** Heap of the preparing worker: texts of one batch and the screening tables. */
const PREPARE_WORKER_HEAP_MB = 96;

export interface Preparer {
	prepare(texts: string[]): Promise<PreparedText[]>;
	close(): Promise<void>;
}

/** Starts the worker and waits until its modules are loaded; rejects when it cannot start. */
export async function startPreparer(): Promise<Preparer> {
	const { PREPARE_WORKER_URL, PREPARE_WORKER_ROLE } = await import('./prepare-worker');
	const worker: Worker = startWorker(PREPARE_WORKER_URL, { role: PREPARE_WORKER_ROLE }, PREPARE_WORKER_HEAP_MB);
	const waiting = new Map<number, { resolve: (p: PreparedText[]) => void; reject: (e: Error) => void }>();
	let broken: Error | null = null;
	const failAll = (e: Error) => {
		broken ??= e;
		for (const w of waiting.values()) w.reject(broken);
		waiting.clear();
	};
	worker.on('message', (m: PrepareReply) => {
		const w = waiting.get(m.id);
		if (!w) return;
		waiting.delete(m.id);
		if ('failed' in m) w.reject(new Error(`import preparing failed: ${m.failed}`));
		else w.resolve(m.prepared);
	});
	worker.on('error', (e) => failAll(e));
	worker.on('exit', (code) => failAll(new Error(`import preparing worker exited with code ${code}`)));
	let nextId = 0;
	const ask = (id: number, texts?: string[]) =>
		new Promise<PreparedText[]>((resolve, reject) => {
			if (broken) return reject(broken);
			waiting.set(id, { resolve, reject });
			if (texts) worker.postMessage({ id, texts });
		});
	try {
		await ask(-1); // the worker's "ready"
	} catch (e) {
		await worker.terminate();
		throw e;
	}
	return {
		prepare: (texts) => ask(nextId++, texts),
		close: async () => {
			await worker.terminate();
		}
	};
}
