import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import {
	CompiledQuery,
	Kysely,
	PostgresDialect,
	SqliteDialect,
	SqliteDriver,
	sql,
	type DatabaseConnection,
	type Driver,
	type SqliteDialectConfig
} from 'kysely';
import type { Database as Schema } from './schema';
import { ConfigError, describe, type DbConfig } from './config';
import { groupFlusher, walSync } from './wal-flush';
import { currentBatch, mark, type BatchTrace } from '../survey/submit-trace';
import { backgroundCheckpointer, type Checkpointer } from './checkpointer';
import { ARRAY_ROWS_MARK } from './array-rows';
import { announceWrite, writeWantedFlag } from './write-wanted';

export type Db = Kysely<Schema>;

export interface OpenDb {
	db: Db;
	config: DbConfig;
	/** Closes the pool or file handle. */
	close(): Promise<void>;
	/** PostgreSQL only: the pool under Kysely, for libraries that take a pg pool (the shared rate-limit store). */
	pgPool?: pg.Pool;
}

/**
 * Opens the database named by the config and proves it answers, so that a bad
 * address stops start-up with one line instead of failing on the first request.
 */
export async function openDatabase(config: DbConfig, opts: { create?: boolean } = {}): Promise<OpenDb> {
	const pgPool = config.kind === 'postgres' ? newPool(config.url) : undefined;
	const db = config.kind === 'sqlite' ? openSqlite(config.path, opts.create ?? true) : postgresDb(pgPool!);
	try {
		await sql`select 1`.execute(db);
	} catch (error) {
		await db.destroy().catch(() => {});
		const reason = error instanceof Error ? error.message : String(error);
		throw new ConfigError(`Cannot reach the database (${describe(config)}): ${reason}`);
	}
	const close = async () => {
		const hooks = closeHooks.get(db) ?? [];
		closeHooks.delete(db);
		await Promise.allSettled(hooks.map((h) => h()));
		await db.destroy();
	};
	return { db, config, close, ...(pgPool ? { pgPool } : {}) };
}

/** Work to finish before a database opened here closes (a writer thread's own connection: survey/writer-thread.ts). */
const closeHooks = new WeakMap<Db, (() => Promise<void>)[]>();
export function beforeClose(db: Db, hook: () => Promise<void>): void {
	const hooks = closeHooks.get(db) ?? [];
	hooks.push(hook);
	closeHooks.set(db, hooks);
}

/**
 * SQLite memory-mapped reads (SQLITE_MMAP_MB, 0 = off): pages of the file are read through the mapping instead of
 * a read call each into SQLite's own 2 MB page cache. Writes still go through the WAL as before.
 */
export function sqliteMmapBytes(): number {
	const mb = Number(process.env.SQLITE_MMAP_MB ?? 0);
	return Number.isFinite(mb) && mb > 0 ? Math.floor(mb) * 1024 * 1024 : 0;
}

