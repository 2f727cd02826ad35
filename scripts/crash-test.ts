// npm run bench -- durability, or: tsx scripts/crash-test.ts [--engine sqlite|postgres|both]
//   [--kills 5] [--clients 200] [--phase-ms 2500]
//
// Durability under load and crashes. On loopback only: starts the built server on
// a fresh database, keeps (by default) 200 concurrent clients posting submissions
// to POST /api/s/<slug>/submissions (a fifth of them replaying ids already sent,
// including ids whose first attempt got no answer because of a kill), kills the
// server with SIGKILL in the middle of the load, restarts it on the same database,
// and repeats; then stops it gracefully and opens the database directly to check
// that every submission that was answered 201 or 200 is there exactly once, whole.
// Exits non-zero if any acknowledged submission is lost or anything is doubled.
import fs from 'node:fs';
import http from 'node:http';
import { freePort } from './lib/net';
export { freePort };
import os from 'node:os';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { openDatabase } from '../src/lib/server/db/connect';
import { parseDatabaseUrl } from '../src/lib/server/db/config';

export const CRASH_SLUG = 'worcestershire-cypp-2017';
const DISTRICTS = ['bromsgrove', 'malvern-hills', 'redditch', 'worcester-city', 'wychavon', 'wyre-forest', 'outside', null];
export const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432/test';

export interface CrashTestOptions {
	engine: 'sqlite' | 'postgres';
	/** Number of SIGKILLs (each followed by a restart on the same database). */
	kills?: number;
	/** Concurrent clients, each with its own keep-alive connection. */
	clients?: number;
	/** Load time with the server up before each kill (and before the final graceful stop). */
	phaseMs?: number;
	/** Share of requests that resend an id already sent. */
	replayRate?: number;
	/** Folder holding build/index.js (and db/consultations); the repository root by default. */
	appDir?: string;
	/** PostgreSQL server to create the throwaway database on (its database is only used to connect). */
	pgUrl?: string;
	log?: (line: string) => void;
}

export interface CrashReport {
	engine: 'sqlite' | 'postgres';
	kills: number;
	clients: number;
	/** HTTP requests that reached the server (new and replayed). */
	sent: number;
	/** Connection attempts refused while the server was down; the client retried the same id. */
	refused: number;
	/** Distinct ids sent. */
	distinctIds: number;
	/** Requests that resent an id already sent. */
	replays: number;
	/** Replays of an id whose earlier attempt got no answer (connection reset by the kill, or refused). */
	replaysOfUnanswered: number;
	/** Distinct ids answered 201 or 200 at least once. */
	acknowledged: number;
	/** Acknowledged ids found in the database exactly once with their perspective and answer. */
	found: number;
	/** Acknowledged ids missing from the database, or present without their perspective or answer. */
	lost: number;
	/** Ids (acknowledged or not) stored more than once, or with doubled perspectives or answers. */
	duplicated: number;
	/** Submission rows with no perspective or no answer: a partial write. */
	partial: number;
	/** Submissions in the database whose id was never sent. */
	unexpected: number;
	/** Ids never acknowledged that were committed all the same (the answer was lost to a kill). */
	committedUnacknowledged: number;
	/** Requests in flight at the moment of each SIGKILL. */
	inFlightAtKills: number[];
	/** Milliseconds from each SIGKILL until the restarted server listened again. */
	downMs: number[];
	/** New acknowledgements between each (re)start and the next kill. */
	ackedPerPhase: number[];
	statuses: Record<string, number>;
	errors: Record<string, number>;
	/** Answered requests' latency in ms: median, 99th percentile, worst. */
	latencyMs: { p50: number; p99: number; max: number };
	totalMs: number;
}

export interface Server {
	child: ChildProcess;
	output: () => string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Servers started here and not yet exited, so that a give-up can kill them. */
const live = new Set<ChildProcess>();
export function killLiveServers(): void {
	for (const child of live) child.kill('SIGKILL');
}


/** Builds the app once if build/index.js is missing; otherwise leaves the build alone. */
export function ensureBuild(appDir: string, log: (line: string) => void = () => {}): void {
	const entry = path.join(appDir, 'build', 'index.js');
	// A build by someone else may be under way (vite empties build/ first): give it a minute.
	for (let i = 0; i < 60 && !fs.existsSync(entry) && fs.existsSync(path.join(appDir, 'build')); i++) spawnSync('sleep', ['1']);
	if (fs.existsSync(entry)) return;
	log('build/index.js is missing: running vite build once');
	const vite = path.join(appDir, 'node_modules', 'vite', 'bin', 'vite.js');
	const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'error'], { cwd: appDir, stdio: 'inherit' });
	if (result.status !== 0) throw new Error('vite build failed');
}

