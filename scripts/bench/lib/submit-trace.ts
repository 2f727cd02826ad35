/**
 * The writer's per-batch timeline under the survey bench's load (issue #18, docs/deployment.md twentieth round):
 * starts the built server once per variant with SUBMIT_TRACE=1 (survey/submit-trace.ts), warms it up, empties the
 * trace (SIGUSR2), runs the submission load for SECONDS at AB_CONNECTIONS (10 by default), takes the trace
 * (SIGUSR2 again) and prints, per variant and round: the batch sizes; each step's mean and percentiles of wall time
 * per batch, with the event loop's busy and idle share of it; where the cycle from one batch's start to the next
 * goes; and when the next batch's submissions arrived relative to this batch's steps.
 * Usage: tsx scripts/bench/lib/submit-trace.ts ROUNDS SECONDS 'A:' 'B:VAR=VALUE,...'
 * Coding is kept out (CODING_DELAY_MS=CODING_MAX_DEFER_MS=3600000) unless a variant sets those itself.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startProductionBuild, type RunningServer } from '../../lib/server';
import { loadAverage, parseVariants, percentile, submissionLoad, submissionsUrl, warmUp } from './submissions';
import type { BatchTrace } from '../../../src/lib/server/survey/submit-trace';

const [rounds, seconds] = [Number(process.argv[2] ?? 2), Number(process.argv[3] ?? 8)];
const CONNECTIONS = Number(process.env.AB_CONNECTIONS ?? 10);
const variants = parseVariants(process.argv.slice(4));
if (variants.length === 0) throw new Error('usage: submit-trace.ts ROUNDS SECONDS NAME:VAR=VALUE ...');

function mainCpuMs(pid: number): number {
	const stat = fs.readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8');
	const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return (Number(f[11]) + Number(f[12])) * 10;
}

async function takeTrace(pid: number, file: string): Promise<BatchTrace[]> {
	fs.rmSync(file, { force: true });
	process.kill(pid, 'SIGUSR2');
	const deadline = Date.now() + 30_000;
	while (!fs.existsSync(file)) {
		if (Date.now() > deadline) throw new Error(`no trace written to ${file}`);
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
	return (JSON.parse(fs.readFileSync(file, 'utf8')) as { batches: BatchTrace[] }).batches;
}

const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '–');
const mean = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : NaN);

/** The steps in order, each phase from one to the next present one (steps a batch did not go through are skipped). */
const STEPS = [
	'gatherStart',
	'gatherEnd',
	'begin',
	'posted',
	'checkpointWait',
	'beginStart',
	'beginEnd',
	'stored',
	'commitStart',
	'commitEnd',
	'syncStart',
	'syncEnd',
	'replied',
	'settled',
	'answered'
];

function summarise(batches: BatchTrace[], wallMs: number, mainBusy: number) {
	const done = batches.filter((b) => b.marks.begin && b.marks.answered);
	const sizes = done.map((b) => b.size);
	const total = sizes.reduce((s, x) => s + x, 0);
	console.log(
		`  ${done.length} batches, ${total} submissions (${(total / (wallMs / 1000)).toFixed(0)}/s), batch size mean ${f2(mean(sizes))}, p10/p50/p90 ${percentile(sizes, 0.1)}/${percentile(sizes, 0.5)}/${percentile(sizes, 0.9)}; gathers ${done.filter((b) => b.marks.gatherEnd).length} (ran out ${done.filter((b) => b.ranOut).length}, skipped ${done.filter((b) => b.skipped).length}); main thread busy ${f2(mainBusy)} (/proc)`
	);
	// Phases: from each present step to the next present one.
	const phases = new Map<string, { wall: number[]; busy: number[] }>();
	for (const b of done) {
		const present = STEPS.filter((s) => b.marks[s]);
		for (let i = 0; i + 1 < present.length; i++) {
			const [t0, a0] = b.marks[present[i]];
			const [t1, a1] = b.marks[present[i + 1]];
			const name = `${present[i]}→${present[i + 1]}`;
			let p = phases.get(name);
			if (!p) phases.set(name, (p = { wall: [], busy: [] }));
			p.wall.push(t1 - t0);
			p.busy.push(Math.min(t1 - t0, a1 - a0));
		}
	}
	// The gap: from a batch's answers to the next batch's first step.
	const gap = { wall: [] as number[], busy: [] as number[] };
	const cycle: number[] = [];
	for (let i = 0; i + 1 < done.length; i++) {
		const [t0, a0] = done[i].marks.answered;
		const nextFirst = STEPS.find((s) => done[i + 1].marks[s])!;
		const [t1, a1] = done[i + 1].marks[nextFirst];
		if (t1 >= t0) {
			gap.wall.push(t1 - t0);
			gap.busy.push(Math.min(t1 - t0, a1 - a0));
		}
		cycle.push(done[i + 1].marks.begin[0] - done[i].marks.begin[0]);
	}
	const perCycle = mean(cycle);
	console.log(
		`  cycle (begin → next begin) mean ${f2(perCycle)} ms, p50 ${f2(percentile(cycle, 0.5))}, p90 ${f2(percentile(cycle, 0.9))}`
	);
	console.log('  phase (per batch)                  n     wall mean  p50    p90    busy   idle   share of cycle');
	const rows = [...phases.entries(), ['answered→next', gap] as const];
	for (const [name, p] of rows) {
		const w = mean(p.wall);
		const busy = mean(p.busy);
		console.log(
			`  ${name.padEnd(32)} ${String(p.wall.length).padStart(5)}  ${f2(w).padStart(6)}  ${f2(percentile(p.wall, 0.5)).padStart(6)} ${f2(percentile(p.wall, 0.9)).padStart(6)} ${f2(busy).padStart(6)} ${f2(w - busy).padStart(6)}  ${f2(((w * p.wall.length) / done.length / perCycle) * 100).padStart(5)} %`
		);
	}
	// When the next batch's submissions arrived, against this batch's steps.
	const where = new Map<string, number>();
	let counted = 0;
	for (let i = 0; i + 1 < done.length; i++) {
		const b = done[i];
		const present = STEPS.filter((s) => b.marks[s] && s !== 'gatherStart' && s !== 'gatherEnd');
		for (const at of done[i + 1].arrivals) {
			let label = `before ${present[0]}`;
			for (const s of present) if (at >= b.marks[s][0]) label = `after ${s}`;
			where.set(label, (where.get(label) ?? 0) + 1);
			counted++;
		}
	}
	console.log(
		`  the next batch's submissions arrived: ${[...where.entries()]
			.sort((a, b) => b[1] - a[1])
			.map(([k, v]) => `${k} ${((v / counted) * 100).toFixed(0)} %`)
			.join(', ')}`
	);
	submissionSegments(done);
	const waits = done.flatMap((b) => b.arrivals.map((a) => b.marks.answered[0] - a));
	console.log(
		`  arrival → answered per submission: mean ${f2(mean(waits))} ms, p50 ${f2(percentile(waits, 0.5))}, p99 ${f2(percentile(waits, 0.99))}; of which queued before begin ${f2(mean(done.flatMap((b) => b.arrivals.map((a) => b.marks.begin[0] - a))))} ms`
	);
}

