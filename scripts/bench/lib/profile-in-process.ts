/**
 * submitResponse in-process (no HTTP, no background coding), 10 at a time, as the survey bench's diagnosis line
 * calls it: prints CPU time per submission (process.cpuUsage: all threads, so the thread pool's WAL syncs count)
 * and, with PROFILE_OUT=file.cpuprofile, writes a V8 CPU profile of the main thread during the first measured
 * round only (after a warm-up, so start-up, migrations and lazily compiled patterns are left out).
 * The main thread's own CPU is printed apart (with SUBMIT_WRITER_THREAD=on the grouped commit runs on a thread).
 * Usage: [PROFILE_OUT=f.cpuprofile] tsx scripts/bench/lib/profile-in-process.ts [submissions] [rounds]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Session } from 'node:inspector/promises';
import { openPrepared } from '../../../src/lib/server/bootstrap';
import { submitResponse } from '../../../src/lib/server/survey/submit';
import { SLUG, submissionBody } from './submissions';

const count = Number(process.argv[2] ?? 5000);
const rounds = Number(process.argv[3] ?? 1);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consult-inproc-'));
const open = await openPrepared({ kind: 'sqlite', path: path.join(dir, 'in-process.sqlite') });

/** The main thread's own CPU so far (ms, from /proc: 10 ms ticks), apart from the pool's and any worker's. */
function mainThreadCpuMs(): number {
	const stat = fs.readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
	const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return (Number(f[11]) + Number(f[12])) * 10;
}

async function loop(n: number) {
	let left = n;
	let bad = 0;
	await Promise.all(
		Array.from({ length: 10 }, async () => {
			while (left-- > 0) {
				const r = await submitResponse(open.db, SLUG, JSON.parse(submissionBody()));
				if (r.kind !== 'created') bad++;
			}
		})
	);
	if (bad) throw new Error(`${bad} submissions not created`);
}

try {
	await loop(1000);
	for (let i = 0; i < rounds; i++) {
		const session = i === 0 && process.env.PROFILE_OUT ? new Session() : null;
		if (session) {
			session.connect();
			await session.post('Profiler.enable');
			await session.post('Profiler.start');
		}
		const cpu = process.cpuUsage();
		const main = mainThreadCpuMs();
		const t = performance.now();
		await loop(count);
		const used = process.cpuUsage(cpu);
		const mainMs = mainThreadCpuMs() - main;
		const ms = performance.now() - t;
		if (session) {
			const { profile } = await session.post('Profiler.stop');
			fs.writeFileSync(process.env.PROFILE_OUT!, JSON.stringify(profile));
			session.disconnect();
		}
		console.log(
			`${count} submissions: ${((count / ms) * 1000).toFixed(0)}/s wall, ${((used.user + used.system) / 1000 / count).toFixed(3)} ms CPU/sub (user ${(used.user / 1000 / count).toFixed(3)}, main thread ${(mainMs / count).toFixed(3)}); load ${fs.readFileSync('/proc/loadavg', 'utf8').trim()}`
		);
	}
} finally {
	await open.close();
	fs.rmSync(dir, { recursive: true, force: true });
}
