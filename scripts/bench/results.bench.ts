/**
 * The public results page at 100,000 answers on SQLite (issue #14): generates the answers
 * into a temp database, publishes the page (with an action and approved quotes), starts a
 * private copy of the built server on loopback and requests the standard and easy read pages N
 * times, printing bytes per page (target <= 60 KB), the wall time of each request and the
 * server process's CPU time for it (target p95 <= 300 ms), with the analysis cache on (as
 * served) and then off (every request computed afresh, ANALYSIS_CACHE=off in the server).
 * Then the Word export of the demo report (about 2,600 demo submissions) is timed in-process.
 *   RESULTS_BENCH_ANSWERS (100,000), RESULTS_BENCH_RUNS (20, cache on), RESULTS_BENCH_OFF_RUNS (10)
 *   RESULTS_BENCH_DB=/tmp/x.sqlite: keep the generated database there and reuse it next time
 *   RESULTS_BENCH_PROFILE=dir: the cache-off server writes a V8 CPU profile there (node --cpu-prof)
 *   RESULTS_BENCH_DOCX=0: leave out the Word export
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openPrepared } from '../../src/lib/server/bootstrap';
import { parseDatabaseUrl } from '../../src/lib/server/db/config';
import { getConsultation } from '../../src/lib/server/consultations/queries';
import { resultsState, saveAction, setQuotePublic, setResultsStatus } from '../../src/lib/server/results';
import { setStar, suggestQuotes } from '../../src/lib/server/review/quotes';
import { activeThemes } from '../../src/lib/server/analysis/queries';
import { backfillRiskScores } from '../../src/lib/server/safeguarding/ranker';
import { ensureBuild, snapshotBuild } from '../lib/build';
import { startServer, type RunningServer } from '../lib/server';
import { cpuMs, percentile } from './lib/submissions';
import { generateAnswers } from '../generate-answers';
import { loadDemo } from '../../src/lib/server/demo/load';
import { parseFilters } from '../../src/lib/analysis/filters';
import { DEFAULT_TICK_RULE } from '../../src/lib/analysis/tables';
import { scopeOf } from '../../src/lib/server/analysis/scope';
import { reportData } from '../../src/lib/server/report/data';
import { reportOutline } from '../../src/lib/server/report/outline';
import { chartPng, reportDocx } from '../../src/lib/server/report/docx';
import { chartSvg } from '../../src/lib/analysis/chart';
import { SHIPPED_SLUG as SLUG } from '../../src/lib/domain/shipped-consultation';

const load = () => os.loadavg()[0].toFixed(1);

/** Fills `file` with about `total` answers and publishes the results page (actions, approved quotes), unless done before. */
async function prepare(file: string, total: number, log: (line: string) => void): Promise<void> {
	const open = await openPrepared(parseDatabaseUrl(`file:${file}`));
	try {
		const have = await open.db
			.selectFrom('answer')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.executeTakeFirstOrThrow();
		if (Number(have.n) >= total * 0.9) log(`reusing ${file}: ${Number(have.n).toLocaleString('en-GB')} answers`);
		else {
			const g = await generateAnswers(open.db, { answers: total });
			log(`generated ${g.answers.toLocaleString('en-GB')} answers in ${(g.ms / 1000).toFixed(1)} s`);
		}
		// The generator stores answers without the risk score that screening gives each one; a server fills them in
		// at start, in small batches, and every batch bumps the data version (so the analysis cache misses) and
		// takes CPU that would be counted against the page. Filled in here, as an installation would have them.
		const t0 = performance.now();
		const scored = await backfillRiskScores(open.db, 1000);
		if (scored)
			log(
				`risk scores filled in for ${scored.toLocaleString('en-GB')} answers in ${((performance.now() - t0) / 1000).toFixed(1)} s`
			);
		const c = (await getConsultation(open.db, SLUG))!;
		if ((await resultsState(open.db, c.id)).status === 'published') return;
		const now = new Date().toISOString();
		const user = await open.db
			.insertInto('app_user')
			.values({ email: 'bench@example.gov.uk', password_hash: 'x', role: 'officer', created_at: now, updated_at: now })
			.returning('id')
			.executeTakeFirstOrThrow();
		const themes = await activeThemes(
			open.db,
			c.questions.map((q) => q.id)
		);
		for (const t of themes.slice(0, 6)) {
			for (const q of await suggestQuotes(open.db, t.id, 2)) {
				await setStar(open.db, c.id, t.id, q.answerId, true, user);
				await setQuotePublic(open.db, c.id, t.id, q.answerId, true, user);
			}
			await saveAction(
				open.db,
				c.id,
				{
					themeId: t.id,
					action: `What the council is doing about ${t.label.toLowerCase()}: a plan agreed with the Youth Cabinet.`,
					owner: 'Children’s services',
					due: 'by March 2018',
					status: 'in_progress',
					note: 'First steps taken.'
				},
				user
			);
		}
		await setResultsStatus(open.db, c.id, 'published', user);
	} finally {
		await open.close();
	}
}

