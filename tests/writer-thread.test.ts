/**
 * SUBMIT_WRITER_THREAD=on (survey/writer-thread.ts): on SQLite, grouped commits of online submissions are stored
 * by a worker thread with its own connection, and each submission is answered only once that thread reports the
 * COMMIT; what the event loop reads afterwards (the rows, the data version, a safeguarding flag) is there. A thread
 * killed with a batch in flight acknowledges nothing of it (WriterStoppedError, retryable), loses nothing
 * acknowledged before, and the next batch starts a new thread. PostgreSQL keeps its own path.
 */
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { describeEachEngine, sqlitePath } from './helpers/databases';
import { until } from './helpers/wait';
import { writerInput as input, writerSuite } from './helpers/writer';
import { saveOnline } from '../src/lib/server/survey/writer';
import { writerThreadFor, WriterStoppedError } from '../src/lib/server/survey/writer-thread';
import { rowIdsByClient, rowIdsOf } from './helpers/client-ids';

describeEachEngine('grouped commits on a writer thread (SUBMIT_WRITER_THREAD=on)', (engine) => {
	const suite = writerSuite(engine, { env: { SUBMIT_WRITER_THREAD: 'on' } });

	// By the ids sent: a random one is stored under a time-ordered row id of the server's (submissions/client-ids.ts).
	const storedIds = async (ids: string[]) => new Set((await rowIdsByClient(suite.fresh.db, ids)).keys());
	const dataVersion = async () =>
		Number((await suite.fresh.db.selectFrom('data_version').select('version').executeTakeFirstOrThrow()).version);

	it('stores on the thread (SQLite; PostgreSQL keeps its path), and the event loop reads it all once answered', async () => {
		const thread = writerThreadFor(suite.fresh.db);
		if (engine === 'postgres') expect(thread).toBeNull();
		else expect(thread).not.toBeNull();
		const committedBefore = thread?.committed ?? 0;
		const versionBefore = await dataVersion();
		const ids = Array.from({ length: 5 }, () => randomUUID());
		const texts = ids.map((_, i) => `Answer ${i}`);
		// A disclosure the screening flags, raised in the same commit.
		texts[0] = 'my dad hits me and I am scared to go home';
		const results = await Promise.all(ids.map((id, i) => saveOnline(suite.fresh.db, suite.c, input(id, texts[i]))));
		expect(results.map((r) => r.status)).toEqual(ids.map(() => 'created'));
		if (thread) expect(thread.committed).toBeGreaterThan(committedBefore);
		expect(await storedIds(ids)).toEqual(new Set(ids));
		expect(await dataVersion()).toBeGreaterThan(versionBefore);
		const flags = await suite.fresh.db
			.selectFrom('safeguarding_flag as f')
			.innerJoin('answer as a', 'a.id', 'f.answer_id')
			.select('a.submission_id')
			.where('a.submission_id', 'in', await rowIdsOf(suite.fresh.db, ids))
			.execute();
		expect(flags.map((f) => f.submission_id)).toEqual(await rowIdsOf(suite.fresh.db, [ids[0]]));
		// A resend is a replay with the same reference, through the thread as well.
		const again = await saveOnline(suite.fresh.db, suite.c, input(ids[1], texts[1]));
		expect(again).toMatchObject({
			status: 'replayed',
			id: ids[1],
			reference: results[1].status === 'not-open' ? '' : results[1].reference
		});
	});

	it.runIf(engine === 'sqlite')(
		'a thread killed mid-batch acknowledges none of it, loses nothing acknowledged, and is started again',
		async () => {
			const thread = writerThreadFor(suite.fresh.db)!;
			const acknowledged = Array.from({ length: 3 }, () => randomUUID());
			await Promise.all(acknowledged.map((id) => saveOnline(suite.fresh.db, suite.c, input(id, 'Before the crash'))));

			// Another connection holds the write lock, so the thread's batch waits in BEGIN IMMEDIATE, uncommitted.
			const other = new Database(sqlitePath(suite.fresh));
			other.pragma('busy_timeout = 5000');
			other.exec('begin immediate');
			const inFlight = Array.from({ length: 4 }, () => randomUUID());
			const outcomes = inFlight.map((id) =>
				saveOnline(suite.fresh.db, suite.c, input(id, 'During the crash')).then(
					() => 'acknowledged' as const,
					(error: unknown) => error
				)
			);
			// The batch handed to the thread, which waits on the lock; the kill lands before BEGIN returns to its code.
			await until(() => thread.waiting > 0, 'the batch handed to the thread');
			const killed = thread.kill();
			other.exec('rollback');
			other.close();
			await killed;
			const settled = await Promise.all(outcomes);
			for (const o of settled) expect(o).toBeInstanceOf(WriterStoppedError);
			expect(await storedIds(inFlight)).toEqual(new Set());
			expect(await storedIds(acknowledged)).toEqual(new Set(acknowledged));

			// A new thread takes the resends; each is stored once.
			const committed = thread.committed;
			const resent = await Promise.all(
				inFlight.map((id) => saveOnline(suite.fresh.db, suite.c, input(id, 'During the crash')))
			);
			expect(resent.map((r) => r.status)).toEqual(inFlight.map(() => 'created'));
			expect(thread.committed).toBeGreaterThan(committed);
			expect(await storedIds(inFlight)).toEqual(new Set(inFlight));
		},
		60_000
	);
});
