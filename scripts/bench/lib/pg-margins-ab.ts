/**
 * The equality margins statement alone on PostgreSQL, the portable form against the grouping-sets form
 * (ANALYSIS_PG_MARGIN_SETS), for one dashboard: the page's margins statements (its scope's and its wider views')
 * captured at the driver in each form, then replayed on one connection, interleaved, `rounds` times each, with the backend's CPU read from
 * /proc/<pid>/schedstat (the database must be on this machine) and the rows' hash compared.
 *   DATABASE_URL=postgres://…/db npx tsx scripts/bench/lib/pg-margins-ab.ts 'group=child' [rounds]
 */
import fs from 'node:fs';
import os from 'node:os';
import crypto from 'node:crypto';
import pg from 'pg';
import { openPrepared } from '../../../src/lib/server/bootstrap';
import { getConsultation } from '../../../src/lib/server/consultations/queries';
import { parseFilters } from '../../../src/lib/analysis/filters';
import { dashboardTables } from '../../../src/lib/server/analysis/registry';
import { timePgQueries } from '../../lib/pg-query-timing';

process.env.ANALYSIS_CACHE = 'off';
const [qs = 'group=child', roundsArg = '5'] = process.argv.slice(2);
const timings = timePgQueries();
const open = await openPrepared();
const c = (await getConsultation(open.db, 'worcestershire-cypp-2017'))!;
const capture = async (sw: string) => {
	process.env.ANALYSIS_PG_MARGIN_SETS = sw;
	timings.length = 0;
	await dashboardTables(open.db, c, parseFilters(new URLSearchParams(qs)), '/');
	await new Promise((r) => setTimeout(r, 50));
	// The margins statements: the portable one selects its 'completed' part, the new one its grouping sets.
	const t = timings.filter((x) => /'completed'/.test(x.text) && /eq_sexual_orientation/.test(x.text));
	if (t.length === 0) throw new Error(`${sw}: no margins statement`);
	return t;
};
const old = await capture('off');
const neu = await capture('on');
await open.close();
const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
await client.connect();
const pid = (await client.query('select pg_backend_pid() as p')).rows[0].p;
const cpu = () => Number(fs.readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
const hash = (rows: unknown[]) =>
	crypto
		.createHash('sha256')
		.update(
			rows
				.map((r) => JSON.stringify(r))
				.sort()
				.join('\n')
		)
		.digest('hex')
		.slice(0, 16);
/** The page's margins statements one after another: CPU, wall, rows and their hash (each statement's rows sorted). */
const run = async (qs: { text: string; values: unknown[] }[]) => {
	const c0 = cpu();
	const t0 = performance.now();
	const all: unknown[] = [];
	for (const q of qs) all.push(hash((await client.query(q.text, q.values)).rows));
	return { cpu: cpu() - c0, wall: performance.now() - t0, n: qs.length, hash: hash(all) };
};
await run(old);
await run(neu);
const out: Record<string, string[]> = { off: [], on: [] };
const hashes = new Set<string>();
for (let i = 0; i < Number(roundsArg); i++)
	for (const [k, q] of [
		['off', old],
		['on', neu]
	] as const) {
		const r = await run(q);
		out[k].push(`${r.cpu.toFixed(1)}/${r.wall.toFixed(0)}`);
		hashes.add(`${k} ${r.n} ${r.hash}`);
	}
await client.end();
console.log(
	`${qs}: ${old.length} / ${neu.length} statements; ms cpu/wall off ${out.off.join(' ')} | on ${out.on.join(' ')}`
);
console.log(
	`rows: ${[...hashes].join(', ')}; load ${os
		.loadavg()
		.map((l) => l.toFixed(1))
		.join(' ')}`
);
