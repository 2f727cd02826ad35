/**
 * The coder's writer thread keeps one transaction open across chunks while no other writer waits (issue #19, helper
 * code37: src/lib/server/coding/writer-worker.ts, db/write-wanted.ts): a run's chunks share transactions, and a write
 * on the main connection (a statement on its own, or a transaction's BEGIN IMMEDIATE) that asks for the lock while
 * one is open has it committed at once instead of waiting for the transaction's time cap (here a minute, longer than
 * the connection's 5 s busy timeout: without the "wanted" count that write fails with "database is locked"). Either
 * way the codings and aggregates are those of `CODING_WRITER_GROW=off` (a transaction per chunk) and equal a rebuild.
 * PostgreSQL has no writer thread: the switch changes nothing there (checked).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { aggregateSnapshot, expectRebuildUnchanged } from './helpers/aggregates';
import { until } from './helpers/wait';
import { codings, forgetCodings } from './helpers/coding-reset';
import { generateAnswers } from '../scripts/generate-answers';
import { codeUncoded, codingJobState, codingWriterFor } from '../src/lib/server/coding/recode';
import { stopEngineThread } from '../src/lib/server/coding/engine';
import { requestCodingJob } from '../src/lib/server/coding/queue';

const SWITCHES = ['CODING_WRITER_GROW', 'CODING_WRITER_GROW_MS'] as const;

describeEachEngine('coding writer transactions that grow while no writer waits', (engine) => {
	let fresh: FreshDb;
	const saved = Object.fromEntries(SWITCHES.map((k) => [k, process.env[k]]));

	beforeAll(async () => {
		process.env.ANALYSIS_CACHE = 'off';
		fresh = await preparedDatabase(engine);
		await generateAnswers(fresh.db, { answers: 3000, seed: 13, rowTriggers: true });
	}, 180_000);
	afterAll(async () => {
		for (const k of SWITCHES) {
			if (saved[k] === undefined) delete process.env[k];
			else process.env[k] = saved[k];
		}
		await stopEngineThread();
		await fresh?.drop();
	});

	it('shares transactions between chunks, commits when the main connection asks for the lock, same result', async () => {
		const db = fresh.db;
		// A: a transaction per chunk (before).
		process.env.CODING_WRITER_GROW = 'off';
		await forgetCodings(db);
		const coded = await codeUncoded(db);
		expect(coded).toBeGreaterThan(2000);
		const offCodings = await codings(db);
		const offAggregates = await expectRebuildUnchanged(db, 'after coding, a transaction per chunk');
		const writer = await codingWriterFor(db);

		// B: growing (the default), with a time cap far beyond the busy timeout.
		delete process.env.CODING_WRITER_GROW;
		process.env.CODING_WRITER_GROW_MS = '60000';
		await forgetCodings(db);
		if (!writer) {
			expect(engine).not.toBe('sqlite');
			expect(await codeUncoded(db)).toBe(coded);
			expect(await codings(db)).toEqual(offCodings);
			expect(await aggregateSnapshot(db)).toEqual(offAggregates);
			return;
		}
		const off = await writer.growth();
		expect(off.chunks).toBe(0); // nothing went through the open transaction with the switch off
		expect(await codeUncoded(db)).toBe(coded);
		const grown = await writer.growth();
		const commits = Object.values(grown.commits).reduce((a, b) => a + b, 0);
		expect(grown.mostChunks).toBeGreaterThanOrEqual(2);
		expect(commits).toBeLessThan(grown.chunks);
		expect(grown.commits.wanted).toBe(0);
		expect(await codings(db)).toEqual(offCodings);
		expect(await aggregateSnapshot(db)).toEqual(offAggregates);

		// C: the main connection writes while the coder runs, after each chunk it sees written (alternately one
		// statement on its own and a transaction): each write gets the lock within a chunk or so, not the time cap.
		await forgetCodings(db);
		const run = codeUncoded(db);
		let finished = false;
		void run.finally(() => (finished = true)).catch(() => {});
		const waits: number[] = [];
		let seen = 0;
		const questionId = (await db.selectFrom('question').select('id').executeTakeFirstOrThrow()).id;
		while (!finished) {
			await until(
				() => finished || (codingJobState()?.done ?? 0) !== seen,
				'the coder writes a chunk or finishes',
				60_000,
				2
			);
			if (finished) break;
			seen = codingJobState()?.done ?? 0;
			const t0 = performance.now();
			if (waits.length % 2 === 0) await requestCodingJob(db, { kind: 'question', questionId });
			else await db.transaction().execute((tx) => requestCodingJob(tx, { kind: 'question', questionId }));
			waits.push(performance.now() - t0);
		}
		expect(await run).toBe(coded);
		const wanted = await writer.growth();
		expect(waits.length).toBeGreaterThan(0);
		expect(wanted.commits.wanted).toBeGreaterThan(0);
		expect(Math.max(...waits)).toBeLessThan(2000);
		await db.deleteFrom('coding_job').execute();
		expect(await codings(db)).toEqual(offCodings);
		expect(await aggregateSnapshot(db)).toEqual(offAggregates);
		await expectRebuildUnchanged(db, 'after coding beside the main connection’s writes');
	}, 300_000);
});
