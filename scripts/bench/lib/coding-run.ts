/**
 * Child process of the analysis bench: codes every answer of a database from scratch the way the
 * server does in the background (codeUncoded: the engine worker thread, in batches), and prints one
 * JSON line: answers coded, seconds, CPU seconds of this process (all threads) and, on PostgreSQL, of
 * the database's backends (Linux schedstat), peak RSS of this process (MB, all threads), the longest
 * pause of the main thread meanwhile, its CPU seconds (the rest is mostly the engine's thread) (what a request arriving during coding would wait at most) and
 * the load average. `CODING_AGGREGATE_DELTA=off` codes with the aggregate row triggers (the A of an A/B).
 * PostgreSQL: CODING_FORGET=codings deletes the engine's codings too before the run (answers as they arrive, never
 * coded), then rebuilds the aggregates; by default only coded_at is forgotten (the engine's rows stay, and are
 * rewritten). SQLite: CODING_FORGET=codings likewise (the engine's rows of the answers coded deleted, then a rebuild);
 * CODING_ANSWERS=N codes only the first N answers with words (by id; the others stay coded), to time a slice of a
 * large database (on PostgreSQL with CODING_FORGET=codings too). `CODING_CUBE_DELTA=whole` writes the theme cube's whole share twice a chunk (the A of that A/B).
 * Usage: tsx scripts/bench/lib/coding-run.ts DATABASE_URL
 */
import fs from 'node:fs';
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { PostgresAdapter, sql } from 'kysely';
import pgDriver from 'pg';
import BetterSqlite from 'better-sqlite3';
import { openDatabase } from '../../../src/lib/server/db/connect';
import { parseDatabaseUrl } from '../../../src/lib/server/db/config';
import { codeUncoded, codingWriterFor } from '../../../src/lib/server/coding/recode';
import { stopEngineThread } from '../../../src/lib/server/coding/engine';
import { withAggregateDelta } from '../../../src/lib/server/coding/aggregate-delta';
import { rebuildAggregates } from '../../../src/lib/server/analysis/aggregates';
import { BYPASS_SETTING, BYPASS_TABLE } from '../../../src/lib/server/db/migrations/lib/trigger-bypass';

/**
 * CODING_PROFILE=1: times every statement, summed by statement shape, printed after the JSON line, largest first.
 * PostgreSQL: as the client sends it (send to result, so the round trip and the server's time); SQLite: each
 * better-sqlite3 call (synchronous, so main-thread time).
 */
