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
import { startModuleWorker } from '../../themes/parallel';

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

type ScreenRequest = { id: number; texts: string[] };
type ScreenReply = { id: number; screens: ScreenResult[] } | { id: number; error: string };

if (!isMainThread && (workerData as { riskScreen?: number } | null)?.riskScreen === 1) {
	parentPort!.on('message', (req: ScreenRequest) => {
		let reply: ScreenReply;
		try {
			reply = { id: req.id, screens: req.texts.map((t) => screenAnswer(t)) };
		} catch (e) {
			reply = { id: req.id, error: e instanceof Error ? e.message : String(e) };
		}
		parentPort!.postMessage(reply);
	});
}

/**
 * One screening worker thread, started on first use and kept until `stop()` (a backfill screens thousands of
 * batches: starting the screen once costs far more than one batch). Requests are answered in order; if the
 * worker dies, what is pending fails.
 */
export class ScreeningThread {
	private worker: Worker | null = null;
	private next = 1;
	private pending = new Map<number, { resolve: (v: ScreenResult[]) => void; reject: (e: Error) => void }>();

	private ensure(): Worker {
		if (this.worker) return this.worker;
		const w = startModuleWorker(new URL(import.meta.url), { riskScreen: 1 });
		w.unref();
		const failAll = (e: Error) => {
			if (this.worker === w) this.worker = null;
			for (const p of this.pending.values()) p.reject(e);
			this.pending.clear();
		};
		w.on('message', (reply: ScreenReply) => {
			const p = this.pending.get(reply.id);
			if (!p) return;
			this.pending.delete(reply.id);
			if (this.pending.size === 0) w.unref();
			if ('error' in reply) p.reject(new Error(`screening worker: ${reply.error}`));
			else p.resolve(reply.screens);
		});
		w.on('error', (e) => failAll(e instanceof Error ? e : new Error(String(e))));
		w.on('exit', (code) => failAll(new Error(`the screening worker stopped (exit code ${code})`)));
		this.worker = w;
		return w;
	}

	/** The screen's verdict on each text, in order (screenAnswer, computed in the worker). */
	screen(texts: string[]): Promise<ScreenResult[]> {
		const w = this.ensure();
		const id = this.next++;
		// Keep the process alive while an answer is due, not otherwise.
		w.ref();
		return new Promise((resolve, reject) => {
			this.pending.set(id, { resolve, reject });
			w.postMessage({ id, texts } satisfies ScreenRequest);
		});
	}

	async stop(): Promise<void> {
		const w = this.worker;
		this.worker = null;
		if (w) await w.terminate();
	}
}
