// npm run bench -- survey: bytes per survey page, Lighthouse (mobile) on the start
// page and a question page, and submissions per second through the JSON endpoint
// against a bare node:http + better-sqlite3 floor, all on loopback.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureBuild } from '../lib/build';
import { startProductionBuild, type RunningServer } from '../lib/server';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from '../../tests/helpers/browser';
import { PAGE_BUDGET, SURVEY_PAGES, pageWeight, surveyCookie } from '../../tests/helpers/page-weight';
import {
	describeLoad,
	measuredLoad,
	SLUG,
	startFloor,
	submissionBody,
	submissionsUrl,
	warmUp
} from './lib/submissions';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
/** The client concurrencies the submission rate is measured at (BENCH_CONNECTIONS, comma-separated; 10 and 50). */
const benchConnections = () =>
	(process.env.BENCH_CONNECTIONS ?? '10,50')
		.split(',')
		.map(Number)
		.filter((n) => Number.isInteger(n) && n > 0);

/** What a phone downloads for each page (tests/helpers/page-weight.ts, the same measure the weight test uses). */
async function pageBytes(server: RunningServer, cookie: string, log: (l: string) => void) {
	const { launchBrowser } = await import('../../tests/helpers/browser');
	const browser = await launchBrowser();
	log('Bytes per page, cold cache, as transferred (HTML from Node uncompressed; JS and CSS precompressed brotli):');
	let worst = { total: 0, name: '' };
	try {
		for (const easy of [false, true]) {
			for (const p of SURVEY_PAGES) {
				const url = `${server.url}/s/${SLUG}${p ? `/${p}` : ''}${easy ? (p.includes('?') ? '&easy=1' : '?easy=1') : ''}`;
				const sizes = await pageWeight(browser, url, cookie);
				const total = sizes.total;
				const name = `/${p.split('?')[0]}${easy ? ' (easy read)' : ''}`;
				if (total > worst.total) worst = { total, name };
				const kb = (n: number) => (n / 1024).toFixed(1);
				log(
					`  ${name}: ${kb(total)} KB = HTML ${kb(sizes.document)} + JS ${kb(sizes.script)} (${sizes.scripts} files) + CSS ${kb(sizes.stylesheet)}${sizes.image ? `; pictures ${kb(sizes.image)} KB` : ''}${sizes.other ? `; other ${kb(sizes.other)} KB` : ''}`
				);
			}
		}
	} finally {
		await browser.close();
	}
	log(
		`  largest: ${worst.name} ${(worst.total / 1024).toFixed(1)} KB (target ${PAGE_BUDGET / 1024} KB or less per page)`
	);
}

async function lighthouseScores(server: RunningServer, cookie: string, log: (l: string) => void) {
	const { default: lighthouse } = await import('lighthouse');
	const chromeLauncher = await import('chrome-launcher');
	const chrome = await chromeLauncher.launch({
		chromePath: CHROMIUM_PATH,
		chromeFlags: ['--headless=new', ...CHROMIUM_FLAGS]
	});
	try {
		for (const [name, p, headers] of [
			['start page', '', null],
			['question page', 'q/1/1', { Cookie: cookie }]
		] as const) {
			// Three runs each: simulated mobile throttling on a shared 2-core machine is noisy.
			const runs: { perf: number; a11y: number; lcp: string; tbt: string; cls: string; failing: string[] }[] = [];
			for (let i = 0; i < 3; i++) {
				const result = await lighthouse(
					`${server.url}/s/${SLUG}${p ? `/${p}` : ''}`,
					{
						port: chrome.port,
						output: 'json',
						logLevel: 'error',
						onlyCategories: ['performance', 'accessibility'],
						extraHeaders: headers ?? undefined
					},
					undefined
				);
				const lhr = result?.lhr;
				if (!lhr || lhr.runtimeError || lhr.categories.performance.score === null) {
					log(`    (a Lighthouse run of the ${name} failed: ${lhr?.runtimeError?.message ?? 'no score'}; not counted)`);
					continue;
				}
				const refs = lhr.categories.accessibility.auditRefs.filter((r) => r.weight > 0).map((r) => r.id);
				runs.push({
					perf: lhr.categories.performance.score ?? 0,
					a11y: lhr.categories.accessibility.score ?? 0,
					lcp: lhr.audits['largest-contentful-paint']?.displayValue ?? '?',
					tbt: lhr.audits['total-blocking-time']?.displayValue ?? '?',
					cls: lhr.audits['cumulative-layout-shift']?.displayValue ?? '?',
					failing: refs.filter((id) => (lhr.audits[id]?.score ?? 1) < 1)
				});
			}
			if (runs.length === 0) throw new Error(`every Lighthouse run of the ${name} failed`);
			const sorted = [...runs].sort((a, b) => a.perf - b.perf);
			const median = sorted[Math.floor((sorted.length - 1) / 2)];
			log(
				`  Lighthouse mobile, ${name}: performance ${median.perf.toFixed(2)} (median of ${runs.map((r) => r.perf.toFixed(2)).join(', ')}), accessibility ${median.a11y} (LCP ${median.lcp}, TBT ${median.tbt}, CLS ${median.cls})`
			);
			const failing = [...new Set(runs.flatMap((r) => r.failing))].map((id) => ({ id }));
			for (const a of failing) log(`    accessibility audit below 1: ${a.id}`);
		}
	} finally {
		await chrome.kill();
	}
}

