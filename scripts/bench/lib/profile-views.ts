/**
 * One analysis view in-process, result cache off, on an already generated database: CPU per run
 * (process.cpuUsage, plus on PostgreSQL nothing of the backends) and, with PROFILE_OUT=f.cpuprofile,
 * a V8 CPU profile of the measured runs (after one warm-up). Prints a hash of the result so that
 * two builds can be checked to give the same tables.
 *   DATABASE_URL=file:/tmp/big.sqlite npx tsx scripts/bench/lib/profile-views.ts dashboard 'group=child&district=bromsgrove' [runs]
 * Views: dashboard, themes, report, review (listAnswers, as the review page calls it; prints the page total too),
 * quotes (suggestQuotesOfThemes, as the quotes page calls it, for the filtered question, or the first). QUERY_LOG=1 (SQLite): the statements of the measured runs, counted and
 * timed by SQL text (the statement's own wall and CPU time: better-sqlite3 runs it synchronously), the slowest first.
 */
import fs from 'node:fs';
import os from 'node:os';
import crypto from 'node:crypto';
import { Session } from 'node:inspector/promises';
import { aroundEachStatement } from './statement-hook';
import { openPrepared } from '../../../src/lib/server/bootstrap';
import { getConsultation } from '../../../src/lib/server/consultations/queries';
import { parseFilters, parseReviewFilters, UNKNOWN } from '../../../src/lib/analysis/filters';
import { scopeOf } from '../../../src/lib/server/analysis/scope';
import { questionThemeTables } from '../../../src/lib/server/analysis/dashboard';
import { activeThemes } from '../../../src/lib/server/analysis/queries';
import { listAnswers, PAGE_SIZE } from '../../../src/lib/server/review';
import { suggestQuotesOfThemes } from '../../../src/lib/server/review/quotes';
import { dashboardTables } from '../../../src/lib/server/analysis/registry';
import { reportData } from '../../../src/lib/server/report/data';
import { familyLog } from '../../../src/lib/server/analysis/wider';

process.env.ANALYSIS_CACHE = 'off';
const shapes = new Map<string, { n: number; ms: number; cpu: number }>();
let logging = false;
if (process.env.QUERY_LOG) {
	aroundEachStatement((text, _a, call) => {
		const t = performance.now();
		// better-sqlite3 runs the statement on this thread, synchronously: the CPU delta is the statement's own
		// (execution and its rows made into objects), which the machine's load does not inflate as it does wall.
		const c0 = process.cpuUsage();
		try {
			return call();
		} finally {
			if (logging) {
				const x = shapes.get(text) ?? { n: 0, ms: 0, cpu: 0 };
				const c = process.cpuUsage(c0);
				x.n++;
				x.ms += performance.now() - t;
				x.cpu += (c.user + c.system) / 1000;
				shapes.set(text, x);
			}
		}
	});
}
const [view = 'dashboard', query = '', runsArg = '3'] = process.argv.slice(2);
const runs = Number(runsArg);
const open = await openPrepared();
const c = (await getConsultation(open.db, 'worcestershire-cypp-2017'))!;
const rule = { top: 5, minPct: 10 };
const run = async (): Promise<unknown> => {
	const params = new URLSearchParams(query);
	const f = parseFilters(params);
	if (view === 'dashboard') return dashboardTables(open.db, c, f, '/');
	const s = scopeOf(c, f);
	if (view === 'review')
		return listAnswers(open.db, s, parseReviewFilters(params), PAGE_SIZE, { mayReadFlagged: false });
	if (view === 'quotes') {
		const question = c.questions.find((q) => q.key === f.question) ?? c.questions[0];
		const known = f.group === UNKNOWN || c.groups.some((g) => g.code === f.group);
		const group = known ? (f.group ?? null) : null;
		const themes = await activeThemes(open.db, [question.id]);
		return suggestQuotesOfThemes(
			open.db,
			themes.map((t) => t.id),
			6,
			{ group }
		);
	}
	if (view === 'themes')
		return Promise.all(
			c.questions.map((x) => questionThemeTables(open.db, c, s, x.key, rule, { base: '/', filters: f }))
		);
	return reportData(open.db, c, f, s, rule, '/');
};
const hash = (x: unknown) => crypto.createHash('sha256').update(JSON.stringify(x)).digest('hex').slice(0, 16);
const first = await run();
if (process.env.FAMILY_LOG)
	console.log(
		familyLog
			.map(
				(f) =>
					`${f.tag} ${f.slices}x${f.rounds}${f.settled ? '' : ' unsettled'}${f.whole.length ? ' whole ' + f.whole.join(',') : ''}`
			)
			.join('\n')
	);
const session = process.env.PROFILE_OUT ? new Session() : null;
// PROFILE_AFTER=k: the profile of the measured runs after the first k (the warm process a server is after a few
// requests: the first requests of a process run much of the protection code before V8 has optimised it).
const profileAfter = Number(process.env.PROFILE_AFTER ?? 0);
const startProfile = async () => {
	if (!session) return;
	session.connect();
	await session.post('Profiler.enable');
	await session.post('Profiler.start');
};
if (profileAfter <= 0) await startProfile();
const heap = process.env.ALLOC_OUT ? new Session() : null;
if (heap) {
	heap.connect();
	await heap.post('HeapProfiler.enable');
	// Every sampled allocation, collected or not (the garbage is what the collector's share is spent on).
	await heap.post('HeapProfiler.startSampling', {
		samplingInterval: 16384,
		includeObjectsCollectedByMajorGC: true,
		includeObjectsCollectedByMinorGC: true
	});
}
const cpu: number[] = [];
logging = true;
for (let i = 0; i < runs; i++) {
	if (i === profileAfter && i > 0) await startProfile();
	const c0 = process.cpuUsage();
	const r = await run();
	const d = process.cpuUsage(c0);
	cpu.push((d.user + d.system) / 1000);
	if (hash(r) !== hash(first)) throw new Error('runs differ');
}
logging = false;
if (session) {
	const { profile } = await session.post('Profiler.stop');
	fs.writeFileSync(process.env.PROFILE_OUT!, JSON.stringify(profile));
	session.disconnect();
}
if (heap) {
	const { profile } = await heap.post('HeapProfiler.stopSampling');
	fs.writeFileSync(process.env.ALLOC_OUT!, JSON.stringify(profile));
	heap.disconnect();
}
const total = (first as { total?: number }).total;
console.log(
	`${view} ${query || '-'}: cpu ms ${cpu.map((x) => x.toFixed(0)).join(' ')}; hash ${hash(first)}${total === undefined ? '' : `; total ${total}`}; load ${os
		.loadavg()
		.map((l) => l.toFixed(1))
		.join(' ')}`
);
if (process.env.QUERY_LOG) {
	const list = [...shapes].sort((a, b) => b[1].ms - a[1].ms);
	const n = list.reduce((t, [, x]) => t + x.n, 0);
	console.log(
		`${runs} runs: ${n} statements, ${list.length} shapes, ${list.reduce((t, [, x]) => t + x.ms, 0).toFixed(0)} ms wall, ${list.reduce((t, [, x]) => t + x.cpu, 0).toFixed(0)} ms CPU`
	);
	for (const [text, x] of list.slice(0, 10))
		console.log(`${x.n} ${x.ms.toFixed(1)} ms, CPU ${x.cpu.toFixed(1)} ms ${text.slice(0, 200)}`);
}
await open.close();
