/**
 * PostgreSQL: the grouped commit's cost per submission on two databases, interleaved round by round (issue #18;
 * written for migration 2026-12-12-0800, one index fewer on `answer`). In-process, no HTTP: batches of 10 of the
 * survey bench's submissions (texts screened before, as the writer does) through commitBatch, the function the
 * writer runs, on one connection per database. Per submission: this process's CPU (process.cpuUsage), the backend's
 * CPU (/proc/<pid>/schedstat of the one connection's server process: every statement, trigger and COMMIT of the
 * batch runs there) and the WAL the backend wrote (pg_stat_wal is the cluster's, so other sessions' writes land in it
 * too: read it as an upper bound). The databases are opened without migrating (openDatabase, not openPrepared), so
 * one can be left at a migration's `down` (tsx: `migrations[name].down(db)`).
 * Usage: tsx scripts/bench/lib/pg-commit-ab.ts [submissions a round = 2000] [rounds = 3] name=postgres://… name=postgres://…
 * PG_V7=name,…: those targets' submissions carry time-ordered ids (UUID version 7, as the survey's drafts make them)
 * instead of random ones.
 */
import fs from 'node:fs';
import { sql } from 'kysely';
import { openDatabase } from '../../../src/lib/server/db/connect';
import { parseDatabaseUrl } from '../../../src/lib/server/db/config';
import { getConsultation } from '../../../src/lib/server/consultations/queries';
import { preparedTexts } from '../../../src/lib/server/submissions/save';
import { commitBatch, type BatchItem } from '../../../src/lib/server/survey/batch-store';
import type { SubmissionInput } from '../../../src/lib/schemas/submission';
import { SLUG, submissionBody } from './submissions';

const count = Number(process.argv[2] ?? 2000);
const rounds = Number(process.argv[3] ?? 3);
const targets = process.argv.slice(4).map((a) => {
	const [name, url] = a.split(/=(.*)/s);
	return { name, url };
});
if (targets.length < 1) throw new Error('name=postgres://… at least once');
const BATCH = 10;
const v7 = new Set((process.env.PG_V7 ?? '').split(',').filter(Boolean));

const opened = [];
for (const t of targets) {
	const open = await openDatabase(parseDatabaseUrl(t.url));
	const c = (await getConsultation(open.db, SLUG))!;
	opened.push({ ...t, open, c });
}
const ns = (pid: number) => Number(fs.readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]);
const load = () => fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

for (let round = 1; round <= rounds; round++) {
	const order = round % 2 ? opened : [...opened].reverse();
	for (const o of order) {
		// One connection for the round: its backend runs every statement, so its CPU is the database's share.
		await o.open.db.connection().execute(async (conn) => {
			const pid = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(conn)).rows[0].pid;
			const wal = async () =>
				Number((await sql<{ b: string }>`select wal_bytes::text as b from pg_stat_wal`.execute(conn)).rows[0].b);
			const batches: BatchItem[][] = [];
			for (let i = 0; i < count; i += BATCH)
				batches.push(
					Array.from({ length: Math.min(BATCH, count - i) }, () => {
						const input = JSON.parse(submissionBody(undefined, v7.has(o.name) ? 'v7' : 'v4')) as SubmissionInput;
						return { c: o.c, input, now: undefined, texts: preparedTexts(input) };
					})
				);
			const w0 = await wal();
			const b0 = ns(pid);
			const c0 = process.cpuUsage();
			for (const batch of batches) {
				const out = await commitBatch(conn, batch);
				if (out.some((r) => r.status !== 'created')) throw new Error(`not stored: ${JSON.stringify(out[0])}`);
			}
			const c = process.cpuUsage(c0);
			const backend = (ns(pid) - b0) / 1e3 / count;
			const walBytes = ((await wal()) - w0) / count;
			console.log(
				`round ${round} ${o.name}: µs a submission: node ${((c.user + c.system) / count).toFixed(0)}, backend ${backend.toFixed(0)}, WAL ≤ ${walBytes.toFixed(0)} B; load ${load()}`
			);
		});
	}
}
for (const o of opened) await o.open.close();
