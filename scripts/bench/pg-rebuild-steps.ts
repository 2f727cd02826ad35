/**
 * The PostgreSQL aggregate rebuild, statement by statement: wall time and the backend's CPU (schedstat) of each,
 * in one transaction with the row triggers off (as the generator's closing rebuild), rolled back unless --commit.
 * `old` is the migrations' statements as rebuildAggregates ran them before rebuild-pg.ts (two full updates of
 * the submissions), `new` is pgRebuild(). Run it on a database generated with `--rebuild off` (the stored sets
 * still empty, as after a bulk load), and VACUUM between runs: a rolled-back update leaves its dead rows behind.
 *   DATABASE_URL=postgres://…/db npx tsx scripts/bench/pg-rebuild-steps.ts old|new [--commit]
 */
import os from 'node:os';
import { sql } from 'kysely';
import { configFromEnv } from '../../src/lib/server/bootstrap';
import { openDatabase } from '../../src/lib/server/db/connect';
import { REBUILD } from '../../src/lib/server/db/migrations/2026-12-01-0220-analysis-aggregates';
import { REBUILD_SUBMISSIONS } from '../../src/lib/server/db/migrations/2026-12-01-0300-submission-aggregates';
import { REBUILD_CODING } from '../../src/lib/server/db/migrations/2026-12-01-0400-coding-aggregates';
import { rebuildGroupSets } from '../../src/lib/server/db/migrations/2026-12-01-0500-group-set-aggregates';
import { REBUILD_READING } from '../../src/lib/server/db/migrations/2026-12-02-0200-reading-aggregates';
import {
	REBUILD_LANGUAGE,
	REBUILD_QUESTION_SET_EQUALITY,
	rebuildQuestionSets
} from '../../src/lib/server/db/migrations/lib/aggregate-sql';
import { pgRebuild } from '../../src/lib/server/analysis/rebuild-pg';
import { schedNs } from '../lib/cpu-time';

const [mode, flag] = process.argv.slice(2);
if (mode !== 'old' && mode !== 'new') throw new Error('usage: pg-rebuild-steps.ts old|new [--commit]');
const statements =
	mode === 'old'
		? [
				...REBUILD,
				...REBUILD_SUBMISSIONS,
				...REBUILD_CODING,
				...rebuildGroupSets(true),
				...REBUILD_READING,
				...REBUILD_LANGUAGE,
				...rebuildQuestionSets(true),
				...REBUILD_QUESTION_SET_EQUALITY
			]
		: pgRebuild();

const open = await openDatabase(configFromEnv());
let wall = 0;
let cpu = 0;
await open.db.connection().execute(async (c) => {
	const pid = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(c)).rows[0].pid;
	await sql`begin`.execute(c);
	try {
		await sql`set local session_replication_role = replica`.execute(c);
		for (const s of statements) {
			const c0 = schedNs(`/proc/${pid}/schedstat`);
			const t0 = performance.now();
			const r = await sql.raw(s).execute(c);
			const ms = performance.now() - t0;
			const cms = (schedNs(`/proc/${pid}/schedstat`) - c0) / 1e6;
			wall += ms;
			cpu += cms;
			console.log(
				`${(ms / 1000).toFixed(1).padStart(7)} s wall ${(cms / 1000).toFixed(1).padStart(6)} s CPU ${String(r.numAffectedRows ?? '').padStart(8)} rows  ${s.replace(/\s+/g, ' ').slice(0, 90)}`
			);
		}
	} finally {
		await sql.raw(flag === '--commit' ? 'commit' : 'rollback').execute(c);
	}
});
console.log(
	`${mode}: ${(wall / 1000).toFixed(1)} s wall, ${(cpu / 1000).toFixed(1)} s backend CPU (parallel workers not counted), ${flag === '--commit' ? 'committed' : 'rolled back'}; load ${os
		.loadavg()
		.map((l) => l.toFixed(1))
		.join(' ')}`
);
await open.close();
