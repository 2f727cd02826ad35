/**
 * The safeguarding work that runs off the main thread, so that the request path never waits for it.
 *
 * Training: one worker per run evaluates the kernel's own source (see src/lib/safeguarding/ranker/kernel.ts for
 * why), so this works the same from the Vite-built server, vitest and tsx.
 *
 * Screening (the backfill of stale risk scores after a scoring-version bump, ranker.ts): the screen is a module
 * graph (lexicon, vocabulary, built-in model), not one self-contained function, so this module is both sides, as
 * themes/engine-worker.ts is: imported normally it exports `ScreeningThread`, the client; loaded as a worker (its
 * own URL with `workerData.riskScreen`) it screens the texts it is sent. ranker.ts imports it dynamically, so in the
 * built server it is a chunk of its own and the worker loads only the screen, not the rest of the server.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { rankerKernel, type RankerModel } from '../../safeguarding/ranker/index';
import { screenAnswer, type ScreenResult } from '../../safeguarding/index';
import { WorkerClient, type WorkerReply } from '../../themes/worker-client';

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

type ScreenRequest = { texts: string[] };

if (!isMainThread && (workerData as { riskScreen?: number } | null)?.riskScreen === 1) {
	parentPort!.on('message', (req: ScreenRequest & { id: number }) => {
		let reply: WorkerReply;
		try {
			reply = { id: req.id, result: req.texts.map((t) => screenAnswer(t)) };
		} catch (e) {
			reply = { id: req.id, error: e instanceof Error ? e.message : String(e) };
		}
		parentPort!.postMessage(reply);
	});
}

/**
 * One screening worker thread (WorkerClient), started on first use and kept until `stop()` (a backfill screens
 * thousands of batches: starting the screen once costs far more than one batch). Requests are answered in order; if
 * the worker dies, what is pending fails.
 */
export class ScreeningThread extends WorkerClient<ScreenRequest> {
	constructor() {
		super(new URL(import.meta.url), { riskScreen: 1 }, 'screening worker', 'screening worker: ');
	}

	/** The screen's verdict on each text, in order (screenAnswer, computed in the worker). */
	screen(texts: string[]): Promise<ScreenResult[]> {
		return this.request({ texts });
	}
}
