/**
 * The parsing worker's entry: reads one uploaded file with parseUpload and
 * posts back the sheet or the reason it was refused. It runs in a worker
 * thread with its own heap limit (parse-isolated.ts), so a file that needs
 * gigabytes ends this thread, never the server.
 *
 * The main thread imports this module only to learn its own URL after
 * bundling (the built server keeps it as a chunk of its own because it is
 * imported dynamically); its work, and the loading of exceljs and papaparse,
 * start only inside the worker.
 */
import { createHash } from 'node:crypto';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { ImportFileError } from './errors';
import type { ParsedSheet } from './parse';

export const PARSE_WORKER_URL = import.meta.url;
export const PARSE_WORKER_ROLE = 'import-parse';

export type ParseReply = { sheet: ParsedSheet; sha256: string } | { refused: string } | { failed: string };

if (!isMainThread && (workerData as { role?: string } | null)?.role === PARSE_WORKER_ROLE) {
	parentPort!.once('message', async ({ bytes, filename }: { bytes: ArrayBuffer; filename: string }) => {
		let reply: ParseReply;
		try {
			// Loaded here, inside the worker: the main thread never loads the spreadsheet libraries.
			const { parseUpload } = await import('./parse');
			const buf = new Uint8Array(bytes);
			// Hashed here too, so that the main thread does no per-byte work on a 10 MB file.
			reply = { sheet: await parseUpload(buf, filename), sha256: createHash('sha256').update(buf).digest('hex') };
		} catch (e) {
			reply =
				e instanceof ImportFileError
					? { refused: e.message }
					: { failed: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
		}
		parentPort!.postMessage(reply);
	});
}
