/**
 * Does a submission cost more as the database grows? (issue 18: over HTTP the rate fell round by round while the
 * floor's did not.) submitResponse in-process, 10 at a time as the bench's load, with the server's own settings
 * (background log sync, the checkpoint worker), in rounds of N submissions on one growing database; each round
 * prints the process CPU per submission (all threads), the wall time, the read and write system calls and the bytes
 * written per submission (/proc/self/io), the database's size, and the SQLite statements' own CPU by statement (top
 * few, with GROW_TOP=n). Variants (NAME:VAR=VALUE,…) each grow a database of their own and run interleaved, round by
 * round; the switch is read at use.
 * Usage: tsx scripts/bench/lib/grow-submissions.ts [per round = 10000] [rounds = 6] 'new:' 'old:SUBMIT_X=off'
 * GROW_DB=path: every variant starts from a copy of that database (e.g. one grown before), removed after.
 * GROW_EXEC='statement; …' in a variant: run on its connection after it is opened (e.g. `pragma cache_size = -65536`).
 * GROW_IDS=v7 in a variant: its submissions' ids are time-ordered (UUID version 7) instead of random (version 4), to
 * see what the indexes keyed by the submission's id cost as they grow.
 * GROW_KEEP=path: the first variant's database is checkpointed and copied there at the end (to start from later).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { openPrepared } from '../../../src/lib/server/bootstrap';
import { submitResponse } from '../../../src/lib/server/survey/submit';
import { SLUG, submissionBody, parseVariants } from './submissions';

const perRound = Number(process.argv[2] ?? 10_000);
const rounds = Number(process.argv[3] ?? 6);
const variants = parseVariants(process.argv.slice(4).length ? process.argv.slice(4) : ['default:']);
const concurrency = Number(process.env.GROW_CONCURRENCY ?? 10);
const top = Number(process.env.GROW_TOP ?? 6);
process.env.SURVEY_RATE_LIMIT ??= '100000000';
process.env.SURVEY_MAX_CONCURRENT ??= '100000000';
process.env.SURVEY_MAX_PER_SECOND ??= '100000000';
process.env.CODING_DELAY_MS ??= '3600000';
process.env.CODING_MAX_DEFER_MS ??= '3600000';

// Each better-sqlite3 statement's own CPU (main thread, where better-sqlite3 runs), by its SQL text.
const times = new Map<string, { n: number; cpu: number }>();
let timing = false;
const probeDb = new Database(':memory:');
const proto = Object.getPrototypeOf(probeDb.prepare('select 1')) as Record<string, (...a: unknown[]) => unknown>;
probeDb.close();
for (const method of ['run', 'all', 'get'] as const) {
	const original = proto[method];
	proto[method] = function (this: { source: string }, ...args: unknown[]) {
		if (!timing) return original.apply(this, args);
		const c = process.cpuUsage();
		try {
			return original.apply(this, args);
		} finally {
			const u = process.cpuUsage(c);
			const e = times.get(this.source) ?? { n: 0, cpu: 0 };
			e.n++;
			e.cpu += (u.user + u.system) / 1000;
			times.set(this.source, e);
		}
	};
}

function io(): { syscr: number; syscw: number; write: number } {
	const t = fs.readFileSync('/proc/self/io', 'utf8');
	const get = (k: string) => Number(new RegExp(`^${k}: (\\d+)$`, 'm').exec(t)?.[1] ?? 0);
	return { syscr: get('syscr'), syscw: get('syscw'), write: get('write_bytes') };
}

function withEnv<T>(env: Record<string, string>, work: () => Promise<T>): Promise<T> {
	const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
	Object.assign(process.env, env);
	return work().finally(() => {
		for (const [k, v] of Object.entries(saved)) {
			if (v === undefined) delete process.env[k];
			else process.env[k] = v;
		}
	});
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consult-grow-'));
const opened: {
	name: string;
	env: Record<string, string>;
	file: string;
	db: Awaited<ReturnType<typeof openPrepared>>;
}[] = [];
try {
	for (const v of variants) {
		const file = path.join(dir, `${v.name}.sqlite`);
		if (process.env.GROW_DB) fs.copyFileSync(process.env.GROW_DB, file);
		const db = await withEnv(v.env, () => openPrepared({ kind: 'sqlite', path: file }));
		for (const statement of (v.env.GROW_EXEC ?? '').split(';').filter((t) => t.trim()))
			await sql.raw(statement).execute(db.db);
		opened.push({ ...v, file, db });
	}
	const loop = async (db: (typeof opened)[number]['db']['db'], n: number) => {
		let left = n;
		await Promise.all(
			Array.from({ length: concurrency }, async () => {
				while (left-- > 0) {
					const ids = process.env.GROW_IDS === 'v7' ? 'v7' : 'v4';
					const r = await submitResponse(db, SLUG, JSON.parse(submissionBody(undefined, ids)));
					if (r.kind !== 'created') throw new Error(`not created: ${r.kind}`);
				}
			})
		);
	};
	for (const o of opened) await withEnv(o.env, () => loop(o.db.db, 300)); // warm-up
	for (let round = 1; round <= rounds; round++) {
		const order = round % 2 ? opened : [...opened].reverse();
		for (const o of order) {
			await withEnv(o.env, async () => {
				times.clear();
				const before = io();
				const cpu = process.cpuUsage();
				const t0 = performance.now();
				timing = true;
				await loop(o.db.db, perRound);
				timing = false;
				const wall = performance.now() - t0;
				const used = process.cpuUsage(cpu);
				const after = io();
				const n = perRound;
				const stmt = [...times.values()].reduce((s, e) => s + e.cpu, 0);
				const size = (f: string) => fs.statSync(f, { throwIfNoEntry: false })?.size ?? 0;
				console.log(
					`round ${round} ${o.name}: ${((used.user + used.system) / n).toFixed(0)} µs CPU/sub (user ${(used.user / n).toFixed(0)}, sys ${(used.system / n).toFixed(0)}), statements ${((stmt * 1000) / n).toFixed(0)} µs, ${(n / (wall / 1000)).toFixed(0)}/s; read calls ${((after.syscr - before.syscr) / n).toFixed(1)}/sub, write calls ${((after.syscw - before.syscw) / n).toFixed(1)}/sub, written ${((after.write - before.write) / 1024 / n).toFixed(1)} KB/sub; db ${(size(o.file) / 1048576).toFixed(1)} MB, log ${(size(`${o.file}-wal`) / 1048576).toFixed(1)} MB; load ${os
						.loadavg()
						.map((l) => l.toFixed(1))
						.join(' ')}`
				);
				for (const [source, e] of [...times].sort((a, b) => b[1].cpu - a[1].cpu).slice(0, top))
					console.log(
						`    ${((e.cpu * 1000) / n).toFixed(1)} µs/sub  ${(e.n / n).toFixed(2)} runs/sub  ${source.replace(/\s+/g, ' ').slice(0, 110)}`
					);
			});
		}
	}
	if (process.env.GROW_KEEP) {
		await opened[0].db.close();
		const handle = new Database(opened[0].file);
		handle.pragma('wal_checkpoint(TRUNCATE)');
		handle.close();
		fs.copyFileSync(opened[0].file, process.env.GROW_KEEP);
		opened.shift();
	}
} finally {
	for (const o of opened) await o.db.close();
	fs.rmSync(dir, { recursive: true, force: true });
}
