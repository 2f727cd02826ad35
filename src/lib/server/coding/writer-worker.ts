/**
 * The coder's writer thread (issue #19, SQLite files only): its own connection to the server's database file
 * (db/connect.ts `openSqliteWriter`) writes each chunk of the engine's verdicts (recode.ts `storeVerdicts`: the
 * codings, the aggregates' deltas, `coded_at`, a recode's progress, and the COMMIT) off the event loop. With
 * better-sqlite3 every statement of a chunk otherwise ran on the server's main thread, and the chunks were kept at
 * 100 answers (a few tens of ms each) so that no request waited long: a thousand commits and their fixed cost per
 * 100,000 answers. Here a chunk holds only the write lock (readers go on beside it, WAL), so chunks are sized by
 * how long the lock is held (`CODING_WRITER_CHUNK_MS`), and the engine's thread codes the next chunk while this
 * one writes: two cores.
 *
 * This one module is both sides, like themes/engine-worker.ts: imported normally it exports `CodingWriter`, the
 * client; loaded as a worker (`workerData.codingWriter`) it serves. The app imports it dynamically, so in the
 * built server it is a chunk of its own.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { WorkerClient, type WorkerReply } from '../../themes/worker-client';
import type { Db } from '../db/connect';
import type { Verdicts } from './recode';

/** One chunk to store: what `storeVerdicts` takes, in a form that can be posted. */
export interface StoreChunk {
	key: string;
	themeIds: [string, number][];
	answerIds: number[];
	verdicts: Verdicts;
	progress: { questionId: number; done: number } | null;
}

type Request = { id: number; op: 'store'; chunk: StoreChunk };

function serve(file: string): void {
	const ready = Promise.all([import('../db/connect'), import('./recode')]).then(([connect, recode]) => ({
		db: connect.openSqliteWriter(file) as Db,
		storeVerdicts: recode.storeVerdicts
	}));
	// One chunk at a time, in the order posted.
	let queue: Promise<void> = Promise.resolve();
	parentPort!.on('message', (req: Request) => {
		queue = queue.then(async () => {
			let reply: WorkerReply;
			try {
				const { db, storeVerdicts } = await ready;
				const { chunk } = req;
				const started = performance.now();
				await storeVerdicts(
					db,
					{ key: chunk.key, themeIds: new Map(chunk.themeIds) },
					chunk.answerIds.map((id) => ({ id })),
					chunk.verdicts,
					chunk.progress
				);
				reply = { id: req.id, result: performance.now() - started };
			} catch (e) {
				reply = { id: req.id, error: e instanceof Error ? e.message : String(e) };
			}
			parentPort!.postMessage(reply);
		});
	});
}

const data = workerData as { codingWriter?: string } | null;
if (!isMainThread && typeof data?.codingWriter === 'string') serve(data.codingWriter);

/**
 * Client of one coding writer thread for the SQLite file `file`, started on first use (WorkerClient). If the
 * thread dies mid-chunk, that chunk's transaction is not committed (SQLite rolls it back) and its `store` fails;
 * the coding is then resumed as any interrupted run (`coded_at`, a recode's stored progress).
 */
export class CodingWriter extends WorkerClient<Omit<Request, 'id'>> {
	constructor(file: string) {
		super(new URL(import.meta.url), { codingWriter: file }, 'coding writer thread');
	}

	/** Stores one chunk and resolves with how long its transaction took (ms) once it has committed. */
	store(chunk: StoreChunk): Promise<number> {
		return this.request({ op: 'store', chunk });
	}
}
