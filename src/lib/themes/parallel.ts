/**
 * `codeAnswersParallel`: `codeAnswers` spread over worker threads, for big batches in the CLI and
 * the benchmark. Node only (node:worker_threads): deliberately NOT exported from index.ts, so that
 * nothing the app bundles pulls it in; the app keeps calling the synchronous `codeAnswers`.
 *
 * Each worker rebuilds the coder from the serialised model once (`loadCoder`), then codes chunks of
 * answers handed out from a queue. Coding is a pure function of the model and the text, so the
 * results are identical to `codeAnswers(coder, answers)`, in the same order.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ChunkReply, ChunkRequest } from './code-worker';
import { codeAnswers, type Answer, type Coder, type CodingResult, type ThemeScore } from './coder';

export interface ParallelOptions {
	/**
	 * threads coding in all, this one included (default: the CPUs this process may use, at most 8).
	 * The calling thread codes chunks too while the workers start and run; ≤ 1 = `codeAnswers`.
	 */
	workers?: number;
	/** answers per chunk handed to a thread (default 1,000) */
	chunkSize?: number;
	/** batches smaller than this are coded in this thread only: a worker costs ~1 s to start (default 5,000) */
	minAnswers?: number;
}

export function defaultWorkers(): number {
	const cpus = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
	return Math.max(1, Math.min(8, cpus));
}

/** Code many answers on worker threads and this one; same results, same order as `codeAnswers`. */
export async function codeAnswersParallel(
	coder: Coder,
	answers: Answer[],
	options: ParallelOptions = {}
): Promise<CodingResult[]> {
	const chunkSize = Math.max(1, options.chunkSize ?? 1000);
	const chunks = Math.ceil(answers.length / chunkSize);
	const threads = Math.min(options.workers ?? defaultWorkers(), chunks);
	if (threads <= 1 || answers.length < (options.minAnswers ?? 5000)) return codeAnswers(coder, answers);

	const themeIds = coder.model.themes.map((t) => t.id);
	const results: CodingResult[] = new Array(answers.length);
	const model = JSON.stringify(coder.model);
	const pool: Worker[] = [];
	try {
		await new Promise<void>((resolve, reject) => {
			let next = 0;
			let done = 0;
			let failed = false;
			const fail = (e: unknown) => {
				if (failed) return;
				failed = true;
				reject(e instanceof Error ? e : new Error(String(e)));
			};
			const finished = () => {
				if (++done === chunks) resolve();
			};
			const send = (w: Worker) => {
				if (next >= chunks || failed) return;
				const chunk = next++;
				const slice = answers.slice(chunk * chunkSize, (chunk + 1) * chunkSize);
				const texts = slice.map((a) => a.text);
				const perspectives = slice.some((a) => a.perspective) ? slice.map((a) => a.perspective ?? null) : undefined;
				w.postMessage({ chunk, texts, perspectives } satisfies ChunkRequest);
			};
			for (let i = 1; i < threads; i++) {
				const w = startWorker({ model });
				pool.push(w);
				w.on('error', fail);
				w.on('exit', (code) => {
					if (done < chunks) fail(new Error(`coding worker exited (code ${code}) before the batch was coded`));
				});
				w.on('message', (reply: ChunkReply) => {
					if (failed) return;
					if ('error' in reply) return fail(new Error(`coding worker: ${reply.error}`));
					const { chunk, counts, themes, confidences } = reply;
					let p = 0;
					for (let i = 0; i < counts.length; i++) {
						const k = chunk * chunkSize + i;
						const scores: ThemeScore[] = [];
						for (let j = 0; j < counts[i]; j++, p++)
							scores.push({ id: themeIds[themes[p]], confidence: confidences[p] });
						results[k] = { id: answers[k].id, themes: scores };
					}
					send(w);
					finished();
				});
				// Two chunks in flight per worker, so that it never waits for its next message.
				send(w);
				send(w);
			}
			// This thread takes chunks from the same queue, one at a time, letting the workers'
			// messages in between.
			const codeHere = () => {
				if (failed || next >= chunks) return;
				const chunk = next++;
				const end = Math.min(answers.length, (chunk + 1) * chunkSize);
				try {
					for (let k = chunk * chunkSize; k < end; k++)
						results[k] = { id: answers[k].id, themes: coder.code(answers[k].text, answers[k].perspective) };
				} catch (e) {
					return fail(e);
				}
				finished();
				setImmediate(codeHere);
			};
			setImmediate(codeHere);
		});
	} finally {
		await Promise.all(pool.map((w) => w.terminate()));
	}
	return results;
}

/**
 * Start one coding worker. From compiled JavaScript the worker is code-worker.js. From TypeScript
 * sources (tsx, vitest) it is code-worker.ts, which needs tsx's loader inside the worker: on Node 20
 * neither the parent's `tsx` hooks nor `execArgv: ['--import', 'tsx']` reach a worker thread
 * (nodejs/node#47747, privatenumber/tsx#354), so a small bootstrap registers tsx through its API
 * (`tsx/esm/api`, resolved from here) and then imports the worker module.
 */
function startWorker(workerData: unknown): Worker {
	const fromTs = import.meta.url.endsWith('.ts');
	return startModuleWorker(new URL(fromTs ? './code-worker.ts' : './code-worker.js', import.meta.url), workerData);
}

/**
 * A worker thread running the ES module at `url`: directly when it is JavaScript (the built app,
 * compiled CLI), through the tsx bootstrap below when it is a TypeScript source (tsx, vitest, vite dev).
 */
export function startModuleWorker(url: URL, workerData: unknown): Worker {
	if (!url.pathname.endsWith('.ts')) return new Worker(url, { workerData });
	const api = tsxEsmApi();
	const boot = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`;
	return new Worker(boot, { eval: true, workerData });
}

/** file: URL of tsx's ESM API (the package's `./esm/api` import entry). */
function tsxEsmApi(): string {
	const pkgFile = createRequire(import.meta.url).resolve('tsx/package.json');
	const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8')) as {
		exports: Record<string, { import: { default: string } }>;
	};
	return pathToFileURL(path.join(path.dirname(pkgFile), pkg.exports['./esm/api'].import.default)).href;
}