const profile = new Map<string, { n: number; ms: number; cpuMs?: number }>();
/** CPU ms so far of the calling thread (Linux schedstat), or NaN. */
function threadCpuMs(): number {
	try {
		return Number(fs.readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
	} catch {
		return NaN;
	}
}
let profiling = false;
if (process.env.CODING_PROFILE === '1') {
	const proto = pgDriver.Client.prototype as unknown as { query: (...a: unknown[]) => unknown };
	const original = proto.query;
	proto.query = function (this: unknown, ...args: unknown[]) {
		const out = original.apply(this, args);
		const text = typeof args[0] === 'string' ? args[0] : ((args[0] as { text?: string })?.text ?? '?');
		if (!profiling || !(out instanceof Promise)) return out;
		const t0 = performance.now();
		const key = text.replace(/\s+/g, ' ').replace(/\$\d+/g, '$').slice(0, 90);
		return out.finally(() => {
			const e = profile.get(key) ?? { n: 0, ms: 0 };
			e.n++;
			e.ms += performance.now() - t0;
			profile.set(key, e);
		});
	};
	// SQLite: better-sqlite3 is synchronous, so each call's wall time is the main thread's time in that statement.
	const probe = new BetterSqlite(':memory:');
	const stmt = Object.getPrototypeOf(probe.prepare('select 1')) as Record<string, (...a: unknown[]) => unknown>;
	probe.close();
	for (const method of ['run', 'all', 'get', 'iterate'] as const) {
		const original = stmt[method];
		stmt[method] = function (this: { source: string }, ...args: unknown[]) {
			if (!profiling) return original.apply(this, args);
			const t0 = performance.now();
			const c0 = threadCpuMs();
			try {
				return original.apply(this, args);
			} finally {
				const key = this.source
					.replace(/\s+/g, ' ')
					.replace(/\[[\d,]+\]/g, '[…]')
					.slice(0, 110);
				const e = profile.get(key) ?? { n: 0, ms: 0, cpuMs: 0 };
				e.n++;
				e.ms += performance.now() - t0;
				e.cpuMs! += threadCpuMs() - c0;
				profile.set(key, e);
			}
		};
	}
}

const url = process.argv[2];
if (!url) throw new Error('usage: coding-run.ts DATABASE_URL');
const open = await openDatabase(parseDatabaseUrl(url));
const pg = open.db.getExecutor().adapter instanceof PostgresAdapter;

/** PostgreSQL: CPU ns so far of each backend connected to this database, by pid (empty on SQLite). */
async function backendCpu(): Promise<Map<number, number>> {
	const out = new Map<number, number>();
	if (!pg) return out;
	const rows = await sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database()`.execute(
		open.db
	);
	for (const { pid } of rows.rows)
		try {
			out.set(Number(pid), Number(fs.readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]));
		} catch {
			// gone, or not on this machine
		}
	return out;
}

/** CPU seconds so far of this process's main thread (its task id is the pid; Linux schedstat), or NaN. */
function mainThreadCpu(): number {
	try {
		return Number(fs.readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]) / 1e9;
	} catch {
		return NaN;
	}
}

/** CPU seconds so far of each thread of this process, by task id and name (Linux /proc), empty elsewhere. */
function threadCpu(): Map<string, number> {
	const out = new Map<string, number>();
	try {
		for (const tid of fs.readdirSync('/proc/self/task')) {
			const name = fs.readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim();
			out.set(
				`${tid} ${name}`,
				Number(fs.readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0]) / 1e9
			);
		}
	} catch {
		// not Linux, or a thread gone meanwhile
	}
	return out;
}

try {
	// Forget earlier coding: every answer with words is new to the coder. One transaction, the aggregates kept
	// set-based (with the row triggers this alone took over 5 minutes at 100,000 answers on PostgreSQL).
	const mode = process.env.CODING_AGGREGATE_DELTA;
	delete process.env.CODING_AGGREGATE_DELTA; // in both modes of the A/B: it is not what is measured
	if (pg && process.env.CODING_FORGET === 'codings') {
		// As new answers arrive: no coding at all (the engine's rows deleted too, officers' kept), then a rebuild.
		// CODING_ANSWERS=N: only the first N answers with words (by id), as on SQLite below (a slice of a large database).
		const slice = Number(process.env.CODING_ANSWERS ?? 0);
		const firstN = sql`select id from answer where text is not null order by id limit ${slice}`;
		await open.db.transaction().execute(async (tx) => {
			await sql`select set_config(${BYPASS_SETTING}, 'on', true)`.execute(tx);
			if (slice > 0) {
				await sql`delete from answer_theme where source = 'auto' and answer_id in (${firstN})`.execute(tx);
				await sql`update answer set coded_at = null where id in (${firstN}) and coded_at is not null`.execute(tx);
				return;
			}
			await sql`delete from answer_theme where source = 'auto'`.execute(tx);
			await sql`update answer set coded_at = null where text is not null and coded_at is not null`.execute(tx);
		});
		await rebuildAggregates(open.db);
	} else if (pg)
		// PostgreSQL: the whole table at once (in id slices through the delta this step took longer than the run).
		// Forgetting changes only coded_at, which only analysis_agg_coding keys on: its rows move from "coded" to
		// "not coded" in one grouped statement (as the delta counts them), the triggers off for the update.
		await open.db.transaction().execute(async (tx) => {
			await sql`select set_config(${BYPASS_SETTING}, 'on', true)`.execute(tx);
			await sql`insert into analysis_agg_coding (question_id, wording_version, is_reviewed, is_coded, has_human, n)
				select question_id, v, r, c, h, sum(k) from (
					select a.question_id, coalesce(a.wording_version, 1) as v, case when a.reviewed_at is not null then 1 else 0 end as r,
						case when a.id in (select answer_id from answer_theme where source = 'human') then 1 else 0 end as h
					from answer a where a.text is not null and a.coded_at is not null) t
				cross join (values (1, -1), (0, 1)) as m(c, k)
				group by question_id, v, r, c, h
				on conflict (question_id, wording_version, is_reviewed, is_coded, has_human)
				do update set n = analysis_agg_coding.n + excluded.n`.execute(tx);
			await sql`update answer set coded_at = null where text is not null and coded_at is not null`.execute(tx);
			await sql`update data_version set version = version + 1 where id = 1`.execute(tx);
		});
	const limit = Number(process.env.CODING_ANSWERS ?? 0);
	let ids = pg
		? []
		: (
				await open.db
					.selectFrom('answer')
					.select('id')
					.where('text', 'is not', null)
					.orderBy('id')
					.$if(limit > 0, (q) => q.limit(limit))
					.execute()
			).map((r) => r.id);
	if (!pg && process.env.CODING_FORGET === 'codings') {
		// As new answers arrive: these answers' engine rows deleted and coded_at cleared (triggers off), then a rebuild.
		await open.db.transaction().execute(async (tx) => {
			await sql`insert into ${sql.table(BYPASS_TABLE)} (id) values (1)`.execute(tx);
			for (let i = 0; i < ids.length; i += 20000) {
				const slice = JSON.stringify(ids.slice(i, i + 20000));
				await sql`delete from answer_theme where source = 'auto' and answer_id in (select value from json_each(${slice}))`.execute(
					tx
				);
				await sql`update answer set coded_at = null where id in (select value from json_each(${slice}))`.execute(tx);
			}
			await sql`delete from ${sql.table(BYPASS_TABLE)}`.execute(tx);
		});
		await rebuildAggregates(open.db);
		ids = [];
	}
	// In slices the size of the coder's largest chunk: the delta's statements are planned for chunks (on
	// PostgreSQL a 100,000-id IN over the codings was not hashed and ran for minutes).
	await open.db.transaction().execute(async (tx) => {
		for (let i = 0; i < ids.length; i += 2000) {
			const slice = ids.slice(i, i + 2000);
			await withAggregateDelta(tx, slice, () =>
				tx.updateTable('answer').set({ coded_at: null }).where('id', 'in', slice).execute()
			);
		}
	});
	if (mode !== undefined) process.env.CODING_AGGREGATE_DELTA = mode;
	const lag = monitorEventLoopDelay({ resolution: 10 });
	lag.enable();
	const load0 = os.loadavg()[0];
	const pg0 = await backendCpu();
	const t = performance.now();
	const cpu0 = process.cpuUsage();
	const main0 = mainThreadCpu();
	const threads0 = threadCpu();
	profiling = true;
	const coded = await codeUncoded(open.db);
	profiling = false;
	// CODING_PROFILE=1 on an SQLite file with the writer thread: that thread's statements and chunks (writer-worker.ts).
	const writerProfile =
		process.env.CODING_PROFILE === '1' && !pg ? await (await codingWriterFor(open.db))?.profile() : undefined;
	const seconds = (performance.now() - t) / 1000;
	const cpu = ((u) => u.user + u.system)(process.cpuUsage(cpu0)) / 1e6;
	const main = mainThreadCpu() - main0;
	// Threads that used over 0.5 s of CPU during the run (the main thread, the engine's, the coding writer's), busiest first.
	const threads = [...threadCpu()]
		.map(([k, s]) => [k, s - (threads0.get(k) ?? 0)] as const)
		.filter(([, s]) => s > 0.5)
		.sort((a, b) => b[1] - a[1]);
	lag.disable();
	let backends = 0;
	for (const [pid, ns] of await backendCpu()) backends += (ns - (pg0.get(pid) ?? 0)) / 1e9;
	const r1 = (x: number) => Math.round(x * 10) / 10;
	console.log(
		JSON.stringify({
			delta: mode !== 'off',
			coded,
			seconds: r1(seconds),
			cpuSeconds: r1(cpu),
			// The main thread writes while the engine's thread codes the next chunk: on an idle machine with two
			// cores the wall time is about the larger of the two.
			mainThreadCpuSeconds: r1(main),
			threadCpuSeconds: Object.fromEntries(threads.map(([k, s]) => [k, r1(s)])),
			...(pg ? { backendCpuSeconds: r1(backends) } : {}),
			peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
			longestPauseMs: Math.round(lag.max / 1e6),
			load: [r1(load0), r1(os.loadavg()[0])]
		})
	);
	if (profile.size > 0) {
		const all = [...profile].sort((a, b) => b[1].ms - a[1].ms);
		const total = all.reduce((t, [, e]) => t + e.ms, 0);
		const cpu = all.reduce((t, [, e]) => t + (e.cpuMs ?? 0), 0);
		console.log(
			`statements: ${Math.round(total)} ms in all (client-side, send to result)` +
				(cpu ? `; SQLite: ${Math.round(cpu)} ms of the main thread's CPU (the second column)` : '')
		);
		for (const [k, e] of all.slice(0, 25))
			console.log(
				`${String(Math.round(e.ms)).padStart(7)} ms ${e.cpuMs === undefined ? '' : `${String(Math.round(e.cpuMs)).padStart(7)} cpu `}${String(e.n).padStart(6)}×  ${k}`
			);
	}
	if (writerProfile) {
		const all = Object.entries(writerProfile.statements).sort((a, b) => b[1].cpuMs - a[1].cpuMs);
		const total = all.reduce((t, [, e]) => t + e.ms, 0);
		const cpu = all.reduce((t, [, e]) => t + e.cpuMs, 0);
		console.log(`writer thread statements: ${Math.round(total)} ms wall, ${Math.round(cpu)} ms CPU (second column)`);
		for (const [k, e] of all.slice(0, 25))
			console.log(
				`${String(Math.round(e.ms)).padStart(7)} ms ${String(Math.round(e.cpuMs)).padStart(7)} cpu ${String(e.n).padStart(6)}×  ${k}`
			);
		console.log('writer thread chunks by size (answers from, chunks, answers, wall ms, CPU ms, CPU µs per answer):');
		for (const [band, e] of Object.entries(writerProfile.chunks).sort((a, b) => Number(a[0]) - Number(b[0])))
			console.log(
				`${band.padStart(6)} ${String(e.n).padStart(6)} ${String(e.answers).padStart(8)} ${String(Math.round(e.ms)).padStart(8)} ${String(Math.round(e.cpuMs)).padStart(8)} ${String(Math.round((e.cpuMs * 1000) / e.answers)).padStart(6)}`
			);
	}
} finally {
	await stopEngineThread();
	await open.close();
}
