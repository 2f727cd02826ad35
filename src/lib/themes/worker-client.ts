/**
 * The client side of one long-lived module worker thread (themes/engine-worker.ts's EngineThread,
 * safeguarding/ranker-worker.ts's ScreeningThread): the worker starts on the first request; each request is
 * numbered and its reply (`{ id, result }` or `{ id, error }`) settles it; the process is kept alive only while a
 * reply is due. If the worker dies, what is pending fails and the next request starts a new worker (`generation`
 * counts the starts: what an earlier worker held is gone). `stop()` ends it (shutdown, tests). Node only.
 */
import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from './parallel';

/** What a worker sends back for request `id`. */
export type WorkerReply = { id: number; result: unknown } | { id: number; error: string };

export class WorkerClient<Req extends object> {
	private worker: Worker | null = null;
	private next = 1;
	private pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
	/** Incremented each time a worker starts. */
	generation = 0;

	/**
	 * @param url the worker module (its own `import.meta.url`), started with `workerData`
	 * @param name the worker in the words of an error: "the <name> stopped (exit code 1)"
	 * @param errorPrefix put before an error the worker replies with
	 */
	constructor(
		private readonly url: URL,
		private readonly workerData: Record<string, unknown>,
		private readonly name: string,
		private readonly errorPrefix = ''
	) {}

	private ensure(): Worker {
		if (this.worker) return this.worker;
		const w = startModuleWorker(this.url, this.workerData);
		this.generation++;
		w.unref();
		const failAll = (e: Error) => {
			if (this.worker === w) this.worker = null;
			for (const p of this.pending.values()) p.reject(e);
			this.pending.clear();
		};
		w.on('message', (reply: WorkerReply) => {
			const p = this.pending.get(reply.id);
			if (!p) return;
			this.pending.delete(reply.id);
			if (this.pending.size === 0) w.unref();
			if ('error' in reply) p.reject(new Error(`${this.errorPrefix}${reply.error}`));
			else p.resolve(reply.result);
		});
		w.on('error', (e) => failAll(e instanceof Error ? e : new Error(String(e))));
		w.on('exit', (code) => failAll(new Error(`the ${this.name} stopped (exit code ${code})`)));
		this.worker = w;
		return w;
	}

	/** Sends `req` (numbered here) and resolves with the worker's result. */
	protected request<T>(req: Req): Promise<T> {
		const w = this.ensure();
		const id = this.next++;
		// Keep the process alive while an answer is due (a CLI awaiting coding), not otherwise.
		w.ref();
		return new Promise<T>((resolve, reject) => {
			this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
			w.postMessage({ ...req, id });
		});
	}

	/** Stops the worker; what it held is lost. */
	async stop(): Promise<void> {
		const w = this.worker;
		this.worker = null;
		if (w) await w.terminate();
	}
}