/** submitResponse itself, without HTTP and without the server's background coding worker, for comparison. */
async function inProcessRate(dir: string): Promise<number> {
	const { openPrepared } = await import('../../src/lib/server/bootstrap');
	const { submitResponse } = await import('../../src/lib/server/survey/submit');
	const open = await openPrepared({ kind: 'sqlite', path: path.join(dir, 'in-process.sqlite') });
	try {
		const loop = async (ms: number) => {
			let n = 0;
			const end = performance.now() + ms;
			await Promise.all(
				Array.from({ length: 10 }, async () => {
					while (performance.now() < end) {
						await submitResponse(open.db, SLUG, JSON.parse(submissionBody()));
						n++;
					}
				})
			);
			return (n / ms) * 1000;
		};
		await loop(1000);
		return await loop(3000);
	} finally {
		await open.close();
	}
}

export async function run(log: (line: string) => void): Promise<void> {
	ensureBuild(process.cwd(), log);
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consult-survey-bench-'));
	const buildCopy = path.join('node_modules', '.cache', `survey-bench-build-${process.pid}`);
	let server: RunningServer | null = null;
	let floor: Awaited<ReturnType<typeof startFloor>> | null = null;
	try {
		// As production runs it (scripts/serve-built.ts: the body gate and the lean submissions route), from a copy
		// that another build in this tree cannot pull from under the bench.
		fs.cpSync('build', buildCopy, { recursive: true });
		server = await startProductionBuild(path.join(buildCopy, 'index.js'), {
			DATABASE_URL: `file:${path.join(dir, 'app.sqlite')}`,
			SURVEY_RATE_LIMIT: '100000000',
			SURVEY_MAX_CONCURRENT: '100000',
			SURVEY_MAX_PER_SECOND: '100000000',
			SURVEY_MIN_SECONDS: '0'
		});
		// BENCH_SURVEY_ONLY=bytes: page weights only (Lighthouse and the load test take minutes on a shared machine);
		// BENCH_SURVEY_ONLY=rate: the submissions-per-second comparison only.
		if (process.env.BENCH_SURVEY_ONLY !== 'rate') {
			const cookie = await surveyCookie(server.url, SLUG);
			await pageBytes(server, cookie, log);
			if (process.env.BENCH_SURVEY_ONLY === 'bytes') return;
			try {
				await lighthouseScores(server, cookie, log);
			} catch (error) {
				log(`  Lighthouse FAILED: ${error instanceof Error ? error.message : String(error)}`);
			}
		}

		await warmUp(submissionsUrl(server.url));
		floor = await startFloor(dir);
		// Both lines, each against the floor at the same concurrency, measured app then floor: 10 connections (the
		// bench's historical line: a latency ratio, batches of about five) and 50 (a class of children submitting at
		// once is about 30; larger grouped commits). BENCH_CONNECTIONS=10,50 sets the list.
		for (const connections of benchConnections()) {
			const app = await measuredLoad(submissionsUrl(server.url), server.process.pid!, {
				seconds: SECONDS,
				connections
			});
			const base = await measuredLoad(floor.url, floor.child.pid!, { seconds: SECONDS, connections });
			// The same load with time-ordered ids (UUID version 7), as the survey's own pages send them (survey/ids.ts);
			// API clients' random ones are stored under a time-ordered row id since the thirty-second round
			// (submissions/client-ids.ts), so the two should now cost about the same. BENCH_SURVEY_V7=off leaves it out.
			const v7 =
				process.env.BENCH_SURVEY_V7 === 'off'
					? null
					: await measuredLoad(submissionsUrl(server.url), server.process.pid!, {
							seconds: SECONDS,
							connections,
							ids: 'v7'
						});
			log(
				`Submissions per second on loopback, ${SECONDS} s each, ${connections} connections, a new UUID per request (SQLite WAL; the app syncs the log in its thread pool before each acknowledgement, the floor with synchronous=FULL in each commit):`
			);
			log(`  app  POST /api/s/${SLUG}/submissions, random ids (v4, as API clients send): ${describeLoad(app)}`);
			if (v7) log(`  app  the same, time-ordered ids (v7, as the survey's own pages send): ${describeLoad(v7)}`);
			log(`  floor node:http + better-sqlite3, one insert: ${describeLoad(base)}`);
			log(
				`  ratio app/floor at ${connections} connections, random ids (v4): ${(app.rps / base.rps).toFixed(2)} (target 0.5 or more)`
			);
			if (v7)
				log(
					`  ratio app/floor at ${connections} connections, time-ordered ids (v7): ${(v7.rps / base.rps).toFixed(2)} (measured after the floor)`
				);
			log(
				`  CPU per request (all threads, from /proc): app ${app.cpuMsPerRequest.toFixed(2)} ms (v4)${v7 ? `, ${v7.cpuMsPerRequest.toFixed(2)} ms (v7)` : ''}, floor ${base.cpuMsPerRequest.toFixed(2)} ms (floor/app v4 ${(base.cpuMsPerRequest / app.cpuMsPerRequest).toFixed(2)})`
			);
		}
		const inProcess = await inProcessRate(dir);
		log(
			`  diagnosis: submitResponse called in-process (no HTTP), 10 at a time, with no background theme coding: ${inProcess.toFixed(0)} submissions/s`
		);
	} finally {
		await floor?.stop();
		if (server && server.process.exitCode !== null)
			log(`  the app server stopped early:\n${server.output().slice(-2000)}`);
		await server?.stop();
		fs.rmSync(dir, { recursive: true, force: true });
		fs.rmSync(buildCopy, { recursive: true, force: true });
	}
}