function openSqlite(file: string, create: boolean): Db {
	if (file !== ':memory:') {
		const dir = path.dirname(file);
		if (!fs.existsSync(dir)) {
			if (!create) throw new ConfigError(`SQLite folder ${dir} does not exist`);
			fs.mkdirSync(dir, { recursive: true });
		}
	}
	let handle: Database.Database;
	try {
		handle = new Database(file, { fileMustExist: !create && file !== ':memory:' });
	} catch (error) {
		throw new ConfigError(`Cannot open SQLite database ${file}: ${(error as Error).message}`);
	}
	// WAL lets readers run beside the single writer. Every acknowledged write must survive a process crash or a
	// power cut, not only a clean exit: with synchronous=FULL SQLite syncs the log in each commit, on the event
	// loop (better-sqlite3 is synchronous), which held the server's one thread for a few ms per grouped commit of
	// survey submissions (docs/deployment.md, the profile). By default (SQLITE_FLUSH=background) SQLite leaves the
	// log unsynced (synchronous=NORMAL) and the driver syncs it in the thread pool after each write, before that
	// write's caller goes on (BackgroundFlushSqliteDriver): durable just the same when acknowledged, while the
	// event loop serves other requests. SQLITE_FLUSH=inline keeps SQLite's own sync in each commit.
	const background = process.env.SQLITE_FLUSH !== 'inline' && file !== ':memory:';
	handle.pragma('journal_mode = WAL');
	handle.pragma(background ? 'synchronous = NORMAL' : 'synchronous = FULL');
	handle.pragma('foreign_keys = ON');
	handle.pragma('busy_timeout = 5000');
	// Deleted rows and freed pages are overwritten with zeros, so words deleted by
	// retention or on request cannot be read back from the file (retention/purge.ts).
	handle.pragma('secure_delete = ON');
	// Keep the planner's statistics fresh so the analysis indexes are used
	// (SQLite's advice for long-lived connections: optimize=0x10002 on open).
	handle.pragma('optimize = 0x10002');
	// Checkpoints in a worker thread (checkpointer.ts), unless SQLITE_CHECKPOINT=inline: SQLite's own automatic
	// checkpoint stays as a backstop, far off (40 MB of log at 4 KB pages), for when the worker falls behind.
	const mmap = sqliteMmapBytes();
	if (mmap > 0 && file !== ':memory:') handle.pragma(`mmap_size = ${mmap}`);
	const checkpointInWorker = background && process.env.SQLITE_CHECKPOINT !== 'inline';
	if (checkpointInWorker) handle.pragma('wal_autocheckpoint = 10000');
	const writes = new WriteMarker();
	// The coder's writer thread commits its open transaction when this connection wants the lock (write-wanted.ts).
	const wanted = file === ':memory:' ? null : writeWantedFlag(file);
	const config = { database: withStatementCache(handle, writes, wanted) };
	const db = new Kysely<Schema>({
		dialect: background
			? new ImmediateSqliteDialect(
					config,
					() =>
						new BackgroundFlushSqliteDriver(
							config,
							handle,
							writes,
							file,
							checkpointInWorker ? backgroundCheckpointer(file) : null,
							wanted
						)
				)
			: new ImmediateSqliteDialect(config, () => new ImmediateSqliteDriver(config, wanted))
	});
	if (file !== ':memory:') sqliteFiles.set(db, file);
	sqliteHandles.set(db.getExecutor().adapter, config.database);
	return db;
}

/** The file of each SQLite database opened here (not in memory): another connection to it can be opened. */
const sqliteFiles = new WeakMap<Db, string>();

/** The file behind an SQLite database opened by openDatabase, or null (PostgreSQL, in memory, a transaction). */
export function sqliteFileOf(db: Db): string | null {
	return sqliteFiles.get(db) ?? null;
}

/**
 * A second connection to an SQLite database file, for a writer thread (survey/writer-worker.ts): the same settings
 * as the main connection, but SQLite syncs the log itself in each COMMIT (synchronous=FULL), which is fine off the
 * event loop, so a commit that has returned is on disk. Its own automatic checkpoint (SQLite's default) also runs
 * on that thread. BEGIN IMMEDIATE and busy_timeout as on the main connection: the two take turns at the write lock.
 */
export function openSqliteWriter(file: string): Db {
	const handle = new Database(file, { fileMustExist: true });
	handle.pragma('journal_mode = WAL');
	handle.pragma('synchronous = FULL');
	handle.pragma('foreign_keys = ON');
	handle.pragma('busy_timeout = 5000');
	handle.pragma('secure_delete = ON');
	const mmap = sqliteMmapBytes();
	if (mmap > 0) handle.pragma(`mmap_size = ${mmap}`);
	const config = { database: withStatementCache(handle, new WriteMarker()) };
	const db = new Kysely<Schema>({
		dialect: new ImmediateSqliteDialect(config, () => new ImmediateSqliteDriver(config))
	});
	sqliteHandles.set(db.getExecutor().adapter, config.database);
	return db;
}

