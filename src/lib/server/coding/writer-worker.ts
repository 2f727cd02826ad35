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
import type { ControlledTransaction } from 'kysely';
import type { Db } from '../db/connect';
import type { Database } from '../db/schema';
import { writeWantedFlag } from '../db/write-wanted';
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

/**
 * A chunk written inside a transaction that stays open for the next chunks (CODING_WRITER_GROW, on by default):
 * committed as soon as a writer on the main connection wants the lock (db/write-wanted.ts), or once it has been open
 * `maxMs`, or holds as many answers as its cap (0 at a run's start, then `maxAnswers`, halved while a COMMIT
 * takes over twice `commitMs`), or at a `flush`.
 */
export interface GrowLimits {
	maxMs: number;
	maxAnswers: number;
	commitMs: number;
}

/**
 * What the client sends: a chunk to store (in a transaction of its own, or with `grow` in the open one), a flush
 * (commit the open transaction), or (CODING_PROFILE=1) a request for the profile so far.
 */
type Sent =
	| { op: 'store'; chunk: StoreChunk; grow?: GrowLimits }
	| { op: 'flush' }
	| { op: 'profile' }
	| { op: 'checkpoints' }
	| { op: 'growth' };

/** How the writer's open transactions went since the last ask (tests, the bench): commits and their sizes. */
export interface WriterGrowth {
	/** Transactions committed, and why: a waiting writer, the time cap, the answers cap, a flush. */
	commits: { wanted: number; time: number; answers: number; flush: number };
	/** Chunks written, and answers. */
	chunks: number;
	answers: number;
	/** The longest COMMIT (ms) and the longest a raised "wanted" count waited for the commit (ms, between chunks). */
	longestCommitMs: number;
	longestWantedWaitMs: number;
	/** The answers cap as it stands (adapted to the COMMIT's time), and the most chunks one transaction held. */
	cap: number;
	mostChunks: number;
}

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

