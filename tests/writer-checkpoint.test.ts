/**
 * SUBMIT_WRITER_CHECKPOINT=worker with SUBMIT_WRITER_THREAD=on (experiment, docs/deployment.md twentieth round):
 * the writer thread's connection leaves checkpoints to the main connection's checkpoint worker (its own automatic
 * checkpoint only the far-off backstop, as on the main connection), which is asked for one after each of the
 * thread's commits; a batch is not handed to the thread while that worker checkpoints.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sqlitePath } from './helpers/databases';
import { writerInput as input, writerSuite } from './helpers/writer';
import { saveOnline } from '../src/lib/server/survey/writer';
import { checkpointersFor } from '../src/lib/server/db/checkpointer';
import { openSqliteWriter } from '../src/lib/server/db/connect';
import { sql } from 'kysely';

describe('SUBMIT_WRITER_CHECKPOINT=worker: the writer thread checkpointed by the checkpoint worker', () => {
	const suite = writerSuite('sqlite', {
		env: { SUBMIT_WRITER_THREAD: 'on', SUBMIT_WRITER_CHECKPOINT: 'worker' }
	});
	afterEach(() => vi.restoreAllMocks());

	it('asks the checkpoint worker for a checkpoint after each of the thread commits, after waiting for it', async () => {
		const [checkpointer] = checkpointersFor(sqlitePath(suite.fresh));
		expect(checkpointer).toBeDefined();
		const afterWrite = vi.spyOn(checkpointer, 'afterWrite');
		const idle = vi.spyOn(checkpointer, 'idle');
		const results = await Promise.all(
			Array.from({ length: 3 }, (_, i) => saveOnline(suite.fresh.db, suite.c, input(randomUUID(), `Answer ${i}`)))
		);
		expect(results.map((r) => r.status)).toEqual(['created', 'created', 'created']);
		expect(idle).toHaveBeenCalled();
		expect(afterWrite).toHaveBeenCalled();
	});

	it('opens the thread connection with the far-off automatic checkpoint', async () => {
		const writer = openSqliteWriter(sqlitePath(suite.fresh));
		try {
			const { rows } = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(writer);
			expect(rows[0].wal_autocheckpoint).toBe(10000);
		} finally {
			await writer.destroy();
		}
	});
});
