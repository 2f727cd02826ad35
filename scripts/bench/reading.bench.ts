/**
 * Safeguarding in the app at scale (SQLite): with N generated answers (READING_BENCH_ANSWERS,
 * default 100,000), times the reading coverage (dashboard), the reading list's first page, the
 * queue, and one ranker training from L staff decisions (READING_BENCH_LABELS, default 200) with
 * re-scoring of every answer, and the longest pause of this thread's event loop while it trains
 * (the training itself runs in a worker thread).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openPrepared } from '../../src/lib/server/bootstrap';
import { parseDatabaseUrl } from '../../src/lib/server/db/config';
import { readingCoverage, readingList } from '../../src/lib/server/safeguarding/reading';
import { listFlags } from '../../src/lib/server/safeguarding/queue';
import { trainAndRescore } from '../../src/lib/server/safeguarding/ranker';
import { nowIso } from '../../src/lib/server/util/time';
import { SCORING_VERSION } from '../../src/lib/safeguarding/version';
import { generateAnswers } from '../generate-answers';

function median(xs: number[]): number {
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.floor(s.length / 2)];
}

export async function run(log: (line: string) => void): Promise<void> {
	const total = Number(process.env.READING_BENCH_ANSWERS ?? 100_000);
	const labels = Number(process.env.READING_BENCH_LABELS ?? 200);
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consult-reading-bench-'));
	try {
		const open = await openPrepared(parseDatabaseUrl(`file:${path.join(dir, 'bench.sqlite')}`));
		const g = await generateAnswers(open.db, { answers: total });
		// Generated rows bypass the pipeline: give them a score as start-up would, without timing that (and the
		// current scoring version, or a server started on this database would rescore them all).
		await open.db.updateTable('answer').set({ risk_score: 0.05, risk_version: SCORING_VERSION }).execute();
		const c = await open.db.selectFrom('consultation').select('id').executeTakeFirstOrThrow();
		// Staff decisions on a spread of answers: every 7th referred.
		const picked = await open.db.selectFrom('answer').select('id').orderBy('id').limit(labels).execute();
		const now = nowIso();
		await open.db
			.insertInto('safeguarding_flag')
			.values(
				picked.map((a, i) => ({
					answer_id: a.id,
					level: 'review' as const,
					matches: '[]',
					status: i % 7 === 0 ? ('referred' as const) : ('no_action' as const),
					note: null,
					updated_by: null,
					updated_at: now,
					created_at: now
				}))
			)
			.execute();
		log(`generated ${g.answers.toLocaleString('en-GB')} answers; ${labels} staff decisions`);

		const timeIt = async (name: string, work: () => Promise<unknown>, runs = 5) => {
			const ms: number[] = [];
			for (let i = 0; i < runs; i++) {
				const t = performance.now();
				await work();
				ms.push(performance.now() - t);
			}
			log(`${name}: median ${median(ms).toFixed(0)} ms, max ${Math.max(...ms).toFixed(0)} ms (${runs} runs)`);
		};
		await timeIt('reading coverage, one consultation (dashboard)', () => readingCoverage(open.db, c.id));
		await timeIt('reading coverage, all consultations (queue)', () => readingCoverage(open.db));
		await timeIt('reading list, flags + first 10 unread', () => readingList(open.db, 1, { limit: 10 }));
		await timeIt('safeguarding queue (open flags)', () => listFlags(open.db));

		let maxGap = 0;
		let last = performance.now();
		const tick = setInterval(() => {
			const t = performance.now();
			maxGap = Math.max(maxGap, t - last);
			last = t;
		}, 5);
		const t = performance.now();
		const outcome = await trainAndRescore(open.db);
		const took = performance.now() - t;
		clearInterval(tick);
		log(
			`ranker: trained from ${outcome.decisions} decisions and re-scored ${outcome.scored.toLocaleString('en-GB')} answers in ${(took / 1000).toFixed(1)} s; longest event-loop pause meanwhile ${maxGap.toFixed(0)} ms`
		);
		log(
			`machine load average while measured: ${os
				.loadavg()
				.map((x) => x.toFixed(1))
				.join(', ')}`
		);
		await open.close();
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}