function serve(file: string, wanted: Int32Array | null): void {
	const profiling = process.env.CODING_PROFILE === '1';
	const profile: WriterProfile = { statements: {}, chunks: {} };
	const ready = Promise.all([
		import('../db/connect'),
		import('./recode'),
		import('../db/checkpointer'),
		import('../../analysis/switches'),
		import('kysely'),
		import('../db/wal-flush'),
		profiling ? profileStatements(profile.statements) : null
	]).then(([connect, recode, checkpoints, switches, { sql }, walFlush]) => {
		const db = connect.openSqliteWriter(file) as Db;
		let bigCache: boolean | null = null;
		let syncAfter: boolean | null = null;
		const wal = walFlush.walSync(file);
		/**
		 * Before each chunk: the page cache. A transaction held across chunks keeps their dirty pages (the theme
		 * cube's, the quote order's) in the cache until its COMMIT writes each once; at SQLite's default 2 MB they
		 * would spill into the log mid-transaction (a 100-answer chunk dirties about 550 pages). 64 MB while growing.
		 */
		const cacheMode = async (grow: boolean) => {
			if (grow !== bigCache) await sql.raw(`pragma cache_size = ${grow ? -65536 : -2000}`).execute(db);
			bigCache = grow;
			// While growing, the log is synced after the COMMIT has let the lock go (synchronous=NORMAL, then an
			// fdatasync of the log on this thread, as the main connection's background flush does: wal-flush.ts), so
			// a waiting writer does not wait for the disk too; the transaction counts as committed (a flush resolves)
			// only once synced. CODING_WRITER_SYNC=commit: SQLite syncs in the COMMIT (synchronous=FULL), as before.
			const after = grow && switches.envSwitch('CODING_WRITER_SYNC') !== 'commit';
			if (after !== syncAfter) await sql.raw(`pragma synchronous = ${after ? 'NORMAL' : 'FULL'}`).execute(db);
			syncAfter = after;
		};
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
			storeVerdictsIn: recode.storeVerdictsIn,
			cacheMode,
			syncLog: async () => {
				if (syncAfter) await wal.sync();
			},
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
	/** The transaction held open across chunks (grow), and what it holds so far. */
	let open: {
		tx: ControlledTransaction<Database>;
		since: number;
		answers: number;
		chunks: number;
		limits: GrowLimits;
	} | null = null;
	/** A COMMIT that failed between two requests: the next store or flush reports it. */
	let failed: string | null = null;
	/**
	 * The answers a transaction may hold before it commits: 0 at a run's start (its first chunk commits at once, so a
	 * run's first answers are soon seen), then `maxAnswers`, halved while a COMMIT takes too long (below).
	 */
	let cap = 0;
	/** The last COMMIT's time: a chunk's time as reported (its size's bound) counts it, as a waiting writer waits for both. */
	let lastCommitMs = 0;
	const growth: WriterGrowth = {
		commits: { wanted: 0, time: 0, answers: 0, flush: 0 },
		chunks: 0,
		answers: 0,
		longestCommitMs: 0,
		longestWantedWaitMs: 0,
		cap: 0,
		mostChunks: 0
	};
	const isWanted = () => wanted !== null && Atomics.load(wanted, 0) > 0;
	/** Commits the open transaction (`why` counted); a failure is kept for the next request. */
	const commit = async (why: keyof WriterGrowth['commits']) => {
		if (!open) return;
		const { tx, limits } = open;
		open = null;
		const t0 = performance.now();
		try {
			await tx.commit().execute();
		} catch (e) {
			failed = e instanceof Error ? e.message : String(e);
			await tx
				.rollback()
				.execute()
				.catch(() => {});
			return;
		}
		const ms = performance.now() - t0;
		lastCommitMs = ms;
		try {
			await (await ready).syncLog();
		} catch (e) {
			failed = e instanceof Error ? e.message : String(e);
		}
		growth.commits[why]++;
		growth.longestCommitMs = Math.max(growth.longestCommitMs, ms);
		// The COMMIT writes every page the transaction dirtied (and, with CODING_WRITER_SYNC=commit, syncs the log): a
		// waiting writer waits for it too. Doubled while it stays within the chunk bound, halved past twice it.
		if (why === 'flush') cap = 0;
		else if (ms > limits.commitMs * 2) cap = Math.max(100, Math.floor(cap / 2));
		else if (ms <= limits.commitMs) cap = cap === 0 ? limits.maxAnswers : Math.min(limits.maxAnswers, cap * 2);
		else cap = Math.max(100, cap);
		(await ready).afterCommit();
	};
	let queue: Promise<void> = Promise.resolve();
	const enqueue = (task: () => Promise<void>) => (queue = queue.then(task));
	/**
	 * While a transaction is open between chunks: wakes when the main connection raises its "wanted" count (or the
	 * time cap passes) and commits, unless a chunk is being written then (the check runs after it, in turn).
	 */
	const watch = () => {
		if (!open || !wanted) return;
		const held = open;
		const left = Math.max(0, held.since + held.limits.maxMs - performance.now());
		const check = () => {
			const woken = performance.now();
			return enqueue(async () => {
				if (open !== held) return;
				if (isWanted()) {
					await commit('wanted');
					growth.longestWantedWaitMs = Math.max(growth.longestWantedWaitMs, performance.now() - woken);
				} else if (performance.now() - held.since >= held.limits.maxMs) await commit('time');
				else watch();
			});
		};
		const w = Atomics.waitAsync(wanted, 0, 0, left);
		if (!w.async) void check();
		else void w.value.then(check);
	};
	// One request at a time, in the order posted.
	parentPort!.on('message', (req: Request) => {
		enqueue(async () => {
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
			if (req.op === 'growth') {
				const out = { ...structuredClone(growth), cap };
				Object.assign(growth, { commits: { wanted: 0, time: 0, answers: 0, flush: 0 }, chunks: 0, answers: 0 });
				Object.assign(growth, { longestCommitMs: 0, longestWantedWaitMs: 0, mostChunks: 0 });
				parentPort!.postMessage({ id: req.id, result: out } satisfies WorkerReply);
				return;
			}
			if (req.op === 'flush') {
				await commit('flush');
				const error = failed;
				failed = null;
				parentPort!.postMessage((error ? { id: req.id, error } : { id: req.id, result: null }) satisfies WorkerReply);
				return;
			}
			try {
				if (failed) {
					const error = failed;
					failed = null;
					throw new Error(error);
				}
				const { db, storeVerdicts, storeVerdictsIn, cacheMode, checkpointMode, afterCommit } = await ready;
				const { chunk, grow } = req;
				await checkpointMode();
				await cacheMode(grow !== undefined);
				if (!grow) await commit('flush'); // the switch turned off with a transaction open (tests)
				const started = performance.now();
				const cpu0 = profiling ? threadCpuMs() : 0;
				const model = { key: chunk.key, themeIds: new Map(chunk.themeIds) };
				const answers = chunk.answerIds.map((id) => ({ id }));
				let ms: number;
				if (grow) {
					if (!open) {
						// A writer on the main connection that is waiting goes first (it would otherwise take its turn only
						// after this whole transaction): wait for it, up to one chunk's bound.
						if (wanted) {
							const until = performance.now() + grow.commitMs;
							let v: number;
							while ((v = Atomics.load(wanted, 0)) > 0 && performance.now() < until)
								Atomics.wait(wanted, 0, v, Math.max(1, until - performance.now()));
						}
						open = {
							tx: await db.startTransaction().execute(),
							since: performance.now(),
							answers: 0,
							chunks: 0,
							limits: grow
						};
					}
					const held = open;
					try {
						await storeVerdictsIn(held.tx, model, answers, chunk.verdicts, chunk.progress);
					} catch (e) {
						// The whole open transaction goes (its earlier chunks too: they are coded again on the next run).
						open = null;
						await held.tx
							.rollback()
							.execute()
							.catch(() => {});
						throw e;
					}
					held.answers += answers.length;
					growth.mostChunks = Math.max(growth.mostChunks, ++held.chunks);
					growth.chunks++;
					growth.answers += answers.length;
					const chunkMs = performance.now() - started;
					if (isWanted()) await commit('wanted');
					else if (held.answers >= cap) await commit('answers');
					else if (performance.now() - held.since >= grow.maxMs) await commit('time');
					else watch();
					// What a writer asking for the lock now would wait for at most: this chunk's writes, then a COMMIT.
					ms = chunkMs + lastCommitMs;
				} else {
					await storeVerdicts(db, model, answers, chunk.verdicts, chunk.progress);
					ms = performance.now() - started;
					afterCommit();
				}
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

const data = workerData as { codingWriter?: string; writeWanted?: Int32Array } | null;
if (!isMainThread && typeof data?.codingWriter === 'string') serve(data.codingWriter, data.writeWanted ?? null);

/**
 * Client of one coding writer thread for the SQLite file `file`, started on first use (WorkerClient). If the
 * thread dies mid-chunk, that chunk's transaction is not committed (SQLite rolls it back) and its `store` fails;
 * the coding is then resumed as any interrupted run (`coded_at`, a recode's stored progress).
 */
export class CodingWriter extends WorkerClient<Sent> {
	constructor(file: string) {
		super(new URL(import.meta.url), { codingWriter: file, writeWanted: writeWantedFlag(file) }, 'coding writer thread');
	}

	/**
	 * Stores one chunk and resolves with how long its transaction took (ms) once it has committed; with `grow`, how
	 * long the chunk's writes took, once they are written in the open transaction (committed later: `flush`).
	 */
	store(chunk: StoreChunk, grow?: GrowLimits): Promise<number> {
		return this.request({ op: 'store', chunk, ...(grow ? { grow } : {}) });
	}

	/** Commits the transaction held open across chunks, if any; rejects if it (or an earlier COMMIT) failed. */
	flush(): Promise<null> {
		return this.request({ op: 'flush' });
	}

	/** How the open transactions went since the last call (tests, the bench), then reset. */
	growth(): Promise<WriterGrowth> {
		return this.request({ op: 'growth' });
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