/** One GET, timed: wall ms, the server process's CPU ms while it was answered, and the body's bytes. */
async function timedGet(server: RunningServer, url: string): Promise<{ wall: number; cpu: number; bytes: number }> {
	const pid = server.process.pid!;
	const cpu0 = cpuMs(pid);
	const t0 = performance.now();
	let res: Response;
	let body: string;
	try {
		res = await fetch(url);
		body = await res.text();
	} catch (error) {
		// undici says only "fetch failed"; the cause (refused, reset) and the server's last words say why.
		const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
		throw new Error(`GET ${url} failed${cause}; server output:\n${server.output().slice(-2000)}`, {
			cause: error
		});
	}
	const wall = performance.now() - t0;
	if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
	return { wall, cpu: cpuMs(pid) - cpu0, bytes: Buffer.byteLength(body) };
}

/**
 * Waits (at most `maxMs`) until the server's background work at start (coding, the safeguarding ranker) has
 * settled: less than 5% of a core over a second. Its CPU would otherwise be counted against the page.
 */
async function settled(server: RunningServer, log: (line: string) => void, maxMs = 180_000): Promise<void> {
	const pid = server.process.pid!;
	const started = performance.now();
	for (;;) {
		const c0 = cpuMs(pid);
		await new Promise((r) => setTimeout(r, 1000));
		const busy = cpuMs(pid) - c0;
		if (busy < 50) return;
		if (performance.now() - started > maxMs) {
			log(`the server was still busy (${busy.toFixed(0)} ms CPU a second) after ${maxMs / 1000} s: measuring anyway`);
			return;
		}
	}
}

