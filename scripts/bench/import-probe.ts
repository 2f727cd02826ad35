// In-process probe of an import commit beside survey submissions (no HTTP): 4 closed-loop callers of
// submitResponse, idle and while commitImport writes ROWS rows, for each variant in turn (interleaved, ROUNDS times,
// a fresh SQLite database each run). Reports the submissions' latency, the import work (screening slices and
// write transactions, by the import's own clock) that overlapped each submission, the event loop's delay
// (perf_hooks), the process CPU, and the machine's load average. The overlap is the figure least moved by load.
// Usage: tsx scripts/bench/import-probe.ts [rows] [rounds]   (PROBE_SECONDS: load per phase, default 5)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { importCsv } from '../../tests/helpers/officer';
import { SLUG, submissionBody } from './lib/submissions';

const ROWS = Number(process.argv[2] ?? 5000);
const ROUNDS = Number(process.argv[3] ?? 2);
const SECONDS = Number(process.env.PROBE_SECONDS ?? 5);
const VARIANTS = [
	{ name: 'no give-way, 8 ms slices', giveWayMs: 0, chunkMs: 8 },
	{ name: 'give-way 50 ms, 4 ms slices', giveWayMs: 50, chunkMs: 4 }
];
const loadavg = () =>
	os
		.loadavg()
		.map((l) => l.toFixed(1))
		.join(' ');

async function main() {
	process.env.CODING_DELAY_MS ??= '600000';
	const { openDatabase } = await import('../../src/lib/server/db/connect');
	const { prepareDatabase } = await import('../../src/lib/server/bootstrap');
	const { createUser } = await import('../../src/lib/server/users/index');
	const { getConsultation } = await import('../../src/lib/server/consultations/queries');
	const { parseUpload } = await import('../../src/lib/server/import/parse');
	const { commitImport, fileHash, guessMapping, planImport } = await import('../../src/lib/server/import/plan');
	const { submitResponse } = await import('../../src/lib/server/survey/submit');
	const buf = importCsv(ROWS);
	const sheet = await parseUpload(buf, 'big.csv');

	async function run(v: (typeof VARIANTS)[number]) {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'import-probe-'));
		const open = await openDatabase({ kind: 'sqlite', path: path.join(dir, 'p.sqlite') });
		await prepareDatabase(open);
		const db = open.db;
		const officer = (await createUser(db, { email: 'o@x.gov.uk', role: 'officer', password: 'password-long-1' }, null))
			.id;
		const c = (await getConsultation(db, SLUG))!;
		for (let i = 0; i < 50; i++) await submitResponse(db, SLUG, JSON.parse(submissionBody()));
		const work: [number, number][] = [];
		const waits: number[] = [];
		async function load(until: Promise<unknown> | null) {
			const subs: [number, number][] = [];
			let stop = false;
			void until?.then(() => (stop = true));
			const deadline = performance.now() + SECONDS * 1000;
			const h = monitorEventLoopDelay({ resolution: 1 });
			h.enable();
			const cpu0 = process.cpuUsage();
			const t0 = performance.now();
			await Promise.all(
				Array.from({ length: 4 }, async () => {
					while (!stop && performance.now() < deadline) {
						const t = performance.now();
						const r = await submitResponse(db, SLUG, JSON.parse(submissionBody()));
						if (r.kind !== 'created') throw new Error(r.kind);
						subs.push([t, performance.now()]);
						await new Promise((res) => setImmediate(res));
					}
				})
			);
			const wall = performance.now() - t0;
			const cpu = process.cpuUsage(cpu0);
			h.disable();
			const lat = subs.map(([a, b]) => b - a).sort((a, b) => a - b);
			const overlap = subs
				.map(([a, b]) => work.reduce((s, [ws, we]) => s + Math.max(0, Math.min(b, we) - Math.max(a, ws)), 0))
				.sort((a, b) => a - b);
			// Pieces of import work that started while the submission was waiting for its answer: by count, not by
			// clock, so the figure hardly moves with the machine's load.
			const started = subs.map(([a, b]) => work.filter(([ws]) => ws > a && ws < b).length).sort((a, b) => a - b);
			const q = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))].toFixed(1);
			return {
				p99: Number(q(lat, 0.99)),
				line: `${subs.length} in ${(wall / 1000).toFixed(1)} s, p50 ${q(lat, 0.5)} p99 ${q(lat, 0.99)} ms; import pieces started during a submission mean ${(started.reduce((x, y) => x + y, 0) / Math.max(1, started.length)).toFixed(2)} p99 ${started[Math.floor(0.99 * started.length)] ?? 0} max ${started[started.length - 1] ?? 0}; import work overlapping one p50 ${q(overlap, 0.5)} p99 ${q(overlap, 0.99)} max ${q(overlap, 1)} ms; loop delay p99 ${(h.percentile(99) / 1e6).toFixed(1)} ms; CPU ${((cpu.user + cpu.system) / 1000 / (wall / 1000)).toFixed(0)} ms/s; load ${loadavg()}`
			};
		}
		const idle = await load(null);
		const plan = planImport(c, sheet, guessMapping(sheet.headers), fileHash(buf));
		const t = performance.now();
		const cpu0 = process.cpuUsage();
		const commit = commitImport(db, c, plan, {
			skipBad: false,
			actorId: officer,
			filename: 'big.csv',
			hash: fileHash(buf),
			giveWayMs: v.giveWayMs,
			chunkMs: v.chunkMs,
			onWork: (kind, start, ms) => (kind === 'give-way' ? waits.push(ms) : work.push([start, start + ms]))
		});
		const during = await load(commit);
		await commit;
		const commitMs = performance.now() - t;
		const cpu = process.cpuUsage(cpu0);
		const lens = work.map(([a, b]) => b - a).sort((a, b) => a - b);
		console.log(`${v.name}:`);
		console.log(`  idle:   ${idle.line}`);
		console.log(`  during: ${during.line}`);
		console.log(
			`  ratio ${(during.p99 / idle.p99).toFixed(2)}x; commit ${ROWS} rows in ${(commitMs / 1000).toFixed(1)} s (CPU ${((cpu.user + cpu.system) / 1000 / 1000).toFixed(1)} s with the submissions); ${work.length} pieces of import work, longest ${lens[lens.length - 1].toFixed(1)} ms, p99 ${lens[Math.floor(lens.length * 0.99)].toFixed(1)} ms; gave way ${waits.length} times, ${(waits.reduce((s, x) => s + x, 0) / 1000).toFixed(1)} s in all`
		);
		await open.close();
		fs.rmSync(dir, { recursive: true, force: true });
	}
	for (let r = 0; r < ROUNDS; r++) for (const v of r % 2 ? [...VARIANTS].reverse() : VARIANTS) await run(v);
	process.exit(0);
}
void main();