/**
 * Each submission's own timeline (lean route: survey/submit-trace.ts SubmissionTrace) joined with its batch's
 * steps: the median and p90 of each segment over the submissions, from the client's round trip to the answer.
 */
function submissionSegments(done: BatchTrace[]) {
	const SEGMENTS: [string, string, string][] = [
		['client round trip (answer written → next body read)', 'prior', 'received'],
		['parsed, validated', 'received', 'validated'],
		['queued (screened first if SUBMIT_PREPARE=early)', 'validated', 'queued'],
		['queued → batch begins (gather, earlier batch)', 'queued', 'begin'],
		['batch stored (BEGIN, inserts, screening, aggregates)', 'begin', 'stored'],
		['COMMIT', 'stored', 'commitEnd'],
		['commit → log synced', 'commitEnd', 'syncEnd'],
		['synced → answer written', 'syncEnd', 'written'],
		['body read → answer written', 'received', 'written']
	];
	const values = SEGMENTS.map(() => [] as number[]);
	let n = 0;
	for (const b of done) {
		for (const t of b.subs ?? []) {
			if (!t || t.written === undefined) continue;
			n++;
			const at = (k: string): number | undefined =>
				k in b.marks && !(k in t) ? b.marks[k][0] : (t as unknown as Record<string, number | undefined>)[k];
			SEGMENTS.forEach(([, from, to], i) => {
				const [a, z] = [at(from), at(to)];
				if (a !== undefined && z !== undefined) values[i].push(z - a);
			});
		}
	}
	if (n === 0) return;
	console.log(`  per submission (${n} through the lean route)                       p50    p90    mean`);
	SEGMENTS.forEach(([name], i) =>
		console.log(
			`    ${name.padEnd(56)} ${f2(percentile(values[i], 0.5)).padStart(6)} ${f2(percentile(values[i], 0.9)).padStart(6)} ${f2(mean(values[i])).padStart(6)}`
		)
	);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consult-trace-'));
const servers: RunningServer[] = [];
try {
	for (const [i, v] of variants.entries()) {
		const port = Number(process.env.AB_PORT ?? 3380) + i;
		servers.push(
			await startProductionBuild(
				v.env.AB_ENTRY ?? 'build/index.js',
				{
					DATABASE_URL: `file:${path.join(dir, `${v.name}.sqlite`)}`,
					SURVEY_RATE_LIMIT: '100000000',
					SURVEY_MAX_CONCURRENT: '100000',
					SURVEY_MAX_PER_SECOND: '100000000',
					SURVEY_MIN_SECONDS: '0',
					CODING_DELAY_MS: '3600000',
					CODING_MAX_DEFER_MS: '3600000',
					SUBMIT_TRACE: '1',
					SUBMIT_TRACE_FILE: path.join(dir, `${v.name}.trace.json`),
					...v.env
				},
				{ port, timeoutMs: Number(process.env.AB_READY_SECONDS ?? 60) * 1000 }
			)
		);
		await warmUp(submissionsUrl(servers[i].url));
	}
	for (let round = 1; round <= rounds; round++) {
		const order = round % 2 ? variants.map((_, i) => i) : variants.map((_, i) => variants.length - 1 - i);
		for (const i of order) {
			const pid = servers[i].process.pid!;
			const file = path.join(dir, `${variants[i].name}.trace.json`);
			await takeTrace(pid, file); // empties the ring: only this run's batches below
			const cpu0 = mainCpuMs(pid);
			const started = performance.now();
			const r = await submissionLoad(submissionsUrl(servers[i].url), { seconds, connections: CONNECTIONS });
			const wallMs = performance.now() - started;
			const mainBusy = (mainCpuMs(pid) - cpu0) / wallMs;
			const batches = await takeTrace(pid, file);
			console.log(
				`round ${round} ${variants[i].name} (${CONNECTIONS} connections): ${r.rps.toFixed(0)}/s, p50 ${r.p50} ms, p99 ${r.p99} ms, non-2xx ${r.non2xx}; load ${loadAverage()}`
			);
			summarise(batches, wallMs, mainBusy);
		}
	}
} finally {
	for (const s of servers) await s.stop('SIGTERM', 30_000);
	fs.rmSync(dir, { recursive: true, force: true });
}
