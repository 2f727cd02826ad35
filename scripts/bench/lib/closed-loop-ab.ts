/**
 * Writer variants A/B in-process (issue #18, docs/deployment.md twenty-second round): CLIENTS closed-loop clients
 * (10 by default) send submissions through submitResponse, each waiting CLIENT_MS after its answer before the next
 * (a client's round trip, during which the event loop is otherwise idle), with each variant's environment set in
 * this process round by round (interleaved, the order alternating). Prints per stored submission the CPU (all
 * threads, and the main thread), grouped commits per submission, and each call's latency (p50 / p90). No HTTP, no
 * background coding, one database for all variants (each round's order alternates).
 * Usage: tsx scripts/bench/lib/closed-loop-ab.ts SUBMISSIONS ROUNDS CLIENT_MS 'A:' 'B:VAR=VALUE,...'
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openPrepared } from '../../../src/lib/server/bootstrap';
import { submitResponse } from '../../../src/lib/server/survey/submit';
import { groupedCommits } from '../../../src/lib/server/survey/writer';
import { parseVariants, percentile, SLUG, submissionBody } from './submissions';

const count = Number(process.argv[2] ?? 2000);
const rounds = Number(process.argv[3] ?? 3);
const clientMs = Number(process.argv[4] ?? 1);
const clients = Number(process.env.CLIENTS ?? 10);
const variants = parseVariants(process.argv.slice(5));
if (variants.length === 0) throw new Error('usage: closed-loop-ab.ts SUBMISSIONS ROUNDS CLIENT_MS NAME:VAR=VALUE ...');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consult-closed-loop-'));
process.env.CODING_DELAY_MS = process.env.CODING_MAX_DEFER_MS = '3600000';
const open = await openPrepared({ kind: 'sqlite', path: path.join(dir, 'closed-loop.sqlite') });

function mainThreadCpuMs(): number {
	const stat = fs.readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
	const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return (Number(f[11]) + Number(f[12])) * 10;
}

async function loop(n: number, delay: number): Promise<number[]> {
	let left = n;
	const latencies: number[] = [];
	await Promise.all(
		Array.from({ length: clients }, async () => {
			while (left-- > 0) {
				const t = performance.now();
				const r = await submitResponse(open.db, SLUG, JSON.parse(submissionBody()));
				latencies.push(performance.now() - t);
				if (r.kind !== 'created') throw new Error(`not created: ${r.kind}`);
				if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
			}
		})
	);
	return latencies;
}

const before = { ...process.env };
try {
	await loop(1000, 0);
	for (let round = 1; round <= rounds; round++) {
		const order = round % 2 ? variants : [...variants].reverse();
		for (const v of order) {
			for (const key of Object.keys(process.env)) if (!(key in before)) delete process.env[key];
			Object.assign(process.env, before, v.env);
			const commits = groupedCommits(open.db);
			const cpu = process.cpuUsage();
			const main = mainThreadCpuMs();
			const t = performance.now();
			const lat = await loop(count, clientMs);
			const used = process.cpuUsage(cpu);
			const ms = performance.now() - t;
			const per = (x: number) => (x / count).toFixed(3);
			console.log(
				`round ${round} ${v.name} (${clients} clients, ${clientMs} ms round trip): ${((count / ms) * 1000).toFixed(0)}/s, ${per((used.user + used.system) / 1000)} ms CPU/sub (main ${per(mainThreadCpuMs() - main)}), ${per(groupedCommits(open.db) - commits)} commits/sub, latency p50 ${percentile(lat, 0.5).toFixed(2)} ms, p90 ${percentile(lat, 0.9).toFixed(2)} ms; load ${fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`
			);
		}
	}
} finally {
	await open.close();
	fs.rmSync(dir, { recursive: true, force: true });
}
