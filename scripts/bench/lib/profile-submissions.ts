/**
 * Profiles the submission path from socket to commit: starts the built server under
 * `node --cpu-prof`, drives POST /api/s/<slug>/submissions with the survey bench's load
 * (autocannon, 10 connections, a new UUID per request), then the floor server in the same
 * run, stops the server (which writes the profile) and prints the top entries by self time
 * and by inclusive time, per submission.
 * Usage: tsx scripts/bench/lib/profile-submissions.ts [seconds] [out-dir] (AB_CONNECTIONS: client concurrency, 10 by
 * default; AB_ENTRY: another build)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startProductionBuild } from '../../lib/server';
import { freePort } from '../../lib/net';
import { startFloor, submissionLoad, submissionsUrl, warmUp } from './submissions';

const seconds = Number(process.argv[2] ?? 10);
const connections = Number(process.env.AB_CONNECTIONS ?? 10);
const out = path.resolve(process.argv[3] ?? fs.mkdtempSync(path.join(os.tmpdir(), 'consult-prof-')));
fs.mkdirSync(out, { recursive: true });
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consult-prof-db-'));

interface Node {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number };
	children?: number[];
	hitCount?: number;
}

/** Summarises the samples taken while the app was under load (window: wall-clock ms, `exitAt` when it exited). */
function summarise(file: string, submissions: number, window: [number, number], exitAt: number) {
	const prof = JSON.parse(fs.readFileSync(file, 'utf8')) as {
		nodes: Node[];
		samples: number[];
		timeDeltas: number[];
		endTime: number;
	};
	const byId = new Map(prof.nodes.map((n) => [n.id, n]));
	const self = new Map<number, number>();
	// Sample times are relative to the profile's own clock; its end is the process's exit.
	const times: number[] = [];
	let t = prof.endTime;
	for (let i = prof.timeDeltas.length - 1; i >= 0; i--) {
		times[i] = t;
		t -= prof.timeDeltas[i];
	}
	prof.samples.forEach((id, i) => {
		const wall = exitAt - (prof.endTime - times[i]) / 1000;
		if (wall < window[0] || wall > window[1]) return;
		self.set(id, (self.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0));
	});
	const name = (n: Node) =>
		`${n.callFrame.functionName || '(anonymous)'} ${path.basename(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
	const selfByName = new Map<string, number>();
	for (const [id, us] of self) {
		const k = name(byId.get(id)!);
		selfByName.set(k, (selfByName.get(k) ?? 0) + us);
	}
	// Inclusive: each function counted once per stack (recursion not doubled).
	const parent = new Map<number, number>();
	for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
	const incl = new Map<string, number>();
	for (const [id, us] of self) {
		const seen = new Set<string>();
		for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
			const k = name(byId.get(cur)!);
			if (seen.has(k)) continue;
			seen.add(k);
			incl.set(k, (incl.get(k) ?? 0) + us);
		}
	}
	// Self time by package (node_modules/<name>), node's own modules, or the app's chunk; SQLite's native work is
	// charged to the driver's executeQuery, shown apart as "sqlite (native, in executeQuery)".
	const where = (n: Node) => {
		const url = n.callFrame.url;
		if (n.callFrame.functionName === 'executeQuery' && url.includes('sqlite-driver'))
			return 'sqlite (native, in executeQuery)';
		const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
		if (pkg) return pkg[1];
		if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
		return url ? path.basename(url) : `(${n.callFrame.functionName || 'native'})`;
	};
	const selfByWhere = new Map<string, number>();
	for (const [id, us] of self) {
		const k = where(byId.get(id)!);
		selfByWhere.set(k, (selfByWhere.get(k) ?? 0) + us);
	}
	const total = [...self.values()].reduce((a, b) => a + b, 0);
	const top = (m: Map<string, number>, n: number) =>
		[...m]
			.sort((a, b) => b[1] - a[1])
			.slice(0, n)
			.map(
				([k, us]) => `  ${(us / 1000).toFixed(0).padStart(7)} ms  ${(us / 1000 / submissions).toFixed(3)} ms/sub  ${k}`
			)
			.join('\n');
	console.log(`profile ${file}: ${(total / 1000).toFixed(0)} ms sampled, ${submissions} submissions`);
	console.log(`top self:\n${top(selfByName, 25)}`);
	console.log(`top inclusive:\n${top(incl, 40)}`);
	console.log(`self by package or file:\n${top(selfByWhere, 30)}`);
}

const port = await freePort();
const server = await startProductionBuild(
	process.env.AB_ENTRY ?? 'build/index.js',
	{
		DATABASE_URL: process.env.PROFILE_DATABASE_URL ?? `file:${path.join(dir, 'app.sqlite')}`,
		SURVEY_RATE_LIMIT: '100000000',
		SURVEY_MAX_CONCURRENT: '100000',
		SURVEY_MAX_PER_SECOND: '100000000',
		SURVEY_MIN_SECONDS: '0'
	},
	{ port, nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${out}`] }
);
try {
	// Warm-up (lazy modules, compiled patterns, first statements), left out of the profile's summary.
	await warmUp(submissionsUrl(server.url));
	const from = Date.now();
	const app = await submissionLoad(submissionsUrl(server.url), { seconds, connections });
	const to = Date.now();
	const floor = await startFloor(dir);
	const base = await submissionLoad(floor.url, { seconds, connections });
	await floor.stop();
	console.log(
		`app ${app.rps.toFixed(0)}/s (p99 ${app.p99} ms, ${app.total}, non-2xx ${app.non2xx}); floor ${base.rps.toFixed(0)}/s (p99 ${base.p99} ms); ratio ${(app.rps / base.rps).toFixed(2)}; load ${fs.readFileSync('/proc/loadavg', 'utf8').trim()}`
	);
	await server.stop('SIGTERM', 30_000);
	const exitAt = Date.now();
	const file = fs
		.readdirSync(out)
		.filter((f) => f.endsWith('.cpuprofile'))
		.map((f) => path.join(out, f))
		.sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0];
	if (file) summarise(file, app.total, [from, to], exitAt);
	else console.log('no profile written');
} finally {
	await server.stop('SIGKILL', 5000).catch(() => {});
	fs.rmSync(dir, { recursive: true, force: true });
}
