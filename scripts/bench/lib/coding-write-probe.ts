/**
 * How long a write on the server's main connection waits behind background coding (issue #19, helper code37): codes
 * every answer of an SQLite copy anew (as `coding-run.ts` with CODING_FORGET=codings: the engine's rows deleted,
 * coded_at cleared, the aggregates rebuilt; not timed) while the main thread, every PROBE_MS (default 50) ms, runs one
 * write transaction of a submission's kind on the main connection (BEGIN IMMEDIATE, an upsert, COMMIT: a coding job
 * asked for) and times it (mostly the wait for the write lock). Prints one JSON line: the probe's count and
 * p50/p90/p99/max ms, coding's seconds and the process's CPU seconds, the writer thread's transactions
 * (writer-worker.ts `growth`: commits by cause, chunks) and the load average. Run it once per arm
 * (`CODING_WRITER_GROW=off` = before).
 * Usage: tsx scripts/bench/lib/coding-write-probe.ts file:COPY.sqlite
 */
import os from 'node:os';
import { sql } from 'kysely';
import { openDatabase } from '../../../src/lib/server/db/connect';
import { parseDatabaseUrl } from '../../../src/lib/server/db/config';
import { codeUncoded, codingWriterFor } from '../../../src/lib/server/coding/recode';
import { stopEngineThread } from '../../../src/lib/server/coding/engine';
import { requestCodingJob } from '../../../src/lib/server/coding/queue';
import { rebuildAggregates } from '../../../src/lib/server/analysis/aggregates';
import { BYPASS_TABLE } from '../../../src/lib/server/db/migrations/lib/trigger-bypass';

const url = process.argv[2];
if (!url?.startsWith('file:')) throw new Error('usage: coding-write-probe.ts file:COPY.sqlite');
const PROBE_MS = Number(process.env.PROBE_MS ?? 50);
const open = await openDatabase(parseDatabaseUrl(url));
const db = open.db;
await db.transaction().execute(async (tx) => {
	await sql`insert into ${sql.table(BYPASS_TABLE)} (id) values (1)`.execute(tx);
	await sql`delete from answer_theme where source = 'auto'`.execute(tx);
	await sql`update answer set coded_at = null where text is not null`.execute(tx);
	await sql`delete from ${sql.table(BYPASS_TABLE)}`.execute(tx);
});
await rebuildAggregates(db);
const question = (await db.selectFrom('question').select('id').executeTakeFirstOrThrow()).id;

const writer = await codingWriterFor(db);
await writer?.growth(); // reset
const load0 = os.loadavg()[0];
const cpu0 = process.cpuUsage();
const t0 = performance.now();
let finished = false;
const run = codeUncoded(db).finally(() => (finished = true));
const waits: number[] = [];
while (!finished) {
	await new Promise((r) => setTimeout(r, PROBE_MS));
	if (finished) break;
	const w0 = performance.now();
	await db.transaction().execute((tx) => requestCodingJob(tx, { kind: 'question', questionId: question }));
	waits.push(performance.now() - w0);
}
const coded = await run;
const seconds = (performance.now() - t0) / 1000;
const cpu = ((u) => u.user + u.system)(process.cpuUsage(cpu0)) / 1e6;
const growth = await writer?.growth();
await db.deleteFrom('coding_job').execute();
waits.sort((a, b) => a - b);
const q = (p: number) => Math.round(waits[Math.min(waits.length - 1, Math.floor(p * waits.length))] * 10) / 10;
const r1 = (x: number) => Math.round(x * 10) / 10;
console.log(
	JSON.stringify({
		grow: process.env.CODING_WRITER_GROW !== 'off',
		coded,
		seconds: r1(seconds),
		cpuSeconds: r1(cpu),
		probes: waits.length,
		waitMs: { p50: q(0.5), p90: q(0.9), p99: q(0.99), max: q(1) },
		growth,
		load: [r1(load0), r1(os.loadavg()[0])]
	})
);
await stopEngineThread();
await open.close();
process.exit(0);
