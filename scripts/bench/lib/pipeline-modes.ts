/**
 * The writer's pipeline modes in-process (issue #18, docs/deployment.md twentieth round): CLIENTS clients (10 by
 * default) send submissions through submitResponse, each sending its next as soon as it is answered (no HTTP, no
 * background coding), under each variant's environment in turn, interleaved round by round in one process (the
 * writer reads WRITER_PIPELINE per drain and SQLITE_SYNC_OVERLAP per sync). Prints per stored submission the CPU
 * (all threads, and the main thread), the grouped commits, and how busy the event loop was (eventLoopUtilization).
 * Usage: tsx scripts/bench/lib/pipeline-modes.ts [submissions] [rounds] 'A:' 'B:WRITER_PIPELINE=halves,...'
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openPrepared } from '../../../src/lib/server/bootstrap';
import { submitResponse } from '../../../src/lib/server/survey/submit';
import { groupedCommits } from '../../../src/lib/server/survey/writer';
import { parseVariants, SLUG, submissionBody } from './submissions';

const count = Number(process.argv[2] ?? 2000);
const rounds = Number(process.argv[3] ?? 3);
const variants = parseVariants(process.argv.slice(4));
const CLIENTS = Number(process.env.CLIENTS ?? 10);
if (variants.length === 0) throw new Error('usage: pipeline-modes.ts [submissions] [rounds] NAME:VAR=VALUE ...');
const names = new Set(variants.flatMap((v) => Object.keys(v.env)));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consult-modes-'));
const open = await openPrepared({ kind: 'sqlite', path: path.join(dir, 'modes.sqlite') });

function mainThreadCpuMs(): number {
	const stat = fs.readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
	const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return (Number(f[11]) + Number(f[12])) * 10;
}

/** CPU ms so far of each thread but the main one, by thread id (/proc/self/task). */
function otherThreadsCpuMs(): Map<string, number> {
	const out = new Map<string, number>();
	for (const tid of fs.readdirSync('/proc/self/task')) {
		if (tid === String(process.pid)) continue;
		try {
			const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
			const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			out.set(tid, (Number(f[11]) + Number(f[12])) * 10);
		} catch {
			// the thread ended
		}
	}
	return out;
}

async function loop(n: number) {
	let left = n;
	await Promise.all(
		Array.from({ length: CLIENTS }, async () => {
			while (left-- > 0) {
				const r = await submitResponse(open.db, SLUG, JSON.parse(submissionBody()));
				if (r.kind !== 'created') throw new Error(`not created: ${r.kind}`);
			}
		})
	);
}

try {
	await loop(1000);
	for (let round = 1; round <= rounds; round++) {
		const order = round % 2 ? variants : [...variants].reverse();
		for (const v of order) {
			for (const name of names) delete process.env[name];
			Object.assign(process.env, v.env);
			const commits = groupedCommits(open.db);
			const cpu = process.cpuUsage();
			const main = mainThreadCpuMs();
			const others = otherThreadsCpuMs();
			const elu = performance.eventLoopUtilization();
			const t = performance.now();
			await loop(count);
			const used = process.cpuUsage(cpu);
			const ms = performance.now() - t;
			const busy = performance.eventLoopUtilization(elu).utilization;
			const per = (x: number) => (x / count).toFixed(3);
			const threads = [...otherThreadsCpuMs()]
				.map(([tid, ms]) => [tid, ms - (others.get(tid) ?? 0)] as const)
				.filter(([, ms]) => ms / count >= 0.02)
				.sort((a, b) => b[1] - a[1])
				.map(([tid, ms]) => `#${tid} ${per(ms)}`)
				.join(', ');
			console.log(
				`round ${round} ${v.name}: ${((count / ms) * 1000).toFixed(0)}/s, ${per((used.user + used.system) / 1000)} ms CPU/sub (main ${per(mainThreadCpuMs() - main)}), ${per(groupedCommits(open.db) - commits)} commits/sub, other threads [${threads}], event loop busy ${busy.toFixed(2)}; load ${fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`
			);
		}
	}
} finally {
	await open.close();
	fs.rmSync(dir, { recursive: true, force: true });
}