/**
 * The better-sqlite3 handle (through the statement cache below) of each SQLite database opened here, keyed by its
 * Kysely adapter, which its transactions share: the coder's chunk writes run their prepared statements on it row by
 * row inside the transaction Kysely holds on that one connection (coding/store-sqlite.ts, CODING_SQLITE_ROWS).
 */
const sqliteHandles = new WeakMap<object, Database.Database>();

/** The statement-cached better-sqlite3 handle behind an SQLite database or one of its transactions, or null. */
export function sqliteHandleOf(db: { getExecutor(): { adapter: object } }): Database.Database | null {
	return sqliteHandles.get(db.getExecutor().adapter) ?? null;
}

/**
 * Kysely begins SQLite transactions with a plain (deferred) BEGIN: the write lock
 * is taken at the first write. A transaction that reads and then writes fails at
 * once with "database is locked" (SQLITE_BUSY_SNAPSHOT, which busy_timeout cannot
 * wait out) when another process — a CLI command beside the server, a second
 * instance — commits between its read and its write. BEGIN IMMEDIATE takes the write
 * lock at the start, so the other process waits (busy_timeout) instead. Inside one
 * process nothing changes: Kysely already runs one transaction at a time on the
 * single connection.
 */
class ImmediateSqliteDriver extends SqliteDriver {
	/** The main connection's "I want the write lock" count (write-wanted.ts), raised while BEGIN IMMEDIATE waits. */
	readonly #wanted: Int32Array | null;
	constructor(config: SqliteDialectConfig, wanted: Int32Array | null = null) {
		super(config);
		this.#wanted = wanted;
	}
	override async beginTransaction(connection: DatabaseConnection): Promise<void> {
		const lower = this.#wanted ? announceWrite(this.#wanted) : null;
		try {
			await connection.executeQuery(CompiledQuery.raw('begin immediate'));
		} finally {
			lower?.();
		}
	}
}

/**
 * After each use of the connection that changed rows (a statement, or a whole transaction), the write-ahead log
 * is synced in the thread pool before the caller's query resolves; the connection is handed on first, so reads
 * and the next writes go ahead meanwhile, and syncs asked for together are shared (groupFlusher). Changes are
 * counted by SQLite's total_changes() (rows changed by statements and their triggers); schema changes count
 * none, so migrations are made durable by the next write's sync or SQLite's checkpoint at close. total_changes()
 * is only asked when a statement that may write has run since it was last asked (WriteMarker): a page of reads
 * used to ask it after each of its ~50 statements. SQLITE_CHANGES_CHECK=every asks it after every use again.
 */
