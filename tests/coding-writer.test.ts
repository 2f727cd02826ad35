/**
 * The coder's writer thread (src/lib/server/coding/writer-worker.ts, SQLite files): chunks written by it give the
 * same codings and aggregates as chunks written on the main thread (CODING_WRITER_THREAD=off), and a run whose
 * writer thread is killed mid-run resumes without coding any answer twice or counting it twice in the aggregates.
 * Both engines: PostgreSQL has no writer thread (its pool works off the event loop) and must be unchanged by it.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { aggregateSnapshot, expectRebuildUnchanged } from './helpers/aggregates';
import { until } from './helpers/wait';
import { codings, forgetCodings } from './helpers/coding-reset';
import { generateAnswers } from '../scripts/generate-answers';
import { codeUncoded, codingJobState, codingWriterFor } from '../src/lib/server/coding/recode';
import { stopEngineThread } from '../src/lib/server/coding/engine';

describeEachEngine('coding chunks on the writer thread', (engine) => {
	let fresh: FreshDb;
	const saved = process.env.CODING_WRITER_THREAD;

	beforeAll(async () => {
		process.env.ANALYSIS_CACHE = 'off';
		fresh = await preparedDatabase(engine);
		await generateAnswers(fresh.db, { answers: 1500, seed: 11, rowTriggers: true });
	}, 180_000);
	afterAll(async () => {
		if (saved === undefined) delete process.env.CODING_WRITER_THREAD;
		else process.env.CODING_WRITER_THREAD = saved;
		await stopEngineThread();
		await fresh?.drop();
	});

	it('writes the same codings and aggregates as the main thread, and a killed run resumes without doubling', async () => {
		const db = fresh.db;
		// A: chunks written on the main thread.
		process.env.CODING_WRITER_THREAD = 'off';
		await forgetCodings(db);
		expect(await codingWriterFor(db)).toBeNull();
		const coded = await codeUncoded(db);
		expect(coded).toBeGreaterThan(1000);
		const mainCodings = await codings(db);
		const mainAggregates = await expectRebuildUnchanged(db, 'after coding on the main thread');
		expect(mainCodings.length).toBeGreaterThan(1000);

		// B: the same answers from scratch, chunks written on the writer thread (SQLite).
		delete process.env.CODING_WRITER_THREAD;
		await forgetCodings(db);
		const writer = await codingWriterFor(db);
		if (engine === 'sqlite') expect(writer).not.toBeNull();
		else expect(writer).toBeNull();
		expect(await codeUncoded(db)).toBe(coded);
		if (writer) expect(writer.generation).toBe(1); // the chunks went through one thread
		expect(await codings(db)).toEqual(mainCodings);
		expect(await aggregateSnapshot(db)).toEqual(mainAggregates);

		if (!writer) return;
		// The writer thread killed while a run goes on: the chunk in hand is not committed and the run fails; the
		// next run codes the rest, and nothing is coded or counted twice.
		await forgetCodings(db);
		const run = codeUncoded(db);
		run.catch(() => {});
		await until(() => (codingJobState()?.done ?? 0) >= 100, 'a chunk is written');
		await writer.stop();
		// Almost always a chunk is in the thread's hands (it is the slower side); if the kill fell between two
		// chunks the run goes on with a new thread, which is fine too.
		const outcome = await run.then(
			(n) => n,
			(e: Error) => e
		);
		if (outcome instanceof Error) expect(outcome.message).toMatch(/coding writer thread stopped/);
		const part = Number(
			(
				await db
					.selectFrom('answer')
					.select((eb) => eb.fn.countAll<number>().as('n'))
					.where('coded_at', 'is not', null)
					.executeTakeFirstOrThrow()
			).n
		);
		expect(part).toBeGreaterThan(0);
		if (outcome instanceof Error) expect(part).toBeLessThan(coded);
		await expectRebuildUnchanged(db, 'after the kill');
		expect(await codeUncoded(db)).toBe(coded - part);
		expect(writer.generation).toBe(2); // a new thread took over
		expect(await codings(db)).toEqual(mainCodings);
		expect(await aggregateSnapshot(db)).toEqual(mainAggregates);
	}, 300_000);
});