export async function run(log: (line: string) => void): Promise<void> {
	const total = Number(process.env.RESULTS_BENCH_ANSWERS ?? 100_000);
	const runs = Number(process.env.RESULTS_BENCH_RUNS ?? 20);
	const offRuns = Number(process.env.RESULTS_BENCH_OFF_RUNS ?? 10);
	const profileDir = process.env.RESULTS_BENCH_PROFILE;
	ensureBuild(process.cwd(), log);
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consult-results-bench-'));
	const file = process.env.RESULTS_BENCH_DB ?? path.join(dir, 'bench.sqlite');
	// A private copy of build/: a `vite build` elsewhere in this tree empties build/ first.
	const build = snapshotBuild(process.cwd());
	let server: RunningServer | null = null;
	try {
		await prepare(file, total, log);
		let biggest = 0;
		for (const cache of ['on', 'off'] as const) {
			const profile = cache === 'off' && profileDir;
			server = await startServer(
				build.entry,
				{ DATABASE_URL: `file:${file}`, ANALYSIS_CACHE: cache },
				profile ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${path.resolve(profileDir)}`] } : {}
			);
			await settled(server, log);
			const n = cache === 'on' ? runs : offRuns;
			log(
				`cache ${cache}, ${n} requests per page: page | bytes | wall p50 / p95 / max ms | server CPU p50 / p95 / mean ms`
			);
			let worst = 0;
			for (const q of ['', '?easy=1']) {
				const url = `${server.url}/s/${SLUG}/results${q}`;
				// Warm-up, not counted: module loading, prepared statements, the JIT; with the cache on, fills it.
				for (let i = 0; i < 2; i++) await timedGet(server, url);
				const walls: number[] = [];
				const cpus: number[] = [];
				let bytes = 0;
				for (let i = 0; i < n; i++) {
					const t = await timedGet(server, url);
					walls.push(t.wall);
					cpus.push(t.cpu);
					bytes = t.bytes;
				}
				worst = Math.max(worst, percentile(cpus, 0.95));
				biggest = Math.max(biggest, bytes);
				const f = (x: number) => x.toFixed(0);
				log(
					`${q ? 'easy read' : 'standard'} | ${bytes.toLocaleString('en-GB')} | ${f(percentile(walls, 0.5))} / ${f(percentile(walls, 0.95))} / ${f(Math.max(...walls))} | ${f(percentile(cpus, 0.5))} / ${f(percentile(cpus, 0.95))} / ${f(cpus.reduce((a, b) => a + b, 0) / n)}`
				);
			}
			log(
				`cache ${cache}: slowest server CPU p95 ${worst.toFixed(0)} ms (target 300 ms: ${worst <= 300 ? 'met' : 'NOT met'}); load average ${load()} on ${os.cpus().length} cores`
			);
			await server.stop();
			server = null;
			if (profile) log(`CPU profile of the cache-off server written to ${profileDir}`);
		}
		log(`largest page ${(biggest / 1024).toFixed(1)} KB (target 60 KB: ${biggest <= 60 * 1024 ? 'met' : 'NOT met'})`);
		if (process.env.RESULTS_BENCH_DOCX !== '0') await docxBench(dir, log);
	} finally {
		await server?.stop();
		build.cleanup();
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

/**
 * The Word export of the demo report (about 2,600 submissions), in-process, cache off: the whole
 * export timed (wall and this process's CPU), and its parts apart: the report's data, and drawing
 * its charts to PNG (done again on the side, with the export's own chartPng, to see what share it is).
 */
async function docxBench(dir: string, log: (line: string) => void): Promise<void> {
	const before = process.env.ANALYSIS_CACHE;
	process.env.ANALYSIS_CACHE = 'off';
	const open = await openPrepared(parseDatabaseUrl(`file:${path.join(dir, 'demo.sqlite')}`));
	const cpuNow = () => {
		const u = process.cpuUsage();
		return (u.user + u.system) / 1000;
	};
	try {
		await loadDemo(open.db);
		const c = (await getConsultation(open.db, SLUG))!;
		const filters = parseFilters(new URLSearchParams());
		const walls: number[] = [];
		const cpus: number[] = [];
		const dataCpu: number[] = [];
		const chartCpu: number[] = [];
		let bytes = 0;
		let charts = 0;
		for (let i = 0; i < 5; i++) {
			const t0 = performance.now();
			const c0 = cpuNow();
			const data = await reportData(open.db, c, filters, scopeOf(c, filters), DEFAULT_TICK_RULE, `/admin/c/${SLUG}`);
			const c1 = cpuNow();
			const outline = reportOutline(c, data);
			bytes = (await reportDocx(outline, c.title)).length;
			walls.push(performance.now() - t0);
			cpus.push(cpuNow() - c0);
			dataCpu.push(c1 - c0);
			const c2 = cpuNow();
			charts = 0;
			for (const p of outline)
				if (p.kind === 'table' && p.chart) {
					chartPng(chartSvg(p.chart.series, p.chart.measure, p.table.caption));
					charts++;
				}
			chartCpu.push(cpuNow() - c2);
		}
		const f = (xs: number[]) => percentile(xs, 0.5).toFixed(0);
		log(
			`DOCX export of the demo report (5 runs, cache off, load average ${load()}): ${(bytes / 1024).toFixed(0)} KB; wall median ${f(walls)} ms, slowest ${Math.max(...walls).toFixed(0)} ms; CPU median ${f(cpus)} ms, of which the report's data ${f(dataCpu)} ms and drawing its ${charts} charts to PNG ${f(chartCpu)} ms`
		);
	} finally {
		await open.close();
		if (before === undefined) delete process.env.ANALYSIS_CACHE;
		else process.env.ANALYSIS_CACHE = before;
	}
}