class BackgroundFlushSqliteDriver extends ImmediateSqliteDriver {
	readonly #changes: Database.Statement;
	readonly #flush: () => Promise<void>;
	readonly #wal: ReturnType<typeof walSync>;
	readonly #raw: Database.Database;
	readonly #writes: WriteMarker;
	readonly #checkpointer: Checkpointer | null;
	#flushedAt = 0;
	/** The traced batch (survey/submit-trace.ts, SUBMIT_TRACE=1) whose COMMIT this connection ran last, for its sync. */
	#traced: BatchTrace | null = null;
	constructor(
		config: SqliteDialectConfig,
		raw: Database.Database,
		writes: WriteMarker,
		file: string,
		checkpointer: Checkpointer | null,
		wanted: Int32Array | null
	) {
		super(config, wanted);
		this.#raw = raw;
		this.#writes = writes;
		this.#checkpointer = checkpointer;
		this.#changes = raw.prepare('select total_changes()').pluck();
		this.#wal = walSync(file);
		this.#flush = groupFlusher(this.#wal.sync);
	}
	override async releaseConnection(): Promise<void> {
		// Inside a transaction (Kysely's controlled transactions release between statements) the commit flushes.
		const changes = this.#raw.inTransaction || !this.#mayHaveWritten() ? this.#flushedAt : Number(this.#changes.get());
		const traced = this.#traced;
		this.#traced = null;
		await super.releaseConnection();
		if (changes !== this.#flushedAt) {
			this.#flushedAt = changes;
			mark(traced, 'syncStart');
			await this.#flush();
			mark(traced, 'syncEnd');
			this.#checkpointer?.afterWrite();
		}
	}
	/** Whether rows may have changed since total_changes() was last asked; asking is then due, so the mark is cleared. */
	#mayHaveWritten(): boolean {
		if (process.env.SQLITE_CHANGES_CHECK === 'every') return true;
		return this.#writes.take();
	}
	override async beginTransaction(connection: DatabaseConnection): Promise<void> {
		// A checkpoint that runs while nothing is written finishes the whole log, which SQLite then starts over
		// (a writer beside it would leave its pages for the next one, and the log would keep growing under load).
		// Only the writer waits: the event loop goes on reading and checking requests meanwhile.
		const traced = currentBatch();
		mark(traced, 'checkpointWait');
		await this.#checkpointer?.idle();
		mark(traced, 'beginStart');
		await super.beginTransaction(connection);
		mark(traced, 'beginEnd');
	}
	override async commitTransaction(connection: DatabaseConnection): Promise<void> {
		const traced = currentBatch();
		mark(traced, 'commitStart');
		await super.commitTransaction(connection);
		mark(traced, 'commitEnd');
		this.#traced = traced;
	}
	override async destroy(): Promise<void> {
		await this.#wal.close();
		await super.destroy();
		// After the main connection: the worker's is then the last, and closing it checkpoints and removes the log.
		await this.#checkpointer?.close();
	}
}

class ImmediateSqliteDialect extends SqliteDialect {
	readonly #driver: () => Driver;
	constructor(config: SqliteDialectConfig, driver: () => Driver) {
		super(config);
		this.#driver = driver;
	}
	override createDriver(): Driver {
		return this.#driver();
	}
}

/**
 * Whether a statement that may change rows has run on a connection since the mark was last taken. Set by the
 * statement cache below, through which Kysely runs every statement: by SQLite's own sqlite3_stmt_readonly (not
 * better-sqlite3's `reader`, which is also true of INSERT … RETURNING); BEGIN, COMMIT and savepoints are read-only
 * (the statements between them are what write). Anything else called on the handle (exec, pragma, a function
 * registered, …) sets it too. Set at first, so the first use of the connection asks as before.
 */
class WriteMarker {
	#set = true;
	mark(): void {
		this.#set = true;
	}
	/** Whether the mark was set, clearing it. */
	take(): boolean {
		const set = this.#set;
		this.#set = false;
		return set;
	}
}

/** Prepared statements kept per distinct SQL text (least recently used let go beyond this). */
const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely's SQLite driver prepares every query afresh; preparing was the largest
 * single cost on the submission path after executing (docs/deployment.md, the
 * profile). Kysely compiles the same builder chain to the same SQL text with
 * parameters apart, so statements are reused by their text. Safe to share:
 * Kysely runs one query at a time on its one SQLite connection, and SQLite
 * re-prepares a statement itself if the schema changed under it.
 */
function withStatementCache(
	handle: Database.Database,
	writes: WriteMarker,
	wanted: Int32Array | null = null
): Database.Database {
	const cache = new Map<string, Database.Statement>();
	const prepare = handle.prepare.bind(handle);
	return new Proxy(handle, {
		get(target, key) {
			if (key === 'prepare')
				return (source: string) => {
					let stmt = cache.get(source);
					if (stmt) {
						cache.delete(source);
					} else {
						stmt = prepare(source);
						// A read marked by array-rows.ts: its rows as arrays (better-sqlite3's raw mode), no object per row.
						if (source.startsWith(ARRAY_ROWS_MARK) && stmt.reader) stmt.raw(true);
						if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
					}
					cache.set(source, stmt);
					// Prepared (or taken from the cache) to be run next: the mark covers that run.
					if (!stmt.readonly) writes.mark();
					// A write outside a transaction takes the write lock by itself: announced while it runs (better-sqlite3
					// runs it synchronously right after this prepare; the count is lowered once it has returned).
					if (wanted && !stmt.readonly && !handle.inTransaction) queueMicrotask(announceWrite(wanted));
					return stmt;
				};
			const value = Reflect.get(target, key, target);
			if (typeof value !== 'function') return value;
			writes.mark();
			return value.bind(target);
		}
	});
}

