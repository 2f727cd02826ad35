/**
 * Where SQLite's time goes on the submission path: submitResponse in-process (10 at a time, as the bench's load),
 * with every better-sqlite3 statement timed by its SQL text (wall time on the main thread, which is where
 * better-sqlite3 runs), after a warm-up. Prints each statement's share per stored submission.
 * Usage: tsx scripts/bench/lib/sql-submissions.ts [submissions]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openPrepared } from '../../../src/lib/server/bootstrap';
import { submitResponse } from '../../../src/lib/server/survey/submit';
import { SLUG, submissionBody } from './submissions';

const count = Number(process.argv[2] ?? 3000);
const times = new Map<string, { n: number; ms: number }>();
let timing = false;
const probe = new Database(':memory:');
const proto = Object.getPrototypeOf(probe.prepare('select 1')) as Record<string, (...a: unknown[]) => unknown>;
probe.close();
for (const method of ['run', 'all', 'get'] as const) {
	const original = proto[method];
	proto[method] = function (this: { source: string }, ...args: unknown[]) {
		if (!timing) return original.apply(this, args);
		const t = process.hrtime.bigint();
		try {
			return original.apply(this, args);
		} finally {
			const e = times.get(this.source) ?? { n: 0, ms: 0 };
			e.n++;
			e.ms += Number(process.hrtime.bigint() - t) / 1e6;
			times.set(this.source, e);
		}
	};
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consult-sql-'));
const open = await openPrepared({ kind: 'sqlite', path: path.join(dir, 'sql.sqlite') });
async function loop(n: number) {
	let left = n;
	await Promise.all(
		Array.from({ length: 10 }, async () => {
			while (left-- > 0) {
				const r = await submitResponse(open.db, SLUG, JSON.parse(submissionBody()));
				if (r.kind !== 'created') throw new Error(`not created: ${r.kind}`);
			}
		})
	);
}
try {
	await loop(500);
	timing = true;
	const cpu = process.cpuUsage();
	await loop(count);
	timing = false;
	const used = process.cpuUsage(cpu);
	const total = [...times.values()].reduce((s, e) => s + e.ms, 0);
	console.log(
		`${count} submissions: statements ${(total / count).toFixed(3)} ms/sub; process CPU ${((used.user + used.system) / 1000 / count).toFixed(3)} ms/sub; load ${os
			.loadavg()
			.map((l) => l.toFixed(1))
			.join(' ')}`
	);
	for (const [source, e] of [...times].sort((a, b) => b[1].ms - a[1].ms).slice(0, 15))
		console.log(`${(e.ms / count).toFixed(3)} ms/sub  ${e.n} runs  ${source.replace(/\s+/g, ' ').slice(0, 150)}`);
} finally {
	await open.close();
	fs.rmSync(dir, { recursive: true, force: true });
}
