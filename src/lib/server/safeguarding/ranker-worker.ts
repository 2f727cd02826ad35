/**
 * Runs one ranker training in a worker thread, so that the request path never waits for it.
 * The worker evaluates the kernel's own source (see src/lib/safeguarding/ranker/kernel.ts for
 * why), so this works the same from the Vite-built server, vitest and tsx.
 */
import { Worker } from 'node:worker_threads';
import { rankerKernel, type RankerModel } from '../../safeguarding/ranker/index';

export interface RankerJob {
	scopes: { consultationId: number | null; examples: { text: string; label: 0 | 1 }[] }[];
	answers: { id: number; consultationId: number; text: string }[];
}

export interface RankerResult {
	models: { consultationId: number | null; model: RankerModel }[];
	scores: [number, number | null][];
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
// tsx (esbuild keepNames) wraps inner functions in __name(fn, "name"); the worker has no such helper.
var __name = (fn) => fn;
const kernel = (${rankerKernel.toString()})();
try {
	parentPort.postMessage({ ok: kernel.run(workerData) });
} catch (error) {
	parentPort.postMessage({ error: error && error.message ? error.message : String(error) });
}
`;

export function runRankerInWorker(job: RankerJob): Promise<RankerResult> {
	return new Promise((resolve, reject) => {
		const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: job });
		let settled = false;
		worker.once('message', (msg: { ok?: RankerResult; error?: string }) => {
			settled = true;
			if (msg.ok) resolve(msg.ok);
			else reject(new Error(`ranker worker: ${msg.error}`));
			void worker.terminate();
		});
		worker.once('error', (e) => {
			if (!settled) reject(e);
			settled = true;
		});
		worker.once('exit', (code) => {
			if (!settled) reject(new Error(`ranker worker exited (code ${code}) before it finished`));
			settled = true;
		});
	});
}
