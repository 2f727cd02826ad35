/**
 * The public results page at 100,000 answers on SQLite (issue #14): generates the answers
 * into a temp database, publishes the page (with an action and approved quotes), starts a
 * copy of the built server on loopback and requests the standard and easy read pages N
 * times, printing bytes per page (target <= 60 KB) and p50/p95 response time (target p95
 * <= 300 ms), with the analysis cache on (as served) and then off (every request computed
 * afresh: fewer repeats, RESULTS_BENCH_OFF_RUNS). Then the Word export of the demo report
 * (about 2,600 demo submissions) is timed in-process.
 * RESULTS_BENCH_ANSWERS and RESULTS_BENCH_RUNS change the size and the repeats.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { openPrepared } from '../../src/lib/server/bootstrap';
import { parseDatabaseUrl } from '../../src/lib/server/db/config';
import { getConsultation } from '../../src/lib/server/consultations/queries';
import { saveAction, setQuotePublic, setResultsStatus } from '../../src/lib/server/results';
import { setStar, suggestQuotes } from '../../src/lib/server/review/quotes';
import { activeThemes } from '../../src/lib/server/analysis/queries';
import { startCopiedServer } from '../../tests/helpers/server';
import { generateAnswers } from '../generate-answers';
import { loadDemo } from '../../src/lib/server/demo/load';
import { parseFilters } from '../../src/lib/analysis/filters';
import { DEFAULT_TICK_RULE } from '../../src/lib/analysis/tables';
import { scopeOf } from '../../src/lib/server/analysis/scope';
import { reportData } from '../../src/lib/server/report/data';
import { reportOutline } from '../../src/lib/server/report/outline';
import { reportDocx } from '../../src/lib/server/report/docx';
import { SHIPPED_SLUG as SLUG } from '../../src/lib/domain/shipped-consultation';

function quantile(sorted: number[], q: number): number {
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export async function run(log: (line: string) => void): Promise<void> {
	const total = Number(process.env.RESULTS_BENCH_ANSWERS ?? 100_000);
	const runs = Number(process.env.RESULTS_BENCH_RUNS ?? 20);
	if (!fs.existsSync('build/index.js')) {
		log('building the app first (vite build)…');
		const b = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'error'], {
			stdio: 'inherit'
		});
		if (b.status !== 0) throw new Error('vite build failed');
	}
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consult-results-bench-'));
	const file = path.join(dir, 'bench.sqlite');
	let server: Awaited<ReturnType<typeof startCopiedServer>> | null = null;
	try {
		const open = await openPrepared(parseDatabaseUrl(`file:${file}`));
		const now = new Date().toISOString();
		const user = await open.db
			.insertInto('app_user')
			.values({ email: 'bench@example.gov.uk', password_hash: 'x', role: 'officer', created_at: now, updated_at: now })
			.returning('id')
			.executeTakeFirstOrThrow();
		const g = await generateAnswers(open.db, { answers: total });
		log(`generated ${g.answers.toLocaleString('en-GB')} answers in ${(g.ms / 1000).toFixed(1)} s`);
		const c = (await getConsultation(open.db, SLUG))!;
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
		await open.close();
		const offRuns = Number(process.env.RESULTS_BENCH_OFF_RUNS ?? 3);
		let biggest = 0;
		for (const cache of ['on', 'off'] as const) {
			server = await startCopiedServer(path.join('node_modules', '.cache', `results-bench-${process.pid}`), {
				DATABASE_URL: `file:${file}`,
				ANALYSIS_CACHE: cache
			});
			const n = cache === 'on' ? runs : offRuns;
			log(`cache ${cache}, ${n} requests per page: page | bytes | p50 ms | p95 ms | max ms`);
			let worst = 0;
			for (const q of ['', '?easy=1']) {
				const url = `${server.url}/s/${SLUG}/results${q}`;
				await fetch(url).then((r) => r.text()); // warm-up (module loading; with the cache on, fills it), not counted
				const times: number[] = [];
				let bytes = 0;
				for (let i = 0; i < n; i++) {
					const t0 = performance.now();
					const res = await fetch(url);
					const body = await res.text();
					times.push(performance.now() - t0);
					if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
					bytes = Buffer.byteLength(body);
				}
				times.sort((a, b) => a - b);
				worst = Math.max(worst, quantile(times, 0.95));
				biggest = Math.max(biggest, bytes);
				log(
					`${q ? 'easy read' : 'standard'} | ${bytes.toLocaleString('en-GB')} | ${quantile(times, 0.5).toFixed(0)} | ${quantile(times, 0.95).toFixed(0)} | ${times.at(-1)!.toFixed(0)}`
				);
			}
			log(
				`cache ${cache}: slowest p95 ${worst.toFixed(0)} ms (target 300 ms: ${worst <= 300 ? 'met' : 'NOT met'}); load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`
			);
			await server.stop();
			server = null;
			fs.rmSync(path.join('node_modules', '.cache', `results-bench-${process.pid}`), { recursive: true, force: true });
		}
		log(`largest page ${(biggest / 1024).toFixed(1)} KB (target 60 KB: ${biggest <= 60 * 1024 ? 'met' : 'NOT met'})`);
		await docxBench(dir, log);
	} finally {
		await server?.stop();
		fs.rmSync(path.join('node_modules', '.cache', `results-bench-${process.pid}`), { recursive: true, force: true });
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

/** The Word export of the demo report (about 2,600 submissions), in-process, cache off. */
async function docxBench(dir: string, log: (line: string) => void): Promise<void> {
	const before = process.env.ANALYSIS_CACHE;
	process.env.ANALYSIS_CACHE = 'off';
	const open = await openPrepared(parseDatabaseUrl(`file:${path.join(dir, 'demo.sqlite')}`));
	try {
		await loadDemo(open.db);
		const c = (await getConsultation(open.db, SLUG))!;
		const filters = parseFilters(new URLSearchParams());
		const times: number[] = [];
		let bytes = 0;
		for (let i = 0; i < 5; i++) {
			const t0 = performance.now();
			const data = await reportData(open.db, c, filters, scopeOf(c, filters), DEFAULT_TICK_RULE, `/admin/c/${SLUG}`);
			bytes = (await reportDocx(reportOutline(c, data), c.title)).length;
			times.push(performance.now() - t0);
		}
		times.sort((a, b) => a - b);
		log(
			`DOCX export of the demo report (data, outline, charts and file; 5 runs, cache off): ${(bytes / 1024).toFixed(0)} KB, median ${quantile(times, 0.5).toFixed(0)} ms, slowest ${times.at(-1)!.toFixed(0)} ms`
		);
	} finally {
		await open.close();
		if (before === undefined) delete process.env.ANALYSIS_CACHE;
		else process.env.ANALYSIS_CACHE = before;
	}
}
