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
import fs from 'node:fs';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { WorkerClient, type WorkerReply } from '../../themes/worker-client';
import type { Db } from '../db/connect';
import type { CheckpointResult, Checkpointer } from '../db/checkpointer';
import type { Verdicts } from './recode';

/** One chunk to store: what `storeVerdicts` takes, in a form that can be posted. */
export interface StoreChunk {
	key: string;
	themeIds: [string, number][];
	answerIds: number[];
	verdicts: Verdicts;
	progress: { questionId: number; done: number } | null;
}

/** What the client sends: a chunk to store, or (CODING_PROFILE=1) a request for the profile so far. */
type Sent = { op: 'store'; chunk: StoreChunk } | { op: 'profile' } | { op: 'checkpoints' };

/**
 * Where the writer connection's checkpoints run (`CodingWriter.checkpoints`, for tests): its automatic checkpoint's
 * distance (log pages), and, when they run on a checkpoint thread, the result of one checkpoint run there now.
 */
export interface WriterCheckpoints {
	autocheckpoint: number;
	background: CheckpointResult | null;
}
type Request = Sent & { id: number };

/** One statement shape's (or one chunk-size band's) count, wall ms and this thread's CPU ms. */
export interface ProfileEntry {
	n: number;
	ms: number;
	cpuMs: number;
}

/**
 * What `CODING_PROFILE=1` collects on the writer thread (the bench's `coding-run.ts` prints it): each better-sqlite3
 * call's wall and CPU time summed by statement text, and the chunks' transactions by size band (answers, rounded
 * down to a power of two), so that the cost a chunk pays whatever its size shows as the per-answer cost of small
 * chunks.
 */
export interface WriterProfile {
	statements: Record<string, ProfileEntry>;
	chunks: Record<string, ProfileEntry & { answers: number }>;
}

/** CPU ms so far of the calling thread (Linux schedstat), or NaN. */
function threadCpuMs(): number {
	try {
		return Number(fs.readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
	} catch {
		return NaN;
	}
}

/** Wraps better-sqlite3's statement calls in this thread to sum their times into `into` (CODING_PROFILE=1). */
async function profileStatements(into: Record<string, ProfileEntry>): Promise<void> {
	const { default: BetterSqlite } = await import('better-sqlite3');
	const probe = new BetterSqlite(':memory:');
	const proto = Object.getPrototypeOf(probe.prepare('select 1')) as Record<string, (...a: unknown[]) => unknown>;
	probe.close();
	for (const method of ['run', 'all', 'get', 'iterate'] as const) {
		const original = proto[method];
		proto[method] = function (this: { source: string }, ...args: unknown[]) {
			const t0 = performance.now();
			const c0 = threadCpuMs();
			try {
				return original.apply(this, args);
			} finally {
				const key = this.source.replace(/\s+/g, ' ').slice(0, 110);
				const e = (into[key] ??= { n: 0, ms: 0, cpuMs: 0 });
				e.n++;
				e.ms += performance.now() - t0;
				e.cpuMs += threadCpuMs() - c0;
			}
		};
	}
}

function serve(file: string): void {
	const profiling = process.env.CODING_PROFILE === '1';
	const profile: WriterProfile = { statements: {}, chunks: {} };
	const ready = Promise.all([
		import('../db/connect'),
		import('./recode'),
		import('../db/checkpointer'),
		import('../../analysis/switches'),
		import('kysely'),
		profiling ? profileStatements(profile.statements) : null
	]).then(([connect, recode, checkpoints, switches, { sql }]) => {
		const db = connect.openSqliteWriter(file) as Db;
		let checkpointer: Checkpointer | null = null;
		let inline: boolean | null = null;
		/**
		 * Before each chunk: where this connection's checkpoints run. By default on a checkpoint thread of its own
		 * (db/checkpointer.ts, as the main connection's): SQLite's automatic checkpoint far off (10,000 log pages, the
		 * main connection's backstop), and after each chunk's COMMIT a PASSIVE checkpoint at most every
		 * SQLITE_CHECKPOINT_MS. `CODING_WRITER_CHECKPOINT=off` (or SQLITE_CHECKPOINT=inline) keeps SQLite's own
		 * automatic checkpoint every 1,000 pages inside the COMMIT on this thread (the before).
		 */
		const checkpointMode = async () => {
			const want =
				switches.envSwitch('CODING_WRITER_CHECKPOINT') === 'off' || process.env.SQLITE_CHECKPOINT === 'inline';
			if (want !== inline) await sql.raw(`pragma wal_autocheckpoint = ${want ? 1000 : 10000}`).execute(db);
			inline = want;
			if (!inline) checkpointer ??= checkpoints.backgroundCheckpointer(file);
		};
		return {
			db,
			storeVerdicts: recode.storeVerdicts,
			checkpointMode,
			checkpoints: async (): Promise<WriterCheckpoints> => {
				const [row] = (await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(db)).rows;
				return {
					autocheckpoint: Number(row.wal_autocheckpoint),
					background: !inline && checkpointer ? await checkpointer.checkpoint() : null
				};
			},
			afterCommit: () => {
				if (!inline) checkpointer?.afterWrite();
			}
		};
	});
	// One chunk at a time, in the order posted.
	let queue: Promise<void> = Promise.resolve();
	parentPort!.on('message', (req: Request) => {
		queue = queue.then(async () => {
			let reply: WorkerReply;
			if (req.op === 'profile') {
				await ready;
				const out = structuredClone(profile);
				for (const k of Object.keys(profile.statements)) delete profile.statements[k];
				profile.chunks = {};
				parentPort!.postMessage({ id: req.id, result: out } satisfies WorkerReply);
				return;
			}
			if (req.op === 'checkpoints') {
				parentPort!.postMessage({ id: req.id, result: await (await ready).checkpoints() } satisfies WorkerReply);
				return;
			}
			try {
				const { db, storeVerdicts, checkpointMode, afterCommit } = await ready;
				const { chunk } = req;
				await checkpointMode();
				const started = performance.now();
				const cpu0 = profiling ? threadCpuMs() : 0;
				await storeVerdicts(
					db,
					{ key: chunk.key, themeIds: new Map(chunk.themeIds) },
					chunk.answerIds.map((id) => ({ id })),
					chunk.verdicts,
					chunk.progress
				);
				const ms = performance.now() - started;
				afterCommit();
				if (profiling) {
					const band = String(2 ** Math.floor(Math.log2(chunk.answerIds.length)));
					const e = (profile.chunks[band] ??= { n: 0, ms: 0, cpuMs: 0, answers: 0 });
					e.n++;
					e.ms += ms;
					e.cpuMs += threadCpuMs() - cpu0;
					e.answers += chunk.answerIds.length;
				}
				reply = { id: req.id, result: ms };
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
export class CodingWriter extends WorkerClient<Sent> {
	constructor(file: string) {
		super(new URL(import.meta.url), { codingWriter: file }, 'coding writer thread');
	}

	/** Stores one chunk and resolves with how long its transaction took (ms) once it has committed. */
	store(chunk: StoreChunk): Promise<number> {
		return this.request({ op: 'store', chunk });
	}

	/** Where this writer's checkpoints run (tests): see WriterCheckpoints. */
	checkpoints(): Promise<WriterCheckpoints> {
		return this.request({ op: 'checkpoints' });
	}

	/** With CODING_PROFILE=1 (read when the thread started): what it has collected since the last call, then reset. */
	profile(): Promise<WriterProfile> {
		return this.request({ op: 'profile' });
	}
}
