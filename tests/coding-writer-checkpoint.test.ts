/**
 * The coding writer thread's checkpoints (src/lib/server/coding/writer-worker.ts, SQLite files): by default they run
 * on a checkpoint thread of their own (db/checkpointer.ts), SQLite's automatic checkpoint kept far off (10,000 log
 * pages) so that no chunk's COMMIT copies the log into the database file on the writer thread (issue #19: at the
 * default chunk bound the COMMIT was the writer's largest statement); `CODING_WRITER_CHECKPOINT=off` keeps SQLite's
 * own every 1,000 pages inside the COMMIT. Either way the same codings and aggregates, equal to a rebuild, and the
 * checkpoint thread can copy the whole log. PostgreSQL has no writer thread (checked to stay so).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { aggregateSnapshot, expectRebuildUnchanged } from './helpers/aggregates';
import { codings, forgetCodings } from './helpers/coding-reset';
import { generateAnswers } from '../scripts/generate-answers';
import { codeUncoded, codingWriterFor } from '../src/lib/server/coding/recode';
import { stopEngineThread } from '../src/lib/server/coding/engine';

describeEachEngine('coding writer thread checkpoints', (engine) => {
	let fresh: FreshDb;
	const saved = process.env.CODING_WRITER_CHECKPOINT;

	beforeAll(async () => {
		process.env.ANALYSIS_CACHE = 'off';
		fresh = await preparedDatabase(engine);
		await generateAnswers(fresh.db, { answers: 1500, seed: 12, rowTriggers: true });
	}, 180_000);
	afterAll(async () => {
		if (saved === undefined) delete process.env.CODING_WRITER_CHECKPOINT;
		else process.env.CODING_WRITER_CHECKPOINT = saved;
		await stopEngineThread();
		await fresh?.drop();
	});

	it('runs them on a thread of their own by default, in the COMMIT with the switch off, with the same result', async () => {
		const db = fresh.db;
		delete process.env.CODING_WRITER_CHECKPOINT;
		await forgetCodings(db);
		const coded = await codeUncoded(db);
		expect(coded).toBeGreaterThan(1000);
		const onCodings = await codings(db);
		const onAggregates = await expectRebuildUnchanged(db, 'after coding, checkpoints on their own thread');
		const writer = await codingWriterFor(db);
		if (engine !== 'sqlite') {
			expect(writer).toBeNull();
			return;
		}
		const on = await writer!.checkpoints();
		expect(on.autocheckpoint).toBe(10000);
		// The checkpoint thread copies the writer's whole log (no reader holds an older snapshot now).
		expect(on.background).not.toBeNull();
		expect(on.background!.log).toBeGreaterThanOrEqual(0);
		expect(on.background!.checkpointed).toBe(on.background!.log);

		// The switch off: a new writer thread (a worker reads its environment when it starts).
		process.env.CODING_WRITER_CHECKPOINT = 'off';
		await writer!.stop();
		await forgetCodings(db);
		expect(await codeUncoded(db)).toBe(coded);
		expect(await writer!.checkpoints()).toEqual({ autocheckpoint: 1000, background: null });
		expect(await codings(db)).toEqual(onCodings);
		expect(await aggregateSnapshot(db)).toEqual(onAggregates);
	}, 300_000);
});