/**
 * A private copy of build/ for one run. Other engineers rebuild the shared tree
 * while tests run (vite empties build/ first), so the servers started here run
 * from a snapshot that nobody else touches. node_modules is linked beside it for
 * package resolution; the server's working folder stays appDir (db/consultations).
 */
export function snapshotBuild(appDir: string): { entry: string; cleanup(): void } {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consult-build-'));
	for (let attempt = 0; ; attempt++) {
		try {
			if (!fs.existsSync(path.join(appDir, 'build', 'index.js'))) throw new Error('build/index.js is missing');
			fs.cpSync(path.join(appDir, 'build'), path.join(dir, 'build'), { recursive: true });
			if (!fs.existsSync(path.join(dir, 'build', 'handler.js'))) throw new Error('build/ was incomplete');
			break;
		} catch (error) {
			// A rebuild was under way: wait for it to finish and copy again.
			fs.rmSync(path.join(dir, 'build'), { recursive: true, force: true });
			if (attempt >= 60) {
				fs.rmSync(dir, { recursive: true, force: true });
				throw error;
			}
			spawnSync('sleep', ['1']);
		}
	}
	fs.symlinkSync(path.join(appDir, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
	return { entry: path.join(dir, 'build', 'index.js'), cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** A throwaway database: a temp SQLite file, or a new PostgreSQL database on the given server. */
async function freshDatabase(engine: 'sqlite' | 'postgres', pgUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
	if (engine === 'sqlite') {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consult-crash-'));
		return { url: `file:${path.join(dir, 'crash.sqlite')}`, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
	}
	const name = `consult_crash_${randomBytes(6).toString('hex')}`;
	const admin = new pg.Client({ connectionString: pgUrl, connectionTimeoutMillis: 5000 });
	await admin.connect();
	try {
		await admin.query(`CREATE DATABASE ${name}`);
	} finally {
		await admin.end();
	}
	const url = new URL(pgUrl);
	url.pathname = `/${name}`;
	return {
		url: url.toString(),
		drop: async () => {
			const c = new pg.Client({ connectionString: pgUrl });
			await c.connect();
			try {
				await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
			} finally {
				await c.end();
			}
		}
	};
}

/** Whether a PostgreSQL server answers at this address (for skipping with a clear line). */
export async function postgresReachable(pgUrl: string): Promise<string | null> {
	const c = new pg.Client({ connectionString: pgUrl, connectionTimeoutMillis: 3000 });
	try {
		await c.connect();
		await c.query('select 1');
		return null;
	} catch (error) {
		return error instanceof Error ? error.message : String(error);
	} finally {
		await c.end().catch(() => {});
	}
}

export async function startServer(appDir: string, entry: string, port: number, env: Record<string, string>): Promise<Server> {
	let log = '';
	const child = spawn(process.execPath, [entry], {
		cwd: appDir,
		env: {
			...process.env,
			HOST: '127.0.0.1',
			PORT: String(port),
			ORIGIN: `http://127.0.0.1:${port}`,
			SURVEY_RATE_LIMIT: '1000000',
			// The survey's global breaker would answer 503 to 200 clients at once: this test is about durability.
			SURVEY_MAX_CONCURRENT: '100000',
			SURVEY_MAX_PER_SECOND: '100000000',
			SURVEY_MIN_SECONDS: '0',
			...env
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	live.add(child);
	child.once('exit', () => live.delete(child));
	child.stdout!.on('data', (d) => (log = (log + d).slice(-20_000)));
	child.stderr!.on('data', (d) => (log = (log + d).slice(-20_000)));
	// Ready once adapter-node says it listens (it does so after the init hook has
	// opened and migrated the database); /healthz is the fallback. Under 200 clients
	// a health request can wait seconds in the queue, so the log line is preferred.
	const deadline = Date.now() + 60_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null || child.signalCode !== null) throw new Error(`server exited at start:\n${log}`);
		if (/Listening on /.test(log)) return { child, output: () => log };
		const ok = await new Promise<boolean>((resolve) => {
			const req = http.get({ host: '127.0.0.1', port, path: '/healthz', agent: false, timeout: 1000 }, (res) => {
				res.resume();
				resolve(res.statusCode === 200);
			});
			req.on('error', () => resolve(false));
			req.on('timeout', () => req.destroy());
		});
		if (ok) return { child, output: () => log };
		await sleep(25);
	}
	child.kill('SIGKILL');
	throw new Error(`server did not start listening within 60 s:\n${log}`);
}

/** SIGTERM, then the exit status (null if it did not exit within `ms`). */
export async function stopServer(server: Server, ms = 15_000): Promise<{ code: number | null; signal: NodeJS.Signals | null } | null> {
	const exit = waitExit(server.child, ms);
	server.child.kill('SIGTERM');
	return exit;
}

export function waitExit(child: ChildProcess, ms: number): Promise<{ code: number | null; signal: NodeJS.Signals | null } | null> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
	return new Promise((resolve) => {
		const timer = setTimeout(() => resolve(null), ms);
		child.once('exit', (code, signal) => {
			clearTimeout(timer);
			resolve({ code, signal });
		});
	});
}

/** The load: many clients, each sending one request at a time, until told to stop. */
class Load {
	readonly sentIds: string[] = [];
	readonly sentSet = new Set<string>();
	/** Ids that reached the server at least once. */
	readonly reachedIds = new Set<string>();
	readonly acked = new Set<string>();
	/** Ids whose latest attempt got no HTTP answer and that were never acknowledged. */
	readonly unanswered = new Set<string>();
	sent = 0;
	/** Connection attempts refused while the server was down (retried, not counted as sent). */
	refused = 0;
	replays = 0;
	replaysOfUnanswered = 0;
	inFlight = 0;
	statuses: Record<string, number> = {};
	errors: Record<string, number> = {};
	/** Milliseconds from sending to the whole answer, for answered requests. */
	readonly latencies: number[] = [];
	private running = true;
	private workers: Promise<void>[] = [];
	private readonly agent: http.Agent;

	constructor(
		private readonly port: number,
		private readonly clients: number,
		private readonly replayRate: number
	) {
		this.agent = new http.Agent({ keepAlive: true, maxSockets: clients, maxFreeSockets: clients });
	}

	start() {
		for (let i = 0; i < this.clients; i++) this.workers.push(this.worker());
	}

	async stop() {
		this.running = false;
		await Promise.all(this.workers);
		this.agent.destroy();
	}

	private pickId(): string {
		const r = Math.random();
		if (r < this.replayRate && this.sentIds.length > 0) {
			this.replays++;
			// Half the replays go to ids that never got an answer, when there are some:
			// the client's retry after a connection reset.
			if (r < this.replayRate / 2 && this.unanswered.size > 0) {
				this.replaysOfUnanswered++;
				const ids = [...this.unanswered];
				return ids[Math.floor(Math.random() * ids.length)];
			}
			return this.sentIds[Math.floor(Math.random() * this.sentIds.length)];
		}
		const id = randomUUID();
		this.sentIds.push(id);
		this.sentSet.add(id);
		return id;
	}

	private async worker() {
		let id = this.pickId();
		while (this.running) {
			const outcome = await this.post(id);
			if (outcome === 'refused') {
				// The server is down: the client waits a little and tries the same
				// submission again. The request never reached the server, so it is not
				// counted as sent.
				await sleep(20 + Math.random() * 30);
				continue;
			}
			id = this.pickId();
		}
	}

	private post(id: string): Promise<'answered' | 'no-answer' | 'refused'> {
		// The same id always carries the same submission, as a real client's retry would.
		const district = DISTRICTS[parseInt(id.slice(0, 2), 16) % DISTRICTS.length];
		const body = JSON.stringify({
			id,
			district,
			perspectives: [{ group: 'child', answers: { q1: `Crash test answer for ${id}: more youth clubs please.` } }],
			about: null
		});
		this.sent++;
		this.inFlight++;
		const t0 = performance.now();
		return new Promise((resolve) => {
			let settled = false;
			const done = (value: 'answered' | 'no-answer' | 'refused', error?: string) => {
				if (settled) return;
				settled = true;
				this.inFlight--;
				if (value === 'refused') {
					this.sent--;
					this.refused++;
				} else {
					this.reachedIds.add(id);
					if (error) this.errors[error] = (this.errors[error] ?? 0) + 1;
				}
				if (value === 'no-answer' && !this.acked.has(id)) this.unanswered.add(id);
				resolve(value);
			};
			const req = http.request(
				{
					host: '127.0.0.1',
					port: this.port,
					method: 'POST',
					path: `/api/s/${CRASH_SLUG}/submissions`,
					agent: this.agent,
					timeout: 30_000,
					headers: {
						'content-type': 'application/json',
						'content-length': Buffer.byteLength(body),
						origin: `http://127.0.0.1:${this.port}`,
						accept: 'application/json'
					}
				},
				(res) => {
					const chunks: Buffer[] = [];
					res.on('data', (c: Buffer) => chunks.push(c));
					res.on('error', (e: NodeJS.ErrnoException) => done('no-answer', e.code ?? e.message));
					res.on('aborted', () => done('no-answer', 'response aborted'));
					res.on('end', () => {
						const status = res.statusCode ?? 0;
						this.latencies.push(performance.now() - t0);
						this.statuses[status] = (this.statuses[status] ?? 0) + 1;
						// Acknowledged only once the whole answer has arrived.
						if (status === 201 || status === 200) {
							this.acked.add(id);
							this.unanswered.delete(id);
						}
						done('answered');
					});
				}
			);
			req.on('timeout', () => req.destroy(new Error('timeout')));
			req.on('error', (e: NodeJS.ErrnoException) => done(e.code === 'ECONNREFUSED' ? 'refused' : 'no-answer', e.code ?? e.message));
			req.end(body);
		});
	}
}

interface DbCounts {
	submissions: Map<string, number>;
	perspectives: Map<string, number>;
	answers: Map<string, number>;
}

async function readCounts(url: string): Promise<DbCounts> {
	const open = await openDatabase(parseDatabaseUrl(url), { create: false });
	try {
		const toMap = (rows: { id: string; n: number | string | bigint }[]) => new Map(rows.map((r) => [r.id, Number(r.n)]));
		const submissions = await open.db
			.selectFrom('submission')
			.select(['id', (eb) => eb.fn.countAll<number>().as('n')])
			.groupBy('id')
			.execute();
		const perspectives = await open.db
			.selectFrom('perspective')
			.select(['submission_id as id', (eb) => eb.fn.countAll<number>().as('n')])
			.groupBy('submission_id')
			.execute();
		const answers = await open.db
			.selectFrom('answer')
			.select(['submission_id as id', (eb) => eb.fn.countAll<number>().as('n')])
			.groupBy('submission_id')
			.execute();
		return { submissions: toMap(submissions), perspectives: toMap(perspectives), answers: toMap(answers) };
	} finally {
		await open.close();
	}
}

/** One full run on one engine. Throws only if the run itself could not happen. */
export async function runCrashTest(opts: CrashTestOptions): Promise<CrashReport> {
	const kills = opts.kills ?? 5;
	const clients = opts.clients ?? 200;
	const phaseMs = opts.phaseMs ?? 2500;
	const appDir = path.resolve(opts.appDir ?? process.env.CRASH_APP_DIR ?? process.cwd());
	const log = opts.log ?? (() => {});
	const started = performance.now();
	ensureBuild(appDir, log);
	const build = snapshotBuild(appDir);

	const database = await freshDatabase(opts.engine, opts.pgUrl ?? DEFAULT_PG_URL).catch((error) => {
		build.cleanup();
		throw error;
	});
	const port = await freePort();
	const env = { DATABASE_URL: database.url };
	let server: Server | null = null;
	const load = new Load(port, clients, opts.replayRate ?? 0.2);
	const inFlightAtKills: number[] = [];
	const downMs: number[] = [];
	const ackedPerPhase: number[] = [];
	try {
		server = await startServer(appDir, build.entry, port, env);
		load.start();
		for (let k = 1; k <= kills; k++) {
			// Kill somewhere in the middle of the phase, never at its edges, and only once
			// the (re)started server is committing: at least 20 new acknowledgements
			// (a cold start on a busy machine can take seconds to answer the first one).
			const phaseStart = performance.now();
			const ackedAtStart = load.acked.size;
			await sleep(phaseMs * (0.5 + Math.random() * 0.5));
			while (load.acked.size - ackedAtStart < 20 && performance.now() - phaseStart < phaseMs * 8) await sleep(25);
			ackedPerPhase.push(load.acked.size - ackedAtStart);
			const ackedBefore = load.acked.size;
			inFlightAtKills.push(load.inFlight);
			const killedAt = performance.now();
			server.child.kill('SIGKILL');
			const exit = await waitExit(server.child, 10_000);
			if (!exit) throw new Error('server did not die on SIGKILL');
			server = await startServer(appDir, build.entry, port, env);
			downMs.push(performance.now() - killedAt);
			log(`${opts.engine}: kill ${k}/${kills}: ${inFlightAtKills.at(-1)} requests in flight, ${ackedPerPhase.at(-1)} acknowledged since the last start (${ackedBefore} in all); listening again after ${(downMs.at(-1)! / 1000).toFixed(1)} s`);
		}
		await sleep(phaseMs);
		await load.stop();
		server.child.kill('SIGTERM');
		const exit = await waitExit(server.child, 15_000);
		if (!exit) {
			server.child.kill('SIGKILL');
			throw new Error(`server did not stop within 15 s of SIGTERM:\n${server.output()}`);
		}
		if (exit.code !== 0) throw new Error(`server exited with ${exit.code ?? exit.signal} after SIGTERM:\n${server.output()}`);
		server = null;

		const counts = await readCounts(database.url);
		let found = 0;
		let lost = 0;
		let duplicated = 0;
		let partial = 0;
		let unexpected = 0;
		let committedUnacknowledged = 0;
		for (const id of load.acked) {
			const s = counts.submissions.get(id) ?? 0;
			const p = counts.perspectives.get(id) ?? 0;
			const a = counts.answers.get(id) ?? 0;
			if (s === 1 && p === 1 && a === 1) found++;
			else if (s === 0 || p === 0 || a === 0) lost++;
		}
		for (const [id, s] of counts.submissions) {
			if (!load.sentSet.has(id)) unexpected++;
			const p = counts.perspectives.get(id) ?? 0;
			const a = counts.answers.get(id) ?? 0;
			if (s > 1 || p > 1 || a > 1) duplicated++;
			if (p === 0 || a === 0) partial++;
			if (!load.acked.has(id)) committedUnacknowledged++;
		}
		// Perspectives or answers whose submission row is missing would also be a partial write.
		for (const id of new Set([...counts.perspectives.keys(), ...counts.answers.keys()])) {
			if (!counts.submissions.has(id)) partial++;
		}
		return {
			engine: opts.engine,
			kills,
			clients,
			sent: load.sent,
			refused: load.refused,
			distinctIds: load.reachedIds.size,
			replays: load.replays,
			replaysOfUnanswered: load.replaysOfUnanswered,
			acknowledged: load.acked.size,
			found,
			lost,
			duplicated,
			partial,
			unexpected,
			committedUnacknowledged,
			inFlightAtKills,
			downMs,
			ackedPerPhase,
			statuses: load.statuses,
			errors: load.errors,
			latencyMs: percentiles(load.latencies),
			totalMs: performance.now() - started
		};
	} finally {
		await load.stop().catch(() => {});
		if (server && server.child.exitCode === null && server.child.signalCode === null) {
			server.child.kill('SIGKILL');
			await waitExit(server.child, 5000);
		}
		await database.drop().catch((e) => log(`could not drop the crash-test database: ${e instanceof Error ? e.message : e}`));
		build.cleanup();
	}
}

function percentiles(values: number[]) {
	const sorted = [...values].sort((a, b) => a - b);
	const at = (q: number) => (sorted.length ? Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]) : 0);
	return { p50: at(0.5), p99: at(0.99), max: Math.round(sorted.at(-1) ?? 0) };
}

export function describeReport(r: CrashReport): string[] {
	const name = r.engine === 'sqlite' ? 'SQLite' : 'PostgreSQL';
	const fmt = (o: Record<string, number>) => Object.entries(o).map(([k, v]) => `${k}×${v}`).join(', ') || 'none';
	return [
		`${name}: ${r.kills} SIGKILLs under ${r.clients} concurrent clients (in flight at each kill: ${r.inFlightAtKills.join(', ')}; acknowledged since the previous start: ${r.ackedPerPhase.join(', ')}; back up after ${r.downMs.map((ms) => (ms / 1000).toFixed(1)).join(', ')} s)`,
		`${name}: sent ${r.sent} requests (${r.distinctIds} ids, ${r.replays} replays of which ${r.replaysOfUnanswered} resent an unanswered id)`,
		`${name}: acknowledged ${r.acknowledged}, found ${r.found}, lost ${r.lost}, duplicated ${r.duplicated}, partial ${r.partial}, unexpected ${r.unexpected}`,
		`${name}: committed but never acknowledged (answer lost to a kill): ${r.committedUnacknowledged}`,
		`${name}: HTTP statuses ${fmt(r.statuses)}; no answer ${fmt(r.errors)}; ${r.refused} connection attempts refused while down (retried)`,
		`${name}: answered requests' latency p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms, max ${r.latencyMs.max} ms`,
		`${name}: total time ${(r.totalMs / 1000).toFixed(1)} s — ${passed(r) ? 'PASS' : 'FAIL'}`
	];
}

export function passed(r: CrashReport): boolean {
	return r.lost === 0 && r.duplicated === 0 && r.partial === 0 && r.unexpected === 0 && r.acknowledged > 0 && r.found === r.acknowledged;
}

/** Both engines (PostgreSQL from BENCH_DATABASE_URL / TEST_DATABASE_URL or the local default). Returns the exit code. */
export async function runAll(
	log: (line: string) => void,
	opts: { engines?: ('sqlite' | 'postgres')[]; kills?: number; clients?: number; phaseMs?: number; requirePostgres?: boolean } = {}
): Promise<number> {
	const engines = opts.engines ?? ['sqlite', 'postgres'];
	const pgUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? DEFAULT_PG_URL;
	let failed = false;
	for (const engine of engines) {
		if (engine === 'postgres') {
			const problem = await postgresReachable(pgUrl);
			if (problem) {
				log(`PostgreSQL: NOT RUN — cannot reach ${new URL(pgUrl).host} (${problem}); set BENCH_DATABASE_URL`);
				if (opts.requirePostgres) failed = true;
				continue;
			}
		}
		const report = await runCrashTest({ engine, kills: opts.kills, clients: opts.clients, phaseMs: opts.phaseMs, pgUrl, log });
		describeReport(report).forEach((line) => log(line));
		if (!passed(report)) failed = true;
	}
	return failed ? 1 : 0;
}

function isMain(): boolean {
	return process.argv[1] !== undefined && pathToFileURL(path.resolve(process.argv[1])).href === import.meta.url;
}

if (isMain()) {
	const args = process.argv.slice(2);
	const value = (name: string) => {
		const i = args.indexOf(name);
		return i === -1 ? undefined : args[i + 1];
	};
	const engineArg = value('--engine') ?? 'both';
	if (!['sqlite', 'postgres', 'both'].includes(engineArg)) {
		console.error('usage: tsx scripts/crash-test.ts [--engine sqlite|postgres|both] [--kills 5] [--clients 200] [--phase-ms 2500]');
		process.exit(2);
	}
	const engines = engineArg === 'both' ? (['sqlite', 'postgres'] as const) : ([engineArg] as ['sqlite' | 'postgres']);
	const num = (name: string) => (value(name) === undefined ? undefined : Number(value(name)));
	// Keep the whole run bounded even if something hangs.
	const guard = setTimeout(() => {
		console.error('crash test: gave up after 5 minutes');
		killLiveServers();
		process.exit(1);
	}, 5 * 60_000);
	guard.unref();
	runAll((line) => console.log(line), {
		engines: [...engines],
		kills: num('--kills'),
		clients: num('--clients'),
		phaseMs: num('--phase-ms'),
		requirePostgres: engineArg !== 'sqlite'
	}).then(
		(code) => {
			process.exitCode = code;
		},
		(error) => {
			console.error(error);
			process.exitCode = 1;
		}
	);
}
