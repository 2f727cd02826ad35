/**
 * Where SQLite's time goes on the submission path: submitResponse in-process (10 at a time, as the bench's load;
 * SQL_CONCURRENCY=n for n at a time, so a grouped commit of about n),
 * with every better-sqlite3 statement timed by its SQL text (wall time on the main thread, which is where
 * better-sqlite3 runs), after a warm-up. Prints each statement's share per stored submission, and the pages the
 * write-ahead log grew by per submission (checkpoints off for the timed part, so every page written stays in it).
 * Usage: tsx scripts/bench/lib/sql-submissions.ts [submissions]
 * SQL_DB=path: start from a copy of that database (e.g. a million answers: a random leaf of a deep index costs more
 * pages than one of an empty database's); the copy is removed after. SQL_DOWN=migration-name: after migrating, run
 * that migration's `down` (the schema before it, e.g. the indexes it dropped), to compare A/B on one build.
 * SQL_EXEC='statement; …': run after that (e.g. `drop index x`, to see what one index costs).
 * SQL_PAGES=1: also the log's pages per submission by the table or index each page belongs to (the frames' page
 * numbers read from the log file, named through SQLite's dbstat table): which b-trees a grouped COMMIT writes.
 * SQL_IDS=v7: the submissions' ids time-ordered (UUID version 7, as the survey's drafts make them) instead of random.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { openPrepared } from '../../../src/lib/server/bootstrap';
import { migrations } from '../../../src/lib/server/db/migrations';
import { submitResponse } from '../../../src/lib/server/survey/submit';
import { SLUG, submissionBody } from './submissions';

const count = Number(process.argv[2] ?? 3000);
const concurrency = Number(process.env.SQL_CONCURRENCY ?? 10);
const ids = process.env.SQL_IDS === 'v7' ? 'v7' : 'v4';
const times = new Map<string, { n: number; ms: number; cpu: number }>();
// SQL_CPU=1: also the process CPU (user + system, all threads) across each statement, beside its wall time: a
// statement whose wall time is well above its CPU waited (on the disk, a lock), rather than worked.
const withCpu = process.env.SQL_CPU === '1';
let timing = false;
const probe = new Database(':memory:');
const proto = Object.getPrototypeOf(probe.prepare('select 1')) as Record<string, (...a: unknown[]) => unknown>;
probe.close();
for (const method of ['run', 'all', 'get'] as const) {
	const original = proto[method];
	proto[method] = function (this: { source: string }, ...args: unknown[]) {
		if (!timing) return original.apply(this, args);
		const t = process.hrtime.bigint();
		const c = withCpu ? process.cpuUsage() : null;
		try {
			return original.apply(this, args);
		} finally {
			const e = times.get(this.source) ?? { n: 0, ms: 0, cpu: 0 };
			e.n++;
			e.ms += Number(process.hrtime.bigint() - t) / 1e6;
			if (c) {
				const u = process.cpuUsage(c);
				e.cpu += (u.user + u.system) / 1000;
			}
			times.set(this.source, e);
		}
	};
}

// Checkpoints off: no worker (SQLITE_CHECKPOINT=inline) and SQLite's automatic one at 0, set below.
process.env.SQLITE_CHECKPOINT = 'inline';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consult-sql-'));
const file = path.join(dir, 'sql.sqlite');
if (process.env.SQL_DB) {
	fs.copyFileSync(process.env.SQL_DB, file);
	if (fs.existsSync(`${process.env.SQL_DB}-wal`)) fs.copyFileSync(`${process.env.SQL_DB}-wal`, `${file}-wal`);
}
const open = await openPrepared({ kind: 'sqlite', path: file });
if (process.env.SQL_DOWN) {
	const m = migrations[process.env.SQL_DOWN];
	if (!m?.down) throw new Error(`no migration ${process.env.SQL_DOWN} with a down`);
	await m.down(open.db);
}
for (const statement of (process.env.SQL_EXEC ?? '').split(';').filter((t) => t.trim()))
	await sql.raw(statement).execute(open.db);
const walPages = async () => {
	const [{ page_size }] = (await sql<{ page_size: number }>`pragma page_size`.execute(open.db)).rows;
	// The log: a 32-byte header, then each page with a 24-byte frame header.
	return Math.max(0, (fs.statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 32) - 32) / (page_size + 24);
};
/**
 * Every frame in the log counted by the b-tree its page belongs to now (dbstat; a page freed and reused since is
 * counted under its current owner, '(free or other)' when it has none). The log holds only the timed part: it was
 * truncated before, and checkpoints are off.
 */
async function framesByTree(): Promise<Map<string, number>> {
	const rows = (await sql<{ name: string; pageno: number }>`select name, pageno from dbstat`.execute(open.db)).rows;
	const owner = new Map(rows.map((r) => [r.pageno, r.name]));
	const log = fs.readFileSync(`${file}-wal`);
	const pageSize = log.readUInt32BE(8);
	const counts = new Map<string, number>();
	for (let at = 32; at + 24 + pageSize <= log.length; at += 24 + pageSize) {
		const name = owner.get(log.readUInt32BE(at)) ?? '(free or other)';
		counts.set(name, (counts.get(name) ?? 0) + 1);
	}
	return counts;
}
async function loop(n: number) {
	let left = n;
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			while (left-- > 0) {
				const r = await submitResponse(open.db, SLUG, JSON.parse(submissionBody(undefined, ids)));
				if (r.kind !== 'created') throw new Error(`not created: ${r.kind}`);
			}
		})
	);
}
try {
	await loop(500);
	await sql`pragma wal_autocheckpoint = 0`.execute(open.db);
	await sql`pragma wal_checkpoint(TRUNCATE)`.execute(open.db);
	const pagesBefore = await walPages();
	timing = true;
	const cpu = process.cpuUsage();
	await loop(count);
	timing = false;
	const used = process.cpuUsage(cpu);
	const pages = (await walPages()) - pagesBefore;
	const total = [...times.values()].reduce((s, e) => s + e.ms, 0);
	console.log(
		`${count} submissions, ${concurrency} at a time: log ${(pages / count).toFixed(1)} pages/sub; statements ${(total / count).toFixed(3)} ms/sub; process CPU ${((used.user + used.system) / 1000 / count).toFixed(3)} ms/sub; load ${os
			.loadavg()
			.map((l) => l.toFixed(1))
			.join(' ')}`
	);
	for (const [source, e] of [...times].sort((a, b) => b[1].ms - a[1].ms).slice(0, 15))
		console.log(
			`${(e.ms / count).toFixed(3)} ms/sub${withCpu ? ` (CPU ${(e.cpu / count).toFixed(3)})` : ''}  ${e.n} runs  ${source.replace(/\s+/g, ' ').slice(0, 150)}`
		);
	if (process.env.SQL_PAGES === '1') {
		const byTree = await framesByTree();
		const frames = [...byTree.values()].reduce((a, b) => a + b, 0);
		console.log(`log frames by b-tree (per submission; ${frames} frames in all):`);
		for (const [name, n] of [...byTree].sort((a, b) => b[1] - a[1]))
			console.log(`${(n / count).toFixed(2)} pages/sub  ${name}`);
	}
} finally {
	await open.close();
	fs.rmSync(dir, { recursive: true, force: true });
}
