import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * The worker's code, as a CommonJS string (a worker file would need its own entry in every build: Vite's server
 * bundle, tsx, vitest), given better-sqlite3's resolved path. Its own connection to the same database runs
 * PASSIVE checkpoints on request: SQLite copies the log's committed pages into the database file and syncs both
 * (synchronous=NORMAL), which is what SQLite's automatic checkpoint does inside a COMMIT on the event loop.
 * PASSIVE never waits for, nor blocks, the writer: a page committed while it runs is left for the next one.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = NORMAL');
parentPort.on('message', (message) => {
	if (message.kind === 'close') {
		try { db.close(); } finally { parentPort.postMessage({ closed: true }); parentPort.close(); }
		return;
	}
	if (message.kind === 'hold') {
		// Test hook (Checkpointer.holdForTest): hold a read snapshot until the test opens the gate (bounded, so a
		// broken test cannot hold the worker for ever). No answer: checkpoints asked for meanwhile wait their turn.
		const gate = new Int32Array(message.gate);
		db.exec('begin');
		try {
			db.prepare('select count(*) from sqlite_master').get();
			Atomics.store(gate, 1, 1);
			Atomics.wait(gate, 0, 0, 60000);
		} finally {
			db.exec('commit');
		}
		return;
	}
	try {
		const [r] = db.pragma('wal_checkpoint(PASSIVE)');
		parentPort.postMessage({ busy: r.busy, log: r.log, checkpointed: r.checkpointed });
	} catch (error) {
		parentPort.postMessage({ error: String((error && error.message) || error) });
	}
});
`;

export interface CheckpointResult {
	/** Frames in the log, and how many of them are now in the database file (-1, -1: not in WAL mode). */
	log: number;
	checkpointed: number;
	busy: number;
}

export interface Checkpointer {
	/** After a write: starts a checkpoint unless one runs or one started less than `intervalMs` ago. */
	afterWrite(): void;
	/** Resolves when no checkpoint runs (a writer that waits for it lets it finish, so the log can start over). */
	idle(): Promise<void>;
	/** Runs one checkpoint now (after any running) and gives its result. */
	checkpoint(): Promise<CheckpointResult>;
	/**
	 * Runs `fn` with no checkpoint of this worker running: none starts after writes meanwhile, and one in flight is
	 * awaited first. For whatever needs the log truncated or the file rewritten (retention/purge.ts reclaimSpace):
	 * SQLite's wal_checkpoint(TRUNCATE) cannot empty the log while another connection checkpoints it, and a log left
	 * unemptied keeps the old pages of deleted words. Calls may nest or overlap; checkpoints resume after the last.
	 */
	paused<T>(fn: () => Promise<T>): Promise<T>;
	/**
	 * Test hook: the worker holds a read snapshot on its connection until `release()` (no other connection can
	 * empty the log meanwhile, as while it checkpoints), and a checkpoint asked for meanwhile stays in flight until
	 * then. Writers are not held (it is not a running checkpoint). `holding()` turns true once the snapshot is held;
	 * `pausedSince()` once something has called `paused` after the hold began (it then waits for that checkpoint).
	 */
	holdForTest(): { holding(): boolean; pausedSince(): boolean; release(): void };
	/** Waits for a running checkpoint, then closes the worker's connection (the last one closes the log). */
	close(): Promise<void>;
}

/** The checkpointers of this process, by database file, so code holding only a Db can pause them (`pausedFor`). */
const byFile = new Map<string, Set<Checkpointer>>();
function fileKey(file: string): string {
	try {
		return fs.realpathSync(file);
	} catch {
		return path.resolve(file);
	}
}

/**
 * Runs `fn` with every checkpoint worker of this process on `file` paused (Checkpointer.paused). Another process's
 * worker (the server's, beside a CLI) cannot be paused from here: the caller then retries on SQLite's busy result.
 */
export async function pausedFor<T>(file: string, fn: () => Promise<T>): Promise<T> {
	const all = [...(byFile.get(fileKey(file)) ?? [])];
	const run = (i: number): Promise<T> => (i === all.length ? fn() : all[i].paused(() => run(i + 1)));
	return run(0);
}

/** This process's checkpoint workers on `file` (tests). */
export function checkpointersFor(file: string): Checkpointer[] {
	return [...(byFile.get(fileKey(file)) ?? [])];
}

/** The background checkpoint's default spacing, in ms (SQLITE_CHECKPOINT_MS unset). */
export const DEFAULT_CHECKPOINT_MS = 200;

/**
 * How long (ms) the checkpoint worker leaves between the starts of two checkpoints under writes:
 * SQLITE_CHECKPOINT_MS, 200 by default. Read at each write, so a test or an A/B can change it. Longer means fewer
 * checkpoints (fewer BEGINs that wait for one, each page rewritten many times in the log copied to the file once
 * per checkpoint) and a longer log between them; what is acknowledged, and when, does not change (the log is
 * synced before each answer either way, wal-flush.ts). The twenty-first round's A/B (docs/deployment.md).
 */
export function checkpointIntervalMs(env: NodeJS.ProcessEnv = process.env): number {
	const ms = Number(env.SQLITE_CHECKPOINT_MS);
	return env.SQLITE_CHECKPOINT_MS?.trim() && Number.isFinite(ms) && ms >= 0 ? ms : DEFAULT_CHECKPOINT_MS;
}

/**
 * SQLite's checkpoints in a worker thread, off the event loop. With synchronous=NORMAL, SQLite's automatic
 * checkpoint (every 1,000 log pages, run by the COMMIT that crosses it) copies the pages and syncs the log and
 * the database file on the connection's thread: with better-sqlite3 that is the server's one event loop, held for
 * milliseconds to hundreds of milliseconds on a busy disk while no request is read or answered
 * (docs/deployment.md, eighth round). The main connection keeps a far-off automatic checkpoint as a backstop
 * (connect.ts), and the worker checkpoints at most every `intervalMs` (checkpointIntervalMs) after writes.
 *
 * Durability is SQLite's own: a checkpoint from another connection copies only committed pages, syncing the log
 * first; the writer's log is synced before each acknowledgement as before (wal-flush.ts).
 */
export function backgroundCheckpointer(file: string, intervalMs?: number): Checkpointer {
	let running: Promise<CheckpointResult> | null = null;
	let startedAt = -Infinity;
	let closed = false;
	let pauses = 0;
	// Pauses ever begun (holdForTest's pausedSince).
	let pausesBegun = 0;
	const waiting: ((r: CheckpointResult | Error) => void)[] = [];
	// A worker that failed or stopped takes no more requests (one posted to it would never be answered, and a
	// writer waiting in idle() would wait for ever): SQLite's backstop checkpoint then does the work.
	let dead: Error | null = null;
	const failAll = (error: Error) => {
		dead ??= error;
		for (const w of waiting.splice(0)) w(error);
	};
	// Started at the first write, so a database only read (a CLI, a test, a read-only page) costs no thread.
	let worker: Worker | null = null;
	const spawn = (): Worker => {
		const driver = createRequire(import.meta.url).resolve('better-sqlite3');
		const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver } });
		// A checkpoint due is no reason to keep a process alive.
		w.unref();
		w.on('message', (m: Partial<CheckpointResult> & { error?: string; closed?: boolean }) => {
			if (m.closed) return;
			waiting.shift()?.(m.error !== undefined ? new Error(m.error) : (m as CheckpointResult));
		});
		w.on('error', (error) => failAll(error));
		w.on('exit', () => failAll(new Error('the checkpoint worker stopped')));
		return w;
	};

	const start = (): Promise<CheckpointResult> => {
		try {
			worker ??= spawn();
		} catch (error) {
			failAll(error instanceof Error ? error : new Error(String(error)));
		}
		if (dead || !worker) return Promise.reject(dead);
		const w = worker;
		startedAt = performance.now();
		const p = new Promise<CheckpointResult>((resolve, reject) => {
			waiting.push((r) => (r instanceof Error ? reject(r) : resolve(r)));
			w.postMessage({ kind: 'checkpoint' });
		}).finally(() => {
			if (running === p) running = null;
		});
		running = p;
		return p;
	};
	const settled = (p: Promise<unknown> | null) => (p ? p.then(() => {}, () => {}) : Promise.resolve());

	const key = fileKey(file);
	const self: Checkpointer = {
		afterWrite() {
			const interval = intervalMs ?? checkpointIntervalMs();
			if (closed || dead || pauses > 0 || running || performance.now() - startedAt < interval) return;
			// A failed checkpoint is not a failed write: SQLite's own backstop still checkpoints (connect.ts).
			start().catch((error) => console.warn(`background checkpoint failed: ${error.message}`));
		},
		idle: () => settled(running),
		async checkpoint() {
			await settled(running);
			return start();
		},
		async paused<T>(fn: () => Promise<T>): Promise<T> {
			pauses++;
			pausesBegun++;
			try {
				await settled(running);
				return await fn();
			} finally {
				pauses--;
			}
		},
		holdForTest() {
			const buffer = new SharedArrayBuffer(8);
			const gate = new Int32Array(buffer);
			const begunBefore = pausesBegun;
			try {
				worker ??= spawn();
			} catch (error) {
				failAll(error instanceof Error ? error : new Error(String(error)));
			}
			worker?.postMessage({ kind: 'hold', gate: buffer });
			return {
				holding: () => Atomics.load(gate, 1) === 1,
				pausedSince: () => pausesBegun > begunBefore,
				release() {
					Atomics.store(gate, 0, 1);
					Atomics.notify(gate, 0);
				}
			};
		},
		async close() {
			if (closed) return;
			closed = true;
			byFile.get(key)?.delete(self);
			if (byFile.get(key)?.size === 0) byFile.delete(key);
			await settled(running);
			const w = worker;
			if (dead || !w) return;
			await new Promise<void>((resolve) => {
				w.once('exit', () => resolve());
				w.once('message', () => void w.terminate());
				w.postMessage({ kind: 'close' });
			});
		}
	};
	if (!byFile.has(key)) byFile.set(key, new Set());
	byFile.get(key)!.add(self);
	return self;
}
