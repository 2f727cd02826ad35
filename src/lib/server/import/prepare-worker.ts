/**
 * The import's answer-preparing worker: screens and redacts (prepareAnswerText) the
 * answers of a large import in a thread of its own, batch by batch, while the main
 * thread only writes. Screening is most of the CPU an import costs (about 7,000–9,000
 * answers a second on one core), and on the main thread every slice of it was a slice
 * that survey submissions waited behind (issue #11: p99 3.2× idle during a 20,000-row
 * commit). The worker is long-lived for one commit (prepare-isolated.ts).
 *
 * As with parse-worker.ts, the main thread imports this module only to learn its URL
 * after bundling; the screening modules load inside the worker.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { PreparedText } from '../submissions/answer-pipeline';

export const PREPARE_WORKER_URL = import.meta.url;
export const PREPARE_WORKER_ROLE = 'import-prepare';

export type PrepareRequest = { id: number; texts: string[] };
export type PrepareReply = { id: number; prepared: PreparedText[] } | { id: number; failed: string };

if (!isMainThread && (workerData as { role?: string } | null)?.role === PREPARE_WORKER_ROLE) {
	const pipeline = import('../submissions/answer-pipeline');
	parentPort!.on('message', async ({ id, texts }: PrepareRequest) => {
		let reply: PrepareReply;
		try {
			const { prepareAnswerText } = await pipeline;
			reply = { id, prepared: texts.map((t) => prepareAnswerText(t)) };
		} catch (e) {
			reply = { id, failed: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
		}
		parentPort!.postMessage(reply);
	});
	// Tell the main thread the modules are loaded, so its first batch is not charged for it.
	void pipeline.then(
		() => parentPort!.postMessage({ id: -1, prepared: [] } satisfies PrepareReply),
		(e) => parentPort!.postMessage({ id: -1, failed: String(e) } satisfies PrepareReply)
	);
}
