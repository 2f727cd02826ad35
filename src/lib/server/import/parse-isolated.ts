import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ImportFileError } from './errors';
import type { ParsedSheet } from './parse';
import { PARSE_CONCURRENCY, PARSE_QUEUE, PARSE_TIMEOUT_MS, PARSE_WORKER_HEAP_MB } from './limits';
import type { ParseReply } from './parse-worker';

/*
 * Reads uploads in a worker thread with its own heap limit and a time limit:
 * whatever a file does to the parser (inflate to gigabytes, loop for minutes),
 * the worker is ended and the officer told why, while the server goes on
 * answering. One file is read at a time, a few wait their turn, and more are
 * turned away, so memory stays bounded however many officers upload at once.
 */

let running = 0;
const waiting: (() => void)[] = [];

async function turn(): Promise<() => void> {
	if (running >= PARSE_CONCURRENCY) {
		if (waiting.length >= PARSE_QUEUE)
			throw new ImportFileError('Other files are being read just now. Try again in a minute.');
		await new Promise<void>((resolve) => waiting.push(resolve));
	}
	running++;
	return () => {
		running--;
		waiting.shift()?.();
	};
}

/** The sheet and the file's SHA-256 (the stable ids are made from it). */
export async function parseUploadIsolated(
	buf: Uint8Array,
	filename: string,
	opts: { timeoutMs?: number; heapMb?: number } = {}
): Promise<{ sheet: ParsedSheet; sha256: string }> {
	const done = await turn();
	try {
		return await runWorker(buf, filename, opts.timeoutMs ?? PARSE_TIMEOUT_MS, opts.heapMb ?? PARSE_WORKER_HEAP_MB);
	} finally {
		done();
	}
}

async function runWorker(
	buf: Uint8Array,
	filename: string,
	timeoutMs: number,
	heapMb: number
): Promise<{ sheet: ParsedSheet; sha256: string }> {
	const { PARSE_WORKER_URL, PARSE_WORKER_ROLE } = await import('./parse-worker');
	const worker = startWorker(PARSE_WORKER_URL, { role: PARSE_WORKER_ROLE }, heapMb);
	const seconds = Math.round(timeoutMs / 1000);
	try {
		const reply = await new Promise<ParseReply>((resolve, reject) => {
			const timer = setTimeout(
				() =>
					reject(
						new ImportFileError(
							`The file took more than ${seconds} seconds to read, so reading it was stopped. Check it holds only the responses (one sheet, one header row) or export it as CSV UTF-8.`
						)
					),
				timeoutMs
			);
			const settle = () => clearTimeout(timer);
			worker.once('message', (m: ParseReply) => (settle(), resolve(m)));
			worker.once('error', (e: Error & { code?: string }) => {
				settle();
				if (e.code === 'ERR_WORKER_OUT_OF_MEMORY')
					reject(
						new ImportFileError(
							`The file needs more memory to read than the import allows (${heapMb} MB), so reading it was stopped. Check it holds only the responses (one sheet, one header row) or export it as CSV UTF-8.`
						)
					);
				else reject(e);
			});
			worker.once(
				'exit',
				(code) => (settle(), reject(new Error(`import parsing worker exited with code ${code} before answering`)))
			);
			// Handed over, not copied, when the caller's buffer is its own (the upload's arrayBuffer()).
			const own = buf.byteOffset === 0 && buf.byteLength === buf.buffer.byteLength && buf.buffer instanceof ArrayBuffer;
			const bytes = own ? (buf.buffer as ArrayBuffer) : buf.slice().buffer;
			worker.postMessage({ bytes, filename }, [bytes]);
		});
		if ('refused' in reply) throw new ImportFileError(reply.refused);
		if ('failed' in reply) throw new Error(`import parsing failed: ${reply.failed}`);
		return reply;
	} finally {
		await worker.terminate();
	}
}

/**
 * From the built server the worker is the bundled chunk itself. From TypeScript
 * sources (vite dev, vitest) it is parse-worker.ts, which needs tsx's loader in
 * the worker: on Node 20 the parent's hooks do not reach worker threads, so a
 * small bootstrap registers tsx through its API, then imports the module (the
 * same approach as src/lib/themes/parallel.ts). Also the submission writer's (survey/writer-thread.ts).
 */
export function startWorker(url: string, workerData: unknown, heapMb?: number): Worker {
	const resourceLimits =
		heapMb === undefined ? undefined : { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 };
	if (!url.endsWith('.ts')) return new Worker(new URL(url), { workerData, resourceLimits });
	const boot = `import(${JSON.stringify(tsxEsmApi())}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url)}); });`;
	return new Worker(boot, { eval: true, workerData, resourceLimits });
}

function tsxEsmApi(): string {
	const require = createRequire(import.meta.url);
	const pkgFile = require.resolve('tsx/package.json');
	const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8')) as {
		exports: Record<string, { import: { default: string } }>;
	};
	return pathToFileURL(path.join(path.dirname(pkgFile), pkg.exports['./esm/api'].import.default)).href;
}
