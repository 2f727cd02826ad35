/**
 * What background coding of new answers costs per answer when it runs in small passes (every couple of seconds
 * under a stream of submissions) against one larger, later pass: stores submissions in-process (no server, no
 * background worker), then times codeUncoded over them, CPU of every thread of this process (the engine's worker
 * thread included) from process.cpuUsage. Usage: tsx scripts/bench/lib/coding-batches.ts [small] [passes]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openPrepared } from '../../../src/lib/server/bootstrap';
import { submitResponse } from '../../../src/lib/server/survey/submit';
import { codeUncoded } from '../../../src/lib/server/coding/recode';
import { stopEngineThread } from '../../../src/lib/server/coding/engine';
import { SLUG, submissionBody } from './submissions';

const small = Number(process.argv[2] ?? 100);
const passes = Number(process.argv[3] ?? 10);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consult-coding-batches-'));
const open = await openPrepared({ kind: 'sqlite', path: path.join(dir, 'db.sqlite') });

async function store(n: number) {
	for (let i = 0; i < n; i += 10)
		await Promise.all(
			Array.from({ length: Math.min(10, n - i) }, () => submitResponse(open.db, SLUG, JSON.parse(submissionBody())))
		);
}
const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
async function pass(): Promise<{ coded: number; ms: number }> {
	const c0 = process.cpuUsage();
	const coded = await codeUncoded(open.db);
	return { coded, ms: cpuMs(process.cpuUsage(c0)) };
}

try {
	// Warm: trains each question's coder once (both ways then reuse it), compiles the hot paths.
	await store(small);
	await pass();
	let smallMs = 0;
	let smallCoded = 0;
	for (let i = 0; i < passes; i++) {
		await store(small);
		const r = await pass();
		smallMs += r.ms;
		smallCoded += r.coded;
	}
	await store(small * passes);
	const big = await pass();
	console.log(
		`${passes} passes of ${small} submissions: ${smallCoded} answers, ${(smallMs / smallCoded).toFixed(3)} ms CPU per answer (${(smallMs / passes).toFixed(0)} ms per pass); ` +
			`one pass of ${small * passes}: ${big.coded} answers, ${(big.ms / big.coded).toFixed(3)} ms CPU per answer; load ${os
				.loadavg()
				.map((l) => l.toFixed(1))
				.join(' ')}`
	);
} finally {
	await stopEngineThread();
	await open.close();
	fs.rmSync(dir, { recursive: true, force: true });
}
