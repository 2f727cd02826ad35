// npm run bench -- durability, or: tsx scripts/crash-test.ts [--engine sqlite|postgres|both]
//   [--kills 5] [--clients 200] [--phase-ms 2500] [--guard-minutes 5]
//
// Durability under load and crashes. On loopback only: starts the built server on
// a fresh database, keeps (by default) 200 concurrent clients posting submissions
// to POST /api/s/<slug>/submissions (a fifth of them replaying ids already sent,
// including ids whose first attempt got no answer because of a kill), kills the
// server with SIGKILL in the middle of the load, restarts it on the same database,
// and repeats; then stops it gracefully and opens the database directly to check
// that every submission that was answered 201 or 200 is there exactly once, whole.
// The parts live in scripts/lib: build.ts (build snapshot), throwaway-db.ts (database
// set-up), server.ts (server control), crash/load.ts (load generator), crash/report.ts.
// Exits non-zero if any acknowledged submission is lost or anything is doubled.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { freePort } from './lib/net';
import { ensureBuild, snapshotBuild } from './lib/build';
import { createThrowawayDatabase, postgresReachable } from './lib/throwaway-db';
import {
	killLiveServers,
	startProductionBuild,
	waitExit,
	UNLIMITED_SURVEY_ENV,
	type RunningServer
} from './lib/server';
import { Load } from './lib/crash/load';
import { describeReport, passed, percentiles, readCounts, tally, type CrashReport } from './lib/crash/report';
import { SLUG } from '../tests/helpers/consultation';

export { describeReport, passed, type CrashReport };
export const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432/test';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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
	/**
	 * How long each (re)start may take to be ready: 120 s by default, twice the servers' usual bound, because
	 * restarts under 200 clients on a loaded machine took 33–55 s (docs/deployment.md, sixteenth round).
	 */
	startTimeoutMs?: number;
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

	const database = await createThrowawayDatabase(opts.engine, opts.pgUrl ?? DEFAULT_PG_URL, 'consult_crash').catch(
		(error) => {
			build.cleanup();
			throw error;
		}
	);
	const port = await freePort();
	const env = { ...UNLIMITED_SURVEY_ENV, DATABASE_URL: database.url };
	const start = () =>
		startProductionBuild(build.entry, env, { port, cwd: appDir, timeoutMs: opts.startTimeoutMs ?? 120_000 });
	let server: RunningServer | null = null;
	const load = new Load(port, clients, opts.replayRate ?? 0.2, SLUG);
	const inFlightAtKills: number[] = [];
	const downMs: number[] = [];
	const ackedPerPhase: number[] = [];
	try {
		server = await start();
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
			server.process.kill('SIGKILL');
			const exit = await waitExit(server.process, 10_000);
			if (!exit) throw new Error('server did not die on SIGKILL');
			server = await start();
			downMs.push(performance.now() - killedAt);
			log(
				`${opts.engine}: kill ${k}/${kills}: ${inFlightAtKills.at(-1)} requests in flight, ${ackedPerPhase.at(-1)} acknowledged since the last start (${ackedBefore} in all); listening again after ${(downMs.at(-1)! / 1000).toFixed(1)} s`
			);
		}
		await sleep(phaseMs);
		await load.stop();
		const exit = await server.stop('SIGTERM', 15_000);
		if (!exit) throw new Error(`server did not stop within 15 s of SIGTERM:\n${server.output()}`);
		if (exit.code !== 0)
			throw new Error(`server exited with ${exit.code ?? exit.signal} after SIGTERM:\n${server.output()}`);
		server = null;

		const counts = await readCounts(database.url);
		const { found, lost, duplicated, partial, unexpected, committedUnacknowledged } = tally(load, counts);
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
		if (server) await server.stop('SIGKILL', 5000);
		await database
			.drop()
			.catch((e) => log(`could not drop the crash-test database: ${e instanceof Error ? e.message : e}`));
		build.cleanup();
	}
}

/** Both engines (PostgreSQL from BENCH_DATABASE_URL / TEST_DATABASE_URL or the local default). Returns the exit code. */
export async function runAll(
	log: (line: string) => void,
	opts: {
		engines?: ('sqlite' | 'postgres')[];
		kills?: number;
		clients?: number;
		phaseMs?: number;
		requirePostgres?: boolean;
	} = {}
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
		const report = await runCrashTest({
			engine,
			kills: opts.kills,
			clients: opts.clients,
			phaseMs: opts.phaseMs,
			pgUrl,
			log
		});
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
		console.error(
			'usage: tsx scripts/crash-test.ts [--engine sqlite|postgres|both] [--kills 5] [--clients 200] [--phase-ms 2500] [--guard-minutes 5]'
		);
		process.exit(2);
	}
	const engines = engineArg === 'both' ? (['sqlite', 'postgres'] as const) : ([engineArg] as ['sqlite' | 'postgres']);
	const num = (name: string) => (value(name) === undefined ? undefined : Number(value(name)));
	// Keep the run bounded even if something hangs: a guard per step (the build and first start, each kill and its
	// restart, the final phase and check), re-armed by every progress line, rather than one for the whole run,
	// whose length grows with --kills and with the machine's load (a restart took 33–55 s at load 22–26, and a
	// 5-kill run hit a single 5-minute guard after four kills). --guard-minutes sets each step's bound.
	const guardMs = (num('--guard-minutes') ?? 5) * 60_000;
	let guard: NodeJS.Timeout | undefined;
	const arm = () => {
		clearTimeout(guard);
		guard = setTimeout(() => {
			console.error(`crash test: gave up after ${guardMs / 60_000} minutes without progress`);
			killLiveServers();
			process.exit(1);
		}, guardMs);
		guard.unref();
	};
	arm();
	runAll(
		(line) => {
			arm();
			console.log(line);
		},
		{
			engines: [...engines],
			kills: num('--kills'),
			clients: num('--clients'),
			phaseMs: num('--phase-ms'),
			requirePostgres: engineArg !== 'sqlite'
		}
	).then(
		(code) => {
			process.exitCode = code;
		},
		(error) => {
			console.error(error);
			process.exitCode = 1;
		}
	);
}