// PostgreSQL returns COUNT(*) and SUM() as bigint strings; every count here fits
// comfortably in a JavaScript number, so parse them once for both engines to agree.
pg.types.setTypeParser(20, (v: string) => Number.parseInt(v, 10));
pg.types.setTypeParser(1700, (v: string) => Number.parseFloat(v));

function newPool(url: string): pg.Pool {
	const pool = new pg.Pool({
		connectionString: url,
		max: Number(process.env.PG_POOL_SIZE ?? 10),
		connectionTimeoutMillis: 5000
	});
	// An idle client losing its connection must not crash the server.
	pool.on('error', (err) => console.error('PostgreSQL pool error:', err.message));
	return pool;
}

function postgresDb(pool: pg.Pool): Db {
	const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
	const laneDb = new Kysely<Schema>({ dialect: new PostgresDialect({ pool: lane(pool) }) });
	analysisLanes.set(db, laneDb);
	databaseIds.set(laneDb, databaseId(db));
	return db;
}

/** Each open database's number in this process; its analysis lane has the same one (it is the same database). */
const databaseIds = new WeakMap<Db, number>();
let databasesOpened = 0;

/**
 * Which database a handle reaches, as a number unique in this process: for what is kept per database in memory
 * (the analysis cache), so that two databases open in one process (tests, tools) never share an entry.
 */
export function databaseId(db: Db): number {
	let id = databaseIds.get(db);
	if (id === undefined) databaseIds.set(db, (id = ++databasesOpened));
	return id;
}

/** The analysis lane of each PostgreSQL database (see analysisDb). */
const analysisLanes = new WeakMap<Db, Db>();

/**
 * The database for the analysis queries. On PostgreSQL, the same pool with at most
 * `PG_POOL_SIZE - 1` of its connections in use by analysis queries at once (at least one): a
 * filtered view works out its wider and sibling views together (analysis/wider.ts), hundreds of
 * queries at a time, which would otherwise queue on the pool until some time out, and would keep
 * a child's submission waiting behind them. The queries over the bound wait in this process
 * (without the pool's time-out) and run as connections come back; one connection is always left
 * to the rest of the app. SQLite runs one query at a time anyway: the database itself.
 */
export function analysisDb(db: Db): Db {
	return analysisLanes.get(db) ?? db;
}

/** The most analysis queries at once on a pool of `size` connections. */
export function analysisConnections(size: number): number {
	return Math.max(1, size - 1);
}

/** A pool facade for Kysely that lends at most analysisConnections(pool size) of the pool's connections at once. */
function lane(pool: pg.Pool): { connect(): Promise<pg.PoolClient>; end(): Promise<void> } {
	const limit = analysisConnections(pool.options.max ?? 10);
	let inUse = 0;
	const waiting: (() => void)[] = [];
	const free = () => {
		const next = waiting.shift();
		if (next) next();
		else inUse--;
	};
	return {
		async connect() {
			if (inUse < limit) inUse++;
			else await new Promise<void>((resolve) => waiting.push(resolve));
			let client: pg.PoolClient;
			try {
				client = await pool.connect();
			} catch (error) {
				free();
				throw error;
			}
			// pg-pool gives each checkout its own release; the slot is freed with it, once.
			const release = client.release;
			client.release = (err?: Error | boolean) => {
				client.release = release;
				free();
				return release.call(client, err);
			};
			return client;
		},
		// The pool is ended by the main Kysely's destroy.
		end: async () => {}
	};
}

export function isPostgres(config: DbConfig): boolean {
	return config.kind === 'postgres';
}
