/**
 * The adaptive wait for the respondents just answered (survey/writer.ts, gather), in-process: 10 clients send
 * submissions through submitResponse, each waiting CLIENT_MS after its answer before the next (a client's round
 * trip: 0 on an idle machine's loopback, several ms on a loaded machine or a slow network), with the wait adapting
 * (SUBMIT_GATHER_ADAPT unset) and without (off), interleaved round by round in one process. Prints per stored
 * submission the CPU (all threads, and the main thread), the grouped commits, and the waits that ran out on the
 * clock or were skipped. No HTTP, no background coding.
 * Usage: tsx scripts/bench/lib/gather-adapt.ts [submissions] [rounds] [client ms, comma-separated]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openPrepared } from '../../../src/lib/server/bootstrap';
import { submitResponse } from '../../../src/lib/server/survey/submit';
import { gatherCounts, groupedCommits } from '../../../src/lib/server/survey/writer';
import { SLUG, submissionBody } from './submissions';

const count = Number(process.argv[2] ?? 2000);
const rounds = Number(process.argv[3] ?? 3);
const clientMs = (process.argv[4] ?? '0,5').split(',').map(Number);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consult-gather-'));
const open = await openPrepared({ kind: 'sqlite', path: path.join(dir, 'gather.sqlite') });

function mainThreadCpuMs(): number {
	const stat = fs.readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
	const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return (Number(f[11]) + Number(f[12])) * 10;
}

async function loop(n: number, delay: number) {
	let left = n;
	await Promise.all(
		Array.from({ length: 10 }, async () => {
			while (left-- > 0) {
				const r = await submitResponse(open.db, SLUG, JSON.parse(submissionBody()));
				if (r.kind !== 'created') throw new Error(`not created: ${r.kind}`);
				if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
			}
		})
	);
}

try {
	await loop(1000, 0);
	for (let round = 1; round <= rounds; round++)
		for (const delay of clientMs)
			for (const adapt of round % 2 ? ['on', 'off'] : ['off', 'on']) {
				if (adapt === 'off') process.env.SUBMIT_GATHER_ADAPT = 'off';
				else delete process.env.SUBMIT_GATHER_ADAPT;
				const g = gatherCounts(open.db);
				const commits = groupedCommits(open.db);
				const cpu = process.cpuUsage();
				const main = mainThreadCpuMs();
				const t = performance.now();
				await loop(count, delay);
				const used = process.cpuUsage(cpu);
				const ms = performance.now() - t;
				const g2 = gatherCounts(open.db);
				const per = (x: number) => (x / count).toFixed(3);
				console.log(
					`round ${round}, client ${delay} ms, adapt ${adapt}: ${((count / ms) * 1000).toFixed(0)}/s, ${per((used.user + used.system) / 1000)} ms CPU/sub (main ${per(mainThreadCpuMs() - main)}), ${per(groupedCommits(open.db) - commits)} commits/sub, waits ran out ${per(g2.ranOut - g.ranOut)}/sub, skipped ${per(g2.skipped - g.skipped)}/sub; load ${fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`
				);
			}
} finally {
	await open.close();
	fs.rmSync(dir, { recursive: true, force: true });
}
